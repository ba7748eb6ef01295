"""An output folder that cannot be written (disk full, quota, read-only, no permission) as one line for the operator.

The OSError may be raised in the flow, in a Prefect task, in a worker process (pickled back) or by pyarrow (which
sets errno but no file name), and may be wrapped on the way: it is looked for along the whole exception chain.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}  # always about where a run writes: its output folder
PERMISSION_ERRNOS = {errno.EACCES, errno.EPERM}  # about the output only when the failing path is inside it


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and everything it was raised from or during (causes, contexts, members of exception groups), once each."""
    todo, seen = [exc], set()
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        todo.extend(getattr(current, "exceptions", ()) or ())


def output_write_error(exc: BaseException, out: Path) -> OSError | None:
    """The OSError in `exc`'s chain that means the output folder cannot be written, if there is one."""
    for cause in causes(exc):
        if not isinstance(cause, OSError) or cause.errno is None:
            continue
        if cause.errno in STORAGE_ERRNOS and (not _paths(cause) or _names_output(cause, out)):
            return cause
        if cause.errno in PERMISSION_ERRNOS and _names_output(cause, out):
            return cause
    return None


def current_snapshot(out: Path) -> str | None:
    """What `<out>/.current` points to (the published snapshot), to tell afterwards whether a failed run published."""
    try:
        return os.readlink(Path(out) / ".current")
    except OSError:
        return None


def output_failure_message(error: OSError, out: Path, published: bool) -> str:
    """One line: what failed, where, and that nothing was published (or that the run was, if it got that far)."""
    where = Path(out).absolute()
    mount = mount_point(where)
    on = f"the file system mounted at {mount}" if mount else "its file system"
    if error.errno == errno.ENOSPC:
        what = f"no space left on {on}"
    elif error.errno == errno.EDQUOT:
        what = f"disk quota exceeded on {on}"
    elif error.errno == errno.EROFS:
        what = f"{on} is read-only"
    else:
        what = f"permission denied on {error.filename or where}"
    outcome = "the run's snapshot was published before the error" if published else "nothing was published, the tables are as they were"
    return f"cannot write the output folder {where}: {what}; {outcome}"


def mount_point(path: Path) -> Path | None:
    """The mount point of the file system holding `path` (its nearest existing ancestor), or None if unknown."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        device = path.stat().st_dev
        while path != path.parent and path.parent.stat().st_dev == device:
            path = path.parent
    except OSError:
        return None
    return path


def _paths(error: OSError) -> list[str]:
    """The absolute paths an OSError names (pyarrow's name none)."""
    names = (error.filename, error.filename2)
    return [os.path.abspath(os.fsdecode(n)) for n in names if isinstance(n, (str, bytes, os.PathLike))]


def _names_output(error: OSError, out: Path) -> bool:
    """Whether the failing path (from the error, or else from pyarrow's message) lies in the output folder."""
    root = os.path.abspath(out)
    paths = _paths(error)
    if paths:
        return any(p == root or p.startswith(root + os.sep) for p in paths)
    return root in str(error)
