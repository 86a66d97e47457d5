"""Operations that change the directory: reference values, data·inclusion import, schemes,
referrals. Each one runs in a transaction; refusals are French ``ValidationError``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
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
from coparcours.core.batches import chunks
from coparcours.core.models import AuditEvent
from coparcours.directory import datainclusion
from coparcours.directory.models import (
    ReferenceValue,
    Referral,
    ReferralStatus,
    RefusalReason,
    Scheme,
    Service,
    Structure,
    ValueList,
)
from coparcours.organisations.models import Organisation
from coparcours.youths.models import ConsentGiver, ConsentMethod, Note, Youth

_STRUCTURE_FIELDS = [
    "nom", "description", "lien_source", "date_maj", "commune", "code_postal", "code_insee",
    "adresse", "complement_adresse", "longitude", "latitude", "telephone", "courriel",
    "horaires_accueil", "siret", "site_web", "accessibilite_lieu",
]  # fmt: skip
_SERVICE_FIELDS = [
    "nom", "description", "lien_source", "date_maj", "commune", "code_postal", "code_insee",
    "adresse", "complement_adresse", "longitude", "latitude", "telephone", "courriel",
    "horaires_accueil", "frais_precisions", "publics_precisions", "conditions_acces",
    "zone_eligibilite", "contact_nom_prenom", "lien_mobilisation", "mobilisation_precisions",
    "volume_horaire_hebdomadaire", "nombre_semaines",
]  # fmt: skip
_NULLABLE = {"longitude", "latitude", "volume_horaire_hebdomadaire", "nombre_semaines"}


def sync_reference_values(model: type[Any] = ReferenceValue) -> int:
    """Load the value lists of the installed ``data-inclusion-schema`` as reference rows.

    Idempotent: labels and descriptions follow the package; codes the package dropped stay
    (services may still carry them). ``model`` lets a data migration pass its historical
    model. Returns the number of rows created.
    """
    existing = {(row.value_list, row.code): row for row in model.objects.all()}
    created, changed = [], []
    for values in datainclusion.reference_rows():
        row = existing.get((values["value_list"], values["code"]))
        if row is None:
            created.append(model(**values))
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            changed.append(row)
    model.objects.bulk_create(created)
    model.objects.bulk_update(changed, ["label", "description", "parent_code"])
    return len(created)


@dataclass
class ImportReport:
    structures_created: int = 0
    structures_updated: int = 0
    services_created: int = 0
    services_updated: int = 0

    def __str__(self) -> str:
        return (
            f"{self.structures_created} structure(s) créée(s), {self.structures_updated} mise(s) "
            f"à jour ; {self.services_created} service(s) créé(s), {self.services_updated} mis "
            "à jour."
        )


def _field_value(name: str, data: dict[str, Any]) -> Any:
    value = data.get(name)
    if value is None:
        return None if name in _NULLABLE else ([] if name == "zone_eligibilite" else "")
    if name == "date_maj":
        return datetime.date.fromisoformat(value)
    return value


def _codes(data: dict[str, Any], fields: dict[str, tuple[str, bool]]) -> list[tuple[str, str]]:
    pairs = []
    for name, (value_list, many) in fields.items():
        value = data.get(name)
        if value is None:
            continue
        pairs.extend((value_list, code) for code in (value if many else [value]))
    return pairs


def import_file(content: bytes, filename: str = "") -> ImportReport:
    """Import a data·inclusion file: validated whole first, then written in one transaction.

    Keyed by (``source``, ``id``): importing the same file again updates, never duplicates.
    Any error (format, schema, unknown code, service without its structure, duplicate id)
    raises ``ValidationError`` with every French message and writes nothing.
    """
    parsed = datainclusion.parse(content, filename)
    errors = list(parsed.errors)
    structures: dict[tuple[str, str], dict[str, Any]] = {}
    services: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for record in parsed.records:
        data, problems = datainclusion.validate(record)
        errors.extend(problems)
        if data is None:
            continue
        key = (data["source"], data["id"])
        target = structures if record.kind == "structure" else services
        if key in target:
            errors.append(
                f"ligne {record.line} : l'identifiant « {data['id']} » de la source "
                f"« {data['source']} » apparaît deux fois dans le fichier."
            )
            continue
        target[key] = data if record.kind == "structure" else (record.line, data)
    if not parsed.records and not errors:
        errors.append("Le fichier ne contient aucune structure ni aucun service.")

    references = {(r.value_list, r.code): r for r in ReferenceValue.objects.all()}
    wanted_structures = set(structures) | {
        (data["source"], data["structure_id"]) for _, data in services.values()
    }
    known_structures = _existing(Structure, wanted_structures)
    for line, data in services.values():
        if (data["source"], data["structure_id"]) not in structures and (
            data["source"],
            data["structure_id"],
        ) not in known_structures:
            errors.append(
                f"ligne {line}, service « {data['id']} », champ « structure_id » : structure "
                f"« {data['structure_id']} » inconnue (ni dans le fichier ni dans l'annuaire)."
            )
    for kind, items, fields in (
        (
            "structure",
            [(None, d) for d in structures.values()],
            datainclusion.STRUCTURE_CODE_FIELDS,
        ),
        ("service", list(services.values()), datainclusion.SERVICE_CODE_FIELDS),
    ):
        for line, data in items:
            for pair in _codes(data, fields):
                if pair not in references:
                    where = f"ligne {line}, " if line else ""
                    errors.append(
                        f"{where}{kind} « {data['id']} » : code « {pair[1]} » absent des valeurs "
                        "de référence (mettez-les à jour depuis data·inclusion)."
                    )
    if errors:
        raise ValidationError(errors)
    return _write(structures, {k: v for k, (_, v) in services.items()}, references)


def _existing(model: type[Any], keys: set[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    found: dict[tuple[str, str], Any] = {}
    by_source: dict[str, list[str]] = {}
    for source, identifier in keys:
        by_source.setdefault(source, []).append(identifier)
    for source, identifiers in by_source.items():
        for chunk in chunks(identifiers, 2000):
            for row in model.objects.filter(source=source, di_id__in=chunk):
                found[(row.source, row.di_id)] = row
    return found


@transaction.atomic
def _write(
    structures: dict[tuple[str, str], dict[str, Any]],
    services: dict[tuple[str, str], dict[str, Any]],
    references: dict[tuple[str, str], ReferenceValue],
) -> ImportReport:
    report = ImportReport()
    saved_structures = _upsert(
        Structure, structures, _STRUCTURE_FIELDS, datainclusion.STRUCTURE_CODE_FIELDS, references
    )
    report.structures_created, report.structures_updated = saved_structures[1:]
    all_structures = _existing(
        Structure, {(d["source"], d["structure_id"]) for d in services.values()}
    )
    all_structures.update(saved_structures[0])
    for data in services.values():
        data["_structure"] = all_structures[(data["source"], data["structure_id"])]
    _, report.services_created, report.services_updated = _upsert(
        Service, services, _SERVICE_FIELDS, datainclusion.SERVICE_CODE_FIELDS, references
    )
    return report


def _upsert(
    model: type[Any],
    records: dict[tuple[str, str], dict[str, Any]],
    fields: list[str],
    code_fields: dict[str, tuple[str, bool]],
    references: dict[tuple[str, str], ReferenceValue],
) -> tuple[dict[tuple[str, str], Any], int, int]:
    """Create or update rows keyed by (source, id) in bounded queries, then their codes."""
    existing = _existing(model, set(records))
    created, updated = [], []
    for key, data in records.items():
        row = existing.get(key) or model(source=key[0], di_id=key[1])
        for name in fields:
            setattr(row, name, _field_value(name, data))
        if "_structure" in data:
            row.structure = data["_structure"]
        row.refresh_keys()
        (updated if row.pk else created).append(row)
    model.objects.bulk_create(created, batch_size=1000)
    if updated:
        extra = ["structure"] if model is Service else []
        model.objects.bulk_update(
            updated, [*fields, *extra, "departement", "search_text", "updated_at"], batch_size=1000
        )
    rows = {(row.source, row.di_id): row for row in [*created, *updated]}
    if created and any(row.pk is None for row in created):  # backends without RETURNING
        rows.update(_existing(model, {(row.source, row.di_id) for row in created}))
    through = model.codes.through
    owner = f"{model._meta.model_name}_id"
    ids = [row.pk for row in rows.values()]
    for chunk in chunks(ids, 2000):
        through.objects.filter(**{f"{owner}__in": chunk}).delete()
    through.objects.bulk_create(
        [
            through(**{owner: rows[key].pk, "referencevalue_id": references[pair].pk})
            for key, data in records.items()
            for pair in dict.fromkeys(_codes(data, code_fields))
        ],
        batch_size=2000,
    )
    return rows, len(created), len(updated)


def structure_record(structure: Structure) -> dict[str, Any]:
    """A structure in the data·inclusion schema (validated by the package)."""
    data = {"source": structure.source, "id": structure.di_id}
    data.update({name: getattr(structure, name) for name in _STRUCTURE_FIELDS})
    data["reseaux_porteurs"] = [v.code for v in structure.codes_of("reseau_porteur")] or None
    return datainclusion.export_record("structure", _drop_empty(data))


def service_record(service: Service) -> dict[str, Any]:
    """A service in the data·inclusion schema (validated by the package)."""
    data = {"source": service.source, "id": service.di_id, "structure_id": service.structure.di_id}
    data.update({name: getattr(service, name) for name in _SERVICE_FIELDS})
    for name, (value_list, many) in datainclusion.SERVICE_CODE_FIELDS.items():
        codes = [v.code for v in service.codes_of(value_list)]
        data[name] = codes if many else (codes[0] if codes else None)
    return datainclusion.export_record("service", _drop_empty(data))


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def export_document(structures: Iterable[Structure], services: Iterable[Service]) -> dict:
    """The ``{"structures": [...], "services": [...]}`` document the import reads back."""
    return {
        "structures": [structure_record(s) for s in structures],
        "services": [service_record(s) for s in services],
    }


# --- Schemes ---------------------------------------------------------------------------------

SCHEMES_FILE = Path(__file__).parent / "fixtures" / "schemes.json"


@transaction.atomic
def load_schemes(path: Path = SCHEMES_FILE) -> list[Scheme]:
    """Create or update the schemes described in a JSON file (keyed by ``code``).

    Themes are thématique codes; operators are data·inclusion structure ids, linked when
    the structure is in the directory. Incompatibilities are linked once all schemes exist.
    """
    entries = json.loads(path.read_text(encoding="utf-8"))
    saved: dict[str, Scheme] = {}
    for entry in entries:
        fields = {
            key: value
            for key, value in entry.items()
            if key not in {"code", "incompatible_with", "themes", "operators"}
        }
        scheme, _ = Scheme.objects.update_or_create(code=entry["code"], defaults=fields)
        scheme.full_clean()
        scheme.themes.set(
            ReferenceValue.objects.filter(
                value_list=ValueList.THEMATIQUE, code__in=entry.get("themes", [])
            )
        )
        scheme.operators.set(Structure.objects.filter(di_id__in=entry.get("operators", [])))
        saved[scheme.code] = scheme
    for entry in entries:
        saved[entry["code"]].incompatible_with.add(
            *Scheme.objects.filter(code__in=entry.get("incompatible_with", []))
        )
    return list(saved.values())


# --- Referrals (closed loop) -----------------------------------------------------------------

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
