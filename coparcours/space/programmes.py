"""The programmes that accompany youths (CEJ-JR pathways, the GME's housing) plug their part
of the youth's space here, as the record's panels do (``youths.record_panels``): the space
knows no programme, each programme registers what it shows (docs/youth-space.md)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coparcours.space.models import YouthLink
from coparcours.space.reader import Reader
from coparcours.youths.models import Youth


@dataclass(frozen=True)
class Programme:
    """One programme's part of the youth's space.

    ``accompanies`` says whether the youth is in the programme on a day (a link opens only
    while one programme accompanies them); ``section`` builds what the youth reads, as far
    as the link's creator may read it (``None``: nothing shown, as when the programme no
    longer accompanies them), rendered by ``template``,
    with the people the youth may call in its ``contacts``; ``page_of`` is the
    professionals' page where the youth's link is given (said when a link is locked)."""

    key: str
    template: str
    accompanies: Callable[[Youth, datetime.date], bool]
    section: Callable[[YouthLink, Reader, datetime.date], Any]
    page_of: Callable[[Youth, datetime.date], str | None]


_PROGRAMMES: dict[str, Programme] = {}


def register(programme: Programme) -> None:
    """Add a programme's part of the space (from its app's ``ready``)."""
    _PROGRAMMES[programme.key] = programme


def programmes() -> list[Programme]:
    return list(_PROGRAMMES.values())


def accompanied(youth: Youth, day: datetime.date) -> bool:
    """Whether a programme accompanies the youth on ``day``: their link opens only then."""
    return any(programme.accompanies(youth, day) for programme in _PROGRAMMES.values())


def giving_page(youth: Youth, day: datetime.date) -> str | None:
    """The page where the youth's link is given, in the first programme accompanying them."""
    return next(
        (
            page
            for programme in _PROGRAMMES.values()
            if (page := programme.page_of(youth, day)) is not None
        ),
        None,
    )
