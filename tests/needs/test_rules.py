"""The register's pure rules: dates in order, the delay to an answer."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from coparcours.needs import rules

TODAY = datetime.date(2026, 12, 6)


def test_a_need_is_noticed_by_today():
    assert "since" in rules.date_errors(TODAY + datetime.timedelta(days=1), None, TODAY)
    assert rules.date_errors(TODAY, None, TODAY) == {}


def test_a_need_ends_between_its_notice_and_today():
    since = datetime.date(2026, 10, 1)
    before = rules.date_errors(since, datetime.date(2026, 9, 30), TODAY)
    assert before == {"closed_on": "La date de fin précède le constat du besoin (01/10/2026)."}
    assert "closed_on" in rules.date_errors(since, TODAY + datetime.timedelta(days=1), TODAY)
    assert rules.date_errors(since, since, TODAY) == {}
    assert rules.date_errors(since, TODAY, TODAY) == {}


@given(
    since=st.dates(datetime.date(2020, 1, 1), TODAY),
    closed_on=st.dates(datetime.date(2020, 1, 1), datetime.date(2027, 12, 31)),
)
def test_dates_are_accepted_exactly_in_order(since, closed_on):
    accepted = rules.date_errors(since, closed_on, TODAY) == {}
    assert accepted == (since <= closed_on <= TODAY)


def test_the_median_delay_is_rounded_to_the_day():
    assert rules.median_delay([]) is None
    assert rules.median_delay([10, 30, 21]) == 21
    assert rules.median_delay([10, 11]) == 10  # 10.5 rounds to even
    assert rules.delay_days(datetime.date(2026, 1, 1), datetime.date(2026, 3, 2)) == 60
