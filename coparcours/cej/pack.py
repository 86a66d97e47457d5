"""The one-click PDF pack of the administrative file transmitted to the mission locale.

A cover (list of the pieces and the eligibility certificate) rendered by WeasyPrint, each
image piece on its own page, then the pages of each PDF piece appended with pypdf. A piece
whose file cannot be read (erased, damaged PDF) is listed with the reason instead.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from coparcours.cej.models import DossierItem
from coparcours.core.pdf import render_pdf

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass
class PackPiece:
    item: DossierItem
    image_data_uri: str = ""
    pdf: bytes = b""
    problem: str = ""


def _read(item: DossierItem) -> PackPiece:
    document = item.document
    if document is None:
        return PackPiece(item, problem="aucun fichier joint : pièce vue, non numérisée")
    if not document.file:
        return PackPiece(item, problem="fichier effacé")
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except OSError:
        return PackPiece(item, problem="fichier introuvable sur le serveur")
    if document.content_type in IMAGE_TYPES:
        encoded = base64.b64encode(content).decode()
        return PackPiece(item, image_data_uri=f"data:{document.content_type};base64,{encoded}")
    if document.content_type == "application/pdf":
        return PackPiece(item, pdf=content)
    return PackPiece(item, problem=f"type de fichier non joint ({document.content_type})")


def dossier_pack(items: list[DossierItem], context: dict[str, Any]) -> bytes:
    """The cover, the images and the transmitted PDF pieces, in the checklist's order."""
    pieces = [_read(item) for item in items]
    writer = PdfWriter()
    for piece in pieces:
        if piece.pdf:
            try:
                PdfReader(io.BytesIO(piece.pdf))
            except PdfReadError:
                piece.pdf, piece.problem = b"", "PDF illisible"
    cover = render_pdf("cej/pdf/dossier_pack.html", {**context, "pieces": pieces})
    writer.append(PdfReader(io.BytesIO(cover)))
    for piece in pieces:
        if piece.pdf:
            writer.append(PdfReader(io.BytesIO(piece.pdf)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
