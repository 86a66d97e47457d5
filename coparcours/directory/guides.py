"""Shared guides of a consortium or partnership: the "who does what" charter, the welcome
booklet for youths, the step-by-step guide, conventions: the tools the partners
share. Each guide has an owner and a review date; its versions are kept, a new one never
overwrites the previous one; files are served only after the membership check.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coparcours.core.antivirus import scan_upload
from coparcours.core.audit import record_refusal
from coparcours.directory import library, partners, rules
from coparcours.directory.models import Guide, GuideKind, GuideReach, GuideVersion
from coparcours.organisations.models import Consortium, Membership

#: Office documents and PDF, checked by their content (``filetype``), 10 MB at most.
GUIDE_TYPES = {
    "application/pdf": {".pdf"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
}
GUIDE_MAX_BYTES = 10 * 1024 * 1024


def validate_guide_file(upload: UploadedFile) -> str:
    """Size and real type of an uploaded guide; returns its content type."""
    if upload.size > GUIDE_MAX_BYTES:
        raise ValidationError({"file": "Le fichier dépasse la taille maximale (10 Mo)."})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    suffix = ("." + upload.name.rsplit(".", 1)[-1].lower()) if "." in upload.name else ""
    if kind is None or kind.mime not in GUIDE_TYPES:
        raise ValidationError(
            {"file": "Type de fichier refusé : seuls les PDF, DOCX et ODT sont acceptés."}
        )
    if suffix not in GUIDE_TYPES[kind.mime]:
        raise ValidationError(
            {"file": "Le contenu du fichier ne correspond pas à son extension : fichier refusé."}
        )
    scan_upload(upload)
    return kind.mime


def _check_owner(owner: Any, consortium: Consortium) -> None:
    organisations = partners.party_organisations({consortium.pk}) - {consortium.funder_id}
    if not Membership.objects.active().filter(user=owner, organisation_id__in=organisations):
        raise ValidationError(
            {"owner": "Le ou la responsable doit travailler dans un membre du partenariat."}
        )


def _add_version(
    user: Any,
    guide: Guide,
    organisation_id: int,
    *,
    body: str,
    upload: UploadedFile | None,
    change_note: str,
) -> GuideVersion:
    body = (body or "").strip()
    if not body and upload is None:
        raise ValidationError("Écrivez le texte de la page ou joignez un fichier.")
    if not change_note.strip():
        raise ValidationError({"change_note": "Dites en une phrase ce qui change."})
    last = guide.versions.aggregate(last=Max("number"))["last"] or 0
    version = GuideVersion(
        guide=guide,
        number=last + 1,
        body=body,
        change_note=change_note.strip(),
        author=user,
        author_organisation_id=organisation_id,
    )
    if upload is not None:
        version.content_type = validate_guide_file(upload)
        version.original_name = upload.name[:255]
        version.size = upload.size
        version.file.save(upload.name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def create_guide(
    user: Any,
    consortium: Consortium,
    *,
    kind: str,
    title: str,
    owner: Any,
    review_on: datetime.date,
    body: str = "",
    upload: UploadedFile | None = None,
    change_note: str = "Première version.",
    reach: str = GuideReach.PARTNERSHIP,
    territory: library.Territory | None = None,
    shared_with: Iterable[Consortium] = (),
) -> Guide:
    """A new guide and its first version, by an editor of a member organisation; beyond
    its partnership as the organisation's designation allows (:mod:`.library`)."""
    organisation_id = partners.editing_organisation(
        user, {consortium.pk}, "Publier un document", consortium
    )
    if kind not in GuideKind.values:
        raise ValidationError({"kind": "Type de document inconnu."})
    _check_owner(owner, consortium)
    if Guide.objects.filter(consortium=consortium, title=title.strip()).exists():
        raise ValidationError({"title": "Ce partenariat a déjà un document de ce titre."})
    guide = Guide(
        consortium=consortium, kind=kind, title=title.strip(), owner=owner, review_on=review_on
    )
    shared = library.decide_reach(
        user, guide, reach=reach, territory=territory, shared_with=shared_with
    )
    guide.full_clean()
    guide.save()
    library.share(user, guide, shared, organisation_id=organisation_id, changed=False)
    _add_version(user, guide, organisation_id, body=body, upload=upload, change_note=change_note)
    return guide


@transaction.atomic
def publish_version(
    user: Any,
    guide: Guide,
    *,
    change_note: str,
    body: str = "",
    upload: UploadedFile | None = None,
    review_on: datetime.date | None = None,
    owner: Any = None,
) -> GuideVersion:
    """A new version (the previous ones stay readable); may move the review date or owner."""
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    organisation_id = partners.editing_organisation(
        user, {guide.consortium_id}, "Publier une version", guide
    )
    version = _add_version(
        user, guide, organisation_id, body=body, upload=upload, change_note=change_note
    )
    if owner is not None and owner != guide.owner:
        _check_owner(owner, guide.consortium)
        guide.owner = owner
    if review_on is not None:
        guide.review_on = review_on
    guide.save()
    return version


# --- Reading --------------------------------------------------------------------------------


def visible_guides(user: Any, *, text: str = "", kind: str = "") -> QuerySet[Guide]:
    """Guides reaching the consortia the user's organisations are members of: theirs, and
    those the library brings from elsewhere (:mod:`.library`); latest version first."""
    consortia = partners.member_consortia(user)
    if not consortia:
        return Guide.objects.none()
    guides = Guide.objects.filter(library.reaching(consortia)).distinct()
    if kind:
        guides = guides.filter(kind=kind)
    for word in rules.normalise(text).split():
        guides = guides.filter(search_text__contains=word)
    return guides.select_related("consortium", "owner", "publisher__organisation").prefetch_related(
        "shared_with",
        Prefetch(
            "versions",
            queryset=GuideVersion.objects.select_related("author", "author_organisation"),
        ),
    )


def guide_for(user: Any, pk: int) -> Guide:
    """One guide with its versions, for a member; otherwise 404 (audited refusal)."""
    guide = visible_guides(user).filter(pk=pk).first()
    if guide is None:
        if Guide.objects.filter(pk=pk).exists():
            record_refusal(
                user, reason="Document partagé d'un partenariat dont vous n'êtes pas membre."
            )
        raise Http404("Document introuvable.")
    return guide


def version_for(user: Any, guide_id: int, number: int) -> GuideVersion:
    guide = guide_for(user, guide_id)
    version = next((v for v in guide.versions.all() if v.number == number), None)
    if version is None:
        raise Http404("Version introuvable.")
    return version


def may_edit(user: Any, consortium_id: int) -> bool:
    return consortium_id in partners.member_consortia(user, editing=True)


def owner_choices(consortium_ids: set[int] | list[int]) -> QuerySet[Membership]:
    """People working in the member organisations of these consortia (for owner selects)."""
    funders = Consortium.objects.filter(pk__in=consortium_ids).values_list("funder_id", flat=True)
    organisations = partners.party_organisations(consortium_ids) - set(funders)
    return (
        Membership.objects.active()
        .filter(organisation_id__in=organisations)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "organisation__name")
    )


# --- Review reminders -----------------------------------------------------------------------


def remind_reviews(on: datetime.date | None = None) -> int:
    """Tell each owner once that a guide's review date has passed (idempotent per date).

    Returns the number of reminders sent. Called each morning by the periodic job.
    """
    day = on or timezone.localdate()
    sent = 0
    due = Guide.objects.filter(review_on__lte=day).select_related("owner", "consortium")
    for guide in due.exclude(review_reminded_for=F("review_on")):
        path = reverse("directory:guide", args=[guide.pk])
        # Claimed, then handed to the mail server, in one transaction: a concurrent run
        # finds it claimed, a run killed before the hand-off leaves it to the next run.
        with transaction.atomic():
            claimed = (
                Guide.objects.filter(pk=guide.pk, review_on=guide.review_on)
                .exclude(review_reminded_for=F("review_on"))
                .update(review_reminded_for=guide.review_on)
            )
            if not claimed:
                continue
            send_mail(
                f"À relire : {guide.title}",
                (
                    f"Bonjour,\n\nVous êtes responsable du document « {guide.title} » "
                    f"({guide.consortium}). Sa date de relecture, le "
                    f"{guide.review_on:%d/%m/%Y}, est passée : vérifiez qu'il est à jour et "
                    "publiez une nouvelle version, ou reportez la date de relecture.\n\n"
                    f"{settings.SITE_URL.rstrip('/')}{path}\n"
                ),
                None,
                [guide.owner.email],
            )
        sent += 1
    return sent
