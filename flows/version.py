"""The package version is written once, in pyproject.toml; the runs table records it from there."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import metadata

from flows.settings import PROJECT_ROOT


@lru_cache(maxsize=1)
def package_version() -> str:
    """pyproject.toml of the checkout this code runs from (an editable install keeps the version it was
    installed with), else the installed distribution's metadata."""
    try:
        project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        if project.get("name") == "paperfacts":
            return str(project["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version("paperfacts")
    except metadata.PackageNotFoundError:
        return "unknown"
