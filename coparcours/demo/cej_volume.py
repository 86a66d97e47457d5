"""The CEJ-JR Lille partnership at the field's scale, for ``coparcours load_demo``: about
80 youths spotted over the last year and a half, at every stage, through the services the
partners use (outreach, the Tuesday integration committee, the contract signed, the
counsellor named, the exit), their 3- and 6-month reviews (held and rated, due this
week, or late), the activities of the last two weeks, and last week's Monday follow-up
produced for every counsellor, as the Monday job does. Loading it again changes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.accounts.models import User
from coparcours.cej.models import (
    Activity,
    PartnershipSettings,
    Pathway,
    ReviewRating,
    WeeklyFollowUp,
)
from coparcours.cej.models.committee import AgendaReason, CommitteeMeeting, DecisionKind
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.cej.rules import Stage, week_start
from coparcours.demo import people
from coparcours.demo.gme_volume import staff_email
from coparcours.organisations.models import Consortium, Membership, Organisation, Role
from coparcours.youths.factories import ConsentFactory

#: How many youths of the volume end the load at each stage (with the small demo's four:
#: 80 pathways).
STAGES = (
    (Stage.IDENTIFIED, 7),
    (Stage.PRE_CEJ, 8),
    (Stage.REMOBILISATION, 17),
    (Stage.CONTRACT, 28),
    (Stage.EXIT, 16),
)
#: Days between the outreach and today for a youth who ends at each stage.
IDENTIFIED_AGO = {
    Stage.IDENTIFIED: (1, 12),
    Stage.PRE_CEJ: (20, 120),
    Stage.REMOBILISATION: (25, 150),
    Stage.CONTRACT: (80, 400),
    Stage.EXIT: (260, 540),
}
OUTCOMES = (
    [ExitOutcome.JOB] * 5
    + [ExitOutcome.TRAINING] * 4
    + [
        ExitOutcome.OTHER_SCHEME,
        ExitOutcome.MOVED,
        ExitOutcome.DROPPED_OUT,
        ExitOutcome.DROPPED_OUT,
    ]
)
SPOTTED = (
    ("Maraude, gare Lille-Flandres", "Équipe de prévention spécialisée de Lille-Moulins", "street"),
    ("Accueil de jour, rue Solférino", "Relais d'accueil de jour", "walk_in"),
    (
        "Permanence au foyer de jeunes travailleurs",
        "Foyer de jeunes travailleurs de Lille",
        "partner",
    ),
    ("Terrain de foot de Lille-Sud", "Un jeune déjà accompagné", "peer"),
    ("Point d'accès au droit de Fives", "Centre social de Fives", "partner"),
)
#: A week of activities of a youth under contract: (day, hour, minutes, kind, title, partner).
WEEK = (
    (0, 9, 180, "workshop", "Atelier « Mon projet »", "porteur"),
    (1, 14, 180, "training", "Remise à niveau en français", "mission_locale"),
    (2, 9, 240, "immersion", "Immersion en entreprise", "porteur"),
    (3, 14, 180, "job_search", "Recherche d'offres avec le conseiller", "mission_locale"),
    (4, 10, 180, "volunteering", "Bénévolat à l'épicerie solidaire", "porteur"),
    (4, 15, 60, "health", "Rendez-vous au centre de santé", "porteur"),
)
DECIDERS = "Comité d'intégration hebdomadaire (porteur et mission locale)"


@dataclass
class _Youth:
    stage: str
    identified_on: datetime.date
    pathway: Pathway | None = None


def load_cej_volume(
    cej_jr: Consortium, org: dict[str, Organisation], users: dict[str, User]
) -> None:
    """About 80 pathways of the partnership at every stage, written once."""
    porteur = org["porteur"]
    if Pathway.objects.filter(partnership=cej_jr).count() > 10:
        return
    rng = random.Random(3)  # noqa: S311 - names and dates, not secrets
    referents, counsellors = _staff(org, users)
    today = timezone.localdate()
    weekday = PartnershipSettings.objects.get(partnership=cej_jr).committee_weekday
    youths = [
        _Youth(stage, today - datetime.timedelta(days=rng.randint(*IDENTIFIED_AGO[stage])))
        for stage, count in STAGES
        for _ in range(count)
    ]
    youths.sort(key=lambda youth: youth.identified_on)
    start = min(youth.identified_on for youth in youths)
    tuesday = start + datetime.timedelta(days=(weekday - start.weekday()) % 7 or 7)
    spotted = defaultdict(list)
    for youth in youths:
        spotted[_next_committee(youth.identified_on, weekday)].append(youth)
    flow = _Flow(cej_jr, porteur, referents, counsellors, rng, today)
    while tuesday <= today:
        for youth in spotted.get(tuesday, []):
            flow.spot(youth)
        flow.committee(tuesday)
        tuesday += datetime.timedelta(days=7)
    for youth in spotted.get(tuesday, []):  # spotted since the last committee
        flow.spot(youth)
    flow.exits()
    flow.reviews()
    flow.activities()
    _monday_follow_up(today)


def _next_committee(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def _staff(org: dict[str, Organisation], users: dict[str, User]) -> tuple[list, list]:
    """The porteur's other referents and the mission locale's other counsellors."""
    password = make_password(DEFAULT_PASSWORD)
    team = {}
    for member, role in (("porteur", Role.REFERENT), ("mission_locale", Role.COUNSELLOR)):
        created = User.objects.bulk_create(
            [
                User(
                    email=staff_email(member, first, last),
                    first_name=first,
                    last_name=last,
                    password=password,
                )
                for first, last in people.STAFF[member]
            ]
        )
        Membership.objects.bulk_create(
            Membership(
                user=user, organisation=org[member], role=role, start_date=datetime.date(2022, 1, 1)
            )
            for user in created
        )
        team[member] = created
    return [users["referente"], *team["porteur"]], [users["conseiller"], *team["mission_locale"]]


class _Flow:
    """The partners' acts, week after week, through the CEJ-JR services."""

    def __init__(self, cej_jr, porteur, referents, counsellors, rng, today) -> None:
        self.cej_jr, self.porteur = cej_jr, porteur
        self.referents, self.counsellors = referents, counsellors
        self.rng, self.today = rng, today
        self.youths: list[_Youth] = []

    def spot(self, youth: _Youth) -> None:
        from coparcours.cej.services.contacts import add_contact
        from coparcours.cej.services.outreach import record_outreach

        rng = self.rng
        sex = rng.choice("MMF")
        last, first = people.lille_youth(rng, sex)
        referent = self.referents[len(self.youths) % len(self.referents)]
        where, by, how = rng.choice(SPOTTED)
        registered = youth.stage == Stage.PRE_CEJ or rng.random() < 0.4
        age = rng.randint(18, 25)
        birth = youth.identified_on - datetime.timedelta(days=365 * age + rng.randrange(360))
        youth.pathway = record_outreach(
            referent,
            self.porteur,
            self.cej_jr,
            youth_fields={
                "last_name": last,
                "first_names": first,
                "sex": sex,
                "birth_date": birth,
                "referent": referent,
            },
            identified_on=youth.identified_on,
            spotted_where=where,
            spotted_by=by,
            spotted_how=how,
            registration="registered" if registered else "never",
            registered_on=youth.identified_on - datetime.timedelta(days=rng.randint(200, 900))
            if registered
            else None,
        )
        if youth.stage == Stage.PRE_CEJ:  # seen at the mission locale within five months
            add_contact(
                referent,
                self.porteur,
                youth.pathway,
                occurred_on=youth.identified_on - datetime.timedelta(days=rng.randint(20, 90)),
                channel="interview",
                answered=True,
                intends_to_continue=True,
            )
        if rng.random() < 0.85:  # the youth agreed to share with the mission locale
            ConsentFactory(
                youth=youth.pathway.youth,
                organisation=youth.pathway.mission_locale,
                categories=["contact", "education_employment", "admin_documents"],
                purpose="Co-accompagnement du parcours CEJ-JR",
                start_date=youth.identified_on,
                author_organisation=self.porteur,
            )
        self.youths.append(youth)

    def committee(self, day: datetime.date) -> None:
        """The Tuesday committee: decides on the youths spotted the week before and
        proposes a contract to those remobilised for a month or more."""
        from coparcours.cej.services.committee import create_meeting

        due = self._due(day)
        if not due:
            return
        meeting = CommitteeMeeting.objects.filter(partnership=self.cej_jr, date=day).first()
        if meeting is None:
            meeting = create_meeting(
                self.referents[0],
                self.porteur,
                self.cej_jr,
                date=day,
                participants="Référent·es du porteur, conseiller·ères de la mission locale",
            )
        for n, (youth, kind) in enumerate(due):
            self._decide(meeting, youth, kind, n)

    def _due(self, day: datetime.date) -> list[tuple[_Youth, str]]:
        """The decisions the committee of ``day`` takes, youth by youth."""
        due = []
        for youth in self.youths:
            pathway = youth.pathway
            if pathway.stage == Stage.IDENTIFIED and youth.stage != Stage.IDENTIFIED:
                pre_cej = youth.stage == Stage.PRE_CEJ
                due.append(
                    (youth, DecisionKind.PRE_CEJ if pre_cej else DecisionKind.REMOBILISATION)
                )
            elif (
                pathway.stage == Stage.REMOBILISATION
                and youth.stage in (Stage.CONTRACT, Stage.EXIT)
                and (day - pathway.stage_since).days >= 28
            ):
                due.append((youth, DecisionKind.PROPOSE_CONTRACT))
        return due

    def _decide(self, meeting: CommitteeMeeting, youth: _Youth, kind: str, n: int) -> None:
        """One decision on the agenda; a counsellor named at the remobilisation, the
        contract signed within days of its proposal."""
        from coparcours.cej.services.committee import record_decision
        from coparcours.cej.services.contract import sign_contract
        from coparcours.cej.services.interviews import set_counsellor

        pathway = youth.pathway
        if not meeting.items.filter(pathway=pathway).exists():
            meeting.items.create(
                pathway=pathway,
                youth=pathway.youth,
                author_organisation=self.porteur,
                reason=AgendaReason.PENDING,
            )
        record_decision(
            self.referents[0], self.porteur, meeting, pathway, kind=kind, decided_by=DECIDERS
        )
        pathway.refresh_from_db()
        if kind == DecisionKind.REMOBILISATION:
            counsellor = self.counsellors[n % len(self.counsellors)]
            counsellor = self.counsellors[0] if self.rng.random() < 0.5 else counsellor
            set_counsellor(pathway.referent, self.porteur, pathway, counsellor)
        sign = meeting.date + datetime.timedelta(days=self.rng.randint(3, 10))
        if kind == DecisionKind.PROPOSE_CONTRACT and sign <= self.today:
            sign_contract(
                pathway.referent,
                self.porteur,
                pathway,
                start=sign,
                months=12,
                tax_situation="non_taxable",
            )
        youth.pathway = pathway

    def exits(self) -> None:
        """The exits: a job or a training mostly, a few drop-outs, months into the contract
        (or during the remobilisation, for one who never signed)."""
        from coparcours.cej.services.contract import record_exit

        for n, youth in enumerate(y for y in self.youths if y.stage == Stage.EXIT):
            pathway = youth.pathway
            since = pathway.contract_start or pathway.stage_since
            latest = (self.today - since).days - 1
            on = since + datetime.timedelta(days=min(latest, self.rng.randint(90, 240)))
            record_exit(
                pathway.referent,
                self.porteur,
                pathway,
                on=on,
                outcome=OUTCOMES[n % len(OUTCOMES)],
            )

    def reviews(self) -> None:
        """The reviews due are held within days, rated by the youth and both partners, but
        a few are late; those due this week wait for the referent."""
        from coparcours.cej.models import Review

        ratings = []
        reviews = Review.objects.filter(pathway__partnership=self.cej_jr, held_on__isnull=True)
        for n, review in enumerate(reviews.select_related("pathway").order_by("due_on", "pk")):
            exit_on = review.pathway.exit_on
            if exit_on is not None and review.due_on >= exit_on:
                continue  # the youth left before it
            held = review.due_on + datetime.timedelta(days=self.rng.randint(-3, 9))
            if held >= self.today or n % 9 == 4:
                continue  # due this week, or late
            review.held_on = held
            review.next_steps = (
                "Plan concerté : poursuivre la recherche de formation, relais logement."
            )
            review.save(update_fields=["held_on", "next_steps", "updated_at"])
            for dimension in ("employment", "housing", "health", "mobility", "confidence"):
                for rater in ("youth", "porteur", "mission_locale"):
                    ratings.append(
                        ReviewRating(
                            youth_id=review.youth_id,
                            author_organisation_id=review.author_organisation_id,
                            review=review,
                            dimension=dimension,
                            rater=rater,
                            score=min(4, 1 + review.milestone_months // 3 + self.rng.randrange(2)),
                        )
                    )
        for rating in ratings:
            rating.category = rating.category_of()
        ReviewRating.objects.bulk_create(ratings)

    def activities(self) -> None:
        """The last two weeks of the youths under contract: most reach the 15-hour minimum,
        every fourth misses a few activities."""
        monday = week_start(self.today) - datetime.timedelta(days=7)
        rows = []
        for n, youth in enumerate(y for y in self.youths if y.pathway.stage == Stage.CONTRACT):
            pathway = youth.pathway
            for week in (monday - datetime.timedelta(days=7), monday):
                if week < pathway.contract_start:
                    continue
                for k, (day, hour, minutes, kind, title, partner) in enumerate(WEEK):
                    if n % 4 == 3 and k in (2, 4):
                        continue
                    author = self.porteur if partner == "porteur" else pathway.mission_locale
                    activity = Activity(
                        youth_id=pathway.youth_id,
                        author_organisation=author,
                        pathway=pathway,
                        kind=kind,
                        title=title,
                        starts_at=timezone.make_aware(
                            datetime.datetime.combine(
                                week + datetime.timedelta(days=day), datetime.time(hour)
                            )
                        ),
                        duration_minutes=minutes,
                        organisation=author,
                        attended=True,
                        recorded_by=pathway.referent
                        if partner == "porteur"
                        else pathway.counsellor,
                    )
                    activity.ends_at = activity.starts_at + datetime.timedelta(minutes=minutes)
                    activity.category = activity.category_of()
                    rows.append(activity)
        Activity.objects.bulk_create(rows)


def _monday_follow_up(today: datetime.date) -> None:
    """Last week's follow-up of every counsellor, produced as the Monday job does, sent
    at 8:00 on Monday and not read yet."""
    from coparcours.cej.followup import produce

    monday = week_start(today) - datetime.timedelta(days=7)
    report = produce(monday, send_now=False)
    sent = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time(8))
    )
    WeeklyFollowUp.objects.filter(pk__in=[f.pk for f in report.created]).update(sent_at=sent)
