"""Bounds that keep a hostile or mistaken input from exhausting the machine.

Fact files are shared and hand-written; a file may be huge, deep, or built
to make its reader explode. Every bound here turns such a file into one
diagnostic instead of a hang or a crash. The defaults are far above what a
real fact base needs (the Chicago dataset: 11 files, the biggest 40 KB,
nesting 5 levels) and far below what would hurt a laptop.

The command line reads overrides from the environment (see
:meth:`Limits.from_env`); the Python API takes a :class:`Limits` object.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from loaders.errors import ActorgraphError

_SIZE = re.compile(r"^\s*([0-9]{1,15})\s*([kmg]i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True)
class Limits:
    """Bounds of one load; each one, when crossed, is a diagnostic.

    Attributes
    ----------
    max_file_bytes : int
        Size of one fact file (16 MiB). Checked while reading, so a file
        that grows, or a device, cannot make the read unbounded.
    max_files : int
        Fact files in one run (10,000).
    max_depth : int
        Nesting of YAML collections (32; fact files use 5).
    max_nodes : int
        YAML values (scalars, lists, mappings) in one file (1,000,000,
        about 50 MB of memory while loading).
    max_errors : int
        Diagnostics collected before the loader stops and says so (1,000):
        a broken generator must not print millions of lines.

    Examples
    --------
    >>> Limits().max_depth
    32
    >>> Limits.from_env({"ACTORGRAPH_MAX_FILE_BYTES": "64M"}).max_file_bytes
    67108864
    """

    max_file_bytes: int = 16 * 1024 * 1024
    max_files: int = 10_000
    max_depth: int = 32
    max_nodes: int = 1_000_000
    max_errors: int = 1_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by ``ACTORGRAPH_MAX_*`` variables.

        ``ACTORGRAPH_MAX_FILE_BYTES`` takes a size such as ``64M`` or
        ``2G``; the others a whole number. Every value must be at least 1.

        Raises
        ------
        ActorgraphError
            For a value that is not a positive whole number (or size).
        """
        env = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for f in fields(cls):
            name = "ACTORGRAPH_" + f.name.upper()
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            match = _SIZE.match(raw)
            unit = (match.group(2) or "")[:1].lower() if match else ""
            if not match or (unit and f.name != "max_file_bytes") or int(match.group(1)) < 1:
                example = "64M" if f.name == "max_file_bytes" else str(getattr(cls(), f.name))
                raise ActorgraphError(
                    f"{name}={raw[:40]!r} is not a positive whole number; set it like {name}={example} or unset it"
                )
            changes[f.name] = int(match.group(1)) * _UNITS[unit]
        return replace(cls(), **changes)


def describe_size(n: int) -> str:
    """A byte count as people read it.

    Examples
    --------
    >>> describe_size(16 * 1024 * 1024), describe_size(1500)
    ('16 MiB', '1500 bytes')
    """
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"
