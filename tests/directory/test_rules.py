"""Scheme eligibility from criteria stored as data."""

from __future__ import annotations

import datetime

from coparcours.directory import rules

DAY = datetime.date(2026, 3, 1)


def test_five_month_rule_says_when_it_will_fit():
    criteria = rules.Criteria(min_age=16, max_age=25, min_months_without_contact=5)
    facts = rules.YouthFacts(
        birth_date=datetime.date(2005, 4, 2),
        registered_with_employment_service=True,
        last_substantial_contact=datetime.date(2025, 10, 12),
    )
    fit = rules.evaluate(criteria, facts, DAY)
    assert not fit.fits
    assert fit.eligible_from == datetime.date(2026, 3, 12)
    assert any("Éligible le 12/03/2026" in hint for hint in fit.hints)
    assert fit.met == ["Âge : 20 ans (de 16 à 25 ans)."]
    later = rules.evaluate(criteria, facts, datetime.date(2026, 3, 12))
    assert later.fits and not later.missing


def test_never_registered_youth_has_no_delay_and_unknowns_are_not_guessed():
    criteria = rules.Criteria(min_months_without_contact=5, departements=("59",))
    fit = rules.evaluate(criteria, rules.YouthFacts(registered_with_employment_service=False), DAY)
    assert fit.met == ["Jamais inscrit·e : pas de condition de délai sans contact."]
    assert fit.unknown == ["Résidence (59) : adresse non visible ou sans code postal."]
    assert not fit.fits


def test_status_incompatibility_and_age_below_minimum():
    criteria = rules.Criteria(
        min_age=18,
        max_age=21,
        statuses=("ase", "former_unaccompanied_minor"),
        incompatible_schemes=(("cej", "CEJ"),),
    )
    facts = rules.YouthFacts(
        birth_date=datetime.date(2008, 6, 30),
        is_unaccompanied_minor=True,
        in_ase_care=True,
        current_schemes=frozenset({"cej"}),
    )
    fit = rules.evaluate(criteria, facts, DAY)
    assert fit.missing == [
        "Âge : 17 ans, il faut avoir 18 ans.",
        "Incompatible avec « CEJ », en cours pour ce jeune.",
    ]
    assert "Éligible à partir du 30/06/2026 (18 ans)." in fit.hints
    assert any(m.startswith("Statut") for m in fit.met)


def test_departement_from_codes():
    assert rules.departement_of("59000") == "59"
    assert rules.departement_of("20000") == "2A"
    assert rules.departement_of("97400") == "974"
    assert rules.departement_of("", "2B033") == "2B"
    assert rules.postal_code_in("12 rue de Valmy, 59100 Roubaix") == "59100"
    assert rules.normalise("Santé MENTALE, Épinay") == "sante mentale epinay"
