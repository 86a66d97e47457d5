"""The schemes of the orientation, loaded from a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from coparcours.directory.models import ReferenceValue, Scheme, Structure, ValueList

SCHEMES_FILE = Path(__file__).parent.parent / "fixtures" / "schemes.json"


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
