"""Referrals (closed loop): sending an orientation with the youth's consent, the
structure's answer through its signed link or its account, expiry and reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coparcours.core import audit
from coparcours.core.access import Action, Category, active_memberships, check, member_organisation
from coparcours.core.models import AuditEvent
from coparcours.directory.models import Referral, ReferralStatus, RefusalReason, Scheme, Service
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Note, Youth
from coparcours.youths.models.consents import ConsentGiver, ConsentMethod

_SIGNER_SALT = "coparcours.directory.referral"
EXPIRED_LINK = (
    "Ce lien de réponse a expiré. Contactez l'organisation qui vous a adressé l'orientation "
    "pour qu'elle vous en renvoie une."
)
INVALID_LINK = "Ce lien de réponse n'est pas valide : vérifiez qu'il a été copié en entier."


def referral_token(referral: Referral) -> str:
    """A signed, timestamped token naming the referral (valid DIRECTORY_REFERRAL_DAYS days)."""
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(referral.pk))


def referral_from_token(token: str) -> Referral:
    """The referral a token names, or a French ``ValidationError`` (expired or altered)."""
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        pk = signer.unsign(token, max_age=datetime.timedelta(days=settings.DIRECTORY_REFERRAL_DAYS))
    except signing.SignatureExpired as error:
        raise ValidationError(EXPIRED_LINK, code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError(INVALID_LINK, code="invalid") from error
    referral = (
        Referral.objects.select_related("service__structure", "author_organisation", "youth")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise ValidationError(INVALID_LINK, code="invalid")
    return referral


#: The answer link's address as the audit log keeps it: its token would let the log's
#: readers answer in the structure's name.
ANSWER_PATH_LOGGED = "/annuaire/reponse/<lien de réponse>/"


def record_answer_page_read(referral: Referral) -> None:
    """Audit an opening of the answer link: the structure sees the youth's first name,
    initial and age (identity) and the message about what is sent, so one line per
    category, under a masked address, for the youth's access log (CNIL référentiel
    2021-028). The visitor has no account: the line names the referral and its service."""
    reason = (
        f"Orientation ouverte par son lien de réponse : {referral.service.nom} "
        f"({referral.service.structure.nom})"
    )
    with audit.logged_path(ANSWER_PATH_LOGGED):
        audit.record_many(
            [
                audit.entry(
                    None,
                    AuditEvent.READ,
                    organisation=referral.author_organisation,
                    youth_id=referral.youth_id,
                    category=category,
                    obj=referral,
                    reason=reason,
                )
                for category in dict.fromkeys([Category.IDENTITY, *referral.categories])
            ]
        )


def answer_url(referral: Referral) -> str:
    path = reverse("directory:answer", args=[referral_token(referral)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _timeline(referral: Referral, title: str, text: str = "") -> None:
    """Record a step of the referral on the youth's record, in the referral's category."""
    Note.objects.create(
        youth=referral.youth,
        category=referral.category,
        occurred_on=timezone.localdate(),
        title=title[:200],
        text=text,
        author_organisation=referral.author_organisation,
    )


def _notify(referral: Referral, subject: str, reminder: bool = False) -> None:
    recipient = referral.service.referral_email
    if not recipient:
        return
    body = render_to_string(
        "directory/referral_email.txt",
        {"referral": referral, "url": answer_url(referral), "reminder": reminder},
    )
    send_mail(subject, body, None, [recipient])


def _category_errors(
    user: Any,
    youth: Youth,
    acting: Organisation,
    categories: list[str],
    consented_categories: list[str],
) -> dict[str, str]:
    """Refuse unknown categories, check the sender reads each one (access policy), and
    note those the youth has not agreed to send."""
    errors: dict[str, str] = {}
    unknown = set(categories) | set(consented_categories)
    if unknown - set(Category.values):
        errors["categories"] = "Catégorie d'informations inconnue."
    else:
        for name in categories:
            check(user, youth, name, Action.READ, within_organisation_id=acting.pk)
    missing = [Category(c).label for c in categories if c not in consented_categories]
    if missing and "categories" not in errors:
        errors["consented_categories"] = (
            "Le jeune n'a pas donné son accord pour transmettre : "
            f"{', '.join(missing)}. Recueillez son accord avant d'envoyer l'orientation."
        )
    return errors


def _consent_errors(youth: Youth, consent_given_by: str, consent_method: str) -> dict[str, str]:
    """Note who gave the consent (a legal representative for a minor) and how, if invalid."""
    errors: dict[str, str] = {}
    if consent_given_by not in ConsentGiver.values:
        errors["consent_given_by"] = "Indiquez qui a donné l'accord."
    elif youth.is_minor() and consent_given_by == ConsentGiver.YOUTH:
        errors["consent_given_by"] = (
            "Pour un mineur, l'accord du représentant légal est nécessaire."
        )
    if (
        consent_method not in ConsentMethod.values
        or consent_method == ConsentMethod.INFORMED_LEGAL_BASIS
    ):
        errors["consent_method"] = "Indiquez comment l'accord du jeune a été recueilli."
    return errors


@transaction.atomic
def send_referral(
    user: Any,
    youth: Youth,
    acting: Organisation,
    *,
    service: Service,
    categories: list[str],
    message: str,
    consented_categories: list[str],
    consent_given_by: str,
    consent_method: str,
    category: str = "",
    scheme: Scheme | None = None,
) -> Referral:
    """Send an orientation to a service, with the youth's consent covering what is sent.

    What is sent is the youth's identity (first name, initial, age) and the message,
    presented under ``categories``: the sender must see each of them (access policy), and
    the youth must have agreed to send each of them to this structure.
    """
    acting = member_organisation(user, acting)
    check(user, youth, Category.IDENTITY, Action.WRITE, within_organisation_id=acting.pk)
    categories = list(dict.fromkeys([Category.IDENTITY, *categories]))
    errors = _category_errors(user, youth, acting, categories, consented_categories)
    errors.update(_consent_errors(youth, consent_given_by, consent_method))
    if not message.strip():
        errors["message"] = "Écrivez un message à la structure : la demande et son contexte."
    category = category or next((c for c in categories if c != Category.IDENTITY), Category.NOTES)
    if category not in categories and category != Category.NOTES:
        errors["category"] = "La rubrique du dossier doit faire partie des informations transmises."
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    referral = Referral.objects.create(
        youth=youth,
        service=service,
        scheme=scheme,
        category=category,
        author_organisation=acting,
        sent_by=user,
        categories=categories,
        message=message.strip(),
        consented_categories=list(consented_categories),
        consent_given_by=consent_given_by,
        consent_method=consent_method,
        consent_on=today,
        expires_on=today + datetime.timedelta(days=settings.DIRECTORY_REFERRAL_DAYS),
    )
    _timeline(referral, f"Orientation envoyée : {service.nom} ({service.structure.nom})", message)
    transaction.on_commit(
        lambda: _notify(referral, f"Coparcours — orientation d'un jeune vers {service.nom}")
    )
    return referral


@transaction.atomic
def answer_referral(
    referral: Referral, *, accepted: bool, reason: str = "", comment: str = "", answered_by: str
) -> Referral:
    """The structure answers: accepted, or refused with a reason from the list."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.OPEN:
        raise ValidationError(
            f"Cette orientation a déjà reçu une réponse ({referral.get_status_display().lower()})."
        )
    if referral.expires_on <= timezone.localdate():
        raise ValidationError(EXPIRED_LINK, code="expired")
    errors = {}
    if not answered_by.strip():
        errors["answered_by"] = "Indiquez votre nom et votre fonction."
    if not accepted and reason not in RefusalReason.values:
        errors["refusal_reason"] = "Choisissez le motif du refus dans la liste."
    if errors:
        raise ValidationError(errors)
    referral.status = ReferralStatus.ACCEPTED if accepted else ReferralStatus.REFUSED
    referral.refusal_reason = "" if accepted else reason
    referral.answer_comment = comment.strip()
    referral.answered_by = answered_by.strip()[:200]
    referral.answered_at = timezone.now()
    referral.save()
    outcome = "acceptée" if accepted else f"refusée ({referral.get_refusal_reason_display()})"
    _timeline(
        referral,
        f"Orientation {outcome} : {referral.service.nom}",
        f"Réponse de {referral.answered_by}. {referral.answer_comment}".strip(),
    )
    return referral


def answer_as_member(user: Any, referral: Referral, **answer: Any) -> Referral:
    """A structure using Coparcours answers from its own account."""
    organisation_id = referral.service.structure.organisation_id
    if organisation_id is None or organisation_id not in {
        org for org, _ in active_memberships(user)
    }:
        raise PermissionDenied("Seule la structure destinataire peut répondre à l'orientation.")
    return answer_referral(referral, answered_by=f"{user} ({referral.service.structure})", **answer)


def expire_and_remind(today: datetime.date | None = None) -> tuple[int, int]:
    """Expire unanswered referrals past their date; remind structures of the others.

    Returns (expired, reminded). Reminders go every DIRECTORY_REMINDER_DAYS days.
    """
    today = today or timezone.localdate()
    expired = 0
    for referral in Referral.objects.filter(status=ReferralStatus.OPEN, expires_on__lte=today):
        with transaction.atomic():
            referral.status = ReferralStatus.EXPIRED
            referral.save(update_fields=["status", "updated_at"])
            _timeline(referral, f"Orientation expirée sans réponse : {referral.service.nom}")
        expired += 1
    every = datetime.timedelta(days=settings.DIRECTORY_REMINDER_DAYS)
    reminded = 0
    due = Referral.objects.filter(status=ReferralStatus.OPEN, expires_on__gt=today).select_related(
        "service__structure", "author_organisation", "youth"
    )
    for referral in due:
        last = referral.last_reminder_on or referral.created_at.date()
        if today - last < every:
            continue
        # Claimed by a conditional update and sent in the same transaction: a concurrent
        # run finds it claimed, a run killed before the hand-off leaves it to the next run.
        with transaction.atomic():
            claimed = Referral.objects.filter(
                pk=referral.pk,
                status=ReferralStatus.OPEN,
                last_reminder_on=referral.last_reminder_on,
            ).update(
                reminders_sent=F("reminders_sent") + 1,
                last_reminder_on=today,
                updated_at=timezone.now(),
            )
            if not claimed:
                continue
            _notify(referral, f"Rappel — orientation en attente vers {referral.service.nom}", True)
        reminded += 1
    return expired, reminded
