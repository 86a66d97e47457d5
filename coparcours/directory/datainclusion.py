"""Reading and writing files in the national data·inclusion schema (``data-inclusion-schema``).

A file is a JSON document ``{"structures": [...], "services": [...]}`` (either list may be
absent), a bare JSON list of structures or of services, or a CSV file of structures or of
services (lists as JSON arrays or comma-separated codes). Every record is validated with the
schema's own pydantic models (data_inclusion.schema.v1) and its codes against the reference
rows; errors are reported in French with their line and field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pydantic
from data_inclusion.schema import v1

from coparcours.directory.models import ValueList

# (value list, package enum) for every list the schema defines.
VALUE_LISTS: list[tuple[str, Any]] = [
    (ValueList.CATEGORIE, v1.Categorie),
    (ValueList.THEMATIQUE, v1.Thematique),
    (ValueList.PUBLIC, v1.Public),
    (ValueList.TYPE_SERVICE, v1.TypeService),
    (ValueList.FRAIS, v1.Frais),
    (ValueList.MODE_ACCUEIL, v1.ModeAccueil),
    (ValueList.MODE_MOBILISATION, v1.ModeMobilisation),
    (ValueList.PERSONNE_MOBILISATRICE, v1.PersonneMobilisatrice),
    (ValueList.RESEAU_PORTEUR, v1.ReseauPorteur),
]

# Schema fields holding codes: field -> (value list, several values?).
STRUCTURE_CODE_FIELDS = {"reseaux_porteurs": (ValueList.RESEAU_PORTEUR, True)}
SERVICE_CODE_FIELDS = {
    "type": (ValueList.TYPE_SERVICE, False),
    "thematiques": (ValueList.THEMATIQUE, True),
    "frais": (ValueList.FRAIS, False),
    "publics": (ValueList.PUBLIC, True),
    "modes_accueil": (ValueList.MODE_ACCUEIL, True),
    "modes_mobilisation": (ValueList.MODE_MOBILISATION, True),
    "mobilisable_par": (ValueList.PERSONNE_MOBILISATRICE, True),
}
_LIST_FIELDS = {name for name, (_, many) in SERVICE_CODE_FIELDS.items() if many} | {
    "reseaux_porteurs",
    "zone_eligibilite",
}
_NUMBER_FIELDS = {"longitude", "latitude", "volume_horaire_hebdomadaire", "nombre_semaines"}


def reference_rows() -> Iterator[dict[str, str]]:
    """Every value of the schema's lists, as reference rows (code, label, description)."""
    for value_list, enum in VALUE_LISTS:
        for value in enum:
            yield {
                "value_list": value_list,
                "code": value.value,
                "label": value.label,
                "description": value.description or "",
                "parent_code": value.value.split("--")[0]
                if value_list == ValueList.THEMATIQUE
                else "",
            }


@dataclass
class Record:
    kind: str  # "structure" or "service"
    line: int
    data: dict[str, Any]


@dataclass
class ParsedFile:
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_KIND_LABEL = {"structure": "structure", "service": "service"}

_FRENCH = {
    "missing": "champ obligatoire manquant",
    "string_too_short": "au moins {min_length} caractères",
    "string_too_long": "au plus {max_length} caractères",
    "string_pattern_mismatch": "format invalide",
    "string_type": "texte attendu",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "url_parsing": "lien web invalide",
    "url_scheme": "lien web invalide (http ou https)",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "set_type": "liste attendue",
    "list_type": "liste attendue",
    "too_short": "la liste ne peut pas être vide",
    "literal_error": "valeur invalide",
}


def _french(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "enum":
        value = error.get("input")
        return f"code inconnu « {value} » (voir les valeurs de référence data·inclusion)"
    if kind == "value_error":
        message = str(context.get("error", error.get("msg", "")))
        if "email" in message.lower():
            return "adresse électronique invalide"
        return message.removeprefix("Value error, ")
    template = _FRENCH.get(kind)
    if template is None:
        return f"valeur invalide ({error.get('msg', kind)})"
    return template.format(**{k: v for k, v in context.items()})


def _location(record: Record, loc: tuple[Any, ...]) -> str:
    where = f"ligne {record.line}"
    identifier = record.data.get("id")
    if identifier:
        where += f", {_KIND_LABEL[record.kind]} « {identifier} »"
    if loc:
        where += f", champ « {loc[0]} »"
    return where


def _walk_array(
    text: str, start: int, kind: str | None, decoder: json.JSONDecoder, out: ParsedFile
):
    """Decode the objects of the JSON array opening at ``start``, noting each one's line."""
    index = start + 1
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            return index + 1
        value, end = decoder.raw_decode(text, index)
        line = text.count("\n", 0, index) + 1
        if not isinstance(value, dict):
            out.errors.append(f"ligne {line} : un objet JSON est attendu pour chaque élément.")
        else:
            record_kind = kind or ("service" if "structure_id" in value else "structure")
            out.records.append(Record(record_kind, line, value))
        index = end


def parse_json(text: str) -> ParsedFile:
    out = ParsedFile()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        out.errors.append(
            f"ligne {error.lineno}, colonne {error.colno} : le fichier n'est pas un JSON valide."
        )
        return out
    decoder = json.JSONDecoder()
    index = len(text) - len(text.lstrip())
    if isinstance(document, list):
        _walk_array(text, index, None, decoder, out)
        return out
    if not isinstance(document, dict) or not ({"structures", "services"} & set(document)):
        out.errors.append(
            "Le fichier n'est pas au format data·inclusion : une liste de structures ou de "
            "services, ou un objet avec les clés « structures » et « services », est attendue."
        )
        return out
    index += 1
    while True:  # walk the top-level object to find where each list starts
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "}":
            break
        key, index = decoder.raw_decode(text, index)
        while text[index] in " \t\r\n:":
            index += 1
        if key in ("structures", "services") and text[index] == "[":
            index = _walk_array(text, index, key[:-1], decoder, out)
        elif key in ("structures", "services"):
            out.errors.append(f"« {key} » doit être une liste.")
            _, index = decoder.raw_decode(text, index)
        else:
            _, index = decoder.raw_decode(text, index)
    return out


def _csv_value(name: str, raw: str) -> Any:
    raw = raw.strip()
    if raw == "":
        return None
    if name in _LIST_FIELDS:
        if raw.startswith("["):
            try:
                return json.loads(raw)
            except json.JSONDecodeError:
                return raw  # reported by the schema as "liste attendue"
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def parse_csv(text: str) -> ParsedFile:
    out = ParsedFile()
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = reader.fieldnames or []
    if not {"source", "id", "nom"} <= set(columns):
        out.errors.append(
            "ligne 1 : l'en-tête doit contenir au moins les colonnes data·inclusion "
            "« source », « id » et « nom »."
        )
        return out
    kind = "service" if "structure_id" in columns else "structure"
    for row in reader:
        data = {
            name: _csv_value(name, value or "") for name, value in row.items() if name is not None
        }
        out.records.append(
            Record(kind, reader.line_num, {k: v for k, v in data.items() if v is not None})
        )
    return out


def parse(content: bytes, filename: str = "") -> ParsedFile:
    """Decode a JSON or CSV file (by its name, else by its first character)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedFile(errors=["Le fichier doit être encodé en UTF-8."])
    if not text.strip():
        return ParsedFile(errors=["Le fichier est vide."])
    is_json = filename.lower().endswith(".json") or (
        not filename.lower().endswith(".csv") and text.lstrip()[:1] in "[{"
    )
    return parse_json(text) if is_json else parse_csv(text)


_MODELS = {"structure": v1.Structure, "service": v1.Service}


def validate(record: Record) -> tuple[dict[str, Any] | None, list[str]]:
    """The record as the schema reads it (JSON-ready), or French errors."""
    model = _MODELS[record.kind]
    try:
        validated = model.model_validate(record.data, context={"ignore_warnings": True})
    except pydantic.ValidationError as error:
        return None, [
            f"{_location(record, tuple(e.get('loc', ())))} : {_french(e)}." for e in error.errors()
        ]
    return validated.model_dump(mode="json", exclude_none=True), []


def export_record(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validate an outgoing record with the schema and return it JSON-ready."""
    model = _MODELS[kind]
    return model.model_validate(data).model_dump(mode="json", exclude_none=True)
