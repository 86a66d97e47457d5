"""Pages of the partners' shared guides, meetings and decision log (per consortium or
partnership)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.directory import guides, library, meetings, partners
from coparcours.directory.forms.partners import (
    DecisionForm,
    DecisionSearchForm,
    GuideForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    VersionForm,
)
from coparcours.directory.models import Decision, GuideKind, MeetingKind
from coparcours.organisations.models import Consortium

PAGE_SIZE = 25


# --- Guides ---------------------------------------------------------------------------------


@requires(Capability.PARTNERS)
def guide_list(request: HttpRequest) -> HttpResponse:
    """The library of each consortium the user's organisations are members of."""
    text = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    found = guides.visible_guides(request.user, text=text, kind=kind if kind in GuideKind else "")
    editable = partners.member_consortia(request.user, editing=True)
    return render(
        request,
        "directory/guides/list.html",
        {
            "shelves": library.shelves(request.user, found),
            "q": text,
            "kind": kind,
            "kinds": GuideKind.choices,
            "can_create": bool(editable),
            "today": timezone.localdate(),
        },
    )


@requires(Capability.PARTNERS_EDIT)
def guide_create(request: HttpRequest) -> HttpResponse:
    editable = partners.member_consortia(request.user, editing=True)
    if not editable:
        partners.refuse(request.user, "Publier un document")
    consortia = Consortium.objects.filter(pk__in=editable)
    form = GuideForm(
        request.POST or None,
        request.FILES or None,
        consortia=consortia,
        owners=guides.owner_choices(set(editable)),
        designations=library.publisher_designations(request.user),
        initial={"owner": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guide = guides.create_guide(
                request.user,
                data["consortium"],
                kind=data["kind"],
                title=data["title"],
                owner=data["owner"],
                review_on=data["review_on"],
                body=data["body"],
                upload=data["file"],
                **form.reach_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Document publié (version 1).")
            return redirect("directory:guide", guide.pk)
    return render(
        request,
        "directory/guides/form.html",
        {"form": form, "title": "Nouveau document partagé"},
    )


@requires(Capability.PARTNERS)
def guide_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guide = guides.guide_for(request.user, pk)
    versions = list(guide.versions.all())
    return render(
        request,
        "directory/guides/detail.html",
        {
            "guide": guide,
            "current": versions[0] if versions else None,
            "versions": versions,
            "can_edit": guides.may_edit(request.user, guide.consortium_id),
            "may_widen": bool(library.publisher_designations(request.user)),
            "placements": library.placement_controls(request.user, guide),
            "reach_text": library.reach_label(guide, len(guide.shared_with.all())),
            "today": timezone.localdate(),
        },
    )


@requires(Capability.PARTNERS)
def guide_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An earlier version, read as it was published."""
    version = guides.version_for(request.user, pk, number)
    return render(
        request,
        "directory/guides/version.html",
        {"guide": version.guide, "version": version},
    )


@requires(Capability.PARTNERS)
def guide_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """Files are served only here, to members of the consortium (never from a public URL)."""
    version = guides.version_for(request.user, pk, number)
    if not version.file:
        raise Http404("Cette version n'a pas de fichier.")
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.PARTNERS_EDIT)
def guide_publish(request: HttpRequest, pk: int) -> HttpResponse:
    guide = guides.guide_for(request.user, pk)
    if not guides.may_edit(request.user, guide.consortium_id):
        partners.refuse(request.user, "Publier une version", guide)
    current = guide.versions.all()[0]
    form = VersionForm(
        request.POST or None,
        request.FILES or None,
        owners=guides.owner_choices({guide.consortium_id}),
        initial={"body": current.body, "owner": guide.owner_id, "review_on": guide.review_on},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = guides.publish_version(
                request.user,
                guide,
                change_note=data["change_note"],
                body=data["body"],
                upload=data["file"],
                review_on=data["review_on"],
                owner=data["owner"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} publiée.")
            return redirect("directory:guide", guide.pk)
    return render(
        request,
        "directory/guides/form.html",
        {"form": form, "title": f"Nouvelle version de « {guide.title} »", "guide": guide},
    )


# --- Meetings -------------------------------------------------------------------------------


@requires(Capability.PARTNERS)
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    visible = meetings.visible_meetings(request.user)
    upcoming = visible.filter(ends_at__gte=now).order_by("starts_at", "pk")
    past = Paginator(visible.filter(ends_at__lt=now), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/meetings/list.html",
        {
            "upcoming": upcoming[:50],
            "page": past,
            "can_create": bool(partners.member_consortia(request.user, editing=True)),
        },
    )


@requires(Capability.PARTNERS_EDIT)
def meeting_create(request: HttpRequest) -> HttpResponse:
    editable = partners.member_consortia(request.user, editing=True)
    if not editable:
        partners.refuse(request.user, "Programmer une réunion de partenaires")
    form = MeetingForm(
        request.POST or None,
        consortia=Consortium.objects.filter(pk__in=editable),
        people=meetings.invitee_choices(set(editable)),
        initial={"kind": MeetingKind.COPIL},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = meetings.schedule_meeting(
                request.user,
                consortia=list(data["consortia"]),
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                agenda=data["agenda"],
                invitees=list(data["invitees"]),
                repeat=data["repeat"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{len(created)} réunion(s) programmée(s).")
            return redirect("directory:meeting", created[0].pk)
    return render(
        request,
        "directory/meetings/form.html",
        {"form": form, "notice": meetings.NO_YOUTH_DATA},
    )


@requires(Capability.PARTNERS)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meetings.meeting_for(request.user, pk)
    attendances = list(meeting.attendances.all())
    consortium_ids = {c.pk for c in meeting.consortia.all()}
    can_edit = meetings.may_edit(request.user, meeting)
    minutes_form = MinutesForm(
        request.POST if request.POST.get("form") == "minutes" else None,
        attendances=attendances,
        initial={"minutes": meeting.minutes},
    )
    people = meetings.invitee_choices(consortium_ids)
    decision_form = DecisionForm(
        request.POST if request.POST.get("form") == "decision" else None, people=people
    )
    if request.method == "POST":
        if not can_edit:
            partners.refuse(request.user, "Modifier la réunion", meeting)
        if request.POST.get("form") == "minutes" and minutes_form.is_valid():
            try:
                meetings.record_minutes(
                    request.user,
                    meeting,
                    minutes=minutes_form.cleaned_data["minutes"],
                    attendance=minutes_form.attendance(),
                )
            except ValidationError as error:
                apply_service_errors(minutes_form, error)
            else:
                messages.success(request, "Compte rendu et présences enregistrés.")
                return redirect("directory:meeting", meeting.pk)
        elif request.POST.get("form") == "decision" and decision_form.is_valid():
            try:
                meetings.add_decision(request.user, meeting, **decision_form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(decision_form, error)
            else:
                messages.success(request, "Décision notée.")
                return redirect("directory:meeting", meeting.pk)
    return render(
        request,
        "directory/meetings/detail.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "decisions": list(meeting.decisions.all()),
            "can_edit": can_edit,
            "minutes_form": minutes_form,
            "decision_form": decision_form,
            "notice": meetings.NO_YOUTH_DATA,
        },
    )


@requires(Capability.PARTNERS_EDIT)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meetings.meeting_for(request.user, pk)
    if not meetings.may_edit(request.user, meeting):
        partners.refuse(request.user, "Modifier la réunion", meeting)
    consortium_ids = {c.pk for c in meeting.consortia.all()}
    form = MeetingEditForm(
        request.POST or None,
        people=meetings.invitee_choices(consortium_ids),
        initial={
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "location": meeting.location,
            "agenda": meeting.agenda,
            "invitees": [a.user_id for a in meeting.attendances.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.update_meeting(request.user, meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, "Réunion modifiée. Renvoyez l'invitation pour mettre à jour les agendas."
            )
            return redirect("directory:meeting", meeting.pk)
    return render(
        request,
        "directory/meetings/form.html",
        {"form": form, "notice": meetings.NO_YOUTH_DATA, "meeting": meeting},
    )


@requires(Capability.PARTNERS)
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meetings.meeting_for(request.user, pk)
    response = HttpResponse(meetings.meeting_ics(meeting), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


@requires(Capability.PARTNERS_EDIT)
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meetings.meeting_for(request.user, pk)
    try:
        count = meetings.send_invitations(request.user, meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation envoyée à {count} participant·e(s).")
    return redirect("directory:meeting", meeting.pk)


@requires(Capability.PARTNERS_EDIT)
@require_POST
def decision_done(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.select_related("meeting"),
        pk=pk,
        meeting__in=meetings.visible_meetings(request.user).values("pk"),
    )
    meetings.close_decision(request.user, decision)
    messages.success(request, "Décision marquée comme faite.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("directory:decisions")
    return redirect(target)


@requires(Capability.PARTNERS)
def decision_log(request: HttpRequest) -> HttpResponse:
    """Decisions of every meeting the user may read, searchable across meetings."""
    consortia = Consortium.objects.filter(pk__in=partners.meeting_consortia(request.user))
    form = DecisionSearchForm(request.GET or None, consortia=consortia)
    filters = form.cleaned_data if form.is_valid() else {}
    found = meetings.decision_log(
        request.user,
        text=filters.get("q", ""),
        consortium_id=filters["consortium"].pk if filters.get("consortium") else None,
        status=filters.get("status", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/meetings/decisions.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )
