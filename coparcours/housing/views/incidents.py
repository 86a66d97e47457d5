"""Serious incidents and runaways (CASF L.331-8-1; docs/domain-rules.md, "Serious incidents
and runaways"): the list, the report by the hosting member (from a stay or for a site), the
follow-up page, the coordination's acknowledgement and closing, the youth's return.

Who reads what: the hosting member's staff and the coordination read the report; the
Département (the GME's funder) reads the notice only (kind, date, site, member, measures),
never a name nor the facts; the youths and the health or justice details are each decided
by the youth-data policy (``check_categories``, audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability, Category, acting_membership, check_categories, may
from coparcours.core.access.routes import requires
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.housing.forms import (
    IncidentCloseForm,
    IncidentForm,
    IncidentMeasureForm,
    IncidentReturnForm,
    IncidentYouthForm,
)
from coparcours.housing.models.incidents import IncidentStatus, SeriousIncident
from coparcours.housing.models.sites import Site
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors import incidents as incident_selectors
from coparcours.housing.selectors.stays import visible_stays
from coparcours.housing.services import coordination as coordination_services
from coparcours.housing.services import incidents as incident_services
from coparcours.housing.views.common import form_page, staff_ids, submit
from coparcours.housing.views.stays import stay_for

#: Incidents a page of the list shows.
INCIDENTS_PAGE = 50

_DETAILED = [Category.IDENTITY, Category.HOUSING, Category.HEALTH, Category.JUSTICE]


@requires(Capability.HOUSING_INCIDENTS)
def incident_list(request: HttpRequest) -> HttpResponse:
    """The incidents the user follows, the newest first, as the notice reads them (no youth
    is named on the list: the report's page decides each one)."""
    open_only = request.GET.get("vue", "en-cours") == "en-cours"
    incidents = incident_selectors.followed(request.user).select_related(
        "site", "organisation", "consortium"
    )
    if open_only:
        incidents = incidents.exclude(status=IncidentStatus.CLOSED)
    page = Paginator(incidents.order_by("-occurred_on", "-pk"), INCIDENTS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "housing/incidents.html",
        {
            "page": page,
            "open_only": open_only,
            "reports": may(acting_membership(request), Capability.HOUSING_INCIDENTS_REPORT),
        },
    )


def _report(request: HttpRequest, form: IncidentForm, site, stay=None) -> SeriousIncident | None:
    def act(data: dict) -> SeriousIncident:
        report = incident_services.Report(
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            occurred_time=data["occurred_time"],
            facts=data["facts"],
            measures=data["measures"],
            informed=data["informed"],
            declared_on=data["declared_on"],
            health_details=data.get("health_details", ""),
            justice_details=data.get("justice_details", ""),
        )
        return incident_services.report_incident(
            request.user, site or data["site"], report, stay=stay
        )

    return submit(
        request,
        form,
        act,
        "Événement signalé : la coordination et le Département en sont informés.",
    )


@requires(Capability.HOUSING_INCIDENTS_REPORT)
def incident_report(request: HttpRequest) -> HttpResponse:
    """An event at a site that concerns no youth in particular (a fire, a failing)."""
    sites = Site.objects.filter(organisation_id__in=staff_ids(request)).order_by("name")
    form = IncidentForm(
        request.POST or None, sites=sites, initial={"occurred_on": timezone.localdate()}
    )
    incident = _report(request, form, None)
    if incident:
        return redirect("housing:incident", pk=incident.pk)
    return form_page(request, form, "Signaler un événement grave sur un site", "housing:incidents")


@requires(Capability.HOUSING_INCIDENTS_REPORT, categories=_DETAILED)
def stay_incident(request: HttpRequest, pk: int) -> HttpResponse:
    """A runaway or another event about the youth of a stay, reported by the host."""
    stay = stay_for(request, pk, "write")
    coordination_services.require_member_staff(request.user, stay.author_organisation)
    form = IncidentForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    incident = _report(request, form, stay.site, stay)
    if incident:
        return redirect("housing:incident", pk=incident.pk)
    return form_page(
        request,
        form,
        f"Signaler une fugue ou un événement grave — {stay.youth}",
        "housing:stays",
        stay=stay,
    )


def _incident_for(request: HttpRequest, pk: int, *, full: bool = False) -> SeriousIncident:
    incident = get_object_or_404(
        incident_selectors.followed(request.user).select_related(
            "site", "organisation", "consortium", "reported_by", "acknowledged_by", "closed_by"
        ),
        pk=pk,
    )
    incident_services.require_reader(request.user, incident, full=full)
    return incident


def _youths_read(request: HttpRequest, incident: SeriousIncident) -> list[dict]:
    """Each youth the report concerns as far as the policy lets the reader see them: the
    name (identity) and the details of each category (one audited decision per youth)."""
    details = list(incident.details.all())
    found = []
    for concerned in incident.youths.select_related("youth"):
        youth = concerned.youth
        own = [d for d in details if d.youth_id == youth.pk]
        grants = check_categories(
            request.user, youth, [Category.IDENTITY, *sorted({d.category for d in own})]
        )
        found.append(
            {
                "youth": youth if grants[Category.IDENTITY] else None,
                "details": [
                    d
                    for d in own
                    if grants[d.category]
                    and grants[d.category].covers_author(d.author_organisation_id)
                ],
                "hidden": sum(
                    1
                    for d in own
                    if not (
                        grants[d.category]
                        and grants[d.category].covers_author(d.author_organisation_id)
                    )
                ),
            }
        )
    return found


@requires(Capability.HOUSING_INCIDENTS, categories=_DETAILED)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident_for(request, pk)
    reading = incident_selectors.reading_of(request.user, incident)
    report = reading == incident_selectors.REPORT
    membership = acting_membership(request)
    return render(
        request,
        "housing/incident_detail.html",
        {
            "incident": incident,
            "measures": list(incident.measures_taken.all()),
            "report": report,
            "youths": _youths_read(request, incident) if report else [],
            "coordination": report
            and may(membership, Capability.HOUSING_COORDINATION)
            and coordination_services.is_coordination(request.user, incident.consortium),
            "host": report
            and may(membership, Capability.HOUSING_INCIDENTS_REPORT)
            and incident.organisation_id in staff_ids(request),
        },
    )


@requires(Capability.HOUSING_COORDINATION)
def incident_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination has read the report (a POST from its page)."""
    incident = _incident_for(request, pk, full=True)
    if request.method == "POST":
        try:
            incident_services.acknowledge(request.user, incident)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Événement pris en compte : le membre le voit sur sa page.")
    return redirect("housing:incident", pk=incident.pk)


@requires(Capability.HOUSING_INCIDENTS_REPORT)
def incident_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The youth who ran away is back (the host records the day; the runaway closes)."""
    incident = _incident_for(request, pk, full=True)
    coordination_services.require_member_staff(request.user, incident.organisation)
    form = IncidentReturnForm(request.POST or None, initial={"returned_on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda data: incident_services.record_return(request.user, incident, data["returned_on"]),
        "Retour enregistré : la fugue est close.",
    ):
        return redirect("housing:incident", pk=incident.pk)
    return form_page(
        request,
        form,
        f"Retour après la fugue du {incident.occurred_on:%d/%m/%Y}",
        "housing:incidents",
        consequence="Enregistrer le retour clôt la fugue ; la coordination le voit aussitôt.",
    )


@requires(Capability.HOUSING_INCIDENTS_REPORT, categories=_DETAILED)
def incident_youth_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The host names another youth the event concerns, among those it hosted at the site
    on the day that the reader may see."""
    incident = _incident_for(request, pk, full=True)
    coordination_services.require_member_staff(request.user, incident.organisation)
    day = incident.occurred_on
    hosted = visible_stays(
        request.user,
        Stay.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day),
            site=incident.site,
            author_organisation=incident.organisation,
            start_date__lte=day,
        ).exclude(youth__in=incident.youths.values("youth")),
        few_rows=True,
    )
    form = IncidentYouthForm(
        request.POST or None, stays=Stay.objects.filter(pk__in=[s.pk for s in hosted])
    )
    if submit(
        request,
        form,
        lambda data: incident_services.add_youth(
            request.user,
            incident,
            data["stay"],
            health=data["health_details"],
            justice=data["justice_details"],
        ),
        "Jeune ajouté au signalement (le Département n'en reçoit pas le nom).",
    ):
        return redirect("housing:incident", pk=incident.pk)
    return form_page(request, form, f"Un autre jeune concerné : {incident}", "housing:incidents")


@requires(Capability.HOUSING_INCIDENTS)
def incident_measure(request: HttpRequest, pk: int) -> HttpResponse:
    """The host or the coordination records a measure taken or a follow-up given."""
    incident = _incident_for(request, pk, full=True)
    form = IncidentMeasureForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: incident_services.add_measure(request.user, incident, data["text"]),
        "Suite enregistrée : le Département la lit avec l'information de l'autorité.",
    ):
        return redirect("housing:incident", pk=incident.pk)
    return form_page(
        request,
        form,
        f"Suite donnée : {incident}",
        "housing:incidents",
        consequence="Le Département en est informé par courriel, et la coordination quand le "
        "membre accueillant l'écrit.",
    )


@requires(Capability.HOUSING_COORDINATION)
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordination closes the follow-up, after saying what it entails."""
    incident = _incident_for(request, pk, full=True)
    form = IncidentCloseForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: incident_services.close(request.user, incident, data["closing_note"]),
        "Événement clos.",
    ):
        return redirect("housing:incident", pk=incident.pk)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Clore le suivi : {incident.get_kind_display().lower()} du "
            f"{incident.occurred_on:%d/%m/%Y} ?",
            context=f"{incident.site.name} — {incident.organisation}",
            consequences=[
                "L'événement sort des listes « À traiter » de la coordination et du membre.",
                "La clôture est définitive : la note reste dans l'historique de l'événement.",
                *(
                    ["Le jeune n'est pas revenu : son retour ne pourra plus être enregistré."]
                    if incident.is_runaway and incident.returned_on is None
                    else []
                ),
            ],
            confirm="Clore l'événement",
            parent=str(incident),
            cancel_url=reverse("housing:incident", args=[incident.pk]),
            form=form,
        ),
    )
