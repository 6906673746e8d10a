"""Records made without running their dataclass ``__init__``.

A frozen dataclass sets each field through ``object.__setattr__``; a load
of 10^5 relations makes about a million records (relations, citations,
locations), and that alone costs a third of a second. :func:`maker` gives
a callable that takes the field values in order and stores them in the
record's slots directly - compiled (``loaders._yamlfast.maker``) when the
extension is built, the class itself otherwise. Either way the record is
the same: equal, hashable, frozen.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, TypeVar

_T = TypeVar("_T")

__all__ = ["maker"]


@functools.cache
def maker(cls: type[_T]) -> Callable[..., _T]:
    """A callable making ``cls`` from every field value, positionally.

    ``cls`` must be a frozen dataclass with ``slots=True`` and no
    ``__post_init__`` (there is then nothing in ``__init__`` but storing the
    values).

    Examples
    --------
    >>> from loaders.records import Location
    >>> maker(Location)("facts/a.yaml", 3, 5)
    Location(path='facts/a.yaml', line=3, col=5)
    """
    params: Any = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} must be a frozen dataclass with slots=True and no __post_init__")
    try:
        from loaders import _yamlfast
    except ImportError:
        return cls
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return _yamlfast.maker(cls, names)  # type: ignore[return-value]
