"""Activities and their attendance, counted in the weekly hours, and the shared planning."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import rules, selectors
from coparcours.cej.forms import ActivityForm, AttendanceForm
from coparcours.cej.models import Activity
from coparcours.cej.services import hours
from coparcours.cej.views.common import form_page, only_its_side, partner_organisations
from coparcours.core.access import Category, SharedAct, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.ACTIVITIES)
    form = ActivityForm(request.POST or None, organisations=partner_organisations(pathway))
    if request.method == "POST" and form.is_valid():
        try:
            activity = hours.add_activity(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Activité enregistrée : {activity.title}.")
            week = rules.week_start(timezone.localtime(activity.starts_at).date())
            return redirect(
                f"{reverse('cej:accompaniment', args=[pathway.pk])}?semaine={week.isoformat()}"
            )
    return form_page(request, pathway, form, "Planifier ou noter une activité")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def activity_attendance(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    pathway, activity = selectors.pathway_record_for(
        request.user, pk, Activity.objects.all(), activity_id
    )
    only_its_side(request, pathway, SharedAct.ACTIVITIES)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            hours.record_attendance(
                request.user, acting_organisation(request), activity, form.cleaned_data["attended"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Présence notée.")
    week = rules.week_start(timezone.localtime(activity.starts_at).date())
    return redirect(f"{reverse('cej:accompaniment', args=[pathway.pk])}?semaine={week}")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def planning(request: HttpRequest) -> HttpResponse:
    """The shared planning of the partners, by week or by month."""
    view = "mois" if request.GET.get("vue") == "mois" else "semaine"
    try:
        day = datetime.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        day = timezone.localdate()
    if view == "mois":
        start = day.replace(day=1)
        end = rules.add_months(start, 1)
        previous, following = rules.add_months(start, -1), end
    else:
        start = rules.week_start(day)
        end = start + datetime.timedelta(days=7)
        previous, following = start - datetime.timedelta(days=7), end
    rows = selectors.planning(request.user, start, end)
    days: dict[datetime.date, list] = {}
    for row in rows:
        days.setdefault(timezone.localtime(row.activity.starts_at).date(), []).append(row)
    return render(
        request,
        "cej/planning.html",
        {
            "view": view,
            "start": start,
            "end": end - datetime.timedelta(days=1),
            "previous": previous,
            "following": following,
            "days": sorted(days.items()),
        },
    )
