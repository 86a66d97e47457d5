"""Operations on CEJ-JR pathways. Each checks the access policy and runs in a transaction.

Sources: circulaire 2022/117, FAQ CEJ-JR of July 2023, Code du travail R.5131-16 to -18
and D.5131-19, and the partners' practices; all summarised in docs/domain-rules.md,
"CEJ-JR: young people in rupture".
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from coparcours.accounts.models import hash_token
from coparcours.cej import rules
from coparcours.cej.models import (
    DIMENSION_CATEGORIES,
    ActionPlan,
    ActionStatus,
    Activity,
    AgendaItem,
    AgendaReason,
    AllowanceDecision,
    AllowanceScale,
    CalendarFeed,
    CharterLine,
    CommitteeDecision,
    CommitteeMeeting,
    Contact,
    ContactSource,
    ContractDuration,
    ContractExtension,
    DecisionKind,
    Dimension,
    DossierItem,
    DossierItemKind,
    DossierStatus,
    EligibilityCheck,
    EligibilityDerogation,
    ExitOutcome,
    Interview,
    InterviewKind,
    MissedAction,
    PaceaAllowanceRequest,
    PartnerSide,
    Pathway,
    PlanAction,
    Rater,
    Registration,
    Review,
    ReviewRating,
    ReviewReminder,
    SanctionScale,
    StageChange,
    VeilleDuration,
)
from coparcours.cej.rules import Stage
from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Relation,
    SharedAct,
    active_memberships,
    check,
    decide,
    member_organisation,
    organisations_where,
    require_act,
    roles_holding,
)
from coparcours.core.audit import record
from coparcours.core.batches import chunks
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import (
    Consortium,
    ConsortiumKind,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from coparcours.youths import services as youth_services
from coparcours.youths.models import Assignment, Youth
from coparcours.youths.rules import search_key

EE = Category.EDUCATION_EMPLOYMENT


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


def eligibility_of_pathways(
    pathways: QuerySet[Pathway], day: datetime.date
) -> dict[int, rules.Verdict]:
    """The engine's verdict for many pathways on one day (pathway id → status and date).

    For jobs over many youths (100,000 youths within 2 s): the last substantial
    contact known on ``day`` is taken per youth in one SQL aggregation, then each pathway is
    one pure call of :func:`rules.verdict_from_summary`. The French reasons are not built
    here: :func:`compute_eligibility` gives them for the youth whose answer is shown or
    recorded (docs/decisions.md, section 23). No access check: callers pass pathways the
    user may read, or use the verdicts for masked aggregates.
    """
    months = veille_months(day)
    last_substantial = dict(
        Contact.objects.filter(
            occurred_on__lte=day,
            is_substantial=True,
            youth_id__in=pathways.values("youth_id"),
        )
        .values("youth_id")
        .annotate(last=Max("occurred_on"))
        .values_list("youth_id", "last")
    )
    derogations: dict[str, list[rules.Derogation]] = {}
    for derogation in EligibilityDerogation.objects.all():
        derogations.setdefault(derogation.departement_code, []).append(derogation.as_rule())
    registered = Registration.REGISTERED
    verdict = rules.verdict_from_summary
    return {
        pathway_id: verdict(
            day,
            registered=registration == registered,
            registered_on=registered_on,
            last_substantial=last_substantial.get(youth_id),
            veille_months=months,
            derogations=derogations.get(departement, ()),
        )
        for pathway_id, youth_id, registration, registered_on, departement in (
            pathways.values_list(
                "pk",
                "youth_id",
                "registration",
                "registered_on",
                "partnership__cej_settings__departement_code",
            ).iterator(chunk_size=10_000)
        )
    }


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
    """Record the engine's answer on a day (the entry date by default: eligibility is checked
    at entry into the pathway, not at contract signature)."""
    organisation = member_organisation(user, organisation)
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
    """An overall assessment of the situation beyond the single criterion, justified in
    writing (docs/domain-rules.md, "Eligibility")."""
    organisation = member_organisation(user, organisation)
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
    organisation = member_organisation(user, organisation)
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
    organisation = member_organisation(user, organisation)
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
    if target == Stage.REMOBILISATION:
        schedule_reviews(pathway)
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
    organisation = member_organisation(user, organisation)
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

    Eligibility is not checked again here: it was checked at entry (FAQ CEJ-JR of July 2023).
    The allowance is fixed at signature (D.5131-19) from the dated scale.
    """
    organisation = member_organisation(user, organisation)
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
    organisation = member_organisation(user, organisation)
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
    """Flag the youths in pré CEJ-JR whose veille date is reached (docs/domain-rules.md,
    "Stages")."""
    flagged = []
    waiting = Pathway.objects.filter(stage=Stage.PRE_CEJ, veille_reached_on__isnull=True)
    for pathway in waiting.select_related("partnership__cej_settings"):
        if compute_eligibility(pathway, day).eligible:
            pathway.veille_reached_on = day
            pathway.save(update_fields=["veille_reached_on", "updated_at"])
            flagged.append(pathway)
    return flagged


# --- Weekly integration committee -----------------------------------------------------


def _committee_member(user: Any, organisation: Organisation, partnership: Consortium) -> None:
    organisation = member_organisation(user, organisation)
    _require_member(organisation, partnership)
    if organisation.pk not in organisations_where(user, Capability.CEJ_COMMITTEE):
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
    """The checklist of the administrative file, from the remobilisation phase on.

    Pieces marked "seulement pour les majeurs non européens" (the residence permit) are
    asked only of adults from outside the EU (:func:`rules.needs_residence_permit`).
    """
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.ADMINISTRATIVE_FILE)
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
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, item.pathway, SharedAct.ADMINISTRATIVE_FILE)
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
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.ADMINISTRATIVE_FILE)
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
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.SANCTION)
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
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, missed.pathway, SharedAct.SANCTION)
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
    organisation = member_organisation(user, organisation)
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
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, request.pathway, SharedAct.PACEA_DECISION)
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


# --- Co-accompaniment: "who does what" and the action plan -------------------------------

#: The default "who does what": the mission locale on employment and training,
#: the porteur on global social support.
DEFAULT_CHARTER = {
    Dimension.EMPLOYMENT: (
        PartnerSide.MISSION_LOCALE,
        "Offre de service de la mission locale : orientation, formation, emploi, allocation.",
    ),
    Dimension.MOBILITY: (PartnerSide.SHARED, "Permis, transports, aides à la mobilité."),
}
DEFAULT_SUPPORT = "Accompagnement social global par le porteur."


def charter(partnership: Consortium) -> list[CharterLine]:
    """The partnership's "who does what", created with the defaults the first time."""
    existing = {line.dimension: line for line in partnership.cej_charter_lines.all()}
    missing = [
        CharterLine(
            partnership=partnership,
            dimension=dimension,
            lead=DEFAULT_CHARTER.get(dimension, (PartnerSide.PORTEUR, ""))[0],
            what=DEFAULT_CHARTER.get(dimension, ("", DEFAULT_SUPPORT))[1],
        )
        for dimension in Dimension.values
        if dimension not in existing
    ]
    if missing:
        CharterLine.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {line.dimension: line for line in partnership.cej_charter_lines.all()}
    return [existing[dimension] for dimension in Dimension.values]


@transaction.atomic
def update_charter(
    user: Any, organisation: Organisation, partnership: Consortium, lines: dict[str, tuple]
) -> list[CharterLine]:
    """Partners of the committee edit the "who does what": ``{dimension: (lead, what)}``."""
    _committee_member(user, organisation, partnership)
    current = {line.dimension: line for line in charter(partnership)}
    for dimension, (lead, what) in lines.items():
        if dimension not in current:
            raise ValidationError({"dimension": "Dimension inconnue."})
        if lead not in PartnerSide.values:
            raise ValidationError({f"lead_{dimension}": "Choisissez qui s'en charge."})
        line = current[dimension]
        if (line.lead, line.what) != (lead, what.strip()):
            line.lead, line.what = lead, what.strip()
            line.save()
    return list(current.values())


def partners_of(pathway: Pathway) -> dict[int, Organisation]:
    """The organisations that co-accompany in the pathway: the porteur and its mission
    locale."""
    return {
        pathway.author_organisation_id: pathway.author_organisation,
        pathway.mission_locale_id: pathway.mission_locale,
    }


def _write_own(user: Any, pathway: Pathway, organisation: Organisation, category: str) -> None:
    """Writing one's own data of a category about the youth."""
    check(
        user,
        pathway.youth,
        category,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )


def _require_open(pathway: Pathway) -> None:
    if pathway.stage == Stage.EXIT:
        raise ValidationError("Le parcours est terminé.")


@transaction.atomic
def start_plan(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    diagnosis_on: datetime.date,
    diagnosis: str = "",
) -> ActionPlan:
    """The shared plan, written after the partners' shared diagnosis: one per youth."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.SHARED_PLAN)
    _write_own(user, pathway, organisation, EE)
    _require_open(pathway)
    _not_future(diagnosis_on, "diagnosis_on", "Le diagnostic partagé")
    if ActionPlan.objects.filter(pathway=pathway).exists():
        raise ValidationError("Ce jeune a déjà un plan d'action.")
    return ActionPlan.objects.create(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        diagnosis_on=diagnosis_on,
        diagnosis=diagnosis.strip(),
    )


@transaction.atomic
def add_plan_action(
    user: Any,
    organisation: Organisation,
    plan: ActionPlan,
    *,
    dimension: str,
    objective: str,
    action: str,
    owner_organisation: Organisation,
    owner: Any,
    due_on: datetime.date,
) -> PlanAction:
    """An action towards an objective of one dimension, owned by one organisation and one
    person of it. Its category follows the dimension (a health action is health data)."""
    organisation = member_organisation(user, organisation)
    pathway = plan.pathway
    _require_open(pathway)
    if dimension not in Dimension.values:
        raise ValidationError({"dimension": "Choisissez une dimension."})
    _write_own(user, pathway, organisation, DIMENSION_CATEGORIES[dimension])
    partners = partners_of(pathway)
    if owner_organisation is None or owner_organisation.pk not in partners:
        raise ValidationError(
            {"owner_organisation": "L'action revient au porteur ou à la mission locale."}
        )
    if owner is None or owner_organisation.pk not in {
        org for org, _role in active_memberships(owner)
    }:
        raise ValidationError({"owner": f"Choisissez une personne membre de {owner_organisation}."})
    if not objective.strip() or not action.strip():
        raise ValidationError("Indiquez l'objectif et l'action.")
    if due_on < plan.diagnosis_on:
        raise ValidationError({"due_on": "L'échéance suit le diagnostic partagé."})
    item = PlanAction(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        plan=plan,
        dimension=dimension,
        objective=objective.strip(),
        action=action.strip(),
        owner_organisation=owner_organisation,
        owner=owner,
        due_on=due_on,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_action_status(
    user: Any, organisation: Organisation, item: PlanAction, status: str
) -> PlanAction:
    organisation = member_organisation(user, organisation)
    check(
        user,
        item.plan.pathway.youth,
        item.category,
        Action.WRITE,
        author_organisation_id=item.author_organisation_id,
        obj=item,
        within_organisation_id=organisation.pk,
    )
    if status not in ActionStatus.values:
        raise ValidationError({"status": "État inconnu."})
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    return item


# --- Activities and weekly hours --------------------------------------------------------


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of a day in Europe/Paris."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@transaction.atomic
def add_activity(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    responsible: Organisation,
    attended: bool | None = None,
) -> Activity:
    """Plan or record an activity counted in the weekly hours (15–20 h split between the
    porteur and the mission locale, not necessarily equally).

    Refused: a duration outside 1 minute – 24 hours, an organisation outside the pathway,
    attendance recorded for the future, and an activity overlapping another of the youth.
    """
    organisation = member_organisation(user, organisation)
    _require_open(pathway)
    require_act(organisation.pk, pathway, SharedAct.ACTIVITIES)
    if duration_minutes is None or not 1 <= duration_minutes <= 24 * 60:
        raise ValidationError(
            {"duration_minutes": "Une activité dure entre 1 minute et 24 heures."}
        )
    if responsible is None or responsible.pk not in partners_of(pathway):
        raise ValidationError(
            {"responsible": "L'activité relève du porteur ou de la mission locale."}
        )
    if attended is not None and starts_at > timezone.now():
        raise ValidationError({"attended": "La présence se note une fois l'activité passée."})
    activity = Activity(
        youth_id=pathway.youth_id,
        author_organisation=organisation,
        pathway=pathway,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        organisation=responsible,
        attended=attended,
        recorded_by=user,
    )
    _write_own(user, pathway, organisation, activity.category_of())
    Pathway.objects.select_for_update().filter(pk=pathway.pk).first()  # serialise the check
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    clash = (
        Activity.objects.filter(pathway=pathway, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        local = timezone.localtime(clash.starts_at)
        raise ValidationError(
            {
                "starts_at": "Cette activité chevauche une autre activité du jeune, le "
                f"{local:%d/%m/%Y à %H:%M} ({clash.duration_minutes} min)."
            }
        )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def record_attendance(
    user: Any, organisation: Organisation, activity: Activity, attended: bool
) -> Activity:
    organisation = member_organisation(user, organisation)
    check(
        user,
        activity.pathway.youth,
        activity.category,
        Action.WRITE,
        author_organisation_id=activity.author_organisation_id,
        obj=activity,
        within_organisation_id=organisation.pk,
    )
    if activity.starts_at > timezone.now():
        raise ValidationError("La présence se note une fois l'activité passée.")
    activity.attended = attended
    activity.save(update_fields=["attended", "updated_at"])
    return activity


def weekly_minutes_by_author(
    pathway_ids: list[int] | None, week: datetime.date
) -> dict[int, list[tuple[int, int, int]]]:
    """Attended minutes of a week summed by the database, per pathway:
    ``{pathway_id: [(responsible organisation, author organisation, minutes)]}`` (all
    pathways when ``pathway_ids`` is ``None``). The author tells whose data the hours are."""
    start = local_midnight(week)
    rows = Activity.objects.filter(
        attended=True, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)
    )
    batches = (
        [rows]
        if pathway_ids is None
        else [rows.filter(pathway_id__in=ids) for ids in chunks(pathway_ids)]
    )
    totals: dict[int, list[tuple[int, int, int]]] = {}
    for batch in batches:
        for pathway_id, organisation_id, author_id, minutes in (
            batch.order_by()
            .values("pathway_id", "organisation_id", "author_organisation_id")
            .annotate(minutes=Sum("duration_minutes"))
            .values_list("pathway_id", "organisation_id", "author_organisation_id", "minutes")
        ):
            totals.setdefault(pathway_id, []).append((organisation_id, author_id, minutes))
    return totals


def fold_minutes(
    rows: list[tuple[int, int, int]], author_ids: set[int] | None = None
) -> dict[int, int]:
    """Minutes per responsible organisation, keeping only ``author_ids``' data if given."""
    folded: dict[int, int] = {}
    for organisation_id, author_id, minutes in rows:
        if author_ids is None or author_id in author_ids:
            folded[organisation_id] = folded.get(organisation_id, 0) + minutes
    return folded


@dataclass(frozen=True)
class WeekHours:
    """A week's hours of one youth against the partnership's minimum."""

    week: datetime.date
    porteur_minutes: int
    mission_locale_minutes: int
    minimum_hours: int | None

    @property
    def total_minutes(self) -> int:
        return self.porteur_minutes + self.mission_locale_minutes

    @property
    def total_hours(self) -> Decimal:
        return _hours(self.total_minutes)

    @property
    def porteur_hours(self) -> Decimal:
        return _hours(self.porteur_minutes)

    @property
    def mission_locale_hours(self) -> Decimal:
        return _hours(self.mission_locale_minutes)

    @property
    def reached(self) -> bool | None:
        if self.minimum_hours is None:
            return None
        return self.total_minutes >= self.minimum_hours * 60


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


#: The weekly minimum of a partnership without settings (the CEJ asks 15 to 20 hours).
DEFAULT_MINIMUM_HOURS = 15


def minimum_hours(pathway: Pathway) -> int:
    settings_row = getattr(pathway.partnership, "cej_settings", None)
    return settings_row.minimum_weekly_hours if settings_row else DEFAULT_MINIMUM_HOURS


def hours_of(
    week: datetime.date, minutes: dict[int, int], porteur_id: int, minimum: int | None
) -> WeekHours:
    """A week's hours from the minutes per responsible organisation: the porteur's, the
    rest (the mission locale's), against ``minimum`` (``None``: no target this week)."""
    porteur = minutes.get(porteur_id, 0)
    return WeekHours(week, porteur, sum(minutes.values()) - porteur, minimum)


def week_hours(
    pathway: Pathway, week: datetime.date, minutes: dict[int, int] | None = None
) -> WeekHours:
    """One week of a pathway (``minutes`` per responsible organisation when known)."""
    if minutes is None:
        minutes = fold_minutes(weekly_minutes_by_author([pathway.pk], week).get(pathway.pk, []))
    return hours_of(
        week,
        minutes,
        pathway.author_organisation_id,
        minimum_hours(pathway) if rules.minimum_applies(pathway.contract_start, week) else None,
    )


# --- Milestone reviews -------------------------------------------------------------------


def schedule_reviews(pathway: Pathway) -> list[Review]:
    """The 3- and 6-month reviews after entry into the pathway, created once when
    the co-accompaniment starts (remobilisation)."""
    existing = set(pathway.reviews.values_list("milestone_months", flat=True))
    return [
        Review.objects.create(
            youth_id=pathway.youth_id,
            author_organisation_id=pathway.author_organisation_id,
            pathway=pathway,
            milestone_months=months,
            due_on=rules.add_months(pathway.identified_on, months),
        )
        for months in rules.REVIEW_MILESTONES
        if months not in existing
    ]


@transaction.atomic
def rate_review(
    user: Any,
    organisation: Organisation,
    review: Review,
    *,
    rater: str,
    scores: dict[str, int],
) -> list[ReviewRating]:
    """The ratings of one rater (the youth, the porteur or the mission locale) on the 1–4
    scale; a partner rates for its own organisation, the youth's answers are entered by one
    of them. Each rating carries the dimension's category."""
    organisation = member_organisation(user, organisation)
    pathway = review.pathway
    require_act(organisation.pk, pathway, SharedAct.REVIEWS)
    own_side = (
        Rater.PORTEUR if organisation.pk == pathway.author_organisation_id else Rater.MISSION_LOCALE
    )
    if rater not in {Rater.YOUTH, own_side}:
        raise ValidationError({"rater": "Chaque partenaire note pour sa propre organisation."})
    if review.held_on is not None:
        raise ValidationError("Ce bilan est clos.")
    for dimension, score in scores.items():
        if dimension not in Dimension.values:
            raise ValidationError({"scores": f"Dimension inconnue : {dimension}."})
        if score not in rules.RATING_DESCRIPTORS:
            raise ValidationError(
                {"scores": f"{Dimension(dimension).label} : la note va de 1 à 4 (reçu {score})."}
            )
    ratings = []
    for dimension, score in scores.items():
        _write_own(user, pathway, organisation, DIMENSION_CATEGORIES[dimension])
        rating, _created = ReviewRating.objects.update_or_create(
            review=review,
            dimension=dimension,
            rater=rater,
            defaults={
                "youth_id": pathway.youth_id,
                "author_organisation": organisation,
                "score": score,
            },
        )
        ratings.append(rating)
    return ratings


@transaction.atomic
def close_review(
    user: Any,
    organisation: Organisation,
    review: Review,
    *,
    held_on: datetime.date,
    next_steps: str,
) -> Review:
    """The review ends with a next-step plan agreed by the youth and all the partners."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, review.pathway, SharedAct.REVIEWS)
    _write(user, review.pathway, organisation)
    _not_future(held_on, "held_on", "Un bilan")
    if not next_steps.strip():
        raise ValidationError({"next_steps": "Le bilan se termine par un plan concerté."})
    if not review.ratings.exists():
        raise ValidationError("Notez au moins une dimension avant de clore le bilan.")
    review.held_on = held_on
    review.next_steps = next_steps.strip()
    review.save()
    return review


#: Who is reminded of a review in each partner organisation: the people who follow youths
#: (the access policy's ``caseload``).
REMINDED_ROLES = roles_holding(Capability.CASELOAD)


def review_recipients(reviews: list[Review], today: datetime.date) -> dict[int, list[Any]]:
    """Per review, the active referents and counsellors of the organisations that
    accompany the youth in the partnership (the porteur and the pathway's mission locale)
    who were not reminded of it yet. Two queries whatever the number of reviews."""
    organisations = {
        org_id
        for review in reviews
        for org_id in (review.pathway.author_organisation_id, review.pathway.mission_locale_id)
    }
    people: dict[int, dict[int, Any]] = {}
    for membership in (
        Membership.objects.active(today)
        .filter(organisation_id__in=organisations, role__in=REMINDED_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    ):
        people.setdefault(membership.organisation_id, {})[membership.user_id] = membership.user
    done = set(
        pair
        for ids in chunks(r.pk for r in reviews)
        for pair in ReviewReminder.objects.filter(review_id__in=ids).values_list(
            "review_id", "user_id"
        )
    )
    recipients = {}
    for review in reviews:
        pathway = review.pathway
        users = {
            **people.get(pathway.author_organisation_id, {}),
            **people.get(pathway.mission_locale_id, {}),
        }
        recipients[review.pk] = [
            user
            for user_id, user in users.items()
            if (review.pk, user_id) not in done and user.email
        ]
    return recipients


def remind_reviews(today: datetime.date) -> list[Review]:
    """E-mail every partner of each review due within seven days (the review gathers all
    the partners): the referents and counsellors of the porteur and of the mission locale,
    once per review and person. The mail names the youth and the date, nothing else (no
    health or justice content, whoever reads it)."""
    due = list(
        Review.objects.filter(
            held_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=7),
            pathway__stage__in=[Stage.REMOBILISATION, Stage.CONTRACT],
        ).select_related("pathway__youth")
    )
    recipients = review_recipients(due, today)
    reminded = []
    for review in due:
        pathway = review.pathway
        sent = False
        for user in recipients[review.pk]:
            try:
                # The record and its mail are one transaction: a run killed before the
                # hand-off leaves the reminder to the next run (docs/decisions.md, section 22).
                with transaction.atomic():
                    ReviewReminder.objects.create(review=review, user=user, sent_on=today)
                    send_mail(
                        f"Bilan à {review.milestone_months} mois de {pathway.youth} le "
                        f"{review.due_on:%d/%m/%Y}",
                        f"Bonjour,\n\nLe bilan d'étape à {review.milestone_months} mois du "
                        f"parcours CEJ-JR de {pathway.youth} est prévu le "
                        f"{review.due_on:%d/%m/%Y}, avec le jeune et tous les partenaires."
                        f"\n\n{settings.SITE_URL}/cej/parcours/{pathway.pk}/\n",
                        None,
                        [user.email],
                    )
                    if review.reminded_on != today:
                        review.reminded_on = today
                        review.save(update_fields=["reminded_on", "updated_at"])
            except IntegrityError:  # reminded meanwhile by another run: never twice
                continue
            sent = True
        if sent:
            reminded.append(review)
    return reminded


# --- Interviews and syntheses ------------------------------------------------------------


@transaction.atomic
def record_interview(
    user: Any,
    organisation: Organisation,
    pathway: Pathway,
    *,
    kind: str,
    category: str,
    title: str,
    text: str,
    occurred_on: datetime.date,
) -> Interview:
    """An individual or tripartite interview, or a synthesis shared with the partners
    around the youth. The text is a note of the youth's record in the category chosen, so the
    access policy decides who reads it (a health synthesis stays with its author)."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.INTERVIEWS)
    if kind not in InterviewKind.values:
        raise ValidationError({"kind": "Choisissez le type d'entretien."})
    note = youth_services.add_note(
        user,
        pathway.youth,
        organisation,
        category=category,
        title=title,
        text=text,
        occurred_on=occurred_on,
    )
    return Interview.objects.create(pathway=pathway, kind=kind, note=note)


@transaction.atomic
def set_counsellor(
    user: Any, organisation: Organisation, pathway: Pathway, counsellor: Any
) -> Pathway:
    """Name the mission locale's counsellor who receives this youth's Monday follow-up."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.COUNSELLOR)
    _write_own(user, pathway, organisation, EE)
    if counsellor is not None and (pathway.mission_locale_id, Role.COUNSELLOR) not in set(
        active_memberships(counsellor)
    ):
        raise ValidationError(
            {"counsellor": f"Choisissez un·e conseiller·ère de {pathway.mission_locale}."}
        )
    pathway.counsellor = counsellor
    pathway.save(update_fields=["counsellor", "updated_at"])
    return pathway


# --- Calendar feeds (the youth's own page: ``youth_page``) ---------------------------------


def create_feed(user: Any, pathway: Pathway | None = None) -> str:
    """A calendar feed's secret token (shown once, stored hashed)."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, pathway=pathway, token_hash=hash_token(raw))
    return raw


def feed_for_token(raw: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
