"""The data·inclusion exchange: reference values from the installed schema package, import
of a file of structures and services (validated whole, then written in one transaction) and
export in the same schema."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coparcours.core.batches import chunks
from coparcours.directory import datainclusion
from coparcours.directory.models import ReferenceValue, Service, Structure

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
    structures, services = _collect_records(parsed.records, errors)
    if not parsed.records and not errors:
        errors.append("Le fichier ne contient aucune structure ni aucun service.")

    references = {(r.value_list, r.code): r for r in ReferenceValue.objects.all()}
    _check_structures_known(structures, services, errors)
    _check_codes(structures, services, references, errors)
    if errors:
        raise ValidationError(errors)
    return _write(structures, {k: v for k, (_, v) in services.items()}, references)


def _collect_records(
    records: list[datainclusion.Record], errors: list[str]
) -> tuple[
    dict[tuple[str, str], dict[str, Any]], dict[tuple[str, str], tuple[int, dict[str, Any]]]
]:
    """Validate each record and key it by (source, id), noting the errors and duplicates."""
    structures: dict[tuple[str, str], dict[str, Any]] = {}
    services: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for record in records:
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
    return structures, services


def _check_structures_known(
    structures: dict[tuple[str, str], dict[str, Any]],
    services: dict[tuple[str, str], tuple[int, dict[str, Any]]],
    errors: list[str],
) -> None:
    """Note each service whose structure is neither in the file nor in the directory."""
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


def _check_codes(
    structures: dict[tuple[str, str], dict[str, Any]],
    services: dict[tuple[str, str], tuple[int, dict[str, Any]]],
    references: dict[tuple[str, str], ReferenceValue],
    errors: list[str],
) -> None:
    """Note each code of a structure or service missing from the reference values."""
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
    _replace_codes(model, rows, records, code_fields, references)
    return rows, len(created), len(updated)


def _replace_codes(
    model: type[Any],
    rows: dict[tuple[str, str], Any],
    records: dict[tuple[str, str], dict[str, Any]],
    code_fields: dict[str, tuple[str, bool]],
    references: dict[tuple[str, str], ReferenceValue],
) -> None:
    """Replace the reference codes of the saved rows by those of their records."""
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
