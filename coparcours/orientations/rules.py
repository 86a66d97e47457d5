"""Pure rules of the public orientation form: when a form's token may be accepted, when an
address has sent too much, and when an orientation is deleted (docs/domain-rules.md,
"Orientations from partners")."""

from __future__ import annotations

import datetime

from coparcours.cej.rules import Stage
from coparcours.orientations.models import OrientationStatus

#: A person takes more than this to fill the form; a robot posting at once is refused.
MIN_FILL_SECONDS = 3
#: A form left open longer than this is refused (its token has expired): reload the page.
MAX_FILL_SECONDS = 2 * 60 * 60
#: Submissions one address may post to the public pages in an hour.
POSTS_PER_HOUR = 5
RATE_WINDOW_SECONDS = 60 * 60
#: An orientation untouched for this many days (never taken up, or answered) is deleted.
RETENTION_DAYS = 90

TOO_FAST = (
    "Le formulaire a été envoyé trop vite après son ouverture. Relisez-le et envoyez-le de nouveau."
)
EXPIRED = (
    "Le formulaire est resté ouvert trop longtemps : rechargez la page, puis envoyez-le de nouveau."
)
INVALID = "Le formulaire n'est pas valide : rechargez la page, puis envoyez-le de nouveau."
REPLAYED = (
    "Ce formulaire a déjà été envoyé : l'orientation est enregistrée. Pour orienter un autre "
    "jeune, rechargez la page."
)
FLOOD = (
    "Trop d'envois depuis votre connexion en une heure : réessayez plus tard, ou appelez "
    "directement le partenariat."
)
ROBOT = "L'envoi a été refusé. Si vous n'êtes pas un robot, rechargez la page et recommencez."


def timing_refusal(age_seconds: float) -> str:
    """The French refusal of a form filled in ``age_seconds``, or ``""`` when acceptable."""
    if age_seconds < MIN_FILL_SECONDS:
        return TOO_FAST
    if age_seconds > MAX_FILL_SECONDS:
        return EXPIRED
    return ""


def flooding(posts_in_window: int) -> bool:
    """Whether an address that already posted ``posts_in_window`` times this hour is
    refused."""
    return posts_in_window >= POSTS_PER_HOUR


def purge_before(today: datetime.date) -> datetime.date:
    """Orientations whose state has not changed since before this day are deleted (RGPD
    art. 5-1-e: kept no longer than the orientation needs)."""
    return today - datetime.timedelta(days=RETENTION_DAYS)


#: The stages where a CEJ-JR pathway has opened: the committee let the youth in.
OPENING_STAGES = frozenset({Stage.PRE_CEJ, Stage.REMOBILISATION, Stage.CONTRACT})


def outcome_of_pathway(stage: str, reached_opening: bool) -> str | None:
    """The outcome a taken-up orientation follows from its pathway: open once the pathway
    has reached pre-CEJ-JR, remobilisation or the contract; not opened once it ends
    without; none while the youth is only spotted."""
    if reached_opening or stage in OPENING_STAGES:
        return OrientationStatus.OPENED
    if stage == Stage.EXIT:
        return OrientationStatus.NOT_OPENED
    return None
