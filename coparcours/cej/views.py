"""Web pages of the CEJ-JR pathway (French UI); every change goes through ``services``."""

from __future__ import annotations

import datetime

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.accounts.models import User
from coparcours.cej import followup, ics, pack, rules, selectors, services
from coparcours.cej import youth_page as youth_pages
from coparcours.cej.forms import (
    ActionStatusForm,
    ActivityForm,
    AssessmentForm,
    AttendanceForm,
    CharterForm,
    CollectForm,
    ContactForm,
    ContactImportForm,
    ContractForm,
    CounsellorForm,
    DecisionForm,
    ExitForm,
    FollowUpForm,
    InterviewForm,
    MeetingForm,
    MissedActionForm,
    OutreachForm,
    PaceaDecisionForm,
    PaceaRequestForm,
    PlanActionForm,
    PlanForm,
    RatingForm,
    ReviewCloseForm,
    SanctionDecisionForm,
)
from coparcours.cej.models import (
    DIMENSION_CATEGORIES,
    ActionPlan,
    Activity,
    CalendarFeed,
    Dimension,
    DossierItem,
    DossierStatus,
    MissedAction,
    PaceaAllowanceRequest,
    Pathway,
    PlanAction,
    Rater,
    Review,
    WeeklyFollowUp,
)
from coparcours.cej.rules import Stage
from coparcours.core.access import (
    Action,
    Category,
    SharedAct,
    acting_organisation,
    acting_organisation_id,
    check_categories,
    guard,
    may_act,
    require_act,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import public, requires
from coparcours.core.audit import logged_path
from coparcours.core.forms import apply_service_errors
from coparcours.core.pdf import pdf_response
from coparcours.organisations.models import Organisation, OrganisationKind
from coparcours.youths import opening
from coparcours.youths.models import Document

#: Pathways per page of the list (as the caseload).
PAGE_SIZE = 25


def _form_page(request, pathway, form, title, *, multipart=False, intro=""):
    return render(
        request,
        "cej/form_page.html",
        {"pathway": pathway, "form": form, "title": title, "multipart": multipart, "intro": intro},
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pathway_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("etape", "")
    text = request.GET.get("q", "").strip()
    rows = selectors.pathway_list(request.user, stage=stage, text=text)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cej/pathway_list.html",
        {"page": page, "stage": stage, "q": text, "stages": Stage.choices},
    )


@requires(Capability.CEJ_OUTREACH, categories=[Category.IDENTITY, Category.CONTACT])
def outreach(request: HttpRequest) -> HttpResponse:
    """Record a youth spotted: opens the pathway (stage identified)."""
    partnerships = selectors.partnerships_for(
        request.user, acting_organisation_id(request), as_porteur=True
    )
    if not partnerships:
        raise PermissionDenied(
            "Seul le porteur d'un partenariat CEJ-JR repère et ouvre un parcours."
        )
    missions = Organisation.objects.filter(
        kind=OrganisationKind.MISSION_LOCALE, consortium_memberships__consortium__in=partnerships
    ).distinct()
    form = OutreachForm(request.POST or None, partnerships=partnerships, missions_locales=missions)
    duplicates_visible, duplicates_elsewhere = [], 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = opening.duplicate_check(  # audited with its counts, never the names
            request.user,
            acting_organisation(request),
            data["last_name"],
            data["first_names"],
            data["birth_date"],
        )
        duplicates_visible, duplicates_elsewhere = list(duplicates.visible), duplicates.elsewhere
        if duplicates.found and not data["confirm_not_duplicate"]:
            form.add_error(
                None,
                "Ce jeune est peut-être déjà connu. Vérifiez les dossiers ci-dessous avant de "
                "créer un doublon, puis cochez la case de confirmation.",
            )
        else:
            try:
                pathway = services.record_outreach(
                    request.user,
                    acting_organisation(request),
                    data["partnership"],
                    youth_fields={
                        "last_name": data["last_name"],
                        "first_names": data["first_names"],
                        "birth_date": data["birth_date"],
                    },
                    mission_locale=data["mission_locale"],
                    identified_on=data["identified_on"],
                    spotted_where=data["spotted_where"],
                    spotted_by=data["spotted_by"],
                    spotted_how=data["spotted_how"],
                    registration=data["registration"],
                    registered_on=data["registered_on"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Parcours CEJ-JR ouvert pour {pathway.youth}.")
                return redirect("cej:detail", pk=pathway.pk)
    return render(
        request,
        "cej/outreach.html",
        {
            "form": form,
            "duplicates_visible": duplicates_visible,
            "duplicates_elsewhere": duplicates_elsewhere,
        },
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pathway_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    page = selectors.pathway_page(request.user, pathway)
    return render(
        request,
        "cej/pathway_detail.html",
        {
            "pathway": pathway,
            "page": page,
            "stage_changes": pathway.stage_changes.select_related("by", "decision__meeting"),
            "decisions": pathway.decisions.select_related("meeting"),
            "may_act": _acts(request, pathway),
            "Stage": Stage,
        },
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contact(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contact enregistré.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, "Ajouter un contact avec la mission locale")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contact_import(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContactImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contacts = services.import_contacts(
                request.user, acting_organisation(request), pathway, form.cleaned_data["file"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"{len(contacts)} contacts importés.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(
        request,
        pathway,
        form,
        "Importer des contacts (extraction de la mission locale)",
        multipart=True,
        intro="Rien n'est enregistré tant qu'une ligne comporte une erreur.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def eligibility_check(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    services.check_eligibility(
        request.user, acting_organisation(request), pathway, timezone.localdate()
    )
    messages.success(request, "Éligibilité vérifiée à la date du jour.")
    return redirect("cej:detail", pk=pathway.pk)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    latest = pathway.checks.first()
    if latest is None:
        raise PermissionDenied("Aucune vérification d'éligibilité à apprécier.")
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_overall_assessment(
                request.user,
                acting_organisation(request),
                latest,
                form.cleaned_data["assessment"],
                form.cleaned_data["justification"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Appréciation globale enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(
        request,
        pathway,
        form,
        "Appréciation globale de la situation",
        intro=f"Sur la vérification du {latest.checked_on:%d/%m/%Y} : {latest.label}.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
@require_POST
def dossier_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    try:
        services.prepare_dossier(request.user, acting_organisation(request), pathway)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Dossier administratif préparé.")
    return redirect("cej:detail", pk=pathway.pk)


def _acts(request: HttpRequest, pathway: Pathway) -> dict[str, bool]:
    """Which acts of the pathway's sides the page's organisation holds (links, forms)."""
    organisation_id = acting_organisation_id(request)
    return {act: may_act(organisation_id, pathway, act) for act in SharedAct}


def _only_its_side(request: HttpRequest, pathway: Pathway, act: str) -> None:
    """An act one side of the pathway holds (core.access.sides) is refused to the other
    before its form, as the service refuses the act."""
    require_act(acting_organisation_id(request), pathway, act)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def dossier_collect(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    pathway, item = selectors.pathway_record_for(
        request.user, pk, DossierItem.objects.all(), item_id
    )
    _only_its_side(request, pathway, SharedAct.ADMINISTRATIVE_FILE)
    guard(  # the collection is audited by the service
        request.user,
        pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.WRITE,
        author_organisation_id=item.author_organisation_id,
        obj=item,
    )
    documents = Document.objects.filter(
        youth=pathway.youth,
        category=Category.ADMIN_DOCUMENTS,
        author_organisation_id=item.author_organisation_id,
    )
    form = CollectForm(request.POST or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        try:
            services.collect_item(
                request.user, acting_organisation(request), item, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Pièce recueillie : {item.kind}.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, f"Pièce recueillie : {item.kind}")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
@require_POST
def dossier_transmit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.ADMINISTRATIVE_FILE)
    try:  # a refused consent is told on the pathway
        items = services.transmit_dossier(request.user, acting_organisation(request), pathway)
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, f"{len(items)} pièce(s) transmise(s) à {pathway.mission_locale}.")
    return redirect("cej:detail", pk=pathway.pk)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def dossier_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """One-click PDF pack of the transmitted pieces and their files, with the eligibility
    certificate."""
    pathway = selectors.pathway_for(request.user, pk)
    page = selectors.pathway_page(request.user, pathway)
    if not page.dossier_visible:
        raise PermissionDenied
    content = pack.dossier_pack(
        [i for i in page.dossier if i.status == DossierStatus.TRANSMITTED],
        {"pathway": pathway, "entry": page.entry_check, "today": timezone.localdate()},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dossier-cej-{pathway.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The eligibility certificate generated from the check at entry."""
    pathway = selectors.pathway_for(request.user, pk)
    page = selectors.pathway_page(request.user, pathway)
    if page.entry_check is None:
        raise PermissionDenied("Aucune vérification d'éligibilité à l'entrée.")
    return pdf_response(
        "cej/pdf/certificate.html",
        {"pathway": pathway, "entry": page.entry_check, "today": timezone.localdate()},
        filename=f"attestation-eligibilite-{pathway.pk}.pdf",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_contract(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contrat CEJ enregistré.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, "Signature du contrat CEJ")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def exit_record(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_exit(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Sortie du parcours enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, "Sortie du parcours")


# --- Missed actions and PACEA one-off allowances ---------------------------------------


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def missed_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The counsellor records a missed action; the dated scale proposes the sanction."""
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.SANCTION)
    form = MissedActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            missed = services.propose_sanction(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Manquement n° {missed.breach_number} enregistré : "
                f"{missed.get_proposed_effect_display().lower()} proposée.",
            )
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(
        request,
        pathway,
        form,
        "Constater un manquement",
        intro="La sanction est proposée selon le barème en vigueur à la date du manquement ; "
        "la mission locale décide après les observations du jeune.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def missed_action_decide(request: HttpRequest, pk: int, missed_id: int) -> HttpResponse:
    pathway, missed = selectors.pathway_record_for(
        request.user, pk, MissedAction.objects.all(), missed_id
    )
    _only_its_side(request, pathway, SharedAct.SANCTION)
    form = SanctionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_sanction(
                request.user, acting_organisation(request), missed, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Décision sur le manquement enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(
        request,
        pathway,
        form,
        f"Décision sur le manquement n° {missed.breach_number}",
        intro=f"{missed.description} (le {missed.occurred_on:%d/%m/%Y}) — sanction proposée : "
        f"{missed.get_proposed_effect_display().lower()}"
        + (f" de {missed.reduction_percent} %" if missed.reduction_percent else "")
        + ".",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pacea_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = PaceaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_pacea_allowance(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Demande d'allocation ponctuelle PACEA enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(
        request,
        pathway,
        form,
        "Demande d'allocation ponctuelle PACEA",
        intro="Pendant la remobilisation seulement : le PACEA ne court jamais en même temps "
        "que le CEJ.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def pacea_decide(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    pathway, pacea = selectors.pathway_record_for(
        request.user, pk, PaceaAllowanceRequest.objects.all(), request_id
    )
    _only_its_side(request, pathway, SharedAct.PACEA_DECISION)
    form = PaceaDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_pacea_allowance(
                request.user, acting_organisation(request), pacea, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Décision sur l'allocation ponctuelle enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(
        request,
        pathway,
        form,
        "Décision sur l'allocation ponctuelle PACEA",
        intro=f"{pacea.amount} € demandés le {pacea.requested_on:%d/%m/%Y} "
        f"par {pacea.requested_by}.",
    )


# --- Weekly integration committee -----------------------------------------------------


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_for(request.user, acting_organisation_id(request))
    return render(request, "cej/meeting_list.html", {"meetings": meetings})


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_create(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.partnerships_for(request.user, acting_organisation_id(request))
    if not partnerships:
        raise PermissionDenied("Le comité d'intégration réunit le porteur et la mission locale.")
    form = MeetingForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                request.user,
                acting_organisation(request),
                form.cleaned_data["partnership"],
                date=form.cleaned_data["date"],
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Comité créé : l'ordre du jour est prêt.")
            return redirect("cej:meeting", pk=meeting.pk)
    return render(
        request,
        "cej/form_page.html",
        {"form": form, "title": "Nouveau comité d'intégration", "cancel": "cej:meetings"},
    )


def _meeting_for(request: HttpRequest, pk: int):
    return get_object_or_404(
        selectors.meetings_for(request.user, acting_organisation_id(request)), pk=pk
    )


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pathway = get_object_or_404(
            selectors.visible_pathways(request.user), pk=form.cleaned_data["pathway"]
        )
        try:
            services.record_decision(
                request.user,
                acting_organisation(request),
                meeting,
                pathway,
                kind=form.cleaned_data["kind"],
                decided_by=form.cleaned_data["decided_by"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Décision enregistrée pour {pathway.youth}.")
        return redirect("cej:meeting", pk=meeting.pk)
    return render(
        request,
        "cej/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": selectors.agenda(request.user, meeting),
            "kinds": DecisionForm.base_fields["kind"].choices,
        },
    )


@requires(Capability.CEJ_COMMITTEE, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    return pdf_response(
        "cej/pdf/minutes.html",
        {
            "meeting": meeting,
            "rows": selectors.agenda(request.user, meeting, reason=selectors.AGENDA_IN_MINUTES),
        },
        filename=f"comite-{meeting.date:%Y-%m-%d}.pdf",
    )


# --- Co-accompaniment ------------------------------------------------------------------


def _week_param(request: HttpRequest) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = timezone.localdate()
    return rules.week_start(day)


def _partners(pathway) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=services.partners_of(pathway))


def _people(organisations) -> QuerySet[User]:
    today = timezone.localdate()
    return (
        User.objects.filter(
            memberships__organisation__in=organisations,
            memberships__start_date__lte=today,
        )
        .exclude(memberships__end_date__lte=today)
        .distinct()
        .order_by("last_name", "first_name")
    )


def _partnership_for(request: HttpRequest, pk: int):
    return get_object_or_404(
        selectors.partnerships_for(request.user, acting_organisation_id(request)), pk=pk
    )


@requires(Capability.CEJ_COMMITTEE)
def charter(request: HttpRequest, pk: int) -> HttpResponse:
    """The partnership's "who does what", editable by the partners of the committee."""
    partnership = _partnership_for(request, pk)
    lines = services.charter(partnership)
    form = CharterForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_charter(
                request.user, acting_organisation(request), partnership, form.lines()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "« Qui fait quoi » enregistré.")
            return redirect("cej:charter", pk=partnership.pk)
    return render(
        request, "cej/charter.html", {"partnership": partnership, "lines": lines, "form": form}
    )


@requires(Capability.CEJ_COMMITTEE)
def charter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    return pdf_response(
        "cej/pdf/charter.html",
        {
            "partnership": partnership,
            "lines": services.charter(partnership),
            "today": timezone.localdate(),
        },
        filename=f"qui-fait-quoi-{partnership.pk}.pdf",
    )


@requires(Capability.CEJ, categories=Category.values)
def accompaniment(request: HttpRequest, pk: int) -> HttpResponse:
    """The co-accompaniment of a youth: plan, activities and weekly hours, reviews,
    interviews and syntheses, the youth's own page."""
    pathway = selectors.pathway_for(request.user, pk)
    week = _week_param(request)
    page = selectors.accompaniment_page(request.user, pathway, week)
    return render(
        request,
        "cej/accompaniment.html",
        {
            "pathway": pathway,
            "page": page,
            "week": week,
            "previous_week": week - datetime.timedelta(days=7),
            "next_week": week + datetime.timedelta(days=7),
            "Stage": Stage,
            "descriptors": rules.RATING_DESCRIPTORS,
            "may_act": _acts(request, pathway),
        },
    )


def _back(pathway) -> HttpResponse:
    return redirect("cej:accompaniment", pk=pathway.pk)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.SHARED_PLAN)
    form = PlanForm(request.POST or None, initial={"diagnosis_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.start_plan(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Plan d'action ouvert.")
            return _back(pathway)
    return _form_page(request, pathway, form, "Plan d'action : diagnostic partagé")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def plan_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    plan = get_object_or_404(ActionPlan, pathway=pathway)
    organisations = _partners(pathway)
    form = PlanActionForm(
        request.POST or None, organisations=organisations, people=_people(organisations)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_action(
                request.user, acting_organisation(request), plan, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Action ajoutée au plan.")
            return _back(pathway)
    return _form_page(
        request,
        pathway,
        form,
        "Ajouter une action au plan",
        intro="Chaque action revient à une organisation et à une personne.",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def plan_action_status(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    pathway, item = selectors.pathway_record_for(
        request.user, pk, PlanAction.objects.all(), action_id, within="plan__pathway"
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_status(
            request.user, acting_organisation(request), item, form.cleaned_data["status"]
        )
        messages.success(request, f"Action « {item.action} » : {item.get_status_display()}.")
    return _back(pathway)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.ACTIVITIES)
    form = ActivityForm(request.POST or None, organisations=_partners(pathway))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.add_activity(
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
    return _form_page(request, pathway, form, "Planifier ou noter une activité")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def activity_attendance(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    pathway, activity = selectors.pathway_record_for(
        request.user, pk, Activity.objects.all(), activity_id
    )
    _only_its_side(request, pathway, SharedAct.ACTIVITIES)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_attendance(
                request.user, acting_organisation(request), activity, form.cleaned_data["attended"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Présence notée.")
    week = rules.week_start(timezone.localtime(activity.starts_at).date())
    return redirect(f"{reverse('cej:accompaniment', args=[pathway.pk])}?semaine={week}")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def counsellor_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Who receives the Monday follow-up of this youth: a counsellor of the mission locale."""
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.COUNSELLOR)
    form = CounsellorForm(
        request.POST or None,
        people=_people([pathway.mission_locale_id]),
        initial={"counsellor": pathway.counsellor_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_counsellor(
                request.user, acting_organisation(request), pathway, form.cleaned_data["counsellor"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Conseiller·ère enregistré·e.")
            return _back(pathway)
    return _form_page(request, pathway, form, "Conseiller·ère de la mission locale")


@requires(Capability.CEJ, categories=Category.values)
def review_detail(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    """A milestone review: each partner and the youth rate each dimension, then the
    concerted next-step plan closes it."""
    pathway, review = selectors.pathway_record_for(
        request.user, pk, Review.objects.all(), review_id
    )
    acting = acting_organisation(request)
    grants = check_categories(
        request.user, pathway.youth, sorted(set(DIMENSION_CATEGORIES.values())), Action.WRITE
    )
    dimensions = [
        d
        for d in Dimension.values
        if grants[DIMENSION_CATEGORIES[d]]
        and grants[DIMENSION_CATEGORIES[d]].organisation_id == getattr(acting, "pk", None)
    ]
    own = (
        Rater.PORTEUR
        if acting and acting.pk == pathway.author_organisation_id
        else (Rater.MISSION_LOCALE)
    )
    rating_form = RatingForm(
        request.POST if "rater" in request.POST else None,
        dimensions=dimensions,
        raters=[Rater.YOUTH, own],
    )
    close_form = ReviewCloseForm(
        request.POST if "next_steps" in request.POST else None,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and rating_form.is_bound and rating_form.is_valid():
        try:
            services.rate_review(
                request.user,
                acting,
                review,
                rater=rating_form.cleaned_data["rater"],
                scores=rating_form.scores(),
            )
        except ValidationError as error:
            apply_service_errors(rating_form, error)
        else:
            messages.success(request, "Notes enregistrées.")
            return redirect("cej:review", pk=pathway.pk, review_id=review.pk)
    if request.method == "POST" and close_form.is_bound and close_form.is_valid():
        try:
            services.close_review(request.user, acting, review, **close_form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(close_form, error)
        else:
            messages.success(request, "Bilan clos avec son plan concerté.")
            return _back(pathway)
    page = selectors.accompaniment_page(request.user, pathway, rules.week_start(review.due_on))
    rated = next((r for r in page.reviews if r.review.pk == review.pk), None)
    return render(
        request,
        "cej/review.html",
        {
            "pathway": pathway,
            "review": review,
            "ratings": rated.ratings if rated else [],
            "rating_form": rating_form,
            "close_form": close_form,
            "descriptors": rules.RATING_DESCRIPTORS,
            "may_act": _acts(request, pathway),
        },
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.INTERVIEWS)
    form = InterviewForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_interview(
                request.user, acting_organisation(request), pathway, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Entretien enregistré.")
            return _back(pathway)
    return _form_page(request, pathway, form, "Entretien ou synthèse")


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


@requires(Capability.CEJ)
def feeds(request: HttpRequest) -> HttpResponse:
    """Calendar (ICS) feeds: the user's own, or one youth's; the address is shown once."""
    created_url = ""
    if request.method == "POST":
        pathway = None
        if request.POST.get("pathway"):
            pathway = selectors.pathway_for(request.user, int(request.POST["pathway"]))
        token = services.create_feed(request.user, pathway)
        created_url = request.build_absolute_uri(reverse("cej:feed", args=[token]))
    return render(
        request,
        "cej/feeds.html",
        {
            "feeds": CalendarFeed.objects.filter(user=request.user).select_related(
                "pathway__youth"
            ),
            "created_url": created_url,
        },
    )


@requires(Capability.CEJ)
@require_POST
def feed_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    get_object_or_404(CalendarFeed, pk=feed_id, user=request.user).delete()
    messages.success(request, "Agenda supprimé : son adresse ne fonctionne plus.")
    return redirect("cej:feeds")


#: The addresses written to the audit log for a feed and for a youth's link: never their
#: secret token, which the readers of the log could otherwise use.
FEED_PATH_LOGGED = "/cej/agendas/<adresse secrète>.ics"
YOUTH_LINK_PATH_LOGGED = "/cej/mon-parcours/<lien à usage unique>/"


@public(
    "Calendar feed read by a calendar application: its secret address is the credential, "
    "revocable by its owner."
)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An ICS feed, reached by its secret address (calendar applications send no login);
    read with the rights of its creator, checked again at each fetch. Its audit lines
    carry a masked address."""
    with logged_path(FEED_PATH_LOGGED):
        calendar_feed = services.feed_for_token(token)
        if calendar_feed is None or not calendar_feed.user.is_active:
            raise Http404
        today = timezone.localdate()
        rows = selectors.planning(
            calendar_feed.user,
            today - datetime.timedelta(days=30),
            today + datetime.timedelta(days=120),
            pathway_id=calendar_feed.pathway_id,
            reason="Agenda ICS lu par son adresse secrète",
        )
    response = HttpResponse(ics.calendar(rows), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Monday follow-up -------------------------------------------------------------------


@requires(Capability.CEJ_FOLLOW_UP, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The counsellor's inbox of Monday follow-ups; referents produce one by hand."""
    form = FollowUpForm(request.POST or None)
    porteur_partnerships = selectors.partnerships_for(
        request.user, acting_organisation_id(request), as_porteur=True
    )
    if request.method == "POST":
        if not porteur_partnerships:
            raise PermissionDenied("Les référents du porteur produisent le suivi à la main.")
        if form.is_valid():
            try:
                report = followup.produce(
                    form.cleaned_data["week"],
                    by=request.user,
                    counsellor_ids=selectors.counsellors_of(request.user, porteur_partnerships),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{len(report.created)} suivi(s) envoyé(s) pour la semaine du "
                    f"{report.week:%d/%m/%Y} ; {report.skipped} déjà envoyé(s).",
                )
                return redirect("cej:follow_ups")
    return render(
        request,
        "cej/follow_up_list.html",
        {
            "follow_ups": selectors.follow_ups_for(request.user),
            "form": form if porteur_partnerships else None,
        },
    )


def _follow_up_for(request: HttpRequest, pk: int, reason: str) -> WeeklyFollowUp:
    """One of the user's follow-ups, its reading audited per youth shown (``reason``)."""
    follow_up = get_object_or_404(selectors.follow_ups_for(request.user), pk=pk)
    followup.audit_reading(request.user, [follow_up], reason)
    return follow_up


@requires(Capability.CEJ_FOLLOW_UP, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk, followup.READ_ON_PAGE)
    if follow_up.read_at is None:
        WeeklyFollowUp.objects.filter(pk=pk).update(read_at=timezone.now())
    return render(request, "cej/follow_up_detail.html", {"follow_up": follow_up})


@requires(Capability.CEJ_FOLLOW_UP, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def follow_up_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk, followup.READ_AS_PDF)
    response = HttpResponse(followup.pdf(follow_up), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="suivi-cej-{follow_up.week_start:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The youth's own page -----------------------------------------------------------------

YOUTH_SESSION_KEY = youth_pages.YOUTH_SESSION_KEY
YOUTH_LINK_SESSION_KEY = youth_pages.YOUTH_LINK_SESSION_KEY


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
@require_POST
def youth_link(request: HttpRequest, pk: int) -> HttpResponse:
    """A one-time link and its QR code for the youth's own page (expires in 7 days); a link
    still valid is replaced only once the user confirmed it will stop working."""
    pathway = selectors.pathway_for(request.user, pk)
    _only_its_side(request, pathway, SharedAct.YOUTH_LINK)
    try:
        token = youth_pages.create_youth_link(
            request.user,
            acting_organisation(request),
            pathway,
            replace=request.POST.get("replace") == "1",
        )
    except youth_pages.LinkStillValid as still_valid:
        return render(
            request,
            "cej/youth_link.html",
            {"pathway": pathway, "warning": " ".join(still_valid.messages)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cej:accompaniment", pk=pathway.pk)
    url = request.build_absolute_uri(reverse("cej:youth_open", args=[token]))
    return render(
        request,
        "cej/youth_link.html",
        {"pathway": pathway, "url": url, "qr_svg": segno.make(url).svg_inline(scale=5)},
    )


@public("The young person's own page opens with the expiring link given to them.")
def youth_open(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the one-time link: the youth's session shows their page for two hours. Its
    audit line carries a masked address."""
    with logged_path(YOUTH_LINK_PATH_LOGGED):
        link = youth_pages.use_youth_link(token)
    if link is None:
        return render(request, "cej/youth_expired.html", status=410)
    request.session.cycle_key()
    request.session[YOUTH_SESSION_KEY] = link.pathway_id
    request.session[YOUTH_LINK_SESSION_KEY] = link.pk
    request.session.set_expiry(2 * 60 * 60)
    return redirect("cej:youth_page")


@public("The young person's own page, in the session opened by their link.")
def youth_page(request: HttpRequest) -> HttpResponse:
    """The youth's own page, in plain French: next appointments, plan, hours this week, as
    far as the link's creator may read them (audited by ``youth_page``)."""
    pathway_id = request.session.get(YOUTH_SESSION_KEY)
    if pathway_id is None:
        return render(request, "cej/youth_expired.html", status=403)
    link = youth_pages.link_of_session(pathway_id, request.session.get(YOUTH_LINK_SESSION_KEY))
    page = youth_pages.youth_page(link) if link is not None else None
    return render(request, "cej/youth_page.html", {"page": page})
