"""The partnership's programme: its month of collective sessions and permanences, a
session with its places, the youths registered and their attendance, and the programme's
ICS feed (docs/domain-rules.md, "CEJ-JR: collective sessions and permanences")."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import ics, programme
from coparcours.cej.forms import RegistrationForm, SessionCancelForm, SessionForm
from coparcours.cej.models import ProgrammeFeed, SessionRegistration
from coparcours.cej.services import sessions
from coparcours.core.access import Category, acting_organisation, acting_organisation_id
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.core.audit import logged_path
from coparcours.core.forms import apply_service_errors
from coparcours.core.views import Confirmation, confirmation_page

EE = Category.EDUCATION_EMPLOYMENT


def _month(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{request.GET.get('mois', '')}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@requires(Capability.CEJ_PROGRAMME)
def programme_month(request: HttpRequest) -> HttpResponse:
    """The month's sessions and permanences of the organisation's partnerships."""
    month = _month(request)
    start, end = programme.month_bounds(month)
    organisation_id = acting_organisation_id(request)
    return render(
        request,
        "cej/programme.html",
        {
            "month": month,
            "previous": (month - datetime.timedelta(days=1)).replace(day=1),
            "following": end.date(),
            "sessions": list(
                programme.sessions_of(organisation_id)
                .filter(starts_at__gte=start, starts_at__lt=end)
                .order_by("starts_at", "pk")
            ),
            "permanences": list(
                programme.permanences_of(organisation_id)
                .filter(starts_at__gte=start, starts_at__lt=end)
                .order_by("starts_at", "pk")
            ),
        },
    )


@requires(Capability.CEJ_PROGRAMME)
def session_create(request: HttpRequest) -> HttpResponse:
    partnerships = programme.partnerships_of(acting_organisation_id(request))
    form = SessionForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            session = sessions.create_session(
                request.user, acting_organisation(request), data.pop("partnership"), **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Séance ajoutée au programme : {session.title}.")
            return redirect("cej:session", pk=session.pk)
    return render(
        request,
        "cej/form_page.html",
        {
            "form": form,
            "title": "Nouvelle séance collective",
            "intro": "Le programme est lu par tous les membres du partenariat et publié en "
            "agenda : n'y écrivez aucun nom de jeune.",
            "cancel": "cej:programme",
        },
    )


@requires(Capability.CEJ_PROGRAMME, categories=[Category.IDENTITY, EE])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session: its places, the youths the reader may see registered, the registration
    of a youth (POST) and their attendance once it has started."""
    organisation_id = acting_organisation_id(request)
    session = get_object_or_404(programme.sessions_of(organisation_id), pk=pk)
    form = RegistrationForm(
        request.POST or None,
        pathways=programme.registerable_pathways(
            request.user, organisation_id, session.partnership_id
        ),
    )
    if request.method == "POST" and form.is_valid():
        pathway = form.cleaned_data["pathway"]
        try:
            sessions.register_youth(request.user, acting_organisation(request), session, pathway)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{pathway.youth} est inscrit·e : l'activité est planifiée.")
            return redirect("cej:session", pk=session.pk)
    started = session.starts_at <= timezone.now()
    return render(
        request,
        "cej/session_detail.html",
        {
            "session": session,
            "form": form,
            "registrations": programme.named_registrations(request.user, organisation_id, session),
            "started": started,
            "open": session.for_youths
            and not started
            and not session.is_cancelled
            and session.taken < session.capacity,
            "cancellable": sessions.may_cancel_session(organisation_id, session),
        },
    )


def _when(session) -> str:
    starts = timezone.localtime(session.starts_at)
    return f"{starts:%d/%m/%Y} à {starts:%H:%M}"


@requires(Capability.CEJ_PROGRAMME, categories=[Category.IDENTITY, EE])
def registration_withdraw(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    """Withdraw a youth from a session to come: the GET shows the consequence, the POST does
    it; a registration the reader does not see named is not found."""
    organisation_id = acting_organisation_id(request)
    session = get_object_or_404(programme.sessions_of(organisation_id), pk=pk)
    registration: SessionRegistration | None = next(
        (
            r
            for r in programme.named_registrations(request.user, organisation_id, session)
            if r.pk == registration_id
        ),
        None,
    )
    if registration is None:
        raise Http404("Inscription introuvable.")
    back = reverse("cej:session", args=[session.pk])
    if request.method == "POST":
        try:
            sessions.withdraw_registration(request.user, acting_organisation(request), registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{registration.pathway.youth} n'est plus inscrit·e : la place est libre."
            )
        return redirect(back)
    return confirmation_page(
        request,
        Confirmation(
            title="Retirer l'inscription ?",
            consequences=[
                f"La place est libérée : {session.taken - 1} inscrit"
                f"{'s' if session.taken - 1 > 1 else ''} sur {session.capacity} ensuite.",
                "L'activité planifiée est retirée du parcours du jeune et de ses rappels : "
                "prévenez-le ou prévenez-la.",
            ],
            confirm="Retirer l'inscription",
            cancel_url=back,
            parent=session.title,
            facts=[("Jeune", str(registration.pathway.youth)), ("Séance", _when(session))],
        ),
    )


@requires(Capability.CEJ_PROGRAMME)
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The organising member cancels a session to come, with its reason, after reading what
    it entails."""
    organisation_id = acting_organisation_id(request)
    session = get_object_or_404(programme.sessions_of(organisation_id), pk=pk)
    back = reverse("cej:session", args=[session.pk])
    if not sessions.may_cancel_session(organisation_id, session):
        messages.info(request, "Cette séance ne peut pas, ou plus, être annulée par vous.")
        return redirect(back)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = sessions.cancel_session(
                request.user, acting_organisation(request), session, form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            withdrawn = f" ; {count} inscription{'s' if count > 1 else ''} retirée" + (
                "s" if count > 1 else ""
            )
            messages.success(request, f"Séance annulée{withdrawn if count else ''}.")
            return redirect(back)
    registered = (
        [
            f"Les {session.taken} jeunes inscrits n'y sont plus attendus : leur activité est "
            "retirée de leur parcours, et les personnes qui les ont inscrits sont prévenues "
            "par courriel (sans nom de jeune) pour les avertir."
            if session.taken > 1
            else "Le jeune inscrit n'y est plus attendu : son activité est retirée de son "
            "parcours, et la personne qui l'a inscrit est prévenue par courriel (sans nom de "
            "jeune) pour l'avertir."
        ]
        if session.taken
        else []
    )
    return confirmation_page(
        request,
        Confirmation(
            title="Annuler la séance ?",
            consequences=[
                "La séance reste au programme et dans l'agenda publié, marquée « annulée », "
                "avec son motif ; elle ne reçoit plus d'inscription.",
                *registered,
                "L'annulation est définitive : pour la reporter, créez une nouvelle séance.",
            ],
            confirm="Annuler la séance",
            cancel_url=back,
            parent=session.title,
            facts=[
                ("Séance", f"{session.get_kind_display()} — {session.title}"),
                ("Date", _when(session)),
                ("Inscrits", str(session.taken) if session.for_youths else "—"),
            ],
            form=form,
        ),
    )


@requires(Capability.CEJ_PROGRAMME, categories=[Category.IDENTITY, EE])
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance of the registered youths the reader records, counted into their
    weekly hours through their activities."""
    organisation_id = acting_organisation_id(request)
    session = get_object_or_404(programme.sessions_of(organisation_id), pk=pk)
    named = programme.named_registrations(request.user, organisation_id, session)
    present = {
        registration.pk: request.POST[f"present-{registration.pk}"] == "1"
        for registration in named
        if request.POST.get(f"present-{registration.pk}") in {"0", "1"}
    }
    try:
        count = sessions.record_session_attendance(
            request.user, acting_organisation(request), session, present
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Présence notée pour {count} jeune{'s' if count > 1 else ''}.")
    return redirect("cej:session", pk=session.pk)


@requires(Capability.CEJ_PROGRAMME)
def programme_feeds(request: HttpRequest) -> HttpResponse:
    """The programme's ICS feeds the person created; a new address is shown once."""
    organisation_id = acting_organisation_id(request)
    partnerships = programme.partnerships_of(organisation_id)
    created_url = ""
    if request.method == "POST":
        partnership = get_object_or_404(partnerships, pk=request.POST.get("partnership") or 0)
        token = sessions.create_programme_feed(
            request.user, acting_organisation(request), partnership
        )
        created_url = request.build_absolute_uri(reverse("cej:programme_feed", args=[token]))
    return render(
        request,
        "cej/programme_feeds.html",
        {
            "feeds": ProgrammeFeed.objects.filter(created_by=request.user).select_related(
                "partnership"
            ),
            "partnerships": partnerships,
            "created_url": created_url,
        },
    )


@requires(Capability.CEJ_PROGRAMME)
@require_POST
def programme_feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(ProgrammeFeed, pk=feed_id)
    if feed.created_by_id != request.user.pk:
        raise PermissionDenied("Seule la personne qui a créé cet agenda le supprime.")
    feed.delete()
    messages.success(request, "Agenda du programme supprimé : son adresse ne fonctionne plus.")
    return redirect("cej:programme_feeds")


#: The address written to the audit log for the programme's feed: never its secret token.
PROGRAMME_FEED_PATH_LOGGED = "/cej/programme/agenda/<adresse secrète>.ics"


@public(
    "The programme's calendar feed, read by a calendar application: its secret address is "
    "the credential, revocable by its creator; it holds no personal data."
)
def programme_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The programme of the feed's partnership, from 30 days back to 120 days ahead:
    sessions and permanences, titles, places and times only."""
    with logged_path(PROGRAMME_FEED_PATH_LOGGED):
        feed = sessions.programme_feed_for_token(token)
        if feed is None:
            raise Http404
        now = timezone.now()
        window = {
            "starts_at__gte": now - datetime.timedelta(days=30),
            "starts_at__lt": now + datetime.timedelta(days=120),
        }
        body = ics.programme(
            feed.partnership,
            feed.partnership.cej_sessions.filter(**window).select_related("organiser"),
            feed.partnership.cej_permanences.filter(**window).select_related("mission_locale"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
