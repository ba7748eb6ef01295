"""Process-wide settings applied before Prefect is imported: a project-local home, quiet logs, no telemetry."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = PROJECT_ROOT / "data"
DEFAULT_OUT = Path("outputs")


def configure_prefect(home: Path | None = None) -> None:
    """Set Prefect's environment unless the user already did (their settings always win)."""
    defaults = {
        "PREFECT_HOME": str(home or PROJECT_ROOT / ".prefect"),
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
        "PREFECT_CLI_COLORS": "false",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
