"""Orientations from partners: the page opened or closed, an orientation received from the
public form, taken up (for a CEJ-JR, a youth spotted through ``record_outreach`` that the
weekly committee then sees), the youth contacted, the outcome; the partner told of each step
without any personal detail; the orientations past their retention deleted."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coparcours.cej.models import Pathway, StageChange
from coparcours.cej.models.pathway import OutreachMethod
from coparcours.cej.services.outreach import record_outreach
from coparcours.core import audit
from coparcours.core.access import Capability, require_in_consortium
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Consortium, ConsortiumKind, Organisation
from coparcours.orientations import rules
from coparcours.orientations.guard import token_digest
from coparcours.orientations.models import (
    CLOSED,
    WAITING,
    Orientation,
    OrientationPage,
    OrientationStatus,
)

NOT_YOURS = (
    "Cette orientation est adressée à un partenariat dont vous ne traitez pas les orientations."
)
PAGE_CLOSED = (
    "Cette page d'orientation est fermée : contactez directement le partenariat pour lui "
    "orienter un jeune."
)
#: The public page's address as the audit log keeps it (its secret masked).
PAGE_PATH_LOGGED = "/orientations/orienter/<adresse de la page>/"
#: The states from which each act may be done.
CONTACT_FROM = {
    ConsortiumKind.CEJ_JR: (OrientationStatus.TO_CONTACT,),
    ConsortiumKind.GME: (OrientationStatus.RECEIVED,),
}
OUTCOME_FROM = {
    OrientationStatus.OPENED: (OrientationStatus.CONTACTED,),
    OrientationStatus.NOT_OPENED: (
        OrientationStatus.RECEIVED,
        OrientationStatus.TO_CONTACT,
        OrientationStatus.CONTACTED,
    ),
    OrientationStatus.UNREACHABLE: (OrientationStatus.RECEIVED, OrientationStatus.TO_CONTACT),
}


@transaction.atomic
def set_page_open(user: Any, consortium: Consortium, is_open: bool) -> OrientationPage:
    """Open or close a partnership's public page (its porteur, the GME's coordination or
    its funder: docs/access.md, ``orientation_pages``); kept in the page's history."""
    require_in_consortium(
        user,
        Capability.ORIENTATION_PAGES,
        consortium,
        "Seuls le porteur, la coordination ou le financeur ouvrent la page de ce partenariat.",
    )
    page, _created = OrientationPage.objects.select_for_update().get_or_create(
        consortium=consortium
    )
    page.is_open = is_open
    page.changed_by = user
    page.save()
    return page


@transaction.atomic
def submit_orientation(page: OrientationPage, token: str, **fields: Any) -> Orientation:
    """Record an orientation posted on the public page (form token already checked): the
    same token is accepted once."""
    page = OrientationPage.objects.select_for_update().get(pk=page.pk)
    if not page.is_open:
        raise ValidationError(PAGE_CLOSED, code="closed")
    digest = token_digest(token)
    if Orientation.objects.filter(token_digest=digest).exists():
        raise ValidationError(rules.REPLAYED, code="replayed")
    orientation = Orientation(
        consortium=page.consortium,
        token_digest=digest,
        status_since=timezone.localdate(),
        **fields,
    )
    orientation.full_clean(exclude=["token_digest"])
    try:
        with transaction.atomic():
            orientation.save()
    except IntegrityError as error:  # the same token posted twice at the same moment
        raise ValidationError(rules.REPLAYED, code="replayed") from error
    with audit.logged_path(PAGE_PATH_LOGGED):  # the address is the page's secret
        audit.record(
            None,
            AuditEvent.WRITE,
            obj=orientation,
            email=orientation.partner_email,
            reason=f"Orientation reçue par la page publique de {page.consortium}",
        )
    return orientation


def require_handler(user: Any, orientation: Orientation) -> None:
    """403 unless one of the user's memberships handles its partnership's orientations."""
    require_in_consortium(user, Capability.ORIENTATIONS, orientation.consortium_id, NOT_YOURS)


def _move(user: Any, orientation: Orientation, status: str) -> Orientation:
    orientation.status = status
    orientation.status_since = timezone.localdate()
    orientation.handled_by = user
    orientation.save()
    return orientation


def _tell_partner(orientation: Orientation) -> None:
    """E-mail the partner the orientation's new state: its reference, the partnership and
    the date it was sent, never a detail of the youth (professional secrecy)."""
    body = render_to_string("orientations/partner_email.txt", {"orientation": orientation})
    subject = f"Votre orientation {orientation.reference} : {orientation.get_status_display()}"
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [orientation.partner_email], fail_silently=True)
    )


@transaction.atomic
def take_up_for_cej(
    user: Any,
    organisation: Organisation,
    orientation: Orientation,
    *,
    youth_fields: dict[str, Any],
    mission_locale: Organisation | None,
    registration: str,
) -> Pathway:
    """The porteur takes up an orientation: the youth is spotted (a record and a pathway at
    stage identified, through ``record_outreach``), so that the next weekly committee has
    them on its agenda as a youth to contact."""
    require_handler(user, orientation)
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if orientation.consortium.kind != ConsortiumKind.CEJ_JR:
        raise ValidationError("Seule une orientation vers un CEJ-JR ouvre un parcours.")
    if orientation.status != OrientationStatus.RECEIVED:
        raise ValidationError("Cette orientation a déjà été traitée.")
    pathway = record_outreach(
        user,
        organisation,
        orientation.consortium,
        youth_fields=youth_fields,
        mission_locale=mission_locale,
        identified_on=timezone.localtime(orientation.created_at).date(),
        spotted_where=orientation.youth_commune,
        spotted_by=f"{orientation.partner_structure} ({orientation.partner_name}), "
        f"orientation {orientation.reference}",
        spotted_how=OutreachMethod.PARTNER,
        registration=registration,
    )
    orientation.pathway = pathway
    _move(user, orientation, OrientationStatus.TO_CONTACT)
    return pathway


@transaction.atomic
def record_contacted(user: Any, orientation: Orientation) -> Orientation:
    """The youth has been contacted: the partner is told."""
    require_handler(user, orientation)
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if orientation.status not in CONTACT_FROM[orientation.consortium.kind]:
        raise ValidationError(
            "Le contact se note une fois l'orientation acceptée, avant son issue."
        )
    _move(user, orientation, OrientationStatus.CONTACTED)
    _tell_partner(orientation)
    return orientation


@transaction.atomic
def record_outcome(user: Any, orientation: Orientation, outcome: str) -> Orientation:
    """The orientation's outcome (pathway opened or not, youth unreachable): the partner is
    told, and nothing more happens to it."""
    require_handler(user, orientation)
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if outcome not in CLOSED:
        raise ValidationError("Choisissez l'issue de l'orientation.")
    if orientation.status not in OUTCOME_FROM[outcome]:
        raise ValidationError(
            f"Une orientation « {orientation.get_status_display()} » ne peut pas passer à "
            f"« {OrientationStatus(outcome).label} »."
        )
    _move(user, orientation, outcome)
    _tell_partner(orientation)
    return orientation


@transaction.atomic
def follow_pathways() -> int:
    """The outcome of each taken-up CEJ-JR orientation still waiting, read from its pathway
    (``rules.outcome_of_pathway``), so that the partner hears whether the pathway opened
    without anyone recording it; the person who handled it stays named. Returns how many
    moved."""
    waiting = list(
        Orientation.objects.select_for_update()
        .filter(consortium__kind=ConsortiumKind.CEJ_JR, status__in=WAITING, pathway__isnull=False)
        .select_related("pathway", "consortium")
    )
    opened = set(
        StageChange.objects.filter(
            pathway_id__in=[o.pathway_id for o in waiting], to_stage__in=rules.OPENING_STAGES
        ).values_list("pathway_id", flat=True)
    )
    moved = 0
    for orientation in waiting:
        outcome = rules.outcome_of_pathway(
            orientation.pathway.stage, orientation.pathway_id in opened
        )
        if outcome is not None:
            orientation.status = outcome
            orientation.status_since = timezone.localdate()
            orientation.save(update_fields=["status", "status_since", "updated_at"])
            _tell_partner(orientation)
            moved += 1
    return moved


def record_read(user: Any, organisation: Organisation | None, orientation: Orientation) -> None:
    """Audit a reading of an orientation (the youth's identity and situation)."""
    if organisation is None:
        raise PermissionDenied(NOT_YOURS)
    audit.record(
        user,
        AuditEvent.READ,
        organisation=organisation,
        youth_id=orientation.pathway.youth_id if orientation.pathway_id else None,
        obj=orientation,
        reason=f"Orientation d'un partenaire {orientation.reference}",
    )


@transaction.atomic
def purge_stale(today: datetime.date | None = None) -> int:
    """Delete the orientations unchanged since their retention period, with their history
    (docs/domain-rules.md, "Orientations from partners"). Idempotent."""
    before = rules.purge_before(today or timezone.localdate())
    stale = Orientation.objects.filter(status_since__lt=before)
    ids = list(stale.values_list("pk", flat=True))
    stale.delete()
    Orientation.history.filter(id__in=ids).delete()  # the deletion's own copy included
    return len(ids)
