"""Readers: every input format (flows.readers.formats) becomes a stream of Paper or Reject records."""

from flows.readers.detect import detect_format, read_path, resolve_inputs
from flows.readers.formats import INPUT_FORMATS, InputFormat

__all__ = ["INPUT_FORMATS", "InputFormat", "detect_format", "read_path", "resolve_inputs"]
