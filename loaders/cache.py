"""The on-disk cache of file parts, keyed by file content, never trusted blindly.

When: only when asked for. A load writes nothing to disk unless
``ACTORGRAPH_CACHE_DIR`` or ``ACTORGRAPH_CACHE=on`` is set, or a folder is
passed (``graph.load(..., cache=DIR)``): facts shared in a newsroom may be
confidential, and a command such as ``actorgraph view`` promises to write
nothing but the file asked for.

Where: ``$ACTORGRAPH_CACHE_DIR`` if set, else (with ``ACTORGRAPH_CACHE=on``)
``$XDG_CACHE_HOME/actorgraph``, else ``~/.cache/actorgraph`` - never inside a
fact folder. ``ACTORGRAPH_CACHE=off`` wins over both. Delete the folder at
any time; it is rebuilt as needed.

What: one entry per fact file version, named by a digest of the file's path,
its SHA-256, the vocabulary, the limits and the code of this package, so an
edited file, another vocabulary or a new actorgraph never meets an old
entry. Each entry holds that file's resolved records (see
:mod:`loaders.incremental`) and is reused only while the names and ids of
the whole base are the ones it was resolved against.

Trust: entries are pickles, and unpickling runs code, so an entry is
accepted only with a valid HMAC-SHA256 made with a random 256-bit key that
lives in the cache folder with mode 0600. The folder must belong to the user
and not be writable by group or others (else the cache is not used, as ssh
does with keys). A truncated, corrupt, foreign or tampered entry fails the
check and is ignored and replaced; it is never loaded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import copyreg
import io
import hashlib
import hmac
import os
import pickle
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from loaders.dates import PartialDate
from loaders.incremental import FilePart, fingerprint
from loaders.records import Citation, Entity, Location, Relation, Source

_MAGIC = b"AGPART1\n"
_KEY_FILE = "hmac.key"
_OFF = {"0", "off", "no", "false"}
_ON = {"1", "on", "yes", "true"}


def cache_dir(env: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder the environment asks for, or None (the default: no disk cache).

    Examples
    --------
    >>> cache_dir(env={}) is None
    True
    >>> str(cache_dir(env={"ACTORGRAPH_CACHE_DIR": "/tmp/ag-cache"}))
    '/tmp/ag-cache'
    >>> cache_dir(env={"ACTORGRAPH_CACHE_DIR": "/tmp/ag-cache", "ACTORGRAPH_CACHE": "off"}) is None
    True
    >>> str(cache_dir(env={"ACTORGRAPH_CACHE": "on", "HOME": "/home/ann"}))
    '/home/ann/.cache/actorgraph'
    """
    env = os.environ if env is None else env
    setting = env.get("ACTORGRAPH_CACHE", "").strip().lower()
    if setting in _OFF:
        return None
    explicit = env.get("ACTORGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if setting not in _ON:
        return None
    home = env.get("HOME") or os.path.expanduser("~")
    base = env.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    return Path(base) / "actorgraph"


def code_version() -> str:
    """A digest of this package's code: a new loader never reads old entries."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(here.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _private(path: Path, *, file: bool) -> bool:
    info = os.lstat(path)
    if info.st_uid != os.getuid() or (stat.S_ISLNK(info.st_mode)):
        return False
    if file:
        return stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077 == 0
    return stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o022 == 0


def _proxy(mapping: dict[str, object]) -> MappingProxyType[str, object]:
    return MappingProxyType(mapping)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _by_fields(record: object) -> tuple[type, tuple[object, ...]]:
    cls = type(record)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return cls, tuple(getattr(record, name) for name in names)


class _Pickler(pickle.Pickler):
    # Records hold read-only MappingProxyType views, which pickle cannot
    # take by itself, and frozen slotted dataclasses, which it restores
    # through a slow generic __setstate__. This pickler alone (nothing is
    # registered globally) saves a view as its dict and a record as the
    # arguments of its constructor.
    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[MappingProxyType] = lambda m: (_proxy, (dict(m),))
    for _record in (Citation, Entity, FilePart, Location, PartialDate, Relation, Source):
        dispatch_table[_record] = _by_fields


class PartStore:
    """File parts on disk, authenticated with the folder's HMAC key.

    Use :meth:`open`, which returns None when the folder cannot be trusted
    or used; every error while reading or writing an entry counts as a miss.
    """

    def __init__(self, folder: Path, key: bytes, namespace: str) -> None:
        self.folder = folder
        self._key = key
        self._namespace = namespace

    @classmethod
    def open(cls, folder: Path | None, namespace: str) -> PartStore | None:
        if folder is None or not hasattr(os, "getuid"):
            return None
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(folder, file=False):
                return None
            key_path = folder / _KEY_FILE
            try:
                fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(os.urandom(32))
            if not _private(key_path, file=True):
                return None
            key = key_path.read_bytes()
            if len(key) != 32:
                return None
            (folder / "parts").mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return None
        return cls(folder, key, fingerprint(namespace, code_version()))

    def _entry(self, path: str, digest: bytes) -> Path:
        name = hashlib.sha256(f"{self._namespace}\0{path}\0".encode("utf-8", "surrogatepass") + digest).hexdigest()
        return self.folder / "parts" / name[:2] / name

    def get(self, path: str, digest: bytes) -> FilePart | None:
        """The part stored for this file version, if present and authentic."""
        try:
            blob = self._entry(path, digest).read_bytes()
        except OSError:
            return None
        if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 32:
            return None
        tag, payload = blob[len(_MAGIC):len(_MAGIC) + 32], blob[len(_MAGIC) + 32:]
        if not hmac.compare_digest(tag, hmac.new(self._key, payload, hashlib.sha256).digest()):
            return None  # corrupt, truncated or not ours: never unpickled
        try:
            part = pickle.loads(payload)
        except Exception:  # authentic but unreadable (e.g. another Python): a miss
            return None
        if not isinstance(part, FilePart) or part.path != path or part.digest != digest:
            return None
        return part

    def put(self, part: FilePart) -> None:
        """Store a part atomically; a failure only means a later miss."""
        target = self._entry(part.path, part.digest)
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(part)
        payload = buffer.getvalue()
        blob = _MAGIC + hmac.new(self._key, payload, hashlib.sha256).digest() + payload
        tmp = None
        try:
            target.parent.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".part-", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, target)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
