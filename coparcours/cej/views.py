"""Web pages of the CEJ-JR pathway (French UI); every change goes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import pack, selectors, services
from coparcours.cej.forms import (
    AssessmentForm,
    CollectForm,
    ContactForm,
    ContactImportForm,
    ContractForm,
    DecisionForm,
    ExitForm,
    MeetingForm,
    MissedActionForm,
    OutreachForm,
    PaceaDecisionForm,
    PaceaRequestForm,
    SanctionDecisionForm,
)
from coparcours.cej.models import (
    DossierItem,
    DossierStatus,
    MissedAction,
    PaceaAllowanceRequest,
)
from coparcours.cej.rules import Stage
from coparcours.core.access import Action, Category, check
from coparcours.core.forms import apply_service_errors
from coparcours.core.pdf import pdf_response
from coparcours.organisations.models import Organisation, OrganisationKind
from coparcours.youths import selectors as youth_selectors
from coparcours.youths import services as youth_services
from coparcours.youths.models import Document


def _acting(request: HttpRequest) -> Organisation | None:
    return request.membership.organisation if request.membership else None


def _acting_id(request: HttpRequest) -> int | None:
    return request.membership.organisation_id if request.membership else None


def _form_page(request, pathway, form, title, *, multipart=False, intro=""):
    return render(
        request,
        "cej/form_page.html",
        {"pathway": pathway, "form": form, "title": title, "multipart": multipart, "intro": intro},
    )


@login_required
def pathway_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("etape", "")
    text = request.GET.get("q", "").strip()
    rows = selectors.pathway_list(request.user, stage=stage, text=text)
    return render(
        request,
        "cej/pathway_list.html",
        {"rows": rows, "stage": stage, "q": text, "stages": Stage.choices},
    )


@login_required
def outreach(request: HttpRequest) -> HttpResponse:
    """Record a youth spotted: opens the pathway (stage identified)."""
    partnerships = selectors.partnerships_for(request.user, _acting_id(request), as_porteur=True)
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
        duplicates = list(
            youth_services.likely_duplicates(
                data["last_name"], data["first_names"], data["birth_date"]
            )
        )
        visible_ids = set(
            youth_selectors.visible_youth_ids(request.user, [y.pk for y in duplicates])
        )
        duplicates_visible = [y for y in duplicates if y.pk in visible_ids]
        duplicates_elsewhere = len(duplicates) - len(duplicates_visible)
        if duplicates and not data["confirm_not_duplicate"]:
            form.add_error(
                None,
                "Ce jeune est peut-être déjà connu. Vérifiez les dossiers ci-dessous avant de "
                "créer un doublon, puis cochez la case de confirmation.",
            )
        else:
            try:
                pathway = services.record_outreach(
                    request.user,
                    _acting(request),
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


@login_required
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
            "is_porteur": _acting_id(request) == pathway.author_organisation_id,
            "Stage": Stage,
        },
    )


@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contact(request.user, _acting(request), pathway, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contact enregistré.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, "Ajouter un contact avec la mission locale")


@login_required
def contact_import(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContactImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contacts = services.import_contacts(
                request.user, _acting(request), pathway, form.cleaned_data["file"]
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


@login_required
@require_POST
def eligibility_check(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    services.check_eligibility(request.user, _acting(request), pathway, timezone.localdate())
    messages.success(request, "Éligibilité vérifiée à la date du jour.")
    return redirect("cej:detail", pk=pathway.pk)


@login_required
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
                _acting(request),
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


@login_required
@require_POST
def dossier_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    try:
        services.prepare_dossier(request.user, _acting(request), pathway)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Dossier administratif préparé.")
    return redirect("cej:detail", pk=pathway.pk)


@login_required
def dossier_collect(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    item = get_object_or_404(DossierItem, pk=item_id, pathway=pathway)
    check(
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
            services.collect_item(request.user, _acting(request), item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Pièce recueillie : {item.kind}.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, f"Pièce recueillie : {item.kind}")


@login_required
@require_POST
def dossier_transmit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    try:
        items = services.transmit_dossier(request.user, _acting(request), pathway)
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, f"{len(items)} pièce(s) transmise(s) à {pathway.mission_locale}.")
    return redirect("cej:detail", pk=pathway.pk)


@login_required
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


@login_required
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


@login_required
def contract_sign(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_contract(request.user, _acting(request), pathway, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contrat CEJ enregistré.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, "Signature du contrat CEJ")


@login_required
def exit_record(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_exit(request.user, _acting(request), pathway, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Sortie du parcours enregistrée.")
            return redirect("cej:detail", pk=pathway.pk)
    return _form_page(request, pathway, form, "Sortie du parcours")


# --- Missed actions and PACEA one-off allowances ---------------------------------------


@login_required
def missed_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The counsellor records a missed action; the dated scale proposes the sanction."""
    pathway = selectors.pathway_for(request.user, pk)
    form = MissedActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            missed = services.propose_sanction(
                request.user, _acting(request), pathway, **form.cleaned_data
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


@login_required
def missed_action_decide(request: HttpRequest, pk: int, missed_id: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    missed = get_object_or_404(MissedAction, pk=missed_id, pathway=pathway)
    form = SanctionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_sanction(request.user, _acting(request), missed, **form.cleaned_data)
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


@login_required
def pacea_add(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = PaceaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_pacea_allowance(
                request.user, _acting(request), pathway, **form.cleaned_data
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


@login_required
def pacea_decide(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    pacea = get_object_or_404(PaceaAllowanceRequest, pk=request_id, pathway=pathway)
    form = PaceaDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_pacea_allowance(
                request.user, _acting(request), pacea, **form.cleaned_data
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


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_for(request.user, _acting_id(request))
    return render(request, "cej/meeting_list.html", {"meetings": meetings})


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.partnerships_for(request.user, _acting_id(request))
    if not partnerships:
        raise PermissionDenied("Le comité d'intégration réunit le porteur et la mission locale.")
    form = MeetingForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                request.user,
                _acting(request),
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
    return get_object_or_404(selectors.meetings_for(request.user, _acting_id(request)), pk=pk)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    rows = selectors.agenda(request.user, meeting)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pathway = get_object_or_404(
            selectors.visible_pathways(request.user), pk=form.cleaned_data["pathway"]
        )
        try:
            services.record_decision(
                request.user,
                _acting(request),
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
        {"meeting": meeting, "rows": rows, "kinds": DecisionForm.base_fields["kind"].choices},
    )


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk)
    return pdf_response(
        "cej/pdf/minutes.html",
        {"meeting": meeting, "rows": selectors.agenda(request.user, meeting)},
        filename=f"comite-{meeting.date:%Y-%m-%d}.pdf",
    )
