"""The GME's part of the youth's own space (``space.programmes``), for a youth hosted by a
member: where they live, whom to call at night, and their road to 18, the preparation
interview a year before (CASF L.222-5-1) and the decision for after (L.222-5). The space
shows no more than the link's creator may read today; the link is given by the hosting
member (docs/youth-space.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coparcours.core.access import (
    Action,
    Category,
    Grant,
    check,
    may_access,
)
from coparcours.housing.models.majority import AfterEighteen
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.stays import Stay
from coparcours.organisations.models import Membership
from coparcours.space.contacts import Contact
from coparcours.space.models import YouthLink
from coparcours.space.programmes import Programme
from coparcours.space.reader import Reader
from coparcours.youths.models import Youth

HOUSING = Category.HOUSING

REFERENT = gettext_lazy("Votre référent, là où vous habitez")


def current_stay(youth: Youth, day: datetime.date) -> Stay | None:
    """The youth's stay under way on ``day``, with its site and hosting member."""
    return (
        Stay.objects.active(day)
        .filter(youth_id=youth.pk)
        .select_related("site", "author_organisation")
        .first()
    )


def accompanies(youth: Youth, day: datetime.date) -> bool:
    """A stay under way: the youth's link opens while they are hosted."""
    return Stay.objects.active(day).filter(youth_id=youth.pk).exists()


def _under_way(stay: Stay) -> bool:
    return stay.end_date is None or stay.end_date > timezone.localdate()


def may_give_link(user: Any, stay: Stay) -> bool:
    """Whether the user may give or close the youth's link from the stay (a pure question,
    for the stay's page): a member of the hosting organisation writing its housing data,
    while the stay is under way."""
    return _under_way(stay) and may_access(
        user,
        stay.youth,
        HOUSING,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        within_organisation_id=stay.author_organisation_id,
    )


def require_link_giver(user: Any, stay: Stay) -> Grant:
    """Who gives or closes the youth's access from a stay: a member of the hosting
    organisation writing the stay's housing data (audited), while the stay is under way."""
    if not _under_way(stay):
        raise ValidationError("Le séjour est terminé : le jeune n'est plus hébergé ici.")
    return check(
        user,
        stay.youth,
        HOUSING,
        Action.WRITE,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
        within_organisation_id=stay.author_organisation_id,
    )


@dataclass
class HousingSection:
    """What a hosted youth reads of their stay and their road to 18."""

    stay: Stay
    today: datetime.date
    majority_date: datetime.date | None = None
    interview_from: datetime.date | None = None
    decision: AfterEighteen | None = None
    contacts: list[Contact] = field(default_factory=list)

    @property
    def minor(self) -> bool:
        return self.majority_date is not None and self.today < self.majority_date

    @property
    def interview_time(self) -> bool:
        """Whether the preparation interview is due now (from a year before majority)."""
        return self.minor and self.interview_from is not None and self.interview_from <= self.today


def _contacts(link: YouthLink, stay: Stay, day: datetime.date) -> list[Contact]:
    """The link's creator while they are still of the hosting member, else its reception."""
    member = stay.author_organisation
    creator = link.created_by
    present = (
        creator is not None
        and Membership.objects.active(day)
        .filter(user_id=creator.pk, organisation_id=member.pk)
        .exists()
    )
    return [Contact(REFERENT, member, creator if present else None)]


def section(link: YouthLink, reader: Reader, day: datetime.date) -> HousingSection | None:
    """The stay's part of the page, as far as the link's creator may read it today."""
    youth = link.youth
    stay = current_stay(youth, day)
    if stay is None or not reader.reads(HOUSING, stay.author_organisation_id):
        return None
    part = HousingSection(stay, day, contacts=_contacts(link, stay, day))
    if youth.birth_date is not None:
        part.majority_date = youth.majority_date
        days_before = HousingSettings.in_force(day).preparation_interview_days
        part.interview_from = part.majority_date - datetime.timedelta(days=days_before)
    part.decision = next(
        (
            decision
            for decision in AfterEighteen.objects.filter(youth_id=youth.pk).order_by("-start_date")
            if reader.reads(HOUSING, decision.author_organisation_id)
        ),
        None,
    )
    return part


def page_of(youth: Youth, day: datetime.date) -> str | None:
    """The page of the stay under way, where the hosting member gives the link."""
    stay = current_stay(youth, day)
    return reverse("housing:stay", args=[stay.pk]) if stay is not None else None


PROGRAMME = Programme(
    key="housing",
    template="housing/youth_section.html",
    accompanies=accompanies,
    section=section,
    page_of=page_of,
)
