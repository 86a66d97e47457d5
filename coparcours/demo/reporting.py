"""Demo data of the steering dashboards: the porteur's director, who reads the
CEJ-JR dashboard. The coordination, the members' directors and quality director, the
finance officer and the two funders of the Nord demo already have their dashboards, fed
by the demo's places, stays, requests, money and CEJ-JR pathways; ``load_steering_volume``
adds a year of activity to the tests' small demo, so that the funder's masked figures are
mostly real numbers with a few small counts still masked (the masking tests read it;
``coparcours load_demo`` loads the field-scale volume instead)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.accounts.models import User
from coparcours.cej.factories import PathwayFactory
from coparcours.cej.models import (
    Activity,
    EligibilityCheck,
    Pathway,
    Review,
    ReviewRating,
    StageChange,
)
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.cej.rules import Stage
from coparcours.housing.factories import PlacementRequestFactory, StayFactory
from coparcours.housing.models import PlacementRequest, Site, Stay
from coparcours.housing.models.requests import RequestStatus
from coparcours.housing.models.stays import ExitReason
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Consortium, Organisation, Role
from coparcours.reporting.models import VoiceAnswer
from coparcours.youths.factories import YouthFactory
from coparcours.youths.models import Youth
from coparcours.youths.rules import add_years


def load_reporting_demo(org: dict[str, Organisation], users: dict[str, User]) -> None:
    """Add the porteur's director (idempotent, like the rest of the demo)."""
    from coparcours.demo.nord import demo_email

    director = UserFactory(
        email=demo_email("pilotage-cej"), first_name="Claire", last_name="Vandamme"
    )
    if not director.memberships.filter(organisation=org["porteur"], role=Role.DIRECTOR).exists():
        MembershipFactory(
            user=director,
            organisation=org["porteur"],
            role=Role.DIRECTOR,
            start_date=datetime.date(2022, 1, 1),
        )
    users["pilotage-cej"] = director


#: Marks the steering volume's placement requests and pathways (idempotence).
VOLUME_MARK = "Volume de démonstration du pilotage"


def load_steering_volume(gme: Consortium, cej_jr: Consortium, org: dict[str, Organisation]) -> None:
    """A year of activity around today, so that the funder's masked dashboard shows real
    figures (counts of 5 or more) in most cells and still masks a few small ones: youths
    hosted at every member all year, two waves of admissions from requests, exits and a few
    transfers, majorities coming; CEJ-JR pathways identified over the year, through the
    funnel to contracts, reviews with ratings, activity hours, exits by outcome, and
    anonymous answers. Added by the masking tests to the small demo, not by the test
    fixture (the other apps' tests read the small demo as it is). Loading it again changes
    nothing."""
    with transaction.atomic():
        if not PlacementRequest.objects.filter(consortium=gme, needs=VOLUME_MARK).exists():
            _gme_volume(gme, random.Random(59))  # noqa: S311 - names, not secrets
        if not Pathway.objects.filter(partnership=cej_jr, spotted_by=VOLUME_MARK).exists():
            _cej_volume(cej_jr, org, random.Random(3))  # noqa: S311


def _youth(
    rng: random.Random, owner: Organisation, sex: str, born: datetime.date, hosted: bool
) -> Youth:
    """A youth of the volume: an unaccompanied minor hosted by the GME, or a CEJ-JR youth."""
    return YouthFactory(
        owner_organisation=owner,
        last_name=rng.choice(LAST_NAMES),
        first_names=rng.choice(FIRST_NAMES[sex]),
        sex=sex,
        birth_date=born,
        is_unaccompanied_minor=hosted,
    )


LAST_NAMES = ["Bamba", "Cissé", "Diarra", "Fofana", "Koné", "Sylla", "Touré", "Sow", "Barry"]
FIRST_NAMES = {
    "M": ["Aboubacar", "Issa", "Moussa", "Sekou", "Youssouf", "Lamine", "Ousmane"],
    "F": ["Aminata", "Mariam", "Kadiatou", "Fanta", "Hawa"],
}

#: Youths hosted all year: (site, how many, of whom turning 18 within 90 days).
LONG_STAYS = [
    ("al_mecs", 6, 5),
    ("al_diffus", 3, 0),
    ("tdv_collectif", 6, 0),
    ("tdv_diffus", 2, 0),
    ("asrl_mecs", 5, 2),
    ("asrl_diffus", 2, 0),
]
#: Admissions from a request: (months after the period's start, site, how many).
WAVES = [(2, "al_mecs", 3), (2, "tdv_collectif", 3), (8, "asrl_mecs", 6), (9, "al_urgence", 2)]


def _gme_volume(gme: Consortium, rng: random.Random) -> None:
    from coparcours.demo.housing import DEMO_SITES

    today = datetime.date.today()
    start = today.replace(day=1, year=today.year - 1)
    sites = {site.name: site for site in Site.objects.filter(consortium=gme)}
    by_key = {key: sites[name] for key, _, name, *_ in DEMO_SITES}
    for key, count, turning in LONG_STAYS:
        site = by_key[key]
        for n in range(count):
            born = (
                add_years(today, -18) + datetime.timedelta(days=10 + 15 * n)
                if n < turning
                else add_years(today, -16) - datetime.timedelta(days=40 * n)
            )
            youth = _youth(rng, site.organisation, "M", born, hosted=True)
            StayFactory(
                youth=youth,
                site=site,
                start_date=start - datetime.timedelta(days=60 + 20 * n),
            )
    number = 0
    for months, key, count in WAVES:
        site = by_key[key]
        entry = _add_months(start, months) + datetime.timedelta(days=3)
        for n in range(count):
            number += 1
            youth = _youth(rng, site.organisation, "M", add_years(today, -16), hosted=True)
            request = PlacementRequestFactory(
                consortium=gme,
                funder=gme.funder,
                reference=f"ASE-59-{entry.year}-{1000 + number:04d}",
                youth=youth,
                needs=VOLUME_MARK,
                status=RequestStatus.ADMITTED,
                requested_date=entry,
            )
            filed = timezone.make_aware(
                datetime.datetime.combine(entry - datetime.timedelta(days=2 + n), datetime.time(9))
            )
            PlacementRequest.objects.filter(pk=request.pk).update(created_at=filed)
            stay = StayFactory(youth=youth, site=site, request=request, start_date=entry)
            # the first wave leaves after six months: five exits, one transfer
            if months == 2:
                ended = _add_months(entry, 6)
                reason = ExitReason.TRANSFER if n == 0 and key == "al_mecs" else ExitReason.FAMILY
                Stay.objects.filter(pk=stay.pk).update(end_date=ended, exit_reason=reason)
    for n in range(2):  # still waiting: a masked count for the funder
        request = PlacementRequestFactory(
            consortium=gme,
            funder=gme.funder,
            reference=f"ASE-59-{today.year}-{1900 + n:04d}",
            needs=VOLUME_MARK,
            status=RequestStatus.WAITING,
        )
        PlacementRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=12 + n)
        )


def _cej_volume(cej_jr: Consortium, org: dict[str, Organisation], rng: random.Random) -> None:
    today = datetime.date.today()
    porteur, mission_locale = org["porteur"], org["mission_locale"]
    for n in range(60):
        identified = today - datetime.timedelta(days=330 - n * 11 // 2)
        youth = _youth(rng, porteur, rng.choice("MF"), add_years(identified, -20), hosted=False)
        contract = n < 28
        exited = n < 16
        stages = _volume_stages(n, contract, exited)
        contract_start = identified + datetime.timedelta(days=45) if contract else None
        exit_on = contract_start + datetime.timedelta(days=200) if exited else None
        pathway = PathwayFactory(
            youth=youth,
            partnership=cej_jr,
            author_organisation=porteur,
            mission_locale=mission_locale,
            identified_on=identified,
            spotted_by=VOLUME_MARK,
            stage=stages[-1] if stages else Stage.IDENTIFIED,
            stage_since=identified,
            contract_start=contract_start,
            contract_months=12 if contract else None,
            exit_on=exit_on,
            exit_outcome=_volume_outcome(n) if exited else "",
        )
        shared = {"youth": youth, "author_organisation": porteur, "pathway": pathway}
        if n < 52:
            EligibilityCheck.objects.create(
                **shared, checked_on=identified, at_entry=True, status="eligible"
            )
        _stage_changes(shared, stages, identified, contract_start, exit_on)
        if contract:
            _contract_follow_up(shared, contract_start, exit_on or today, n)
    _voice_answers(cej_jr, today)


def _volume_stages(n: int, contract: bool, exited: bool) -> list[str]:
    """List the stages the ``n``-th volume pathway went through after its identification."""
    stages = [Stage.REMOBILISATION] if n < 44 else []
    if n % 2 == 0 and n < 48:
        stages.insert(0, Stage.PRE_CEJ)
    if contract:
        stages.append(Stage.CONTRACT)
    if exited:
        stages.append(Stage.EXIT)
    return stages


def _volume_outcome(n: int) -> str:
    """Give the ``n``-th exited volume pathway its outcome: a job, a training or a drop-out."""
    return (
        ExitOutcome.JOB if n < 10 else ExitOutcome.TRAINING if n < 14 else ExitOutcome.DROPPED_OUT
    )


def _stage_changes(
    shared: dict,
    stages: list[str],
    identified: datetime.date,
    contract_start: datetime.date | None,
    exit_on: datetime.date | None,
) -> None:
    """Record the pathway's stage changes: a week apart, the contract and the exit on their
    dates."""
    previous, day = Stage.IDENTIFIED, identified
    for stage in stages:
        day = (
            contract_start
            if stage == Stage.CONTRACT
            else exit_on
            if stage == Stage.EXIT
            else day + datetime.timedelta(days=7)
        )
        StageChange.objects.create(**shared, from_stage=previous, to_stage=stage, on=day)
        previous = stage


def _voice_answers(cej_jr: Consortium, today: datetime.date) -> None:
    """Record fourteen anonymous answers of the youths over the last six months."""
    for n in range(14):
        VoiceAnswer.objects.create(
            partnership=cej_jr,
            month=_add_months(today.replace(day=1), -(n % 6)),
            adhesion=3 + n % 2,
            support=3,
            quality_of_life=2 + n % 3,
        )


def _contract_follow_up(shared: dict, start: datetime.date, end: datetime.date, n: int) -> None:
    """Reviews at 3 and 6 months (held on time, late or not held), ratings that progress,
    and two activities a week over the contract's last eight weeks (16 h, above the 15 h
    minimum, but every third youth misses one)."""
    today = datetime.date.today()
    for months, held_after in ((3, -2 if n % 5 else 6), (6, -1)):
        due = _add_months(start, months)
        if due >= end:
            continue
        held = due + datetime.timedelta(days=held_after) if n != 13 else None
        if held and held > today:
            held = None
        review = Review.objects.create(**shared, milestone_months=months, due_on=due, held_on=held)
        if held:
            for dimension in ("housing", "health", "mobility", "confidence"):
                for rater in ("youth", "porteur"):
                    ReviewRating.objects.create(
                        youth=shared["youth"],
                        author_organisation=shared["author_organisation"],
                        review=review,
                        dimension=dimension,
                        rater=rater,
                        score=min(4, 1 + months // 3 + (n + len(dimension)) % 2),
                    )
    monday = end - datetime.timedelta(days=end.weekday() + 7 * 8)
    for week in range(8):
        for day, hours in ((0, 8), (2, 8)):
            if n % 3 == 0 and week % 2 and day:
                continue
            Activity.objects.create(
                **shared,
                kind="workshop",
                title="Atelier collectif",
                organisation=shared["author_organisation"],
                attended=True,
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(
                        monday + datetime.timedelta(days=7 * week + day), datetime.time(9)
                    )
                ),
                duration_minutes=60 * hours,
            )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=min(day.day, 28))
