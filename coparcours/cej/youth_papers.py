"""The pieces of the administrative file a youth sends from their phone (a photo or a PDF):
checked like any upload (size, real type, antivirus), kept beside the piece until the
referent accepts it into the file, where it becomes one of the record's documents, or
refuses it with a reason the youth reads (docs/youth-space.md, « Their papers »).

Only a missing piece of the checklist the youth's page shows may be sent (the link's
creator reads the file's category); the sending is the youth's own act in the access log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from coparcours.cej.models import DossierItem, Pathway
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.services.dossier import collect_item
from coparcours.core.access import Action, Category, SharedAct, check, require_act
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation
from coparcours.space.reader import Reader
from coparcours.youths.models import Document
from coparcours.youths.services import validate_upload

ADMIN = Category.ADMIN_DOCUMENTS


def papers_of(pathway: Pathway, reader: Reader) -> list[DossierItem] | None:
    """The pathway's checklist as the link's creator may read it; ``None`` when they may
    not (the part is not shown)."""
    if not reader.reads(ADMIN, pathway.author_organisation_id):
        return None
    return [
        item
        for item in pathway.dossier_items.select_related("kind")
        if reader.reads(ADMIN, item.author_organisation_id)
    ]


@transaction.atomic
def receive_from_youth(
    pathway: Pathway, reader: Reader, item_id: int, upload: UploadedFile
) -> DossierItem | None:
    """Keep the youth's file beside a missing piece their page shows, replacing one sent
    before; ``None`` for any other piece. A bad file raises the upload's
    :class:`ValidationError` (its codes: ``too_big``, ``file_type``), nothing stored."""
    papers = papers_of(pathway, reader) or []
    item = next((p for p in papers if p.pk == item_id and p.status == DossierStatus.MISSING), None)
    if item is None:
        return None
    content_type = validate_upload(upload)
    previous = item.youth_file.name
    item.youth_file.save(upload.name, upload, save=False)
    item.youth_file_type = content_type
    item.youth_sent_at = timezone.now()
    item.youth_refusal = ""
    item.save()
    if previous:
        transaction.on_commit(lambda: item.youth_file.storage.delete(previous))
    record(
        None,
        AuditEvent.WRITE,
        organisation=item.author_organisation,
        youth_id=item.youth_id,
        category=ADMIN,
        obj=item,
        reason=f"Le jeune envoie depuis son espace une pièce de son dossier : {item.kind}",
    )
    return item


def _require_decider(user: Any, organisation: Organisation, item: DossierItem) -> None:
    """The side holding the administrative file, writing its pieces (audited)."""
    require_act(organisation.pk, item.pathway, SharedAct.ADMINISTRATIVE_FILE)
    check(
        user,
        item.pathway.youth,
        ADMIN,
        Action.WRITE,
        author_organisation_id=item.author_organisation_id,
        obj=item,
        within_organisation_id=organisation.pk,
    )


@transaction.atomic
def accept_youth_file(user: Any, organisation: Organisation, item: DossierItem) -> Document:
    """The youth's file becomes a document of the record, and the piece is collected."""
    _require_decider(user, organisation, item)
    if not item.youth_file:
        raise ValidationError("Le jeune n'a pas envoyé de fichier pour cette pièce.")
    document = Document.objects.create(
        youth_id=item.youth_id,
        category=ADMIN,
        title=f"{item.kind} (envoyée par le jeune)",
        file=item.youth_file.name,
        original_name=item.youth_file.name.rsplit("/", 1)[-1],
        content_type=item.youth_file_type,
        size=item.youth_file.size,
        uploaded_by=None,
        author_organisation=organisation,
    )
    item.youth_file = ""
    item.youth_file_type = ""
    collect_item(user, organisation, item, on=timezone.localdate(), document=document)
    return document


@transaction.atomic
def refuse_youth_file(
    user: Any, organisation: Organisation, item: DossierItem, reason: str
) -> DossierItem:
    """Refuse the youth's file with a reason they read in their space; the file is
    deleted once the refusal is saved."""
    _require_decider(user, organisation, item)
    if not item.youth_file:
        raise ValidationError("Le jeune n'a pas envoyé de fichier pour cette pièce.")
    if not reason.strip():
        raise ValidationError({"reason": "Dites au jeune pourquoi, en quelques mots."})
    stored = item.youth_file.name
    item.youth_file = ""
    item.youth_file_type = ""
    item.youth_refusal = reason.strip()[:300]
    item.save()
    transaction.on_commit(lambda: item.youth_file.storage.delete(stored))
    record(
        user,
        AuditEvent.WRITE,
        organisation=organisation,
        youth_id=item.youth_id,
        category=ADMIN,
        obj=item,
        reason=f"Pièce envoyée par le jeune refusée : {item.kind}",
    )
    return item
