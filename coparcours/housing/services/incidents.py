"""Serious incidents and runaways: the hosting member reports, the coordination of the GME
acknowledges and closes, the Département (the GME's funder) is informed of what the rule
requires (CASF L.331-8-1, R.331-8 ff.; docs/domain-rules.md, "Serious incidents and
runaways").

Each act runs in one transaction and is kept in the incident's history; the youths and the
health or justice details are written under the access policy's ``check``. The notices leave
after the commit, without a name nor a detail of a category: the recipients read the rest in
Coparcours, as far as the policy lets them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Action, Capability, Category, check, members_who_may
from coparcours.housing import rules
from coparcours.housing.models.incidents import (
    IncidentDetail,
    IncidentKind,
    IncidentMeasure,
    IncidentStatus,
    IncidentYouth,
    SeriousIncident,
)
from coparcours.housing.models.sites import Site
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors.incidents import NOTICE, reading_of
from coparcours.housing.selectors.roles import lead_organisation_id
from coparcours.housing.services.coordination import (
    is_coordination,
    require_coordination,
    require_member_staff,
)
from coparcours.youths.privacy.anonymisation import ERASED


@dataclass(frozen=True)
class Report:
    """What the hosting member writes: the report (sent on), the details (kept under the
    policy's categories)."""

    kind: str
    occurred_on: datetime.date
    facts: str
    measures: str
    occurred_time: datetime.time | None = None
    informed: str = ""
    declared_on: datetime.date | None = None
    health_details: str = ""
    justice_details: str = ""


def _check_dates(
    occurred_on: datetime.date | None,
    declared_on: datetime.date | None = None,
    returned_on: datetime.date | None = None,
) -> None:
    errors = rules.incident_date_errors(timezone.localdate(), occurred_on, declared_on, returned_on)
    if errors:
        raise ValidationError(errors)


def _check_report(report: Report, stay: Stay | None) -> None:
    _check_dates(report.occurred_on, report.declared_on)
    errors: dict[str, str] = {}
    if report.kind == IncidentKind.RUNAWAY:
        if stay is None:
            errors["kind"] = "Une fugue se signale depuis le séjour du jeune concerné."
        if report.declared_on is None:
            errors["declared_on"] = (
                "Indiquez le jour où la police ou la gendarmerie a été alertée de la fugue."
            )
    if stay is None and (report.health_details.strip() or report.justice_details.strip()):
        errors["health_details"] = (
            "Les détails de santé ou de justice concernent un jeune : signalez depuis son séjour."
        )
    if stay is not None and not (
        stay.start_date <= report.occurred_on
        and (stay.end_date is None or report.occurred_on < stay.end_date)
    ):
        errors["occurred_on"] = (
            f"Le jeune n'était pas hébergé à {stay.site.name} le {report.occurred_on:%d/%m/%Y}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_incident(
    user: Any, site: Site, report: Report, stay: Stay | None = None
) -> SeriousIncident:
    """The hosting member reports an event at its site, about the youth of ``stay`` if given;
    the coordination and the Département are told after the commit."""
    _check_report(report, stay)
    host = site.operator_on(report.occurred_on)
    require_member_staff(user, host)
    if stay is not None:
        check(
            user,
            stay.youth,
            Category.HOUSING,
            Action.WRITE,
            author_organisation_id=stay.author_organisation_id,
            obj=stay,
            within_organisation_id=host.pk,
        )
    incident = SeriousIncident(
        consortium=site.consortium,
        site=site,
        organisation=host,
        kind=report.kind,
        occurred_on=report.occurred_on,
        occurred_time=report.occurred_time,
        facts=report.facts,
        measures=report.measures,
        informed=report.informed,
        declared_on=report.declared_on,
        reported_by=user,
    )
    incident.full_clean()
    incident.save()
    if stay is not None:
        IncidentYouth.objects.create(incident=incident, youth=stay.youth, author_organisation=host)
        _write_details(user, incident, stay, report.health_details, report.justice_details)
    transaction.on_commit(lambda: _notify_reported(incident))
    return incident


def _write_details(
    user: Any, incident: SeriousIncident, stay: Stay, health: str, justice: str
) -> None:
    """The health and justice details, each in its category, written by the host for the
    youth (``check`` decides and audits the write)."""
    for category, text in ((Category.HEALTH, health), (Category.JUSTICE, justice)):
        if not text.strip():
            continue
        check(
            user,
            stay.youth,
            category,
            Action.WRITE,
            obj=incident,
            within_organisation_id=incident.organisation_id,
        )
        detail = IncidentDetail(
            incident=incident,
            youth=stay.youth,
            author_organisation=incident.organisation,
            text=text.strip(),
        )
        detail.category = category
        detail.save()


@transaction.atomic
def add_youth(
    user: Any, incident: SeriousIncident, stay: Stay, *, health: str = "", justice: str = ""
) -> IncidentYouth:
    """Another youth the event concerns (a fight, several youths gone together): one the
    hosting member hosted at the site on the day, named by its staff until the incident is
    closed, with their own health or justice details. The notice to the Département does
    not change: it never names anyone."""
    require_member_staff(user, incident.organisation)
    incident = _lock(incident)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError("Cet événement est clos : aucun jeune ne s'y ajoute.")
    hosted = (
        stay.site_id == incident.site_id
        and stay.author_organisation_id == incident.organisation_id
        and stay.start_date <= incident.occurred_on
        and (stay.end_date is None or stay.end_date > incident.occurred_on)
    )
    if not hosted:
        raise ValidationError(
            {"stay": "Ce jeune n'était pas accueilli sur ce site le jour de l'événement."}
        )
    if incident.youths.filter(youth_id=stay.youth_id).exists():
        raise ValidationError({"stay": f"{stay.youth} est déjà concerné·e par cet événement."})
    check(
        user,
        stay.youth,
        Category.HOUSING,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
        within_organisation_id=incident.organisation_id,
    )
    concerned = IncidentYouth.objects.create(
        incident=incident, youth=stay.youth, author_organisation=incident.organisation
    )
    _write_details(user, incident, stay, health, justice)
    return concerned


def _lock(incident: SeriousIncident) -> SeriousIncident:
    return SeriousIncident.objects.select_for_update().select_related("site").get(pk=incident.pk)


@transaction.atomic
def acknowledge(user: Any, incident: SeriousIncident) -> SeriousIncident:
    """The coordination of the GME has read the report and follows it."""
    require_coordination(user, incident.consortium)
    incident = _lock(incident)
    if incident.status != IncidentStatus.DECLARED:
        raise ValidationError("Cet événement a déjà été pris en compte.")
    incident.status = IncidentStatus.ACKNOWLEDGED
    incident.acknowledged_by = user
    incident.acknowledged_at = timezone.now()
    incident.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
    return incident


@transaction.atomic
def record_return(
    user: Any, incident: SeriousIncident, returned_on: datetime.date
) -> SeriousIncident:
    """The youth who ran away is back: the hosting member records the day, which closes the
    runaway."""
    require_member_staff(user, incident.organisation)
    incident = _lock(incident)
    if not incident.is_runaway:
        raise ValidationError("Seule une fugue a une date de retour.")
    if incident.returned_on is not None:
        raise ValidationError("Le retour de ce jeune est déjà enregistré.")
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError("Cette fugue est close : son retour ne s'enregistre plus.")
    _check_dates(incident.occurred_on, incident.declared_on, returned_on)
    incident.returned_on = returned_on
    incident.status = IncidentStatus.CLOSED
    incident.closed_by = user
    incident.closed_at = timezone.now()
    incident.closing_note = f"Retour du jeune le {returned_on:%d/%m/%Y}."
    incident.save(
        update_fields=[
            "returned_on",
            "status",
            "closed_by",
            "closed_at",
            "closing_note",
            "updated_at",
        ]
    )
    return incident


@transaction.atomic
def close(user: Any, incident: SeriousIncident, note: str) -> SeriousIncident:
    """The coordination closes the follow-up, saying why (a runaway may close without a
    return: a youth gone to another département, say)."""
    require_coordination(user, incident.consortium)
    incident = _lock(incident)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError("Cet événement est déjà clos.")
    if not note.strip():
        raise ValidationError({"closing_note": "Dites comment le suivi se termine."})
    incident.status = IncidentStatus.CLOSED
    incident.closed_by = user
    incident.closed_at = timezone.now()
    incident.closing_note = note.strip()
    incident.save(update_fields=["status", "closed_by", "closed_at", "closing_note", "updated_at"])
    return incident


def require_reader(user: Any, incident: SeriousIncident, *, full: bool) -> None:
    """A refusal (403) unless the user follows the incident: its host's staff or the GME's
    coordination (``full``), or, for the minimal notice, the GME's funder too."""
    reading = reading_of(user, incident)
    if reading is None or (full and reading == NOTICE):
        raise PermissionDenied("Cet événement ne concerne pas votre organisation.")


def notice_text(incident: SeriousIncident) -> str:
    """The notice to the Département: only what the rule requires (kind, date, site,
    member, measures; for a runaway its declaration and return), never a name nor a detail
    of health or justice."""
    when = f"{incident.occurred_on:%d/%m/%Y}"
    if incident.occurred_time:
        when += f" à {incident.occurred_time:%H:%M}"
    lines = [
        f"Nature : {incident.get_kind_display()}",
        f"Survenu le : {when}",
        f"Site : {incident.site.name} ({incident.site.city})",
        f"Membre accueillant : {incident.organisation.name}",
        f"Mesures prises : {incident.measures}",
    ]
    if incident.is_runaway:
        lines.append(f"Déclarée aux forces de l'ordre le : {incident.declared_on:%d/%m/%Y}")
    return "\n".join(lines)


def _recipients(incident: SeriousIncident) -> tuple[list[str], list[str]]:
    """Who is told of an incident: the GME's coordination (who reads the report in
    Coparcours) and the Département's people following the GME's incidents (the notice)."""
    coordination = [
        m.user.email
        for m in members_who_may(
            lead_organisation_id(incident.consortium), Capability.HOUSING_COORDINATION
        )
    ]
    funder_id = incident.consortium.funder_id
    funders = (
        [m.user.email for m in members_who_may(funder_id, Capability.HOUSING_INCIDENTS)]
        if funder_id
        else []
    )
    return coordination, funders


def _link(incident: SeriousIncident) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("housing:incident", args=[incident.pk])


def _notify_reported(incident: SeriousIncident) -> None:
    """Tell the coordination and the Département (the notice, CASF L.331-8-1)."""
    subject = f"Coparcours — Événement grave signalé : {incident.get_kind_display()}"
    coordination, funders = _recipients(incident)
    if coordination:
        send_mail(
            subject,
            f"{incident.organisation.name} signale un événement grave au sein du groupement "
            f"{incident.consortium.name}.\n\n{notice_text(incident)}\n\n"
            f"Le signalement, à prendre en compte : {_link(incident)}",
            None,
            coordination,
        )
    if funders:
        send_mail(
            subject,
            "Information de l'autorité (CASF L.331-8-1) par le groupement "
            f"{incident.consortium.name}.\n\n{notice_text(incident)}\n\n"
            f"Le suivi de cet événement : {_link(incident)}",
            None,
            funders,
        )


@transaction.atomic
def add_measure(user: Any, incident: SeriousIncident, text: str) -> IncidentMeasure:
    """A measure taken or a follow-up given after the report, by the hosting member's staff
    or the coordination, until the incident is closed. The Département is told, with the
    coordination when the member writes it (CASF L.331-8-1: the authority follows what is
    done)."""
    by_coordination = is_coordination(user, incident.consortium)
    if not by_coordination:
        require_member_staff(user, incident.organisation)
    incident = _lock(incident)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError("Cet événement est clos : aucune suite ne s'y ajoute.")
    if not text.strip():
        raise ValidationError({"text": "Dites quelle mesure est prise ou quelle suite est donnée."})
    measure = IncidentMeasure.objects.create(
        incident=incident, text=text.strip(), by_coordination=by_coordination, written_by=user
    )
    transaction.on_commit(lambda: _notify_measure(incident, measure))
    return measure


def _notify_measure(incident: SeriousIncident, measure: IncidentMeasure) -> None:
    coordination, funders = _recipients(incident)
    author = "La coordination du groupement" if measure.by_coordination else incident.organisation
    recipients = funders + ([] if measure.by_coordination else coordination)
    if recipients:
        send_mail(
            f"Coparcours — Suite donnée : {incident.get_kind_display()} du "
            f"{incident.occurred_on:%d/%m/%Y}",
            f"{author} donne une suite à l'événement grave signalé au sein du groupement "
            f"{incident.consortium.name}.\n\n{notice_text(incident)}\n\n"
            f"Suite donnée le {timezone.localtime(measure.created_at):%d/%m/%Y} : "
            f"{measure.text}\n\nLe suivi de cet événement : {_link(incident)}",
            None,
            recipients,
        )


def erase_youth_details(sender: Any, youth_id: int, **kwargs: Any) -> None:
    """Receiver of ``youths.privacy.anonymisation.youth_anonymised``: the health and justice
    details about the youth are erased with the record's free text, past versions included
    (docs/domain-rules.md, "Retention"); the report itself names no one and stays."""
    IncidentDetail.objects.filter(youth_id=youth_id).update(text=ERASED, updated_at=timezone.now())
    IncidentDetail.history.filter(youth_id=youth_id).update(text=ERASED)
