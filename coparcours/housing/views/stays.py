"""Stays under the access policy: lists, a stay's page, transfer, exit, the decision at
18 and co-accompaniment by a second association."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Category,
    acting_membership,
    check,
    guard,
    may,
    may_access,
    visible_youth_data,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing.forms import AfterEighteenForm, CoAccompanimentForm, ExitForm, TransferForm
from coparcours.housing.models.sites import Site
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors import road18 as road_selectors
from coparcours.housing.selectors import stays as stay_selectors
from coparcours.housing.services import coordination as coordination_services
from coparcours.housing.services import majority as majority_services
from coparcours.housing.services import stays as stay_services
from coparcours.housing.views.common import form_page, staff_ids, submit
from coparcours.housing.youth_section import may_give_link
from coparcours.organisations.models import Organisation
from coparcours.space.links import youth_access

#: Stays a page of the list shows (a GME hosts a thousand youths at once).
STAYS_PAGE = 100


@requires(Capability.HOUSING_STAYS, categories=[Category.IDENTITY, Category.HOUSING])
def stay_list(request: HttpRequest) -> HttpResponse:
    """Stays whose housing data the user may read (access policy)."""
    current = request.GET.get("vue", "en-cours") == "en-cours"
    stays = Stay.objects.active() if current else Stay.objects.all()
    page = Paginator(stay_selectors.visible_stays_pages(request.user, stays), STAYS_PAGE).get_page(
        request.GET.get("page")
    )
    reminders = stay_selectors.pending_reminders([stay.youth_id for stay in page])
    return render(
        request,
        "housing/stays.html",
        {
            "rows": [(stay, reminders.get(stay.youth_id, [])) for stay in page],
            "page": page,
            "current": current,
        },
    )


def stay_for(
    request: HttpRequest,
    pk: int,
    action: str = Action.READ,
    category: str = Category.HOUSING,
    *,
    hosting_only: bool = False,
) -> Stay:
    """A stay of a youth the user's organisations accompany, after the policy's check of
    the category the page reads or writes (``hosting_only``: as the hosting member)."""
    stays = visible_youth_data(
        request.user,
        Stay.objects.select_related("youth", "site__organisation", "site__consortium"),
    )
    stay = get_object_or_404(stays, pk=pk)
    # a page read is audited here; a write page only leads to the act, audited by the service
    (check if action == Action.READ else guard)(
        request.user,
        stay.youth,
        category,
        action,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
        within_organisation_id=stay.author_organisation_id if hosting_only else None,
    )
    return stay


@requires(Capability.HOUSING_STAYS, categories=[Category.IDENTITY, Category.HOUSING])
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk)
    youth = stay.youth
    history = stay_selectors.visible_stays(
        request.user, Stay.objects.filter(youth=youth), few_rows=True
    )
    may_give = may(acting_membership(request), Capability.HOUSING_MEMBER) and may_give_link(
        request.user, stay
    )
    return render(
        request,
        "housing/stay_detail.html",
        {
            "stay": stay,
            "youth": youth,
            "history": sorted(history, key=lambda s: s.start_date),
            "decisions": stay.after_18.all(),
            "coordination": coordination_services.is_coordination(
                request.user, stay.site.consortium
            ),
            "opens_record": may(acting_membership(request), Capability.YOUTH_RECORDS)
            and may_access(request.user, youth, Category.IDENTITY),
            "may_give_link": may_give,
            "host": stay.author_organisation_id in staff_ids(request),
            "youth_access": youth_access(youth) if may_give else None,
        },
    )


@requires(
    Capability.HOUSING_MEMBER,
    categories=[Category.IDENTITY, Category.HOUSING, Category.EDUCATION_EMPLOYMENT],
)
def stay_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """A reorientation, decided by the coordination beside the youth's schooling where the
    policy lets it read it (a transfer may secure the schooling)."""
    stay = stay_for(request, pk, Action.WRITE)
    coordination_services.require_coordination(request.user, stay.site.consortium)
    readable, schooling = road_selectors.current_schooling(request.user, stay)
    sites = Site.objects.filter(consortium=stay.site.consortium).exclude(pk=stay.site_id)
    form = TransferForm(request.POST or None, sites=sites, initial={"on": timezone.localdate()})
    transfer = submit(
        request,
        form,
        lambda data: stay_services.transfer(
            request.user, stay, data["to_site"], data["on"], data["reason"], data["details"]
        ),
        "Réorientation enregistrée : un nouveau séjour est ouvert.",
    )
    if transfer:
        return redirect("housing:stay", pk=transfer.to_stay_id)
    return form_page(
        request,
        form,
        f"Réorienter — {stay.youth}",
        "housing:stays",
        stay=stay,
        schooling=schooling,
        schooling_readable=readable,
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_exit(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk, Action.WRITE)
    form = ExitForm(request.POST or None, initial={"on": timezone.localdate()})
    if submit(
        request,
        form,
        lambda data: stay_services.record_exit(
            request.user, stay, data["on"], data["reason"], data["details"]
        ),
        "Sortie enregistrée.",
    ):
        return redirect("housing:stays")
    return form_page(request, form, f"Sortie — {stay.youth}", "housing:stays", stay=stay)


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_after_18(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk, Action.WRITE)
    form = AfterEighteenForm(request.POST or None, initial={"start_date": stay.youth.majority_date})
    if submit(
        request,
        form,
        lambda data: majority_services.decide_after_18(request.user, stay, **data),
        "Décision à la majorité enregistrée.",
    ):
        return redirect("housing:stay", pk=stay.pk)
    return form_page(
        request, form, f"Décision à la majorité — {stay.youth}", "housing:stays", stay=stay
    )


@requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def stay_co_accompany(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_for(request, pk, Action.WRITE)
    members = Organisation.objects.filter(
        consortium_memberships__consortium=stay.site.consortium
    ).exclude(pk=stay.youth.owner_organisation_id)
    form = CoAccompanimentForm(
        request.POST or None, organisations=members, initial={"start": timezone.localdate()}
    )
    if submit(
        request,
        form,
        lambda data: stay_services.co_accompany(
            request.user, stay, data["organisation"], data["role"], data["start"]
        ),
        "Co-accompagnement enregistré.",
    ):
        return redirect("housing:stay", pk=stay.pk)
    return form_page(
        request,
        form,
        f"Co-accompagnement par une seconde association — {stay.youth}",
        "housing:stays",
        stay=stay,
    )
