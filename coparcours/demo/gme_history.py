"""The Nord GME's history since its first places, simulated place by place before it is
written (``gme_volume.py``): each place opened by a wave hosts one minor after another,
with a few weeks of vacancy between two; the emergency receptions pass their minors on to
a lasting place within weeks (a transfer, when one is free); a few minors run away or
return to their family; at 18 a minor leaves, or stays under a contrat jeune majeur or an
after-18 follow-up up to 21; a few are transferred to another member (schooling, a
complex situation). Pure Python and seeded: the same day gives the same history."""

from __future__ import annotations

import datetime
import heapq
import random
from dataclasses import dataclass, field

from coparcours.housing import rules as housing_rules
from coparcours.housing.models.majority import MajorityDecision
from coparcours.housing.models.sites import SiteKind
from coparcours.housing.models.stays import ExitReason, TransferReason
from coparcours.youths.rules import MAJORITY_AGE, add_years

#: Mean days a place is prepared after a minor left, by kind: a lasting place waits for its
#: next youth (room, school, the previous youth's belongings), an emergency bed is given
#: again at once.
VACANCY_DAYS = {SiteKind.EMERGENCY: 2}
DEFAULT_VACANCY_DAYS = 56
#: Girls among the minors of a site open to both (most unaccompanied minors are boys).
GIRLS_SHARE = 0.1
#: The decisions at 18 and their shares; a contrat jeune majeur or a follow-up lasts
#: one of these numbers of months, never beyond the 21st birthday.
AFTER_18 = (
    (MajorityDecision.EXIT, 45),
    (MajorityDecision.YOUNG_ADULT_CONTRACT, 42),
    (MajorityDecision.FOLLOW_UP, 13),
)
AFTER_18_MONTHS = (6, 9, 12, 12, 18, 24, 36)
#: Days before the majority the decision is taken (the coordination's alert is at 90).
DECIDED_DAYS_BEFORE = (50, 120)


@dataclass(frozen=True)
class SitePlan:
    """What the simulation needs of a site: who runs it on a day, whom it accepts."""

    pk: int
    organisation_id: int
    kind: str
    min_age: int
    max_age: int
    accepted_sex: str
    loans: tuple[tuple[datetime.date, datetime.date | None, int], ...] = ()

    def operator_on(self, day: datetime.date) -> int:
        for start, end, borrower_id in self.loans:
            if start <= day and (end is None or day < end):
                return borrower_id
        return self.organisation_id

    def accepts(self, age: int, sex: str) -> bool:
        """A minor of this age and sex fits; an adult stays in a lasting place only."""
        if age >= MAJORITY_AGE:
            return self.kind == SiteKind.DIFFUSE
        return (
            housing_rules.site_accepts(self.min_age, self.max_age, self.accepted_sex, age, sex)
            is None
        )


@dataclass
class StayPlan:
    site: SitePlan
    start: datetime.date
    end: datetime.date | None = None
    exit_reason: str = ""
    exit_details: str = ""
    transfer_reason: str = ""  # the reason of the transfer that opened this stay


@dataclass
class After18Plan:
    decision: str
    start: datetime.date
    end: datetime.date | None
    decided_on: datetime.date
    funder_agreement_on: datetime.date | None


@dataclass
class YouthPlan:
    """A minor's course in the GME, from the request to the last exit (or still hosted)."""

    sex: str
    birth: datetime.date
    entry: datetime.date
    stays: list[StayPlan] = field(default_factory=list)
    leaves_on: datetime.date | None = None
    leave_reason: str = ""
    leave_details: str = ""
    after_18: After18Plan | None = None
    move_on: datetime.date | None = None

    @property
    def majority(self) -> datetime.date:
        return add_years(self.birth, MAJORITY_AGE)

    @property
    def left_on(self) -> datetime.date | None:
        return self.stays[-1].end

    def age_on(self, day: datetime.date) -> int:
        return (
            day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))
        )


@dataclass
class _Place:
    site: SitePlan
    youth: YouthPlan | None = None
    version: int = 0


class _Simulation:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng, self.today = rng, today
        self.places: list[_Place] = []
        self.vacant: dict[int, set[int]] = {}
        self.events: list[tuple[datetime.date, int, str, int, int]] = []
        self.sequence = 0
        self.youths: list[YouthPlan] = []

    def schedule(self, day: datetime.date, kind: str, place: int) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (day, self.sequence, kind, place, self.places[place].version))

    def open_places(self, site: SitePlan, count: int, day: datetime.date) -> None:
        self.vacant.setdefault(site.pk, set())
        for _ in range(count):
            self.places.append(_Place(site))
            self.schedule(day, "open", len(self.places) - 1)

    def open(self, day: datetime.date, index: int) -> None:
        """A place opens or is ready again: free for a transfer at once, else filled by an
        admission within days (weeks for a new place)."""
        place = self.places[index]
        self.vacant[place.site.pk].add(index)
        ramp = 10 if place.site.kind == SiteKind.EMERGENCY or place.version else 60
        self.schedule(day + datetime.timedelta(days=self.rng.randrange(ramp)), "admit", index)

    def run(self) -> list[YouthPlan]:
        while self.events:
            day, _, kind, index, version = heapq.heappop(self.events)
            if day > self.today:
                break
            if day == self.today and kind != "leave":
                continue  # the exits due today are done; entries and moves are not yet
            if self.places[index].version != version:
                continue  # the place was given to a transferred minor meanwhile
            {"open": self.open, "admit": self.admit, "move": self.move, "leave": self.leave}[kind](
                day, index
            )
        return self.youths

    def _free(self, index: int, day: datetime.date) -> None:
        """The minor left: the place is prepared for the next one, then open to a
        transfer or an admission."""
        place = self.places[index]
        place.youth, place.version = None, place.version + 1
        mean = VACANCY_DAYS.get(place.site.kind, DEFAULT_VACANCY_DAYS)
        ready = max(1, round(self.rng.uniform(0.2, 1.8) * mean))
        self.schedule(day + datetime.timedelta(days=ready), "open", index)

    def _take(self, index: int, youth: YouthPlan) -> None:
        place = self.places[index]
        place.youth, place.version = youth, place.version + 1
        self.vacant[place.site.pk].discard(index)

    def admit(self, day: datetime.date, index: int) -> None:
        site = self.places[index].site
        rng = self.rng
        sex = (
            "F"
            if site.accepted_sex == "F"
            or (site.accepted_sex == "any" and rng.random() < GIRLS_SHARE)
            else "M"
        )
        ages = [age for age in (14, 15, 16, 17) if site.accepts(age, sex)]
        age = rng.choices(ages, weights=[{14: 1, 15: 3, 16: 4, 17: 3}[a] for a in ages])[0]
        birth = add_years(day, -age - 1) + datetime.timedelta(days=1 + rng.randrange(364))
        first_of_january = birth.replace(month=1, day=1)
        if rng.random() < 0.25 and self._age(first_of_january, day) == age:
            birth = first_of_january  # a declared birth date is often the 1st of January
        youth = YouthPlan(sex=sex, birth=birth, entry=day)
        youth.stays.append(StayPlan(site, day))
        self._plan_course(youth, site, day)
        self.youths.append(youth)
        self._take(index, youth)
        self._next(youth, index)

    @staticmethod
    def _age(birth: datetime.date, day: datetime.date) -> int:
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    def _plan_course(self, youth: YouthPlan, site: SitePlan, day: datetime.date) -> None:
        """The minor's planned exit (early, at 18 or at the end of the after-18 support),
        and a move: out of an emergency bed, or now and then to another member."""
        rng, majority = self.rng, youth.majority
        decision = rng.choices(*zip(*AFTER_18, strict=True))[0]
        end, reason, details = majority, ExitReason.MAJORITY, ""
        if decision != MajorityDecision.EXIT:
            limit = add_years(youth.birth, 21)
            months = rng.choice(AFTER_18_MONTHS)
            end = min(limit, _add_months(majority, months))
            reason, details = (
                ExitReason.OTHER,
                (
                    "Fin du contrat jeune majeur : logement autonome"
                    if decision == MajorityDecision.YOUNG_ADULT_CONTRACT
                    else "Fin du suivi majeur : relais vers le droit commun"
                ),
            )
        support_end = None if decision == MajorityDecision.EXIT else end
        draw = rng.random()
        if draw < 0.05:
            early = day + datetime.timedelta(days=rng.randint(3, 150))
            early_reason, early_details = ExitReason.RUN_AWAY, "Départ volontaire du lieu d'accueil"
        elif draw < 0.09:
            early = day + datetime.timedelta(days=rng.randint(60, 500))
            early_reason, early_details = rng.choice(
                [
                    (ExitReason.FAMILY, "Rapprochement avec un oncle à Roubaix"),
                    (ExitReason.OTHER_DEPARTEMENT, "Réorientation nationale vers un département"),
                ]
            )
        else:
            early = None
        if early is not None and early < end:
            end, reason, details = early, early_reason, early_details
        decided_on = max(day, majority - datetime.timedelta(days=rng.randint(*DECIDED_DAYS_BEFORE)))
        if end > decided_on:  # still hosted when the decision is taken
            agreement = None
            if decision == MajorityDecision.YOUNG_ADULT_CONTRACT:
                agreement = decided_on + datetime.timedelta(days=rng.randint(3, 20))
            youth.after_18 = After18Plan(
                decision,
                majority,
                support_end,
                decided_on,
                agreement,
            )
        youth.leaves_on, youth.leave_reason, youth.leave_details = end, reason, details
        if site.kind == SiteKind.EMERGENCY:
            youth.move_on = day + datetime.timedelta(days=rng.randint(7, 75))
        elif rng.random() < 0.07:
            youth.move_on = day + datetime.timedelta(days=rng.randint(120, 500))

    def _next(self, youth: YouthPlan, index: int) -> None:
        if youth.move_on is not None and youth.move_on < youth.leaves_on:
            self.schedule(youth.move_on, "move", index)
        else:
            self.schedule(youth.leaves_on, "leave", index)

    def move(self, day: datetime.date, index: int) -> None:
        place = self.places[index]
        youth = place.youth
        emergency = place.site.kind == SiteKind.EMERGENCY
        target = self._vacant_place(youth, place.site, day, other_member=not emergency)
        if target is None:
            if emergency and day + datetime.timedelta(days=7) < youth.leaves_on:
                youth.move_on = day + datetime.timedelta(days=7)  # waits for a lasting place
            else:
                youth.move_on = None
            self._next(youth, index)
            return
        stay = youth.stays[-1]
        stay.end, stay.exit_reason = day, ExitReason.TRANSFER
        reason = (
            TransferReason.CAPACITY
            if emergency
            else self.rng.choice(
                [TransferReason.SCHOOLING, TransferReason.COMPLEX, TransferReason.FAMILY]
            )
        )
        youth.stays.append(StayPlan(self.places[target].site, day, transfer_reason=reason))
        youth.move_on = None
        self._free(index, day)
        self._take(target, youth)
        self._next(youth, target)

    def _vacant_place(
        self, youth: YouthPlan, current: SitePlan, day: datetime.date, other_member: bool
    ) -> int | None:
        age = youth.age_on(day)
        candidates = [
            index
            for site_pk, indexes in self.vacant.items()
            for index in indexes
            if site_pk != current.pk
            and self.places[index].site.kind != SiteKind.EMERGENCY
            and self.places[index].site.accepts(age, youth.sex)
            and (
                not other_member
                or self.places[index].site.organisation_id != current.organisation_id
            )
        ]
        return self.rng.choice(sorted(candidates)) if candidates else None

    def leave(self, day: datetime.date, index: int) -> None:
        youth = self.places[index].youth
        stay = youth.stays[-1]
        stay.end, stay.exit_reason, stay.exit_details = day, youth.leave_reason, youth.leave_details
        self._free(index, day)


def simulate(
    openings: list[tuple[SitePlan, int, datetime.date]], today: datetime.date, seed: int
) -> list[YouthPlan]:
    """Every minor hosted from the first opening to ``today``, in order of entry: the exits
    due today are done (a youth leaving at 18 today is no longer hosted), the entries and
    moves of today not yet; a stay still running on ``today`` has no end. A place opened is
    filled within weeks."""
    simulation = _Simulation(random.Random(seed), today)  # noqa: S311 - a demo, not secrets
    for site, count, day in sorted(openings, key=lambda opening: opening[2]):
        simulation.open_places(site, count, day)
    return simulation.run()


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=min(day.day, 28))
