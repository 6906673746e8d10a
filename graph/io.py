"""Atomic output: a run either leaves the new file in place or the old one.

Writes go to a temporary file in the target's folder (same file system) and
are renamed over the target, so an interrupted run never leaves a
half-written file and never loses the previous output.

A run can also die where no ``finally`` runs (SIGKILL, the OOM killer, a
power cut). For files, the temporary is then nameless where the system
allows it (Linux ``O_TMPFILE``: the kernel drops it with the process) and is
named only for the instant between ``link`` and ``rename``. Folders cannot
be nameless, so every temporary name carries the writer's process id, and
the next write to the same target removes the leftovers of writers that
no longer run. New files get the usual permissions (``0o666`` less the
umask), as if opened with ``open()``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_SUFFIXES = (".tmp", ".old")


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # the portable way to read it is to set it
    os.umask(mask)
    return mask


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def _temp_name(target: Path, suffix: str = ".tmp") -> str:
    return f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(target: str | Path) -> list[Path]:
    """Remove temporaries of ``target`` left by writers that died; return them.

    Only names this module makes (``.NAME.PID.HEX.tmp`` / ``.old``) whose
    process is gone are touched. A previous folder left aside (``.old``)
    while ``target`` is missing is put back instead of removed.
    """
    target = Path(target)
    folder = _folder(target)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]{{8}}(\.tmp|\.old)")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        path = Path(entry.path)
        if match.group(2) == ".old" and not os.path.lexists(target):
            # The writer died between moving the previous folder aside and
            # moving the new one in: the previous output comes back.
            with contextlib.suppress(OSError):
                os.replace(path, target)
                removed.append(path)
                continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
        removed.append(path)
    return removed


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _open_nameless(folder: Path) -> int | None:
    """A nameless file in ``folder`` (Linux O_TMPFILE), or None where there is none."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, 0o666 & ~_umask())
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # the file system or the kernel cannot: use a named one
        raise


def _link_nameless(fd: int, name: Path) -> None:
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N names an O_TMPFILE file;
    # a directory fd makes Python call linkat, not link (which would try to
    # link the /proc symlink itself).
    folder = os.open(name.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8") -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary sibling of ``path``; rename it over ``path`` on success."""
    target = Path(path)
    folder = _folder(target)
    sweep(target)
    fd = _open_nameless(folder)
    named: Path | None = None
    if fd is None:
        named = folder / _temp_name(target)
        fd = os.open(named, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    handle = os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "")
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            if named is None:
                named = folder / _temp_name(target)
                _link_nameless(handle.fileno(), named)
        os.replace(named, target)
        named = None
        _fsync_folder(folder)
    except OSError as exc:
        if exc.filename is None:  # a failed write names no file: name the one being written
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    finally:
        if named is not None:
            with contextlib.suppress(OSError):
                os.unlink(named)


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Fill a temporary sibling folder; swap it in for ``path`` on success.

    The previous folder (if any) is kept until the new one is complete.
    """
    target = Path(path)
    parent = _folder(target)
    sweep(target)
    tmp = parent / _temp_name(target)
    tmp.mkdir(mode=0o777)
    try:
        yield tmp
        if target.exists():
            old = parent / _temp_name(target, ".old")
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
        _fsync_folder(parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
