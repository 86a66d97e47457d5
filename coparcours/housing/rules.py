"""Plain housing rules (CASF L.221-2-4, L.222-5, L.222-5-1; CESEDA L.423-22, L.435-3,
R.431-5; docs/domain-rules.md, "GME: housing unaccompanied minors" and "The road to 18").
No database access."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta

from coparcours.housing.models.sites import AcceptedSex
from coparcours.youths.rules import MAJORITY_AGE, add_years, age_on


def declared_age(
    birth_date: datetime.date | None, age: int | None, on: datetime.date
) -> int | None:
    """The youth's age on a day: from the (declared) birth date, else the declared age.

    Birth dates of unaccompanied minors are often declared (CASF L.221-2-4: age assessment);
    a request may carry only an age.
    """
    if birth_date is not None:
        return age_on(birth_date, on)
    return age


def site_accepts(
    min_age: int, max_age: int, accepted_sex: str, age: int | None, sex: str
) -> str | None:
    """Why a site does not accept this youth (French message), or ``None`` if it does.

    Each member declares the public of its sites (maisons d'enfants, CHRS, centre
    maternel); an unknown age is refused rather than guessed.
    """
    if age is None:
        return "L'âge du jeune est inconnu : indiquez sa date de naissance ou son âge."
    if not min_age <= age <= max_age:
        return f"Ce site accueille des jeunes de {min_age} à {max_age} ans ; le jeune a {age} ans."
    if accepted_sex != AcceptedSex.ANY and sex != accepted_sex:
        public = "des filles" if accepted_sex == AcceptedSex.FEMALE else "des garçons"
        return f"Ce site n'accueille que {public}."
    return None


def occupancy_rate(occupied: int, capacity: int) -> float | None:
    """Occupied places over capacity, in percent; ``None`` without capacity."""
    if capacity <= 0:
        return None
    return round(100 * occupied / capacity, 1)


def is_saturated(occupied: int, capacity: int, threshold_percent: int) -> bool:
    """The saturation alert: occupancy at or above the threshold (a dated setting)."""
    rate = occupancy_rate(occupied, capacity)
    return rate is not None and rate >= threshold_percent


def reminder_due(
    birth_date: datetime.date, days_before: int, on: datetime.date
) -> datetime.date | None:
    """The majority date if a reminder ``days_before`` it is due on ``on``, else ``None``.

    CASF L.222-5-1: an interview prepares the exit from care one year before majority
    (the delay is a dated setting); the coordination is alerted 90 days before (setting).
    A reminder stays due until majority, so a missed daily run catches up the next day.
    """
    majority = add_years(birth_date, MAJORITY_AGE)
    if majority - datetime.timedelta(days=days_before) <= on < majority:
        return majority
    return None


def after_18_limit(birth_date: datetime.date, max_age: int) -> datetime.date:
    """Last day (excluded) of an after-18 follow-up: the 21st birthday by default (L.222-5)."""
    return add_years(birth_date, max_age)


def first_negative_capacity(
    changes: Iterable[tuple[datetime.date | None, int]],
) -> datetime.date | None:
    """The first day on which the opened capacity of a site would fall below zero, or
    ``None``. ``changes`` are (effective date, places) pairs; planned-only changes (no
    effective date) do not count. Changes on the same day add up before the check, so a
    closing and an opening recorded for one day are judged together (places move with the
    waves, a site never has fewer than no places)."""
    by_day: dict[datetime.date, int] = {}
    for day, places in changes:
        if day is not None:
            by_day[day] = by_day.get(day, 0) + places
    total = 0
    for day in sorted(by_day):
        total += by_day[day]
        if total < 0:
            return day
    return None


def incident_date_errors(
    today: datetime.date,
    occurred_on: datetime.date | None,
    declared_on: datetime.date | None = None,
    returned_on: datetime.date | None = None,
) -> dict[str, str]:
    """What is wrong with a serious incident's dates, by field (French; empty when right):
    none in the future, and the event ≤ its declaration to the police ≤ the youth's return
    (docs/domain-rules.md, "Serious incidents and runaways")."""
    errors: dict[str, str] = {}
    named = {"occurred_on": occurred_on, "declared_on": declared_on, "returned_on": returned_on}
    for field, day in named.items():
        if day is not None and day > today:
            errors[field] = (
                f"Cette date ne peut pas être dans le futur (après le {today:%d/%m/%Y})."
            )
    if occurred_on and declared_on and declared_on < occurred_on and "declared_on" not in errors:
        errors["declared_on"] = "La déclaration ne peut pas précéder l'événement."
    first = declared_on or occurred_on
    if first and returned_on and returned_on < first and "returned_on" not in errors:
        errors["returned_on"] = (
            "Le retour ne peut pas précéder la déclaration de la fugue."
            if declared_on
            else "Le retour ne peut pas précéder la fugue."
        )
    return errors


# The road to 18 (docs/domain-rules.md, "The road to 18"): the routes and their delays are
# dated rule data (``PermitRoute``) that the callers read and pass in.


def permit_route_for(
    birth_date: datetime.date, entrusted_on: datetime.date, routes: Iterable[Any]
) -> Any | None:
    """The route of a youth entrusted to the ASE on ``entrusted_on``: the first (by the
    birthday it names) whose birthday the entrustment did not pass (CESEDA L.423-22: by the
    16th birthday; L.435-3: between 16 and 18). ``None`` for an entrustment at or after 18."""
    if entrusted_on >= add_years(birth_date, MAJORITY_AGE):
        return None
    for route in sorted(routes, key=lambda route: route.entrusted_by_birthday):
        if entrusted_on <= add_years(birth_date, route.entrusted_by_birthday):
            return route
    return None


def permit_window(birth_date: datetime.date, route: Any) -> tuple[datetime.date, datetime.date]:
    """When the application is prepared and the last day to file it (included): from
    ``opens_days_before`` the 18th birthday to ``deadline_months`` after it, the eve of that
    day where the rule says so (CESEDA R.431-5 2° and 3°)."""
    majority = add_years(birth_date, MAJORITY_AGE)
    opens = majority - datetime.timedelta(days=route.opens_days_before)
    deadline = majority + relativedelta(months=route.deadline_months)
    if route.deadline_on_eve:
        deadline -= datetime.timedelta(days=1)
    return opens, deadline


def schooling_errors(
    start: datetime.date,
    end: datetime.date | None,
    attendance_on: datetime.date,
    contract: tuple[datetime.date | None, datetime.date | None],
    today: datetime.date,
) -> dict[str, str]:
    """Dates of a schooling period in order (periods half-open): the end after the start,
    attendance observed neither before the start nor in the future, an apprenticeship
    contract's end after its start."""
    errors = {}
    if end is not None and end <= start:
        errors["end_date"] = "La fin doit suivre le début de la scolarité."
    if attendance_on > today:
        errors["attendance_on"] = "L'assiduité se constate : pas de date future."
    elif attendance_on < start:
        errors["attendance_on"] = "L'assiduité se constate pendant la scolarité, pas avant."
    contract_start, contract_end = contract
    if contract_end is not None and contract_start is None:
        errors["contract_start"] = "Indiquez le début du contrat d'apprentissage."
    elif contract_start and contract_end and contract_end <= contract_start:
        errors["contract_end"] = "La fin du contrat doit suivre son début."
    return errors
