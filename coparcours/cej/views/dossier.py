"""The administrative file: its preparation, the pieces collected, their transmission and
the PDF pack."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import pack, selectors, youth_papers
from coparcours.cej.forms import CollectForm
from coparcours.cej.models import DossierItem
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.services import dossier
from coparcours.cej.views.common import form_page, only_its_side
from coparcours.core.access import (
    Action,
    Category,
    SharedAct,
    acting_organisation,
    check,
    guard,
)
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.forms import apply_service_errors
from coparcours.youths.models import Document


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
@require_POST
def dossier_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    try:
        dossier.prepare_dossier(request.user, acting_organisation(request), pathway)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Dossier administratif préparé.")
    return redirect("cej:detail", pk=pathway.pk)


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def dossier_collect(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    pathway, item = selectors.pathway_record_for(
        request.user, pk, DossierItem.objects.all(), item_id
    )
    only_its_side(request, pathway, SharedAct.ADMINISTRATIVE_FILE)
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
            dossier.collect_item(
                request.user, acting_organisation(request), item, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Pièce recueillie : {item.kind}.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(request, pathway, form, f"Pièce recueillie : {item.kind}")


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
@require_POST
def dossier_transmit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    only_its_side(request, pathway, SharedAct.ADMINISTRATIVE_FILE)
    try:  # a refused consent is told on the pathway
        items = dossier.transmit_dossier(request.user, acting_organisation(request), pathway)
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


def _youth_sent(request: HttpRequest, pk: int, item_id: int) -> DossierItem:
    """A piece of the file whose youth sent a file, as the user may reach it."""
    pathway, item = selectors.pathway_record_for(
        request.user, pk, DossierItem.objects.exclude(youth_file=""), item_id
    )
    only_its_side(request, pathway, SharedAct.ADMINISTRATIVE_FILE)
    return item


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
def dossier_youth_file(request: HttpRequest, pk: int, item_id: int) -> FileResponse:
    """The file the youth sent, served only here after the access check (audited read)."""
    item = _youth_sent(request, pk, item_id)
    check(
        request.user,
        item.pathway.youth,
        Category.ADMIN_DOCUMENTS,
        Action.READ,
        author_organisation_id=item.author_organisation_id,
        obj=item,
    )
    response = FileResponse(
        item.youth_file.open("rb"),
        as_attachment=True,
        filename=item.youth_file.name.rsplit("/", 1)[-1],
        content_type=item.youth_file_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
@require_POST
def dossier_youth_decide(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Accept the youth's file into the record (the piece is collected) or refuse it with
    a reason the youth reads in their space."""
    item = _youth_sent(request, pk, item_id)
    try:
        if request.POST.get("decision") == "accept":
            youth_papers.accept_youth_file(request.user, acting_organisation(request), item)
            messages.success(request, f"Pièce acceptée dans le dossier : {item.kind}.")
        else:
            youth_papers.refuse_youth_file(
                request.user, acting_organisation(request), item, request.POST.get("reason", "")
            )
            messages.info(request, f"Envoi refusé : le jeune lira pourquoi. ({item.kind})")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("cej:detail", args=[item.pathway_id]) + "#dossier")
