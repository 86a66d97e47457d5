"""Operations on a youth's record. Each one checks the access policy and runs in a transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from coparcours.core.access import (
    CONSENT_ONLY_CATEGORIES,
    Action,
    Category,
    Grant,
    Relation,
    ShareBasis,
    active_memberships,
    check,
    member_organisation,
)
from coparcours.core.antivirus import scan_upload
from coparcours.core.audit import record, record_refusal
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation
from coparcours.youths import rules, sharing
from coparcours.youths.models import Assignment, Consent, Document, Note, Youth
from coparcours.youths.models.consents import ConsentGiver, ConsentMethod
from coparcours.youths.models.records import FIELD_CATEGORIES

# Upload rules: type by content (magic bytes), not by the name the sender chose.
ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/png": {".png"},
    "image/webp": {".webp"},
}


def likely_duplicates(
    last_name: str, first_names: str, birth_date: datetime.date | None
) -> Iterable[Youth]:
    """Records that are probably the same person, across all organisations.

    Names compare without accents, case or punctuation, also when first and last names were
    swapped; birth dates within DUPLICATE_BIRTH_TOLERANCE_DAYS (declared dates are often
    approximate), or unknown on either side.
    """
    last_key = rules.search_key(last_name)
    first_key = rules.search_key(first_names).split(" ")[0]
    if not last_key or not first_key:
        return Youth.objects.none()
    candidates = Youth.objects.active().filter(
        last_name_key__in=[last_key, first_key], first_name_key__in=[first_key, last_key]
    )
    found = []
    for youth in candidates.select_related("owner_organisation"):
        names_match = (youth.last_name_key, youth.first_name_key) in {
            (last_key, first_key),
            (first_key, last_key),
        }
        dates_close = (
            birth_date is None
            or youth.birth_date is None
            or abs((youth.birth_date - birth_date).days) <= rules.DUPLICATE_BIRTH_TOLERANCE_DAYS
        )
        if names_match and dates_close:
            found.append(youth)
    return found


def validate_youth(youth: Youth) -> None:
    """The record's own rules, then the model's (``ValidationError`` by field)."""
    today = timezone.localdate()
    errors = {}
    if youth.birth_date and youth.birth_date > today:
        errors["birth_date"] = "La date de naissance ne peut pas être dans le futur."
    if youth.birth_date and youth.birth_date < datetime.date(today.year - 40, 1, 1):
        errors["birth_date"] = "Cette date de naissance est trop ancienne pour un jeune accompagné."
    if youth.age_assessment_date and youth.age_assessment_date > today:
        errors["age_assessment_date"] = "L'évaluation ne peut pas être datée dans le futur."
    if (
        youth.placement_order_start
        and youth.placement_order_end
        and youth.placement_order_end <= youth.placement_order_start
    ):
        errors["placement_order_end"] = "La fin du placement doit suivre son début."
    if errors:
        raise ValidationError(errors)
    youth.full_clean()


@transaction.atomic
def create_youth(
    user: Any, organisation: Organisation, *, reason: str = "", **fields: Any
) -> Youth:
    """Open a record owned by the user's organisation (the creator accompanies the youth);
    ``reason`` says how in the access log when it is not the record's form (an import)."""
    organisation = member_organisation(user, organisation)
    youth = Youth(owner_organisation=organisation, **fields)
    validate_youth(youth)
    youth.save()
    check(user, youth, Category.IDENTITY, Action.WRITE, obj=youth, reason=reason)
    return youth


@transaction.atomic
def update_youth(user: Any, youth: Youth, category: str, changes: dict[str, Any]) -> Youth:
    """Change the record's fields of one category (rectification is kept in history)."""
    allowed = set(FIELD_CATEGORIES.get(category, ())) | (
        {"referent"} if category == Category.IDENTITY else set()
    )
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Champs hors de la rubrique : {', '.join(sorted(unknown))}.")
    check(user, youth, category, Action.WRITE, author_organisation_id=youth.owner_organisation_id)
    for name, value in changes.items():
        setattr(youth, name, value)
    validate_youth(youth)
    youth.save()
    return youth


def require_owner(user: Any, youth: Youth, obj: Any = None) -> None:
    """Decisions on who accompanies the youth belong to the owning organisation."""
    check(
        user,
        youth,
        Category.IDENTITY,
        Action.WRITE,
        obj=obj,
        within_organisation_id=youth.owner_organisation_id,
    )


@transaction.atomic
def add_assignment(
    user: Any,
    youth: Youth,
    organisation: Organisation,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    relation: str = Relation.CO_ACCOMPANIMENT,
) -> Assignment:
    """The owning organisation names a partner accompanying the youth (a complex situation
    accompanied by two associations of a GME; the porteur and the mission locale of a
    CEJ-JR)."""
    require_owner(user, youth)
    if organisation.pk == youth.owner_organisation_id:
        raise ValidationError("L'organisation référente accompagne déjà ce jeune.")
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": "La fin doit suivre le début."})
    overlapping = Assignment.objects.filter(youth=youth, organisation=organisation).exclude(
        end_date__lte=start_date
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lt=end_date)
    if overlapping.exists():
        raise ValidationError("Cette organisation accompagne déjà ce jeune sur cette période.")
    assignment = Assignment(
        youth=youth,
        organisation=organisation,
        relation=relation,
        role=role,
        start_date=start_date,
        end_date=end_date,
        created_by=user,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def end_assignment(user: Any, assignment: Assignment, on: datetime.date) -> Assignment:
    require_owner(user, assignment.youth, obj=assignment)
    if on <= assignment.start_date:
        raise ValidationError({"end_date": "La fin doit suivre le début."})
    assignment.end_date = on
    assignment.save(update_fields=["end_date", "updated_at"])
    return assignment


def accompanying_organisations(youth: Youth, on: datetime.date | None = None) -> set[int]:
    return set(youth.access_facts(on or timezone.localdate()).relations)


def check_consent_recorder(
    user: Any,
    youth: Youth,
    acting: Organisation | None,
    organisation: Organisation,
    categories: list[str],
) -> None:
    """Refuse (audited, :class:`~coparcours.youths.refusals.Refused`) a user who may not
    record this share for the acting organisation (:func:`sharing.recording_refusal`)."""
    acting = member_organisation(user, acting)
    today = timezone.localdate()
    refusal = sharing.recording_refusal(
        active_memberships(user, today),
        youth.access_facts(today),
        acting_organisation_id=acting.pk,
        recipient_organisation_id=organisation.pk,
        categories=categories,
    )
    if refusal is not None:
        record_refusal(
            user,
            youth_id=youth.pk,
            reason=f"Enregistrement d'un partage avec {organisation} refusé ({refusal.code})",
        )
        raise refusal.error()


def _share_errors(
    youth: Youth,
    acting: Organisation,
    organisation: Organisation,
    categories: list[str],
    purpose: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
) -> dict[str, str]:
    """Check the recipient accompanies the youth, the categories, the purpose and the dates."""
    errors: dict[str, str] = {}
    if organisation.pk not in accompanying_organisations(youth, start_date):
        errors["organisation"] = (
            "Cette organisation n'accompagne pas ce jeune : désignez-la d'abord comme "
            "co-accompagnante."
        )
    elif organisation.pk == acting.pk:
        errors["organisation"] = "Votre organisation n'a pas besoin d'un accord pour ses données."
    unknown = set(categories) - set(Category.values)
    if not categories or unknown:
        errors["categories"] = "Choisissez au moins une catégorie d'informations à partager."
    elif Category.IDENTITY in categories and len(categories) == 1:
        errors["categories"] = "L'identité est déjà visible des co-accompagnants."
    if not purpose.strip():
        errors["purpose"] = "Indiquez la finalité du partage."
    if end_date is not None and end_date <= start_date:
        errors["end_date"] = "La fin de l'accord doit suivre son début."
    return errors


def _legal_basis_errors(
    categories: list[str], prior_information_on: datetime.date | None
) -> dict[str, str]:
    """A legal-basis share (shared secrecy): never health, and the youth informed first."""
    errors: dict[str, str] = {}
    if set(categories) & CONSENT_ONLY_CATEGORIES:
        errors["categories"] = (
            "La santé et la santé mentale ne se partagent qu'avec le consentement exprès "
            "du jeune, jamais au titre du secret partagé."
        )
    if prior_information_on is None:
        errors["prior_information_on"] = (
            "Le secret partagé exige l'information préalable du jeune (et de son "
            "représentant légal s'il est mineur) : indiquez sa date."
        )
    return errors


def _consent_errors(
    youth: Youth,
    start_date: datetime.date,
    given_by: str,
    method: str,
    witness: str,
    signed_form: Document | None,
) -> dict[str, str]:
    """A consent: how it was collected (witness, signed form) and who gave it."""
    errors: dict[str, str] = {}
    if method == ConsentMethod.ORAL_WITH_WITNESS and not witness.strip():
        errors["witness"] = "Un accord oral doit être recueilli devant un témoin nommé."
    if method == ConsentMethod.SIGNED_FORM and signed_form is None:
        errors["signed_form_file"] = "Joignez le formulaire de consentement signé."
    if method == ConsentMethod.INFORMED_LEGAL_BASIS:
        errors["method"] = "Ce mode de recueil ne vaut que pour le secret partagé."
    if youth.is_minor(start_date) and given_by == ConsentGiver.YOUTH:
        errors["given_by"] = "Pour un mineur, l'accord du représentant légal est nécessaire."
    return errors


@transaction.atomic
def record_consent(
    user: Any,
    youth: Youth,
    acting: Organisation,
    *,
    organisation: Organisation,
    categories: list[str],
    purpose: str,
    basis: str = ShareBasis.CONSENT,
    given_by: str = ConsentGiver.YOUTH,
    method: str = ConsentMethod.SIGNED_FORM,
    witness: str = "",
    signed_form: Document | None = None,
    prior_information_on: datetime.date | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Consent:
    """Record what the youth (or guardian) agreed to share, with whom and why.

    Only a person of the organisation whose data the share opens, allowed to write those
    categories, records it (:mod:`coparcours.youths.sharing`); the record and a refusal
    are audited, the line naming the consent in the record's access log.
    """
    acting = member_organisation(user, acting)
    check_consent_recorder(user, youth, acting, organisation, categories)
    start_date = start_date or timezone.localdate()
    errors = _share_errors(youth, acting, organisation, categories, purpose, start_date, end_date)
    if basis == ShareBasis.LEGAL:
        errors.update(_legal_basis_errors(categories, prior_information_on))
    else:
        errors.update(_consent_errors(youth, start_date, given_by, method, witness, signed_form))
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        youth=youth,
        organisation=organisation,
        categories=sorted(set(categories), key=Category.values.index),
        purpose=purpose.strip(),
        basis=basis,
        given_by=given_by,
        method=ConsentMethod.INFORMED_LEGAL_BASIS if basis == ShareBasis.LEGAL else method,
        witness=witness.strip(),
        signed_form=signed_form,
        prior_information_on=prior_information_on,
        start_date=start_date,
        end_date=end_date,
        author_organisation_id=acting.pk,
        recorded_by=user,
    )
    consent.full_clean()
    consent.save()
    record(
        user,
        AuditEvent.WRITE,
        organisation=acting,
        youth_id=youth.pk,
        obj=consent,
        reason=f"Partage enregistré avec {organisation} ({consent.get_basis_display()})",
    )
    return consent


def withdrawable_consents(user: Any, youth: Youth, consents: Iterable[Consent]) -> set[int]:
    """The shares whose withdrawal to offer the user (not audited: the service decides)."""
    today = timezone.localdate()
    memberships, facts = active_memberships(user, today), youth.access_facts(today)
    return {
        consent.pk
        for consent in consents
        if sharing.withdrawal_grant(
            memberships,
            facts,
            author_organisation_id=consent.author_organisation_id,
            recipient_organisation_id=consent.organisation_id,
            owner_organisation_id=youth.owner_organisation_id,
        )
    }


def withdrawal_grant(user: Any, consent: Consent) -> Grant:
    """The membership through which the user withdraws the share: the recording
    organisation, the recipient or the owner, never a third party (refused and audited)."""
    youth = consent.youth
    today = timezone.localdate()
    grant = sharing.withdrawal_grant(
        active_memberships(user, today),
        youth.access_facts(today),
        author_organisation_id=consent.author_organisation_id,
        recipient_organisation_id=consent.organisation_id,
        owner_organisation_id=youth.owner_organisation_id,
    )
    if grant is None:
        record_refusal(user, youth_id=youth.pk, obj=consent, reason="Retrait d'un partage refusé")
        raise sharing.WITHDRAWAL_REFUSAL.error()
    return grant


@transaction.atomic
def withdraw_consent(user: Any, consent: Consent) -> Consent:
    """Withdrawal takes effect at once (RGPD art. 7-3), by a party to the share
    (:func:`withdrawal_grant`, audited also when refused)."""
    grant = withdrawal_grant(user, consent)
    return _withdraw(
        user, consent, Organisation.objects.get(pk=grant.organisation_id), "Partage retiré"
    )


@transaction.atomic
def withdraw_consent_for_youth(consent: Consent) -> Consent:
    """The youth withdraws their consent themself (RGPD art. 7-3: as easily as it was
    given), from a page opened with their own link; the line names no professional."""
    if consent.withdrawn_at is None:
        consent.withdrawn_by_youth = True
    return _withdraw(None, consent, consent.youth.owner_organisation, "Partage retiré par le jeune")


def _withdraw(user: Any, consent: Consent, organisation: Organisation, reason: str) -> Consent:
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = user
        consent.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_by_youth", "updated_at"]
        )
        record(
            user,
            AuditEvent.WRITE,
            organisation=organisation,
            youth_id=consent.youth_id,
            obj=consent,
            reason=f"{reason} : {consent.organisation} n'y a plus accès",
        )
    return consent


@transaction.atomic
def add_note(
    user: Any,
    youth: Youth,
    organisation: Organisation,
    *,
    category: str,
    title: str,
    text: str,
    occurred_on: datetime.date,
) -> Note:
    organisation = member_organisation(user, organisation)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "Une note ne peut pas être datée dans le futur."})
    check(
        user,
        youth,
        category,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    note = Note(
        youth=youth,
        category=category,
        title=title,
        text=text,
        occurred_on=occurred_on,
        author=user,
        author_organisation=organisation,
    )
    note.full_clean()
    note.save()
    return note


def validate_upload(upload: UploadedFile) -> str:
    """Check size, real type and (when configured) the antivirus scan of an uploaded file;
    returns its content type."""
    limit = settings.YOUTH_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    f"Le fichier dépasse la taille maximale ({limit // (1024 * 1024)} Mo).",
                    code="too_big",
                )
            }
        )
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    suffix = ("." + upload.name.rsplit(".", 1)[-1].lower()) if "." in upload.name else ""
    if kind is None or kind.mime not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": ValidationError(
                    "Type de fichier refusé : seuls les PDF, JPEG, PNG et WebP sont acceptés.",
                    code="file_type",
                )
            }
        )
    if suffix not in ALLOWED_DOCUMENT_TYPES[kind.mime]:
        raise ValidationError(
            {
                "file": ValidationError(
                    "Le contenu du fichier ne correspond pas à son extension : fichier refusé.",
                    code="file_type",
                )
            }
        )
    scan_upload(upload)
    return kind.mime


@transaction.atomic
def upload_document(
    user: Any,
    youth: Youth,
    organisation: Organisation,
    *,
    category: str,
    title: str,
    upload: UploadedFile,
) -> Document:
    organisation = member_organisation(user, organisation)
    content_type = validate_upload(upload)
    check(
        user,
        youth,
        category,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )
    document = Document(
        youth=youth,
        category=category,
        title=title,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
        author_organisation=organisation,
    )
    document.file.save(upload.name, upload, save=False)
    document.full_clean()
    document.save()
    return document
