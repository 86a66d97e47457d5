"""A file refused by an API operation: every error with its line and column, as the pages
list them (``core.tabular``)."""

from __future__ import annotations

from ninja import Field, Schema

from coparcours.core.tabular import FileErrors


class FileErrorItem(Schema):
    loc: list[str | int]
    type: str
    msg: str
    line: int | None = Field(None, description="Ligne du fichier (1 = l'en-tête).")
    column: str | None = Field(None, description="Colonne du fichier, si l'erreur en a une.")


class FileInvalid(Schema):
    """The file refused as a whole, nothing saved: every error with its line and column."""

    detail: list[FileErrorItem]


def refused_items(errors: FileErrors) -> list[dict]:
    """The errors of a refused file as :class:`FileErrorItem` rows, the count of those not
    listed last."""
    items = [
        {"loc": ["body", "file"], "type": "file", "msg": message, "line": line, "column": column}
        for line, column, message in errors.located
    ]
    hidden = errors.count - len(errors.located)
    if hidden:
        items.append(
            {"loc": ["body", "file"], "type": "file", "msg": f"… et {hidden} autres erreurs."}
        )
    return items
