"""graph.stats finds the date range by comparing partial dates as text: the
same range as parsing every one of them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph.stats import _date_range
from loaders import PartialDate

partial_dates = st.dates().filter(lambda d: d.year >= 1000).flatmap(
    lambda d: st.sampled_from([f"{d.year:04d}", f"{d.year:04d}-{d.month:02d}", d.isoformat()]))


@given(st.sets(partial_dates), st.sets(partial_dates))
def test_date_range_is_the_range_of_every_parsed_interval(firsts, lasts):
    days = [PartialDate.parse(t).first for t in firsts] + [PartialDate.parse(t).last for t in lasts]
    expected = (min(days), max(days)) if days else (None, None)
    assert _date_range(firsts, lasts) == expected
