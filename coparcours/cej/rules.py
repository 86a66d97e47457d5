"""CEJ-JR rules as plain functions: substantial contacts, eligibility, allowance, stages.

Sources (summarised in ``docs/domain-rules.md``, "CEJ-JR: young people in rupture"):

* circulaire DGEFP/MAJE/DIPLP/DIHAL/2022/117 du 22 avril 2022: a youth in rupture is not
  registered with a mission locale, or registered with no contact with the counsellor for
  at least 5 months (the "veille" status in I-Milo);
* FAQ CEJ-JR of July 2023: the contact must be substantial, "at least a call or an
  interview ... after which the youth expressed the intention to continue an insertion
  pathway (and not an SMS left unanswered)"; départements may derogate; eligibility is
  checked when the youth enters the CEJ-JR pathway, not at contract signature;
* D.5131-19: the monthly CEJ allowance by age and household tax situation.

Durations and amounts are dated settings passed in by the caller, never constants here.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models


class Channel(models.TextChoices):
    CALL = "call", "Appel téléphonique"
    INTERVIEW = "interview", "Entretien"
    SMS = "sms", "SMS"
    EMAIL = "email", "Courriel"
    LETTER = "letter", "Courrier"


#: Channels through which an exchange with the youth can be substantial (FAQ, July 2023).
EXCHANGE_CHANNELS = frozenset({Channel.CALL, Channel.INTERVIEW})


class Stage(models.TextChoices):
    IDENTIFIED = "identified", "Repéré·e"
    PRE_CEJ = "pre_cej", "Pré CEJ-JR"
    REMOBILISATION = "remobilisation", "Remobilisation"
    CONTRACT = "contract", "Contrat CEJ"
    EXIT = "exit", "Sorti·e"


#: Allowed moves between stages (docs/domain-rules.md, "Stages").
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.IDENTIFIED: frozenset({Stage.PRE_CEJ, Stage.REMOBILISATION, Stage.EXIT}),
    Stage.PRE_CEJ: frozenset({Stage.REMOBILISATION, Stage.EXIT}),
    Stage.REMOBILISATION: frozenset({Stage.CONTRACT, Stage.EXIT}),
    Stage.CONTRACT: frozenset({Stage.EXIT}),
    Stage.EXIT: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


#: Ages of the CEJ set by the law itself (Code du travail L.5131-6): from 16 to 25 years
#: completed, up to 29 for a youth recognised as a disabled worker (RQTH), which the
#: record does not hold; so only ages outside 16-29 are certainly out of the CEJ.
CEJ_AGES = (16, 29)


def cej_age_problem(age: int | None) -> str:
    """Why a youth of this age on the outreach day cannot be in a CEJ pathway ("" if
    they can, or if the age is unknown)."""
    if age is None or CEJ_AGES[0] <= age <= CEJ_AGES[1]:
        return ""
    if age < CEJ_AGES[0]:
        return (
            f"le jeune aurait eu {age} ans au repérage : le CEJ commence à {CEJ_AGES[0]} ans "
            "(Code du travail L.5131-6). Vérifiez la date de naissance."
        )
    return (
        f"le jeune aurait eu {age} ans au repérage : le CEJ va jusqu'à 25 ans révolus, "
        f"{CEJ_AGES[1]} avec une RQTH (Code du travail L.5131-6)."
    )


def is_substantial(channel: str, answered: bool, intends_to_continue: bool) -> bool:
    """A call or an interview in which the youth expressed the intention to continue.

    An interview is an exchange by nature; a call counts only if the youth answered. SMS,
    e-mails and letters never count, answered or not (FAQ CEJ-JR, July 2023).
    """
    if channel not in EXCHANGE_CHANNELS:
        return False
    exchanged = answered or channel == Channel.INTERVIEW
    return exchanged and intends_to_continue


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:  # in every month: no calendar lookup (100,000 pathways at a time)
        return datetime.date(year, month, day.day)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ContactFact:
    day: datetime.date
    channel: str
    answered: bool
    intends_to_continue: bool

    @property
    def substantial(self) -> bool:
        return is_substantial(self.channel, self.answered, self.intends_to_continue)


@dataclass(frozen=True)
class Derogation:
    """A département's exception to the veille criterion: a shorter duration, or none at all."""

    label: str
    start: datetime.date
    end: datetime.date | None = None
    months: int | None = None  # None: the no-contact criterion is waived

    def in_force(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class Status(models.TextChoices):
    ELIGIBLE = "eligible", "Éligible"
    ELIGIBLE_ON = "eligible_on", "Éligible à une date"
    BY_DEROGATION = "by_derogation", "Éligible par dérogation"


@dataclass(frozen=True)
class Eligibility:
    """The engine's answer for one day, with its reasons in plain French and the facts used."""

    status: str
    day: datetime.date
    eligible_from: datetime.date | None
    reasons: tuple[str, ...]
    facts: dict = field(default_factory=dict, compare=False)

    @property
    def eligible(self) -> bool:
        return self.status in {Status.ELIGIBLE, Status.BY_DEROGATION}

    @property
    def label(self) -> str:
        if self.status == Status.ELIGIBLE_ON and self.eligible_from:
            return f"Éligible le {self.eligible_from:%d/%m/%Y}"
        return Status(self.status).label


#: Plain-French labels of the facts the engine records.
FACT_LABELS = {
    "date": "Date de la vérification",
    "inscrit_mission_locale": "Inscrit·e à la mission locale",
    "date_inscription": "Date d'inscription",
    "contacts_connus": "Contacts connus à cette date",
    "contacts_substantiels": "Dont contacts substantiels",
    "dernier_contact_substantiel": "Dernier contact substantiel",
    "duree_veille_mois": "Durée avant veille (mois)",
    "derogations": "Dérogations en vigueur",
    "date_veille": "Date de veille",
}


def _fr(day: datetime.date) -> str:
    # Formatted by hand: strftime was a third of the eligibility of 100,000 pathways.
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def eligibility(
    day: datetime.date,
    *,
    registered: bool,
    registered_on: datetime.date | None,
    contacts: Iterable[ContactFact],
    veille_months: int,
    derogations: Sequence[Derogation] = (),
) -> Eligibility:
    """Whether the youth is eligible to the CEJ-JR on ``day`` (circulaire 2022/117, FAQ 2023).

    * never registered with a mission locale: eligible;
    * registered: the clock starts at the last substantial contact known on ``day`` (or the
      registration, when later); eligible once ``veille_months`` have passed, which gives the
      veille date D; before D, "eligible on D";
    * a derogation in force in the département may shorten the duration or waive it: it can
      only widen eligibility.
    Contacts after ``day`` are ignored: the answer is what was knowable on that day.
    """
    known = [c for c in contacts if c.day <= day]
    substantial = [c.day for c in known if c.substantial]
    return eligibility_from_summary(
        day,
        registered=registered,
        registered_on=registered_on,
        last_substantial=max(substantial, default=None),
        known_count=len(known),
        substantial_count=len(substantial),
        veille_months=veille_months,
        derogations=derogations,
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's answer without its reasons or facts: what a job over many youths
    stores or acts on. The reasons are built only where they are shown or recorded
    (:func:`eligibility`; docs/decisions.md, section 23)."""

    status: str
    eligible_from: datetime.date | None

    @property
    def eligible(self) -> bool:
        return self.status in {Status.ELIGIBLE, Status.BY_DEROGATION}


@dataclass(frozen=True, slots=True)
class _Decision:
    verdict: Verdict
    start: datetime.date | None = None
    veille: datetime.date | None = None
    derogation: Derogation | None = None  # the most favourable one in force
    derogation_date: datetime.date | None = None


def _decide(
    day: datetime.date,
    registered: bool,
    registered_on: datetime.date | None,
    last_substantial: datetime.date | None,
    veille_months: int,
    derogations: Sequence[Derogation],
) -> _Decision:
    """The single statement of the rule (see :func:`eligibility`), shared by the answer
    with reasons and the bare verdict."""
    if not registered:
        return _Decision(Verdict(Status.ELIGIBLE, None))
    start = last_substantial
    if registered_on and (start is None or registered_on > start):
        start = registered_on
    if start is None:
        return _Decision(Verdict(Status.ELIGIBLE, None))
    veille = add_months(start, veille_months)
    if day >= veille:
        return _Decision(Verdict(Status.ELIGIBLE, veille), start, veille)
    best: Derogation | None = None
    best_date: datetime.date | None = None
    for derogation in derogations:
        if not derogation.in_force(day):
            continue
        date = start if derogation.months is None else add_months(start, derogation.months)
        if best_date is None or date < best_date:
            best, best_date = derogation, date
    if best_date is not None and day >= best_date:
        return _Decision(Verdict(Status.BY_DEROGATION, best_date), start, veille, best, best_date)
    eligible_from = min(veille, best_date) if best_date else veille
    return _Decision(Verdict(Status.ELIGIBLE_ON, eligible_from), start, veille, best, best_date)


def verdict_from_summary(
    day: datetime.date,
    *,
    registered: bool,
    registered_on: datetime.date | None,
    last_substantial: datetime.date | None,
    veille_months: int,
    derogations: Sequence[Derogation] = (),
) -> Verdict:
    """The status and date of :func:`eligibility_from_summary`, without building its
    French reasons and facts: for the eligibility of 100,000 youths at once, within 2 s."""
    return _decide(
        day, registered, registered_on, last_substantial, veille_months, derogations
    ).verdict


def eligibility_from_summary(
    day: datetime.date,
    *,
    registered: bool,
    registered_on: datetime.date | None,
    last_substantial: datetime.date | None,
    known_count: int,
    substantial_count: int,
    veille_months: int,
    derogations: Sequence[Derogation] = (),
) -> Eligibility:
    """:func:`eligibility` from a summary of the contacts known on ``day``: the last
    substantial one and the counts. Only the last substantial contact moves the clock."""
    last = last_substantial
    decision = _decide(day, registered, registered_on, last, veille_months, derogations)
    status, eligible_from = decision.verdict.status, decision.verdict.eligible_from
    facts: dict = {
        "date": day.isoformat(),
        "inscrit_mission_locale": registered,
        "date_inscription": registered_on.isoformat() if registered_on else None,
        "contacts_connus": known_count,
        "contacts_substantiels": substantial_count,
        "dernier_contact_substantiel": last.isoformat() if last else None,
        "duree_veille_mois": veille_months,
        "derogations": [d.label for d in derogations if d.in_force(day)],
    }
    if not registered:
        reasons = ["Jamais inscrit·e à la mission locale : éligible sans condition de délai."]
        return Eligibility(status, day, eligible_from, tuple(reasons), facts)

    reasons = _clock_reasons(last, registered_on, known_count, substantial_count)
    veille = decision.veille
    if veille is None:
        reasons.append("Aucune date de départ du délai de veille : éligible.")
        return Eligibility(status, day, eligible_from, tuple(reasons), facts)

    facts["date_veille"] = veille.isoformat()
    reasons.extend(_veille_reasons(decision, veille, veille_months))
    return Eligibility(status, day, eligible_from, tuple(reasons), facts)


def _clock_reasons(
    last: datetime.date | None,
    registered_on: datetime.date | None,
    known_count: int,
    substantial_count: int,
) -> list[str]:
    """Where the clock of a registered youth starts, and the contacts without effect on it."""
    reasons: list[str] = []
    if last:
        reasons.append(f"Dernier contact substantiel avec la mission locale le {_fr(last)}.")
    else:
        reasons.append("Aucun contact substantiel connu avec la mission locale.")
    if registered_on and (last is None or registered_on > last):
        reasons.append(f"Inscription à la mission locale le {_fr(registered_on)}.")
    ignored = known_count - substantial_count
    if ignored:
        reasons.append(
            f"{ignored} contact{'s' if ignored > 1 else ''} non substantiel"
            f"{'s' if ignored > 1 else ''} (SMS, courriel, courrier, appel sans réponse ou sans "
            "intention de poursuivre) : sans effet sur l'éligibilité."
        )
    return reasons


def _veille_reasons(decision: _Decision, veille: datetime.date, veille_months: int) -> list[str]:
    """What the veille date, and a derogation in force, make of the answer."""
    status = decision.verdict.status
    derogation, date = decision.derogation, decision.derogation_date
    if status == Status.ELIGIBLE:
        return [
            f"{veille_months} mois sans contact substantiel atteints le {_fr(veille)} "
            "(statut « veille ») : éligible."
        ]
    if status == Status.BY_DEROGATION:
        detail = (
            "le critère de délai est levé"
            if derogation.months is None
            else f"délai ramené à {derogation.months} mois, atteint le {_fr(date)}"
        )
        return [f"Dérogation « {derogation.label} » : {detail}."]
    reasons = [
        f"Le délai de {veille_months} mois sans contact substantiel sera atteint le "
        f"{_fr(veille)} : éligible à cette date (« pré CEJ-JR » possible d'ici là)."
    ]
    if date and date < veille:
        reasons.append(f"Par la dérogation « {derogation.label} », éligible dès le {_fr(date)}.")
    return reasons


# --- CEJ allowance (D.5131-19) ------------------------------------------------------------


class TaxSituation(models.TextChoices):
    NON_TAXABLE = "non_taxable", "Foyer non imposable"
    FIRST_BRACKET = "first_bracket", "Foyer imposé dans la première tranche"
    ABOVE_FIRST_BRACKET = "above_first_bracket", "Foyer imposé au-delà de la première tranche"


@dataclass(frozen=True)
class AllowanceAmounts:
    start: datetime.date
    adult_non_taxable: Decimal
    adult_first_bracket: Decimal
    minor: Decimal


def monthly_allowance(
    age: int, tax_situation: str, scales: Iterable[AllowanceAmounts], day: datetime.date
) -> tuple[Decimal, str]:
    """The monthly CEJ allowance fixed at signature, with its reason (D.5131-19).

    Minors receive the minor's amount; adults by their household's tax situation; adults in
    a household taxed beyond the first bracket receive nothing.
    """
    in_force = [s for s in scales if s.start <= day]
    if not in_force:
        raise ValueError(f"Aucun barème de l'allocation CEJ en vigueur le {_fr(day)}.")
    scale = max(in_force, key=lambda s: s.start)
    since = f"barème en vigueur depuis le {_fr(scale.start)}"
    if age < 18:
        amount, reason = scale.minor, f"Jeune mineur·e : {since}."
    elif tax_situation == TaxSituation.NON_TAXABLE:
        amount, reason = scale.adult_non_taxable, f"Majeur·e, foyer non imposable : {since}."
    elif tax_situation == TaxSituation.FIRST_BRACKET:
        amount, reason = (
            scale.adult_first_bracket,
            f"Majeur·e, foyer imposé dans la première tranche : {since}.",
        )
    else:
        amount, reason = (
            Decimal("0"),
            "Majeur·e dont le foyer est imposé au-delà de la première tranche : pas "
            "d'allocation (D.5131-19).",
        )
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), reason


def first_of_next_month(day: datetime.date) -> datetime.date:
    """Sanctions take effect on the first day of the following month (R.5131-18)."""
    return add_months(day.replace(day=1), 1)


#: Nationalities (adjective or country, without accents, lower case) that need no residence
#: permit: the European Union, the European Economic Area and Switzerland.
EUROPEAN_NATIONALITIES = frozenset(
    {
        "francaise",
        "francais",
        "france",
        "allemande",
        "allemand",
        "allemagne",
        "autrichienne",
        "autrichien",
        "autriche",
        "belge",
        "belgique",
        "bulgare",
        "bulgarie",
        "chypriote",
        "chypre",
        "croate",
        "croatie",
        "danoise",
        "danois",
        "danemark",
        "espagnole",
        "espagnol",
        "espagne",
        "estonienne",
        "estonien",
        "estonie",
        "finlandaise",
        "finlandais",
        "finlande",
        "grecque",
        "grec",
        "grece",
        "hongroise",
        "hongrois",
        "hongrie",
        "irlandaise",
        "irlandais",
        "irlande",
        "italienne",
        "italien",
        "italie",
        "lettone",
        "letton",
        "lettonie",
        "lituanienne",
        "lituanien",
        "lituanie",
        "luxembourgeoise",
        "luxembourgeois",
        "luxembourg",
        "maltaise",
        "maltais",
        "malte",
        "neerlandaise",
        "neerlandais",
        "pays_bas",
        "polonaise",
        "polonais",
        "pologne",
        "portugaise",
        "portugais",
        "portugal",
        "roumaine",
        "roumain",
        "roumanie",
        "slovaque",
        "slovaquie",
        "slovene",
        "slovenie",
        "suedoise",
        "suedois",
        "suede",
        "tcheque",
        "tchequie",
        "islandaise",
        "islandais",
        "islande",
        "liechtensteinoise",
        "liechtensteinois",
        "liechtenstein",
        "norvegienne",
        "norvegien",
        "norvege",
        "suisse",
    }
)


def needs_residence_permit(age: int | None, nationality_key: str) -> bool:
    """Does the administrative file ask for a residence permit or an asylum certificate?

    Only adults from outside the European Union (and EEA, Switzerland) need one; minors
    never do (docs/domain-rules.md, "The administrative file"). An unknown age or
    nationality keeps the piece on the list, to check with the youth. ``nationality_key`` is
    the nationality without accents, lower case, words joined by "_".
    """
    if age is not None and age < 18:
        return False
    return nationality_key not in EUROPEAN_NATIONALITIES


# --- Co-accompaniment ----------------------------------------------------------------

#: The Monday follow-up goes out from this local hour on Monday (Europe/Paris).
FOLLOW_UP_HOUR = 7
#: Milestone reviews, in months after entry into the pathway (at 3 and 6 months).
REVIEW_MILESTONES = (3, 6)
#: The 1–4 scale of the milestone reviews, with its descriptors.
RATING_DESCRIPTORS = {
    1: "Difficultés importantes, rien n'est engagé",
    2: "Des démarches engagées, encore fragiles",
    3: "Progrès nets, un appui reste utile",
    4: "Autonome sur ce point",
}


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week of ``day`` (weeks run Monday to Sunday)."""
    return day - datetime.timedelta(days=day.weekday())


def follow_up_week_due(now_local: datetime.datetime) -> datetime.date:
    """The last week whose Monday follow-up is due at a local (Europe/Paris) time: the
    previous week from Monday ``FOLLOW_UP_HOUR`` o'clock on, the week before until then.

    Running the job at any later time produces the same week, so a missed Monday is caught
    up at the next run (the follow-up is due every Monday)."""
    monday = week_start(now_local.date())
    if now_local.date() == monday and now_local.hour < FOLLOW_UP_HOUR:
        monday -= datetime.timedelta(days=7)
    return monday - datetime.timedelta(days=7)


def minimum_applies(contract_start: datetime.date | None, week: datetime.date) -> bool:
    """The weekly minimum applies from the CEJ contract on (its first week included);
    during remobilisation hours are recorded without a target."""
    return contract_start is not None and week >= week_start(contract_start)
