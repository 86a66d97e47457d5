"""Pure rules of the directory: search keys, départements, scheme eligibility.

No database access here: the services and selectors feed these functions with facts.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

_POSTAL_CODE = re.compile(r"\b(\d{5})\b")


def normalise(text: str | None) -> str:
    """Accent-, case- and punctuation-insensitive form used by the directory search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in letters.casefold())
    return " ".join(cleaned.split())


def departement_of(code_postal: str | None, code_insee: str | None = None) -> str:
    """The département code of a commune (INSEE code first, then postal code).

    Corsica: INSEE codes start with 2A/2B; postal codes 200xx-201xx are 2A, 202xx-206xx 2B.
    Overseas départements have three digits (971 to 976).
    """
    if code_insee and len(code_insee) == 5:
        return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]
    if code_postal and len(code_postal) == 5 and code_postal.isdigit():
        if code_postal.startswith("97"):
            return code_postal[:3]
        if code_postal.startswith("20"):
            return "2A" if code_postal < "20200" else "2B"
        return code_postal[:2]
    return ""


def postal_code_in(address: str | None) -> str:
    """The first five-digit postal code found in a free-text address, or ``""``."""
    match = _POSTAL_CODE.search(address or "")
    return match.group(1) if match else ""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


@dataclass(frozen=True)
class YouthFacts:
    """What the orientation may use about a youth: ``None`` means unknown or not visible.

    Each fact comes from one category of the record, read through the access policy.
    """

    birth_date: datetime.date | None = None
    departement: str | None = None
    is_unaccompanied_minor: bool | None = None
    in_ase_care: bool | None = None
    registered_with_employment_service: bool | None = None
    last_substantial_contact: datetime.date | None = None
    current_schemes: frozenset[str] | None = None  # None: protected, maybe held elsewhere
    hidden: tuple[str, ...] = ()  # French labels of the categories the user may not see


@dataclass(frozen=True)
class Criteria:
    """A scheme's eligibility criteria, as stored on the scheme (all optional)."""

    min_age: int | None = None
    max_age: int | None = None
    employment_service_registration: str = ""  # "", "required", "excluded"
    min_months_without_contact: int | None = None
    departements: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # any of: "ase", "former_unaccompanied_minor"
    incompatible_schemes: tuple[tuple[str, str], ...] = ()  # (code, name)


@dataclass
class Fit:
    """The answer for one scheme: criteria met, missing, unknown, and what would make it fit."""

    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    eligible_from: datetime.date | None = None

    @property
    def fits(self) -> bool:
        return not self.missing and not self.unknown

    @property
    def rank(self) -> tuple[int, int, int]:
        """Sort key: fitting schemes first, then those fitting soon, then fewest gaps."""
        soon = 0 if self.fits else (1 if self.eligible_from and len(self.missing) == 1 else 2)
        return (soon, len(self.missing), len(self.unknown))


def _fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


STATUS_LABELS = {
    "ase": "pris·e en charge par l'aide sociale à l'enfance (ASE)",
    "former_unaccompanied_minor": "mineur non accompagné ou ancien MNA",
}


def evaluate(criteria: Criteria, facts: YouthFacts, day: datetime.date) -> Fit:
    """Check a youth's visible facts against a scheme's criteria on a day.

    Sources: CEJ 16-25 (Code du travail L.5131-6); CEJ-JR 5 months without substantial
    contact (circulaire DGEFP/MAJE/DIPLP/DIHAL/2022/117); PACEA not during a CEJ
    (L.5131-4); contrat jeune majeur for youths in ASE care before 18 (CASF L.222-5).
    """
    fit = Fit()
    if criteria.min_age is not None or criteria.max_age is not None:
        _check_age(criteria, facts, day, fit)
    if criteria.employment_service_registration:
        _check_registration(criteria, facts, fit)
    if criteria.min_months_without_contact:
        _check_months_without_contact(criteria, facts, day, fit)
    if criteria.departements:
        _check_residence(criteria, facts, fit)
    if criteria.statuses:
        _check_statuses(criteria, facts, fit)
    _check_incompatible_schemes(criteria, facts, fit)
    return fit


def _check_age(criteria: Criteria, facts: YouthFacts, day: datetime.date, fit: Fit) -> None:
    """The age bounds: met, missing (with the day the minimum age is reached) or unknown."""
    low, high = criteria.min_age, criteria.max_age
    span = (
        f"de {low} à {high} ans"
        if low is not None and high is not None
        else (f"{low} ans ou plus" if low is not None else f"{high} ans au plus")
    )
    if facts.birth_date is None:
        fit.unknown.append(f"Âge ({span}) : date de naissance inconnue.")
    else:
        age = _age_on(facts.birth_date, day)
        if low is not None and age < low:
            on = facts.birth_date.replace(year=facts.birth_date.year + low)
            fit.missing.append(f"Âge : {age} ans, il faut avoir {low} ans.")
            fit.hints.append(f"Éligible à partir du {_fr(on)} ({low} ans).")
            fit.eligible_from = on
        elif high is not None and age > high:
            fit.missing.append(f"Âge : {age} ans, au-delà de {high} ans.")
        else:
            fit.met.append(f"Âge : {age} ans ({span}).")


def _check_registration(criteria: Criteria, facts: YouthFacts, fit: Fit) -> None:
    """Registration with the mission locale or France Travail, required or excluded."""
    registered = facts.registered_with_employment_service
    required = criteria.employment_service_registration == "required"
    wording = "Inscription à la mission locale ou à France Travail"
    if registered is None:
        fit.unknown.append(f"{wording} : information non visible.")
    elif registered == required:
        fit.met.append(f"{wording} : {'oui' if registered else 'non'}.")
    else:
        expected = "requise" if required else "le dispositif vise les jeunes non inscrits"
        fit.missing.append(f"{wording} : {expected}.")
        if required:
            fit.hints.append("S'inscrire à la mission locale.")


def _check_months_without_contact(
    criteria: Criteria, facts: YouthFacts, day: datetime.date, fit: Fit
) -> None:
    """The months without substantial contact with the mission locale, and when reached."""
    months = criteria.min_months_without_contact
    if facts.registered_with_employment_service is False:
        fit.met.append("Jamais inscrit·e : pas de condition de délai sans contact.")
    elif facts.registered_with_employment_service is None:
        fit.unknown.append(
            f"{months} mois sans contact substantiel avec la mission locale : "
            "information non visible."
        )
    elif facts.last_substantial_contact is None:
        fit.met.append("Aucun contact substantiel connu avec la mission locale.")
    else:
        reached = add_months(facts.last_substantial_contact, months)
        if day >= reached:
            fit.met.append(f"{months} mois sans contact substantiel atteints le {_fr(reached)}.")
        else:
            fit.missing.append(
                f"{months} mois sans contact substantiel : dernier contact le "
                f"{_fr(facts.last_substantial_contact)}."
            )
            fit.hints.append(
                f"Éligible le {_fr(reached)}, quand la règle des {months} mois sera "
                "remplie (« pré CEJ-JR » possible d'ici là)."
            )
            fit.eligible_from = max(fit.eligible_from or reached, reached)


def _check_residence(criteria: Criteria, facts: YouthFacts, fit: Fit) -> None:
    """Residence in one of the scheme's départements."""
    places = ", ".join(criteria.departements)
    if not facts.departement:
        fit.unknown.append(f"Résidence ({places}) : adresse non visible ou sans code postal.")
    elif facts.departement in criteria.departements:
        fit.met.append(f"Résidence dans le département {facts.departement}.")
    else:
        fit.missing.append(f"Résidence : le dispositif est réservé à {places}.")


def _check_statuses(criteria: Criteria, facts: YouthFacts, fit: Fit) -> None:
    """One of the statuses the scheme is reserved to (ASE care, unaccompanied minor)."""
    wanted = " ou ".join(STATUS_LABELS[s] for s in criteria.statuses)
    values = {
        "ase": facts.in_ase_care,
        "former_unaccompanied_minor": facts.is_unaccompanied_minor,
    }
    known = [values[s] for s in criteria.statuses]
    if any(known):
        fit.met.append(f"Statut : {wanted}.")
    elif any(value is None for value in known):
        fit.unknown.append(f"Statut ({wanted}) : information non visible.")
    else:
        fit.missing.append(f"Statut : réservé aux jeunes {wanted}.")


def _check_incompatible_schemes(criteria: Criteria, facts: YouthFacts, fit: Fit) -> None:
    """No scheme incompatible with this one under way for the youth."""
    for code, name in criteria.incompatible_schemes:
        if facts.current_schemes is None:
            fit.unknown.append(f"Incompatible avec « {name} » : information protégée.")
        elif code in facts.current_schemes:
            fit.missing.append(f"Incompatible avec « {name} », en cours pour ce jeune.")
            fit.hints.append(f"Possible à la fin de « {name} ».")
        else:
            fit.met.append(f"Pas de « {name} » en cours.")
