"""The library beyond one partnership (docs/domain-rules.md, "The shared library").

A funder designates, for its territory (a Département its own, a DREETS its région), the
organisations that may publish guides beyond their partnership: to partnerships they
choose in that territory, to all of the territory's partnerships, or, with a national
designation made by the administration, to every user. Each partnership pins a guide at
the top of its library or hides one that reached it from elsewhere. Guides hold no
personal data about young people; every designation, publication reach and placement is
written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from coparcours.core.access import Capability, organisations_where
from coparcours.core.audit import record, record_refusal
from coparcours.core.models import AuditEvent
from coparcours.directory import partners
from coparcours.directory.models import (
    Guide,
    GuidePlacement,
    GuideReach,
    LibraryPublisher,
    PlacementChoice,
    TerritoryLevel,
)
from coparcours.organisations import territories
from coparcours.organisations.models import (
    Consortium,
    ConsortiumMember,
    Organisation,
    OrganisationKind,
)

FUNDER_KINDS = (OrganisationKind.DEPARTEMENT, OrganisationKind.DREETS)


@dataclass(frozen=True)
class Territory:
    """A département, a région, or the whole country (``code`` empty)."""

    level: str
    code: str = ""

    @property
    def label(self) -> str:
        if self.level == TerritoryLevel.DEPARTEMENT:
            return territories.departement_label(self.code)
        if self.level == TerritoryLevel.REGION:
            return territories.region_label(self.code)
        return TerritoryLevel.NATIONAL.label

    @property
    def departements(self) -> frozenset[str] | None:
        """Its départements; ``None`` for the whole country."""
        if self.level == TerritoryLevel.DEPARTEMENT:
            return frozenset({self.code})
        if self.level == TerritoryLevel.REGION:
            return frozenset(territories.REGIONS[self.code][1])
        return None

    def holds(self, departement_code: str) -> bool:
        departements = self.departements
        return departements is None or departement_code in departements


def territory_of(designation: LibraryPublisher | Guide) -> Territory:
    if isinstance(designation, Guide):
        if designation.reach == GuideReach.EVERYONE:
            return Territory(TerritoryLevel.NATIONAL)
        return Territory(designation.territory_level, designation.territory_code)
    return Territory(designation.level, designation.territory_code)


def funder_territory(funder: Organisation) -> Territory | None:
    """A Département's territory is its département, a DREETS's its région."""
    if funder.kind == OrganisationKind.DEPARTEMENT:
        return Territory(TerritoryLevel.DEPARTEMENT, funder.departement_code)
    if funder.kind == OrganisationKind.DREETS:
        return Territory(TerritoryLevel.REGION, territories.region_of(funder.departement_code))
    return None


# --- Designations ---------------------------------------------------------------------------


def designating_funders(user: Any) -> list[Organisation]:
    """The funders the user designates publishers for (``library_designate``)."""
    organisations = organisations_where(user, Capability.LIBRARY_DESIGNATE)
    return list(
        Organisation.objects.filter(pk__in=organisations, kind__in=FUNDER_KINDS).order_by("name")
    )


def _funder_for(user: Any, funder_id: int) -> Organisation:
    funder = next((f for f in designating_funders(user) if f.pk == funder_id), None)
    if funder is None:
        reason = "Éditeurs de la bibliothèque : réservé au financeur du territoire."
        record_refusal(user, reason=reason)
        raise PermissionDenied(reason)
    return funder


def designations_in(territory: Territory) -> QuerySet[LibraryPublisher]:
    """The designations in force for exactly this territory."""
    return LibraryPublisher.objects.filter(
        level=territory.level, territory_code=territory.code, ended_on__isnull=True
    ).select_related("organisation", "designated_by", "designated_by_user")


def designable_organisations(territory: Territory) -> QuerySet[Organisation]:
    """Organisations of the territory (not funders) not yet designated for it."""
    organisations = Organisation.objects.exclude(kind__in=FUNDER_KINDS).exclude(
        pk__in=designations_in(territory).values("organisation_id")
    )
    if territory.departements is not None:
        organisations = organisations.filter(departement_code__in=territory.departements)
    return organisations.order_by("name")


@transaction.atomic
def designate(user: Any, funder_id: int, organisation: Organisation) -> LibraryPublisher:
    """The funder designates a publisher for its territory (audited)."""
    funder = _funder_for(user, funder_id)
    territory = funder_territory(funder)
    if not designable_organisations(territory).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {
                "organisation": f"Choisissez une organisation de « {territory.label} » qui "
                "n'est pas déjà éditrice."
            }
        )
    designation = LibraryPublisher.objects.create(
        organisation=organisation,
        level=territory.level,
        territory_code=territory.code,
        designated_by=funder,
        designated_by_user=user,
        started_on=timezone.localdate(),
    )
    record(
        user,
        AuditEvent.ADMIN,
        organisation=funder,
        obj=designation,
        reason=f"Éditeur de la bibliothèque désigné pour « {territory.label} ».",
    )
    return designation


def designating_funder(user: Any, designation: LibraryPublisher) -> Organisation:
    """The user's funder that made the designation, in force on its territory; otherwise
    an audited refusal."""
    funder = _funder_for(user, designation.designated_by_id or 0)
    if territory_of(designation) != funder_territory(funder) or designation.ended_on:
        raise PermissionDenied("Cette désignation n'est plus en vigueur sur votre territoire.")
    return funder


@transaction.atomic
def end_designation(user: Any, designation: LibraryPublisher) -> None:
    """The funder ends a designation: no new publication beyond the partnership; the
    guides already published keep their reach (audited)."""
    funder = designating_funder(user, designation)
    designation.ended_on = timezone.localdate()
    designation.save(update_fields=["ended_on", "updated_at"])
    record(
        user,
        AuditEvent.ADMIN,
        organisation=funder,
        obj=designation,
        reason=f"Fin de la désignation de {designation.organisation} comme éditeur.",
    )


def publisher_designations(user: Any) -> list[LibraryPublisher]:
    """The designations in force of the organisations the user publishes guides for."""
    organisations = organisations_where(user, Capability.PARTNERS_EDIT)
    if not organisations:
        return []
    return list(
        LibraryPublisher.objects.filter(
            organisation_id__in=organisations, ended_on__isnull=True
        ).select_related("organisation")
    )


# --- Reach of a guide -----------------------------------------------------------------------


def _current_members() -> Q:
    today = timezone.localdate()
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=today)) & (
        Q(left_on__isnull=True) | Q(left_on__gte=today)
    )


def consortium_departements(consortium_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each consortium's départements: those of its current member organisations."""
    result: dict[int, set[str]] = {}
    rows = ConsortiumMember.objects.filter(
        _current_members(), consortium_id__in=list(consortium_ids)
    ).values_list("consortium_id", "organisation__departement_code")
    for consortium_id, code in rows:
        result.setdefault(consortium_id, set()).add(code)
    return result


def consortia_in(territory: Territory) -> QuerySet[Consortium]:
    """Consortia in force with a current member in the territory."""
    today = timezone.localdate()
    members = ConsortiumMember.objects.filter(_current_members())
    if territory.departements is not None:
        members = members.filter(organisation__departement_code__in=territory.departements)
    return Consortium.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today),
        pk__in=members.values("consortium_id"),
    ).order_by("name")


def territory_choices(designations: Iterable[LibraryPublisher]) -> list[Territory]:
    """The territories a publisher may reach: each designation's, and for a région each of
    its départements."""
    choices: list[Territory] = []
    for designation in designations:
        territory = territory_of(designation)
        if territory.level == TerritoryLevel.NATIONAL:
            continue
        choices.append(territory)
        if territory.level == TerritoryLevel.REGION:
            choices.extend(
                Territory(TerritoryLevel.DEPARTEMENT, code)
                for code in sorted(territory.departements)
            )
    return list(dict.fromkeys(choices))


def _covering(
    designations: list[LibraryPublisher], reach: str, territory: Territory | None
) -> LibraryPublisher:
    """The designation allowing a reach to a territory (the whole country for everyone),
    or a French refusal."""
    within = territory.departements if territory is not None else None
    for designation in designations:
        allowed = territory_of(designation)
        if allowed.level == TerritoryLevel.NATIONAL or (
            reach != GuideReach.EVERYONE
            and within is not None
            and allowed.departements is not None
            and within <= allowed.departements
        ):
            return designation
    if reach == GuideReach.EVERYONE:
        raise ValidationError({"reach": "Seul un éditeur national publie pour tous."})
    raise ValidationError(
        {"reach": "Votre organisation n'est pas désignée éditrice de ce territoire."}
    )


def _shared_publisher(
    designations: list[LibraryPublisher], shared_with: list[Consortium]
) -> LibraryPublisher:
    """The designation whose territory holds every partnership chosen (one of whose members
    is in it)."""
    if not shared_with:
        raise ValidationError({"shared_with": "Choisissez au moins un autre partenariat."})
    if not designations:
        _covering(designations, GuideReach.PARTNERSHIPS, None)
    departements = consortium_departements(c.pk for c in shared_with)
    chosen = None
    for consortium in shared_with:
        codes = departements.get(consortium.pk, set())
        covering = next(
            (d for d in designations if any(territory_of(d).holds(code) for code in codes)),
            None,
        )
        if covering is None:
            raise ValidationError(
                {"shared_with": f"« {consortium} » n'est pas dans votre territoire d'éditeur."}
            )
        chosen = chosen or covering
    return chosen


def decide_reach(
    user: Any,
    guide: Guide,
    *,
    reach: str,
    territory: Territory | None = None,
    shared_with: Iterable[Consortium] = (),
) -> list[Consortium]:
    """Check and set a guide's reach (the caller saves it, then shares it with the returned
    partnerships): beyond its partnership, a designation of the user's organisation must
    cover the reach."""
    if reach not in GuideReach.values:
        raise ValidationError({"reach": "Diffusion inconnue."})
    shared = [c for c in shared_with if c.pk != guide.consortium_id]
    guide.reach, guide.publisher = reach, None
    guide.territory_level, guide.territory_code = "", ""
    if reach == GuideReach.PARTNERSHIP:
        return []
    designations = publisher_designations(user)
    if reach == GuideReach.PARTNERSHIPS:
        guide.publisher = _shared_publisher(designations, shared)
        return shared
    if reach == GuideReach.TERRITORY:
        if territory is None or territory.level == TerritoryLevel.NATIONAL:
            raise ValidationError({"territory": "Choisissez le territoire."})
        guide.territory_level, guide.territory_code = territory.level, territory.code
    guide.publisher = _covering(designations, reach, territory)
    return []


def share(
    user: Any, guide: Guide, shared_with: list[Consortium], *, organisation_id: int, changed: bool
) -> None:
    """Save the partnerships a guide is shared with, and write its reach to the audit log
    when it goes beyond its partnership or was ``changed``."""
    guide.shared_with.set(shared_with)
    if changed or guide.reach != GuideReach.PARTNERSHIP:
        record(
            user,
            AuditEvent.ADMIN,
            organisation=Organisation.objects.get(pk=organisation_id),
            obj=guide,
            reason=f"Diffusion du document : {reach_label(guide, len(shared_with))}.",
        )


@transaction.atomic
def change_reach(
    user: Any,
    guide: Guide,
    *,
    reach: str,
    territory: Territory | None = None,
    shared_with: Iterable[Consortium] = (),
) -> None:
    """An editor of the guide's partnership widens or narrows its reach."""
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    organisation_id = partners.editing_organisation(
        user, {guide.consortium_id}, "Changer la diffusion", guide
    )
    shared = decide_reach(user, guide, reach=reach, territory=territory, shared_with=shared_with)
    guide.save()
    share(user, guide, shared, organisation_id=organisation_id, changed=True)


def reach_label(guide: Guide, shared_count: int = 0) -> str:
    """« Hauts-de-France », « 3 partenariats », « Tous les utilisateurs »."""
    if guide.reach == GuideReach.TERRITORY:
        return territory_of(guide).label
    if guide.reach == GuideReach.PARTNERSHIPS:
        return f"{shared_count + 1} partenariats"
    return GuideReach(guide.reach).label


def reaching(consortium_ids: Iterable[int]) -> Q:
    """Guides that reach one of these consortia: their own, shared with them, published to
    their territory or to everyone."""
    consortium_ids = list(consortium_ids)
    departements = set().union(*consortium_departements(consortium_ids).values())
    regions = territories.regions_of(departements)
    return (
        Q(consortium_id__in=consortium_ids)
        | Q(reach=GuideReach.PARTNERSHIPS, shared_with__in=consortium_ids)
        | Q(
            reach=GuideReach.TERRITORY,
            territory_level=TerritoryLevel.DEPARTEMENT,
            territory_code__in=departements,
        )
        | Q(
            reach=GuideReach.TERRITORY,
            territory_level=TerritoryLevel.REGION,
            territory_code__in=regions,
        )
        | Q(reach=GuideReach.EVERYONE)
    )


def reached_consortia(guide: Guide, departements: dict[int, set[str]]) -> set[int]:
    """Among the consortia of ``departements`` (id → départements), those the guide
    reaches (``shared_with`` prefetched)."""
    if guide.reach == GuideReach.EVERYONE:
        return set(departements)
    reached = {guide.consortium_id} & set(departements)
    if guide.reach == GuideReach.PARTNERSHIPS:
        reached |= {c.pk for c in guide.shared_with.all()} & set(departements)
    if guide.reach == GuideReach.TERRITORY:
        territory = territory_of(guide)
        reached |= {
            pk for pk, codes in departements.items() if any(territory.holds(c) for c in codes)
        }
    return reached


# --- Pinned and hidden ----------------------------------------------------------------------


@transaction.atomic
def place(user: Any, guide: Guide, consortium_id: int, choice: str) -> None:
    """A partnership's editor pins the guide, hides it (only one from elsewhere) or puts it
    back (``choice`` empty); audited."""
    editable = partners.member_consortia(user, editing=True)
    if consortium_id not in editable or consortium_id not in reached_consortia(
        guide, consortium_departements([consortium_id])
    ):
        partners.refuse(user, "Épingler ou masquer un document", guide)
    if choice == PlacementChoice.HIDDEN and guide.consortium_id == consortium_id:
        raise ValidationError("Un partenariat ne masque pas ses propres documents.")
    if choice and choice not in PlacementChoice.values:
        raise ValidationError("Choix inconnu.")
    GuidePlacement.objects.filter(guide=guide, consortium_id=consortium_id).delete()
    if choice:
        GuidePlacement.objects.create(
            guide=guide, consortium_id=consortium_id, choice=choice, decided_by=user
        )
    record(
        user,
        AuditEvent.ADMIN,
        organisation=Organisation.objects.get(pk=min(editable[consortium_id])),
        obj=guide,
        reason=(
            f"Document {PlacementChoice(choice).label.lower()} dans la bibliothèque."
            if choice
            else "Document remis à sa place dans la bibliothèque."
        ),
    )


# --- The library as a partnership sees it ---------------------------------------------------


@dataclass
class Shelves:
    """A user's library: pinned guides first, then their partnerships' own guides, then
    those from elsewhere; the ones all their partnerships reached have hidden, apart."""

    pinned: list[Guide]
    own: list[Guide]
    elsewhere: list[Guide]
    hidden: list[Guide]


def shelves(user: Any, guides: Iterable[Guide]) -> Shelves:
    """Sort guides (``shared_with`` prefetched) on the user's shelves; each gets
    ``reach_text``."""
    consortia = partners.member_consortia(user)
    departements = consortium_departements(consortia)
    placements = {
        (placement.guide_id, placement.consortium_id): placement.choice
        for placement in GuidePlacement.objects.filter(consortium_id__in=list(consortia))
    }
    result = Shelves([], [], [], [])
    for guide in guides:
        guide.reach_text = reach_label(guide, len(guide.shared_with.all()))
        choices = [placements.get((guide.pk, pk)) for pk in reached_consortia(guide, departements)]
        own = guide.consortium_id in consortia
        if not own and choices and all(c == PlacementChoice.HIDDEN for c in choices):
            result.hidden.append(guide)
        elif PlacementChoice.PINNED in choices:
            result.pinned.append(guide)
        else:
            (result.own if own else result.elsewhere).append(guide)
    return result


def placement_controls(user: Any, guide: Guide) -> list[tuple[Consortium, str]]:
    """For each partnership the user edits that the guide reaches: its current choice
    (empty when neither pinned nor hidden)."""
    editable = partners.member_consortia(user, editing=True)
    reached = reached_consortia(guide, consortium_departements(editable))
    choices = dict(
        GuidePlacement.objects.filter(guide=guide, consortium_id__in=reached).values_list(
            "consortium_id", "choice"
        )
    )
    return [
        (consortium, choices.get(consortium.pk, ""))
        for consortium in Consortium.objects.filter(pk__in=reached).order_by("name")
    ]
