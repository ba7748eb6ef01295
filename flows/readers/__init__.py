"""Readers: every input format becomes a stream of Paper or Reject records."""

from flows.readers.detect import FORMATS, detect_format, read_path, resolve_inputs

__all__ = ["FORMATS", "detect_format", "read_path", "resolve_inputs"]
