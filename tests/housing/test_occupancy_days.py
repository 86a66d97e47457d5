"""The daily occupancy counts each stay on the days of the window it covers, half-open:
checked against the day-by-day count for stays of any dates (before, across, after the
window; ended or not)."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from coparcours.housing.selectors.occupancy import occupied_by_day

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 1)
days = st.integers(min_value=-40, max_value=100).map(lambda n: START + datetime.timedelta(n))
stays = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), days, st.one_of(st.none(), days)).filter(
        lambda stay: stay[2] is None or stay[2] > stay[1]
    ),
    max_size=30,
)


@given(stays)
def test_each_day_counts_the_stays_covering_it(found):
    window = [stay for stay in found if stay[1] < END and (stay[2] is None or stay[2] > START)]
    expected = {}
    day = START
    while day < END:
        for group in ("a", "b"):
            count = sum(
                1
                for stay_group, first, last in window
                if stay_group == group and first <= day and (last is None or day < last)
            )
            if count:
                expected[(day, group)] = count
        day += datetime.timedelta(days=1)

    assert occupied_by_day(window, START, END) == expected


def test_a_stay_ending_on_a_day_no_longer_occupies_it():
    stays = [("a", START, START + datetime.timedelta(days=2))]

    assert occupied_by_day(stays, START, END) == {
        (START, "a"): 1,
        (START + datetime.timedelta(days=1), "a"): 1,
    }
