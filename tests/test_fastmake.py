"""loaders.fastmake: records made by storing their slots give the very records their class gives."""

from __future__ import annotations

import builtins
import dataclasses
import sys

import pytest

from loaders import fastmake
from loaders.dates import PartialDate
from loaders.records import Citation, Entity, Location, Relation, Source

LOC = Location("facts/a.yaml", 1234, 5)
SAMPLES = {
    Location: ("facts/a.yaml", 1234, 5),
    Citation: ("src-1", LOC, "a quote"),
    Relation: ("r1", "opposes", "a", "b", LOC, (Citation("s", LOC, None),), PartialDate.parse("2025-01"),
               None, None, "text", {"votes": 3}, True),
    Entity: ("a", "person", "A", LOC, ("Ay",), None, {}),
    Source: ("s", LOC, "001.txt", "T", "P", None, None, "https://example.org"),
}


def _compiled():
    from loaders import _yamlfast  # noqa: F401  (test_fastpath fails loudly when it is not built)


@pytest.mark.parametrize("cls", list(SAMPLES), ids=lambda c: c.__name__)
def test_made_records_equal_the_class_made_ones(cls):
    _compiled()
    make = fastmake.maker(cls)
    assert make is not cls, "the compiled maker is not used"
    values = SAMPLES[cls]
    made, reference = make(*values), cls(*values)
    assert type(made) is cls
    assert made == reference and reference == made
    assert repr(made) == repr(reference)
    assert dataclasses.astuple(made) == dataclasses.astuple(reference)
    assert dataclasses.replace(made) == reference
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, None)
    if cls is not Relation and cls is not Entity:  # those hold dicts
        assert hash(made) == hash(reference)


def test_a_maker_takes_exactly_one_value_per_field():
    make = fastmake.maker(Location)
    with pytest.raises(TypeError, match="3 positional values, not 2"):
        make("a", 1)
    with pytest.raises(TypeError):
        make("a", 1, 2, 3)
    with pytest.raises(TypeError):
        make("a", 1, col=2)


def test_values_are_held_once_and_let_go():
    make = fastmake.maker(Citation)
    quote = "".join(["a quote made at run time"])
    before = sys.getrefcount(quote)
    made = [make("s", LOC, quote) for _ in range(1000)]
    assert sys.getrefcount(quote) == before + 1000
    del made
    assert sys.getrefcount(quote) == before


def test_only_frozen_slotted_dataclasses_are_accepted():
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            raise AssertionError

    class Plain:
        __slots__ = ("a",)

    for cls in (NoSlots, NotFrozen, Checked, Plain):
        with pytest.raises(TypeError, match="frozen dataclass"):
            fastmake.maker(cls)


def test_the_compiled_maker_checks_the_layout_itself():
    from loaders import _yamlfast

    class WithDict:
        pass

    class Slots:
        __slots__ = ("a", "b")

    with pytest.raises(TypeError, match="__slots__ and no __dict__"):
        _yamlfast.maker(WithDict, ("a",))
    with pytest.raises(TypeError, match="one slot per field"):
        _yamlfast.maker(Slots, ("a",))
    with pytest.raises(TypeError, match="named twice"):
        _yamlfast.maker(Slots, ("a", "a"))
    with pytest.raises(TypeError, match="not a __slots__ member"):
        _yamlfast.maker(Slots, ("a", "c"))
    with pytest.raises(TypeError, match="__slots__ and no __dict__"):
        _yamlfast.maker(int, ())  # not a heap type


def test_without_the_extension_the_class_itself_makes_records(monkeypatch):
    real_import = builtins.__import__

    def no_extension(name, globals=None, locals=None, fromlist=(), level=0):
        if fromlist and "_yamlfast" in fromlist:
            raise ImportError("not built")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", no_extension)
    fastmake.maker.cache_clear()
    try:
        assert fastmake.maker(Location) is Location
    finally:
        monkeypatch.undo()
        fastmake.maker.cache_clear()
    assert fastmake.maker(Location) is not Location
