"""The administrative file: its preparation, the pieces collected, their transmission and
the PDF pack."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.cej import pack, selectors
from coparcours.cej.forms import CollectForm
from coparcours.cej.models import DossierItem
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.services import dossier
from coparcours.cej.views.common import form_page, only_its_side
from coparcours.core.access import Action, Category, SharedAct, acting_organisation, guard
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
