"""Child side of the kill test: `paperfacts run ...` in processes forked from a multiprocessing forkserver.

The forkserver imports this module once (the CLI, the flow, the modules Prefect and pandera import lazily
during a run) and builds the spaCy pipeline, so each trial's process starts in milliseconds instead of
seconds; what it then executes is the real CLI entry point with real argv, in its own OS process, which
the test kills with SIGKILL. Nothing here starts a thread or opens a connection: that is left to the child.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import flows.cli
import flows.pipeline  # noqa: F401  (imported lazily by the CLI; preloaded here)
from extractors.pipeline import shared_nlp
from extractors.rules import extractor_version
from flows.quality import check_batch

LAZY_IMPORTS = ("fastapi", "pyarrow.dataset", "prefect.engine", "prefect.flow_engine", "prefect.task_engine",
                "prefect.utilities.visualization", "prefect.concurrency._sync", "anyio._backends._asyncio",
                "flows.local_server", "flows.runners")
for name in LAZY_IMPORTS:
    with contextlib.suppress(ImportError):  # only saves time; a renamed module is imported by the run itself
        importlib.import_module(name)
check_batch({"papers": [{"paper_id": "x", "title": "t", "abstract": "a", "content_sha256": "0" * 64}]})  # pandera's backends
shared_nlp()
extractor_version()  # fixed with the rules the pipeline was built from, as in any one long-lived process


def paperfacts(argv: list[str], log: str) -> None:
    """`paperfacts <argv>` with stdout and stderr sent to `log`; exits with the CLI's exit code."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.argv = ["paperfacts", *argv]
    flows.cli.main()
