"""Operations on CEJ-JR pathways. Each checks the access policy and runs in a transaction.

Sources: seed 003 (FAS/ANSA field report on CEJ-JR), circulaire 2022/117, FAQ CEJ-JR of
July 2023, Code du travail R.5131-16 to -18 and D.5131-19.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.models import (
    AgendaItem,
    AgendaReason,
    AllowanceDecision,
    AllowanceScale,
    CommitteeDecision,
    CommitteeMeeting,
    Contact,
    ContactSource,
    ContractDuration,
    ContractExtension,
    DecisionKind,
    DossierItem,
    DossierItemKind,
    DossierStatus,
    EligibilityCheck,
    EligibilityDerogation,
    ExitOutcome,
    MissedAction,
    PaceaAllowanceRequest,
    Pathway,
    Registration,
    SanctionScale,
    StageChange,
    VeilleDuration,
)
from coparcours.cej.rules import Stage
from coparcours.core.access import (
    Action,
    Category,
    Relation,
    active_memberships,
    check,
    decide,
)
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    Organisation,
    OrganisationKind,
    Role,
)
from coparcours.youths import services as youth_services
from coparcours.youths.models import Assignment, Youth
from coparcours.youths.rules import search_key

EE = Category.EDUCATION_EMPLOYMENT
#: Who sits on the weekly integration committee (porteur and mission locale, seed 003).
COMMITTEE_ROLES = frozenset({Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR, Role.COUNSELLOR})


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(day: datetime.date, field: str, what: str) -> None:
    if day > _today():
        raise ValidationError({field: f"{what} ne peut pas être datée dans le futur."})


# --- Partnerships ---------------------------------------------------------------------


def partnerships_of(organisation: Organisation) -> list[Consortium]:
    """The CEJ-JR partnerships an organisation belongs to."""
    return list(
        Consortium.objects.filter(
            kind=ConsortiumKind.CEJ_JR, members__organisation=organisation
        ).distinct()
    )


def porteur_of(partnership: Consortium) -> Organisation:
    lead = partnership.members.filter(is_lead=True).select_related("organisation").first()
    if lead is None:
        raise ValidationError("Ce partenariat n'a pas de porteur (membre mandataire).")
    return lead.organisation


def missions_locales_of(partnership: Consortium) -> list[Organisation]:
    return [
        member.organisation
        for member in partnership.members.select_related("organisation")
        if member.organisation.kind == OrganisationKind.MISSION_LOCALE
    ]


def _require_member(organisation: Organisation, partnership: Consortium) -> None:
    if not partnership.members.filter(organisation=organisation).exists():
        raise PermissionDenied("Votre organisation n'est pas membre de ce partenariat CEJ-JR.")


# --- Eligibility ----------------------------------------------------------------------


def veille_months(day: datetime.date) -> int:
    setting = VeilleDuration.objects.in_force(day)
    if setting is None:
        raise ValidationError(
            f"Aucune durée avant veille n'est paramétrée au {day:%d/%m/%Y} : "
            "demandez à l'administrateur de la renseigner."
        )
    return setting.months


def derogations_for(partnership: Consortium) -> list[rules.Derogation]:
    departement = getattr(getattr(partnership, "cej_settings", None), "departement_code", None)
    if departement is None:
        return []
    return [d.as_rule() for d in EligibilityDerogation.objects.filter(departement_code=departement)]


def compute_eligibility(
    pathway: Pathway, day: datetime.date, contacts: list[Contact] | None = None
) -> rules.Eligibility:
    """The engine's answer for a pathway on a day, from the stored facts (no access check)."""
    if contacts is None:
        contacts = list(Contact.objects.filter(youth_id=pathway.youth_id))
    return rules.eligibility(
        day,
        registered=pathway.registration == Registration.REGISTERED,
        registered_on=pathway.registered_on,
        contacts=[c.as_fact() for c in contacts],
        veille_months=veille_months(day),
        derogations=derogations_for(pathway.partnership),
    )


def _record_check(
    user: Any, pathway: Pathway, day: datetime.date, at_entry: bool
) -> EligibilityCheck:
    result = compute_eligibility(pathway, day)
    return EligibilityCheck.objects.create(
        youth_id=pathway.youth_id,
        author_organisation_id=pathway.author_organisation_id,
        pathway=pathway,
        checked_on=day,
        at_entry=at_entry,
        status=result.status,
        eligible_from=result.eligible_from,
        reasons=list(result.reasons),
        facts=result.facts,
        checked_by=user,
    )


@transaction.atomic
def check_eligibility(
    user: Any, organisation: Organisation, pathway: Pathway, day: datetime.date | None = None
) -> EligibilityCheck:
    """Record the engine's answer on a day (the entry date by default: seed 003 — eligibility
    is checked at entry into the pathway, not at contract signature)."""
    organisation = youth_services.acting_organisation(user, organisation)
    _write(user, pathway, organisation)
    day = day or pathway.identified_on
    return _record_check(user, pathway, day, at_entry=day == pathway.identified_on)


@transaction.atomic
def add_overall_assessment(
    user: Any,
    organisation: Organisation,
    eligibility_check: EligibilityCheck,
    assessment: str,
    justification: str,
) -> EligibilityCheck:
    """SURSO practice: an overall assessment beyond the single criterion, justified in writing."""
    organisation = youth_services.acting_organisation(user, organisation)
    _write(user, eligibility_check.pathway, organisation)
    justification = justification.strip()
    if len(justification) < 20:
        raise ValidationError(
            {
                "justification": "Justifiez l'appréciation globale en quelques phrases "
                "(20 caractères au moins)."
            }
        )
    eligibility_check.overall_assessment = assessment
    eligibility_check.justification = justification
    eligibility_check.assessed_by = user
    eligibility_check.full_clean()
    eligibility_check.save()
    return eligibility_check


# --- Outreach -------------------------------------------------------------------------


def _write(user: Any, pathway: Pathway, organisation: Organisation) -> None:
    """Changing a pathway: write access to the porteur's education-and-employment data."""
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=pathway.author_organisation_id,
        obj=pathway,
        within_organisation_id=organisation.pk,
    )


@transaction.atomic
def record_outreach(
    user: Any,
    organisation: Organisation,
    partnership: Consortium,
    *,
    youth: Youth | None = None,
    youth_fields: dict[str, Any] | None = None,
    mission_locale: Organisation | None = None,
    identified_on: datetime.date,
    spotted_where: str,
    spotted_by: str,
    spotted_how: str,
    registration: str,
    registered_on: datetime.date | None = None,
) -> Pathway:
    """A referent records a youth spotted: it opens a CEJ-JR pathway at stage identified, makes
    the mission locale a CEJ-JR partner of the youth and checks eligibility at entry."""
    organisation = youth_services.acting_organisation(user, organisation)
    if partnership.kind != ConsortiumKind.CEJ_JR:
        raise ValidationError("Choisissez un partenariat CEJ-JR.")
    if porteur_of(partnership) != organisation:
        raise PermissionDenied("Seul le porteur du partenariat ouvre un parcours CEJ-JR.")
    _not_future(identified_on, "identified_on", "La date de repérage")
    missions = missions_locales_of(partnership)
    if mission_locale is None and len(missions) == 1:
        mission_locale = missions[0]
    if mission_locale not in missions:
        raise ValidationError(
            {"mission_locale": "Choisissez une mission locale membre du partenariat."}
        )
    if registration == Registration.NEVER and registered_on is not None:
        raise ValidationError(
            {"registered_on": "Un jeune jamais inscrit n'a pas de date d'inscription."}
        )
    if registered_on is not None:
        _not_future(registered_on, "registered_on", "La date d'inscription")
    if youth is None:
        youth = youth_services.create_youth(user, organisation, **(youth_fields or {}))
    check(
        user,
        youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if Pathway.objects.open().filter(youth=youth).exists():
        raise ValidationError("Ce jeune a déjà un parcours CEJ-JR en cours.")
    pathway = Pathway(
        youth=youth,
        author_organisation=organisation,
        partnership=partnership,
        mission_locale=mission_locale,
        referent=user,
        identified_on=identified_on,
        spotted_where=spotted_where.strip(),
        spotted_by=spotted_by.strip(),
        spotted_how=spotted_how,
        registration=registration,
        registered_on=registered_on,
        stage=Stage.IDENTIFIED,
        stage_since=identified_on,
    )
    pathway.full_clean()
    pathway.save()
    StageChange.objects.create(
        youth=youth,
        author_organisation=organisation,
        pathway=pathway,
        from_stage="",
        to_stage=Stage.IDENTIFIED,
        on=identified_on,
        by=user,
        comment=f"Repérage : {pathway.spotted_where}",
    )
    already_partner = (
        Assignment.objects.active(identified_on)
        .filter(youth=youth, organisation=mission_locale)
        .exists()
    )
    if not already_partner:
        youth_services.add_assignment(
            user,
            youth,
            mission_locale,
            "Parcours CEJ-JR : accompagnement vers l'emploi et la formation",
            identified_on,
            relation=Relation.CEJ_PARTNER,
        )
    _record_check(user, pathway, identified_on, at_entry=True)
    return pathway


# --- Contacts with the mission locale -------------------------------------------------


@transaction.atomic
def add_contact(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    occurred_on: datetime.date,
    channel: str,
    answered: bool,
    intends_to_continue: bool,
    source: str = ContactSource.TYPED,
    refresh_entry_check: bool = True,
) -> Contact:
    """Record a contact between the youth and the mission locale; the rule classifies it."""
    organisation = youth_services.acting_organisation(user, organisation)
    _not_future(occurred_on, "occurred_on", "Un contact")
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    contact = Contact(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        occurred_on=occurred_on,
        channel=channel,
        answered=answered,
        intends_to_continue=intends_to_continue,
        source=source,
        recorded_by=user,
    )
    contact.full_clean()
    contact.save()
    if refresh_entry_check and occurred_on <= pathway.identified_on:
        _record_check(user, pathway, pathway.identified_on, at_entry=True)
    return contact


#: Columns of the CSV extract (README, "CEJ-JR pathway"). Separator ";" or ",".
CSV_COLUMNS = ("date", "canal", "reponse", "intention")
CHANNEL_WORDS = {
    "appel": rules.Channel.CALL,
    "telephone": rules.Channel.CALL,
    "entretien": rules.Channel.INTERVIEW,
    "sms": rules.Channel.SMS,
    "courriel": rules.Channel.EMAIL,
    "email": rules.Channel.EMAIL,
    "mail": rules.Channel.EMAIL,
    "courrier": rules.Channel.LETTER,
    "lettre": rules.Channel.LETTER,
}
YES = {"oui", "o", "1", "vrai", "yes"}
NO = {"non", "n", "0", "faux", "no", ""}


@dataclass(frozen=True)
class ContactRow:
    line: int
    occurred_on: datetime.date
    channel: str
    answered: bool
    intends_to_continue: bool


def _key(text: str) -> str:
    return search_key(text).replace(" ", "_")


def parse_contacts_csv(text: str) -> list[ContactRow]:
    """Validate a whole CSV extract of the mission locale's system before anything is written.

    Every error names its line and column in French; any error refuses the whole file.
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError("Le fichier est vide.")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_key(name) for name in next(reader)]
    errors: list[str] = []
    unknown = [name for name in header if name not in CSV_COLUMNS]
    missing = [name for name in CSV_COLUMNS if name not in header]
    expected = ", ".join(CSV_COLUMNS)
    for name in unknown:
        errors.append(f"Ligne 1 : colonne inconnue « {name} » (colonnes attendues : {expected}).")
    for name in missing:
        errors.append(f"Ligne 1 : colonne « {name} » manquante (colonnes attendues : {expected}).")
    if errors:
        raise ValidationError(errors)
    today = _today()
    rows: list[ContactRow] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                f"Ligne {line} : {len(values)} valeurs au lieu de {len(header)} attendues."
            )
            continue
        cell = {name: value.strip() for name, value in zip(header, values, strict=True)}
        day = _parse_date(cell["date"])
        if day is None:
            errors.append(
                f"Ligne {line}, colonne « date » : « {cell['date']} » n'est pas une date "
                "(attendu JJ/MM/AAAA ou AAAA-MM-JJ)."
            )
        elif day > today:
            errors.append(f"Ligne {line}, colonne « date » : le {day:%d/%m/%Y} est dans le futur.")
        channel = CHANNEL_WORDS.get(_key(cell["canal"]))
        if channel is None:
            errors.append(
                f"Ligne {line}, colonne « canal » : « {cell['canal']} » inconnu (appel, "
                "entretien, sms, courriel ou courrier)."
            )
        flags = {}
        for name in ("reponse", "intention"):
            value = _key(cell[name])
            if value in YES:
                flags[name] = True
            elif value in NO:
                flags[name] = False
            else:
                errors.append(
                    f"Ligne {line}, colonne « {name} » : « {cell[name]} » n'est ni oui ni non."
                )
        if day and day <= today and channel and len(flags) == 2:
            rows.append(ContactRow(line, day, channel, flags["reponse"], flags["intention"]))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("Le fichier ne contient aucun contact.")
    return rows


def _parse_date(value: str) -> datetime.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def import_contacts(
    user: Any, organisation: Organisation, pathway: Pathway, text: str
) -> list[Contact]:
    """Import a CSV extract in one transaction: all contacts, or none on the first error."""
    rows = parse_contacts_csv(text)
    contacts = [
        add_contact(
            user,
            organisation,
            pathway,
            occurred_on=row.occurred_on,
            channel=row.channel,
            answered=row.answered,
            intends_to_continue=row.intends_to_continue,
            source=ContactSource.IMPORTED,
            refresh_entry_check=False,
        )
        for row in rows
    ]
    _record_check(user, pathway, pathway.identified_on, at_entry=True)
    return contacts


# --- Stages ---------------------------------------------------------------------------


def _move(
    user: Any,
    pathway: Pathway,
    target: str,
    on: datetime.date,
    *,
    decision: CommitteeDecision | None = None,
    comment: str = "",
) -> StageChange:
    if not rules.can_move(pathway.stage, target):
        raise ValidationError(
            f"Passage impossible de « {Stage(pathway.stage).label} » à « {Stage(target).label} »."
        )
    if on < pathway.stage_since:
        raise ValidationError(
            f"La date doit suivre l'entrée dans l'étape actuelle ({pathway.stage_since:%d/%m/%Y})."
        )
    change = StageChange.objects.create(
        youth_id=pathway.youth_id,
        author_organisation_id=pathway.author_organisation_id,
        pathway=pathway,
        from_stage=pathway.stage,
        to_stage=target,
        on=on,
        by=user,
        decision=decision,
        comment=comment,
    )
    pathway.stage = target
    pathway.stage_since = on
    pathway.save()
    return change


@transaction.atomic
def record_exit(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    on: datetime.date,
    outcome: str,
    decision: CommitteeDecision | None = None,
) -> Pathway:
    organisation = youth_services.acting_organisation(user, organisation)
    _write(user, pathway, organisation)
    _not_future(on, "on", "La sortie")
    if outcome not in ExitOutcome.values:
        raise ValidationError({"outcome": "Choisissez l'issue du parcours."})
    pathway.exit_on = on
    pathway.exit_outcome = outcome
    _move(user, pathway, Stage.EXIT, on, decision=decision)
    return pathway


@transaction.atomic
def sign_contract(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    start: datetime.date,
    months: int,
    tax_situation: str,
) -> Pathway:
    """The CEJ contract, proposed by the committee, signed during remobilisation.

    Eligibility is not checked again here: it was checked at entry (seed 003, FAQ 2023).
    The allowance is fixed at signature (D.5131-19) from the dated scale.
    """
    organisation = youth_services.acting_organisation(user, organisation)
    _write(user, pathway, organisation)
    if not pathway.decisions.filter(kind=DecisionKind.PROPOSE_CONTRACT).exists():
        raise ValidationError("Le comité doit d'abord proposer le contrat CEJ.")
    durations = ContractDuration.objects.in_force(start)
    if durations is None:
        raise ValidationError("Aucune durée de contrat CEJ n'est paramétrée à cette date.")
    if not 1 <= months <= durations.planned_months:
        raise ValidationError(
            {"months": f"La durée prévue va de 1 à {durations.planned_months} mois."}
        )
    if pathway.youth.birth_date is None:
        raise ValidationError(
            "La date de naissance du jeune est nécessaire pour calculer l'allocation."
        )
    amount, reason = rules.monthly_allowance(
        pathway.youth.age(start),
        tax_situation,
        [s.as_rule() for s in AllowanceScale.objects.all()],
        start,
    )
    pathway.contract_start = start
    pathway.contract_months = months
    pathway.monthly_allowance = amount
    pathway.allowance_reason = reason
    _move(user, pathway, Stage.CONTRACT, start, comment=f"Allocation : {amount} € ({reason})")
    return pathway


@transaction.atomic
def extend_contract(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    months: int,
    reason: str,
    decided_on: datetime.date,
) -> ContractExtension:
    """An exceptional extension, justified, within the dated maximum (R.5131-16 II)."""
    organisation = youth_services.acting_organisation(user, organisation)
    _write(user, pathway, organisation)
    if pathway.stage != Stage.CONTRACT:
        raise ValidationError("Seul un contrat CEJ en cours peut être prolongé.")
    if not reason.strip():
        raise ValidationError({"reason": "Une prolongation exige un motif justifié."})
    durations = ContractDuration.objects.in_force(pathway.contract_start)
    if pathway.total_contract_months + months > durations.max_total_months:
        raise ValidationError(
            {"months": f"La durée totale ne peut dépasser {durations.max_total_months} mois."}
        )
    return ContractExtension.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        months=months,
        reason=reason.strip(),
        decided_on=decided_on,
    )


def flag_veille_reached(day: datetime.date) -> list[Pathway]:
    """Flag the youths in pré CEJ-JR whose veille date is reached (ARASS practice)."""
    flagged = []
    waiting = Pathway.objects.filter(stage=Stage.PRE_CEJ, veille_reached_on__isnull=True)
    for pathway in waiting.select_related("partnership__cej_settings"):
        if compute_eligibility(pathway, day).eligible:
            pathway.veille_reached_on = day
            pathway.save(update_fields=["veille_reached_on", "updated_at"])
            flagged.append(pathway)
    return flagged


# --- Weekly integration committee -----------------------------------------------------


def _require_porteur(organisation: Organisation, pathway: Pathway) -> None:
    """The administrative file in Coparcours is the porteur's collection (FAQ 2023)."""
    if organisation.pk != pathway.author_organisation_id:
        raise PermissionDenied("Seul le porteur prépare et transmet ce dossier administratif.")


def _committee_member(user: Any, organisation: Organisation, partnership: Consortium) -> None:
    organisation = youth_services.acting_organisation(user, organisation)
    _require_member(organisation, partnership)
    roles = {role for org, role in active_memberships(user) if org == organisation.pk}
    if not roles & COMMITTEE_ROLES:
        raise PermissionDenied("Le comité d'intégration réunit référents et conseillers.")


def agenda_candidates(
    partnership: Consortium, meeting_date: datetime.date
) -> list[tuple[Pathway, str]]:
    """What the committee must look at: newly identified youths, youths whose veille date
    falls before the next meeting, decisions still pending (deferred)."""
    next_meeting = meeting_date + datetime.timedelta(days=7)
    pathways = (
        Pathway.objects.open()
        .filter(partnership=partnership)
        .select_related("partnership__cej_settings")
        .prefetch_related("decisions")
    )
    items = []
    for pathway in pathways:
        decisions = sorted(pathway.decisions.all(), key=lambda d: d.pk)
        if pathway.stage == Stage.IDENTIFIED and not decisions:
            items.append((pathway, AgendaReason.NEW))
        elif decisions and decisions[-1].kind == DecisionKind.DEFER:
            items.append((pathway, AgendaReason.PENDING))
        elif pathway.stage == Stage.PRE_CEJ:
            result = compute_eligibility(pathway, next_meeting)
            if result.eligible:
                items.append((pathway, AgendaReason.VEILLE))
    return items


@transaction.atomic
def create_meeting(
    user: Any,
    organisation: Organisation,
    partnership: Consortium,
    *,
    date: datetime.date,
    participants: str = "",
) -> CommitteeMeeting:
    """Open a committee meeting; Coparcours builds its agenda."""
    _committee_member(user, organisation, partnership)
    if CommitteeMeeting.objects.filter(partnership=partnership, date=date).exists():
        raise ValidationError({"date": "Un comité existe déjà à cette date."})
    meeting = CommitteeMeeting.objects.create(
        partnership=partnership, date=date, participants=participants.strip(), created_by=user
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            youth_id=pathway.youth_id,
            category=EE,
            author_organisation_id=pathway.author_organisation_id,
            meeting=meeting,
            pathway=pathway,
            reason=reason,
        )
        for pathway, reason in agenda_candidates(partnership, date)
    )
    return meeting


@transaction.atomic
def record_decision(
    user: Any,
    organisation: Organisation,
    meeting: CommitteeMeeting,
    pathway: Pathway,
    *,
    kind: str,
    decided_by: str,
    comment: str = "",
) -> CommitteeDecision:
    """Record a committee decision and apply it to the pathway's stage."""
    _committee_member(user, organisation, meeting.partnership)
    _write(user, pathway, organisation)
    if not meeting.items.filter(pathway=pathway).exists():
        raise ValidationError("Ce jeune n'est pas à l'ordre du jour de ce comité.")
    if meeting.decisions.filter(pathway=pathway).exists():
        raise ValidationError("Le comité a déjà décidé pour ce jeune.")
    if meeting.date > _today():
        raise ValidationError("Ce comité n'a pas encore eu lieu : décision impossible.")
    if not decided_by.strip():
        raise ValidationError({"decided_by": "Indiquez qui a pris la décision."})
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": "Choisissez une décision."})
    result = compute_eligibility(pathway, meeting.date)
    until = None
    if kind == DecisionKind.PRE_CEJ:
        if result.eligible:
            raise ValidationError(
                "Ce jeune est déjà éligible : décidez directement la remobilisation."
            )
        until = result.eligible_from
    elif kind == DecisionKind.REMOBILISATION and not result.eligible:
        raise ValidationError(
            f"Ce jeune n'est pas encore éligible ({result.label.lower()}) : décidez l'entrée en "
            "pré CEJ-JR jusqu'à cette date."
        )
    elif kind == DecisionKind.PROPOSE_CONTRACT and pathway.stage != Stage.REMOBILISATION:
        raise ValidationError("Le contrat CEJ se propose pendant la remobilisation.")
    decision = CommitteeDecision.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        meeting=meeting,
        pathway=pathway,
        kind=kind,
        until=until,
        decided_by=decided_by.strip(),
        comment=comment.strip(),
        recorded_by=user,
    )
    if kind == DecisionKind.PRE_CEJ:
        pathway.pre_cej_until = until
        _move(user, pathway, Stage.PRE_CEJ, meeting.date, decision=decision)
    elif kind == DecisionKind.REMOBILISATION:
        _record_check(user, pathway, meeting.date, at_entry=False)
        _move(user, pathway, Stage.REMOBILISATION, meeting.date, decision=decision)
    elif kind == DecisionKind.ORIENT_ELSEWHERE:
        pathway.exit_on = meeting.date
        pathway.exit_outcome = ExitOutcome.OTHER_SCHEME
        _move(user, pathway, Stage.EXIT, meeting.date, decision=decision)
    return decision


# --- Administrative file --------------------------------------------------------------


@transaction.atomic
def prepare_dossier(user: Any, organisation: Organisation, pathway: Pathway) -> list[DossierItem]:
    """The checklist of the administrative file, from the remobilisation phase on (seed 003).

    Pieces marked "seulement pour les majeurs non européens" (the residence permit) are
    asked only of adults from outside the EU (:func:`rules.needs_residence_permit`).
    """
    organisation = youth_services.acting_organisation(user, organisation)
    _require_porteur(organisation, pathway)
    check(
        user,
        pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if pathway.stage not in {Stage.REMOBILISATION, Stage.CONTRACT}:
        raise ValidationError("Le dossier administratif se prépare dès la remobilisation.")
    existing = set(pathway.dossier_items.values_list("kind_id", flat=True))
    kinds = DossierItemKind.objects.filter(active=True).exclude(pk__in=existing)
    if not rules.needs_residence_permit(
        pathway.youth.age(_today()), _key(pathway.youth.nationality)
    ):
        kinds = kinds.exclude(only_non_eu_adults=True)
    for kind in kinds:
        DossierItem.objects.create(
            youth_id=pathway.youth_id,
            author_organisation=organisation,
            pathway=pathway,
            kind=kind,
        )
    return list(pathway.dossier_items.select_related("kind"))


@transaction.atomic
def collect_item(
    user: Any, organisation: Organisation, item: DossierItem, *, on: datetime.date, document=None
) -> DossierItem:
    organisation = youth_services.acting_organisation(user, organisation)
    _require_porteur(organisation, item.pathway)
    check(
        user,
        item.pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=item.author_organisation_id,
        obj=item,
        within_organisation_id=organisation.pk,
    )
    _not_future(on, "on", "Une pièce")
    if document is not None and document.youth_id != item.youth_id:
        raise ValidationError({"document": "Ce document appartient à un autre dossier."})
    if item.status == DossierStatus.TRANSMITTED:
        raise ValidationError("Cette pièce a déjà été transmise.")
    item.status = DossierStatus.COLLECTED
    item.collected_on = on
    item.document = document
    item.save()
    return item


def consent_covers_transmission(pathway: Pathway, day: datetime.date) -> bool:
    """Would the mission locale's counsellor be granted the porteur's administrative
    documents? The access policy decides (consent naming the mission locale)."""
    grant = decide(
        [(pathway.mission_locale_id, Role.COUNSELLOR)],
        pathway.youth.access_facts(day),
        Category.ADMIN_DOCUMENTS,
        Action.READ,
        author_organisation_id=pathway.author_organisation_id,
    )
    return grant is not None


def transmit_dossier(user: Any, organisation: Organisation, pathway: Pathway) -> list[DossierItem]:
    """Transmit the collected pieces to the mission locale, only with the youth's agreement
    (FAQ CEJ-JR, July 2023: "avec l'accord du jeune")."""
    organisation = youth_services.acting_organisation(user, organisation)
    _require_porteur(organisation, pathway)
    check(
        user,
        pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=pathway.author_organisation_id,
        obj=pathway,
        within_organisation_id=organisation.pk,
    )
    day = _today()
    if not consent_covers_transmission(pathway, day):
        record(
            user,
            AuditEvent.DENIED,
            youth_id=pathway.youth_id,
            category=Category.ADMIN_DOCUMENTS,
            obj=pathway,
            reason="Transmission du dossier administratif sans consentement",
        )
        raise PermissionDenied(
            f"Transmission refusée : le jeune n'a pas donné son accord pour partager ses "
            f"documents administratifs avec {pathway.mission_locale}. Recueillez d'abord son "
            "consentement (catégorie « Documents administratifs »)."
        )
    with transaction.atomic():  # the refusal above is audited outside the transaction
        items = list(pathway.dossier_items.filter(status=DossierStatus.COLLECTED))
        if not items:
            raise ValidationError("Aucune pièce recueillie à transmettre.")
        for item in items:
            item.status = DossierStatus.TRANSMITTED
            item.transmitted_on = day
            item.transmitted_by = user
            item.save()
    return items


# --- Allowances -----------------------------------------------------------------------


@transaction.atomic
def propose_sanction(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    occurred_on: datetime.date,
    description: str,
) -> MissedAction:
    """The counsellor records a missed action and the sanction the dated scale proposes."""
    organisation = youth_services.acting_organisation(user, organisation)
    if organisation.pk != pathway.mission_locale_id:
        raise PermissionDenied(
            "Les manquements sont proposés par le conseiller de la mission locale."
        )
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if pathway.stage != Stage.CONTRACT:
        raise ValidationError("Un manquement ne se constate que pendant le contrat CEJ.")
    _not_future(occurred_on, "occurred_on", "Un manquement")
    if pathway.contract_start and occurred_on < pathway.contract_start:
        raise ValidationError(
            {"occurred_on": "Un manquement ne peut pas précéder le début du contrat CEJ."}
        )
    if not description.strip():
        raise ValidationError({"description": "Décrivez l'action manquée."})
    scale = SanctionScale.objects.in_force(occurred_on)
    if scale is None:
        raise ValidationError("Aucun barème de sanctions en vigueur à cette date.")
    number = pathway.missed_actions.exclude(decision="waived").count() + 1
    steps = list(scale.steps.all())
    step = next((s for s in steps if s.breach_number == number), steps[-1] if steps else None)
    if step is None:
        raise ValidationError("Le barème de sanctions en vigueur n'a aucun palier.")
    return MissedAction.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        occurred_on=occurred_on,
        description=description.strip(),
        breach_number=number,
        proposed_effect=step.effect,
        reduction_percent=step.reduction_percent,
        proposed_by=user,
    )


@transaction.atomic
def decide_sanction(
    user: Any,
    organisation: Organisation,
    missed: MissedAction,
    *,
    confirmed: bool,
    youth_observations: str,
    decided_on: datetime.date,
) -> MissedAction:
    """The mission locale decides after the youth could present observations; effective on
    the first day of the following month (R.5131-18)."""
    organisation = youth_services.acting_organisation(user, organisation)
    if organisation.pk != missed.pathway.mission_locale_id:
        raise PermissionDenied("La sanction est décidée par la mission locale.")
    check(
        user,
        missed.pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=missed.author_organisation_id,
        within_organisation_id=organisation.pk,
    )
    if missed.decision != "pending":
        raise ValidationError("Ce manquement a déjà été décidé.")
    _not_future(decided_on, "decided_on", "Une décision")
    if decided_on < missed.occurred_on:
        raise ValidationError({"decided_on": "La décision ne peut pas précéder le manquement."})
    if confirmed and not youth_observations.strip():
        raise ValidationError(
            {"youth_observations": "Le jeune doit avoir pu présenter ses observations."}
        )
    missed.youth_observations = youth_observations.strip()
    missed.decision = "confirmed" if confirmed else "waived"
    missed.decided_on = decided_on
    missed.effective_from = rules.first_of_next_month(decided_on) if confirmed else None
    missed.save()
    return missed


@transaction.atomic
def request_pacea_allowance(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    requested_on: datetime.date,
    requested_by: str,
    amount: Decimal,
) -> PaceaAllowanceRequest:
    """A one-off PACEA allowance during remobilisation (FAQ 2023); never during a CEJ."""
    organisation = youth_services.acting_organisation(user, organisation)
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    if pathway.stage in {Stage.CONTRACT, Stage.EXIT}:
        raise ValidationError(
            "Le PACEA ne peut pas courir en même temps que le CEJ : pas d'allocation ponctuelle "
            "pendant le contrat."
        )
    _not_future(requested_on, "requested_on", "Une demande")
    if not requested_by.strip():
        raise ValidationError({"requested_by": "Indiquez qui demande l'allocation."})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Le montant doit être positif."})
    request = PaceaAllowanceRequest(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        requested_on=requested_on,
        requested_by=requested_by.strip(),
        amount=amount,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def decide_pacea_allowance(
    user: Any,
    organisation: Organisation,
    request: PaceaAllowanceRequest,
    *,
    granted: bool,
    decided_on: datetime.date,
) -> PaceaAllowanceRequest:
    organisation = youth_services.acting_organisation(user, organisation)
    if organisation.pk != request.pathway.mission_locale_id:
        raise PermissionDenied("L'allocation ponctuelle est accordée par la mission locale.")
    check(
        user,
        request.pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=request.author_organisation_id,
        within_organisation_id=organisation.pk,
    )
    if request.decision != AllowanceDecision.PENDING:
        raise ValidationError("Cette demande a déjà été décidée.")
    _not_future(decided_on, "decided_on", "Une décision")
    if decided_on < request.requested_on:
        raise ValidationError({"decided_on": "La décision ne peut pas précéder la demande."})
    if granted and request.pathway.stage in {Stage.CONTRACT, Stage.EXIT}:
        raise ValidationError(
            "Le PACEA ne peut pas courir en même temps que le CEJ : la demande ne peut plus "
            "être accordée."
        )
    request.decision = AllowanceDecision.GRANTED if granted else AllowanceDecision.REFUSED
    request.decided_on = decided_on
    request.save()
    return request
