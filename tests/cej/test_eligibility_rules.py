"""The substantial-contact rule and the eligibility engine (FAQ CEJ-JR of July 2023;
docs/domain-rules.md, "Eligibility")."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coparcours.cej import rules
from coparcours.cej.rules import Channel, ContactFact, Derogation, Status

DAY = datetime.date(2025, 6, 15)


def test_substantial_contact_is_an_exchange_with_the_intention_to_continue():
    assert rules.is_substantial(Channel.INTERVIEW, answered=False, intends_to_continue=True)
    assert rules.is_substantial(Channel.CALL, answered=True, intends_to_continue=True)
    assert not rules.is_substantial(Channel.CALL, answered=False, intends_to_continue=True)
    assert not rules.is_substantial(Channel.CALL, answered=True, intends_to_continue=False)
    # an unanswered SMS is the FAQ's own counter-example; no written channel ever counts
    assert not rules.is_substantial(Channel.SMS, answered=False, intends_to_continue=False)
    for channel in (Channel.SMS, Channel.EMAIL, Channel.LETTER):
        assert not rules.is_substantial(channel, answered=True, intends_to_continue=True)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 9, 30), 5, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 12, 15), 5, datetime.date(2025, 5, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert rules.add_months(day, months) == expected


def _eligibility(contacts, registered=True, registered_on=None, derogations=(), day=DAY):
    return rules.eligibility(
        day,
        registered=registered,
        registered_on=registered_on,
        contacts=contacts,
        veille_months=5,
        derogations=derogations,
    )


def test_never_registered_is_eligible_with_a_plain_french_reason():
    result = _eligibility([], registered=False)
    assert result.status == Status.ELIGIBLE
    assert "Jamais inscrit" in result.reasons[0]


def test_journey_case_unanswered_sms_and_old_interview():
    """An SMS left unanswered three weeks ago, an interview seven months ago: eligible."""
    contacts = [
        ContactFact(DAY - datetime.timedelta(weeks=3), Channel.SMS, False, False),
        ContactFact(datetime.date(2024, 11, 15), Channel.INTERVIEW, True, True),
    ]
    result = _eligibility(contacts)
    assert result.status == Status.ELIGIBLE
    assert result.eligible_from == datetime.date(2025, 4, 15)
    text = " ".join(result.reasons)
    assert "Dernier contact substantiel avec la mission locale le 15/11/2024" in text
    assert "1 contact non substantiel" in text
    assert result.facts["dernier_contact_substantiel"] == "2024-11-15"
    assert result.facts["contacts_connus"] == 2


def test_recent_substantial_contact_gives_the_veille_date():
    contacts = [ContactFact(datetime.date(2025, 3, 1), Channel.CALL, True, True)]
    result = _eligibility(contacts)
    assert result.status == Status.ELIGIBLE_ON
    assert result.eligible_from == datetime.date(2025, 8, 1)
    assert result.label == "Éligible le 01/08/2025"
    assert not result.eligible


def test_registration_restarts_the_clock_and_future_contacts_are_ignored():
    result = _eligibility([], registered_on=datetime.date(2025, 4, 1))
    assert result.eligible_from == datetime.date(2025, 9, 1)
    later = [ContactFact(DAY + datetime.timedelta(days=1), Channel.INTERVIEW, True, True)]
    assert _eligibility(later).status == Status.ELIGIBLE


def test_derogation_in_force_shortens_or_waives_the_delay():
    contacts = [ContactFact(datetime.date(2025, 3, 1), Channel.CALL, True, True)]
    three = Derogation("Nord : 3 mois", datetime.date(2024, 1, 1), None, 3)
    result = _eligibility(contacts, derogations=[three])
    assert result.status == Status.BY_DEROGATION
    assert result.eligible_from == datetime.date(2025, 6, 1)
    assert "Dérogation « Nord : 3 mois »" in result.reasons[-1]
    waived = Derogation("Levée", datetime.date(2024, 1, 1), None, None)
    assert _eligibility(contacts, derogations=[waived]).status == Status.BY_DEROGATION
    expired = Derogation("Ancienne", datetime.date(2023, 1, 1), datetime.date(2024, 1, 1), None)
    assert _eligibility(contacts, derogations=[expired]).status == Status.ELIGIBLE_ON


# --- properties ----------------------------------------------------------------------

days = st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2026, 12, 31))
contacts = st.builds(
    ContactFact,
    day=days,
    channel=st.sampled_from(Channel.values),
    answered=st.booleans(),
    intends_to_continue=st.booleans(),
)
non_substantial = contacts.filter(lambda c: not c.substantial)
derogations = st.builds(
    Derogation,
    label=st.just("Dérogation"),
    start=days,
    end=st.none() | days,
    months=st.none() | st.integers(min_value=0, max_value=12),
)
cases = st.fixed_dictionaries(
    {
        "day": days,
        "registered": st.booleans(),
        "registered_on": st.none() | days,
        "contacts": st.lists(contacts, max_size=6),
        "veille_months": st.integers(min_value=1, max_value=12),
        "derogations": st.lists(derogations, max_size=3),
    }
)


def _outcome(result):
    return (result.status, result.eligible_from)


@given(case=cases, extra=non_substantial)
def test_a_non_substantial_contact_never_changes_eligibility(case, extra):
    before = rules.eligibility(**case)
    after = rules.eligibility(**{**case, "contacts": [*case["contacts"], extra]})
    assert _outcome(after) == _outcome(before)


@given(case=cases, gap=st.integers(min_value=0, max_value=400))
def test_a_substantial_contact_resets_the_clock(case, gap):
    """After a substantial contact on C (the latest fact), eligibility without derogation
    comes exactly veille_months after C."""
    latest = max([c.day for c in case["contacts"]] + [case["registered_on"] or datetime.date.min])
    contact_day = max(case["day"] - datetime.timedelta(days=gap), latest)
    if contact_day > case["day"]:
        return
    case = {
        **case,
        "registered": True,
        "derogations": [],
        "contacts": [
            *case["contacts"],
            ContactFact(contact_day, Channel.INTERVIEW, True, True),
        ],
    }
    result = rules.eligibility(**case)
    veille = rules.add_months(contact_day, case["veille_months"])
    assert result.eligible_from == veille
    assert result.eligible == (case["day"] >= veille)


@given(case=cases, extra=st.lists(derogations, min_size=1, max_size=3))
def test_derogations_only_widen(case, extra):
    before = rules.eligibility(**case)
    after = rules.eligibility(**{**case, "derogations": [*case["derogations"], *extra]})
    if before.eligible:
        assert after.eligible
    if before.eligible_from and after.eligible_from:
        assert after.eligible_from <= before.eligible_from


@given(case=cases)
def test_the_bare_verdict_is_the_answer_without_its_reasons(case):
    """The verdict of the 100,000-youth job (docs/decisions.md, section 23) is the engine's
    status and date."""
    full = rules.eligibility(**case)
    known = [c for c in case["contacts"] if c.day <= case["day"]]
    verdict = rules.verdict_from_summary(
        case["day"],
        registered=case["registered"],
        registered_on=case["registered_on"],
        last_substantial=max((c.day for c in known if c.substantial), default=None),
        veille_months=case["veille_months"],
        derogations=case["derogations"],
    )
    assert (verdict.status, verdict.eligible_from, verdict.eligible) == (
        full.status,
        full.eligible_from,
        full.eligible,
    )


# --- allowance (D.5131-19) -----------------------------------------------------------------

SCALES = [
    rules.AllowanceAmounts(
        datetime.date(2024, 4, 1), Decimal("552.29"), Decimal("331.37"), Decimal("220.92")
    ),
    rules.AllowanceAmounts(
        datetime.date(2025, 4, 1), Decimal("561.68"), Decimal("337.00"), Decimal("224.68")
    ),
]


@pytest.mark.parametrize(
    ("age", "tax", "day", "amount"),
    [
        (17, "non_taxable", datetime.date(2025, 5, 1), Decimal("224.68")),
        (19, "non_taxable", datetime.date(2025, 3, 31), Decimal("552.29")),
        (19, "first_bracket", datetime.date(2025, 4, 1), Decimal("337.00")),
        (22, "above_first_bracket", datetime.date(2025, 4, 1), Decimal("0.00")),
    ],
)
def test_monthly_allowance_follows_the_dated_scale(age, tax, day, amount):
    assert rules.monthly_allowance(age, tax, SCALES, day)[0] == amount


def test_no_scale_in_force_is_refused():
    with pytest.raises(ValueError, match="Aucun barème"):
        rules.monthly_allowance(19, "non_taxable", SCALES, datetime.date(2020, 1, 1))


def test_sanctions_take_effect_on_the_first_of_next_month():
    assert rules.first_of_next_month(datetime.date(2025, 12, 17)) == datetime.date(2026, 1, 1)


def test_every_fact_has_a_french_label():
    result = _eligibility([ContactFact(datetime.date(2025, 3, 1), Channel.CALL, True, True)])
    assert set(result.facts) <= set(rules.FACT_LABELS)
