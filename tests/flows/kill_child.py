"""Child side of the kill test: `paperfacts run ...` in processes forked from a multiprocessing forkserver.

The forkserver imports this module once (which imports the CLI, the flow and builds the spaCy pipeline), so
each trial's process starts in milliseconds instead of seconds; what it then executes is the real CLI entry
point with real argv, in its own OS process, which the test kills with SIGKILL.
"""

from __future__ import annotations

import os
import sys

import flows.cli
import flows.pipeline  # noqa: F401  (imported lazily by the CLI; preloaded here)
from extractors.pipeline import shared_nlp
from extractors.rules import extractor_version

shared_nlp()
extractor_version()  # fixed with the rules the pipeline was built from, as in any one long-lived process


def paperfacts(argv: list[str], log: str) -> None:
    """`paperfacts <argv>` with stdout and stderr sent to `log`; exits with the CLI's exit code."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.argv = ["paperfacts", *argv]
    flows.cli.main()
