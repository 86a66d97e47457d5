"""Time the Monday follow-up job of CEJ-JR for 10,000 youths.

    .venv/bin/python -m bench.cej_follow_up [--youths 10000] [--per-counsellor 40]

On a scratch SQLite database (or the one of ``DATABASE_URL``, which must be empty and
migrated), it creates one CEJ-JR partnership (a porteur, a mission locale, its
counsellors), ``--youths`` youths under contract, each with the youth's consent to share
education-and-employment data with the mission locale and eight activities in the past
week (four workshops of the porteur, four trainings of the mission locale of which one
missed, one care appointment), then times
the periodic job for that week (``followup.produce`` as ``tasks.monday_follow_up`` calls
it: SQL totals, the access policy per youth, one follow-up per counsellor, committed), a
second run (idempotent: nothing produced), and the sending of a sample of the e-mails with
their PDF (the job queues one task per follow-up; Django's in-memory mail backend here).
The figures go to standard output; copy them to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str | None) -> None:
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="cej-bench-")) / "bench.sqlite3"
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coparcours.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


def _generate(youths: int, per_counsellor: int, week: datetime.date) -> None:
    from django.utils import timezone

    from coparcours.accounts.models import User
    from coparcours.cej.models import Activity, PartnershipSettings, Pathway
    from coparcours.cej.rules import Stage
    from coparcours.core.access import Category, Relation
    from coparcours.organisations.models import (
        Consortium,
        ConsortiumKind,
        ConsortiumMember,
        Membership,
        Organisation,
        OrganisationKind,
        Role,
    )
    from coparcours.youths.models import Assignment, Consent, Youth
    from coparcours.youths.rules import search_key

    start = datetime.date(2020, 1, 1)
    porteur = Organisation.objects.create(name="Porteur bench", siret="")
    mission = Organisation.objects.create(
        name="Mission locale bench", kind=OrganisationKind.MISSION_LOCALE, siret=""
    )
    funder = Organisation.objects.create(
        name="DREETS bench", kind=OrganisationKind.DREETS, siret=""
    )
    partnership = Consortium.objects.create(
        name="CEJ-JR bench", kind=ConsortiumKind.CEJ_JR, funder=funder, start_date=start
    )
    ConsortiumMember.objects.create(consortium=partnership, organisation=porteur, is_lead=True)
    ConsortiumMember.objects.create(consortium=partnership, organisation=mission)
    PartnershipSettings.objects.create(partnership=partnership, departement_code="59")
    counsellors = []
    for n in range(-(-youths // per_counsellor)):
        user = User.objects.create_user(email=f"conseiller{n}@bench.test", password=None)
        Membership.objects.create(
            user=user, organisation=mission, role=Role.COUNSELLOR, start_date=start
        )
        counsellors.append(user)
    people = Youth.objects.bulk_create(
        Youth(
            owner_organisation=porteur,
            last_name=f"Nom{n}",
            first_names="Camille",
            last_name_key=search_key(f"Nom{n}"),
            first_name_key="camille",
            birth_date=datetime.date(2004, 1, 1),
        )
        for n in range(youths)
    )
    Assignment.objects.bulk_create(
        Assignment(
            youth=y,
            organisation=mission,
            relation=Relation.CEJ_PARTNER,
            role="CEJ-JR",
            start_date=start,
        )
        for y in people
    )
    Consent.objects.bulk_create(
        Consent(
            youth=y,
            organisation=mission,
            categories=[Category.EDUCATION_EMPLOYMENT],
            purpose="CEJ-JR",
            method="oral_with_witness",
            witness="Référente",
            start_date=start,
            author_organisation=porteur,
        )
        for y in people
    )
    identified = week - datetime.timedelta(days=120)
    pathways = Pathway.objects.bulk_create(
        Pathway(
            youth=y,
            category=Category.EDUCATION_EMPLOYMENT,
            author_organisation=porteur,
            partnership=partnership,
            mission_locale=mission,
            counsellor=counsellors[n // per_counsellor],
            identified_on=identified,
            spotted_where="Rue",
            spotted_by="Maraude",
            spotted_how="street",
            registration="never",
            stage=Stage.CONTRACT,
            stage_since=identified,
            contract_start=identified,
        )
        for n, y in enumerate(people)
    )
    monday = timezone.make_aware(datetime.datetime.combine(week, datetime.time(9)))
    rows = []
    for pathway in pathways:
        for day in range(4):
            for hour, minutes, organisation, kind, attended in (
                (0, 180, porteur, "workshop", True),
                (4, 120, mission, "training", day != 3),  # one missed
            ):
                starts = monday + datetime.timedelta(days=day, hours=hour)
                rows.append((pathway, kind, starts, minutes, organisation, attended))
        care = monday + datetime.timedelta(days=4)
        rows.append((pathway, "health", care, 60, porteur, True))
    activities = [
        Activity(
            youth_id=pathway.youth_id,
            category=Category.HEALTH if kind == "health" else Category.EDUCATION_EMPLOYMENT,
            author_organisation=organisation,
            pathway=pathway,
            kind=kind,
            title="Activité",
            starts_at=starts,
            duration_minutes=minutes,
            ends_at=starts + datetime.timedelta(minutes=minutes),
            organisation=organisation,
            attended=attended,
        )
        for pathway, kind, starts, minutes, organisation, attended in rows
    ]
    Activity.objects.bulk_create(activities, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--youths", type=int, default=10_000)
    parser.add_argument("--per-counsellor", type=int, default=40)
    parser.add_argument("--sample-mails", type=int, default=5, help="e-mails timed")
    args = parser.parse_args()
    _setup(os.environ.get("BENCH_DATABASE_URL"))
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from coparcours.cej import followup, rules

    week = rules.week_start(timezone.localdate()) - datetime.timedelta(days=7)
    began = time.perf_counter()
    _generate(args.youths, args.per_counsellor, week)
    generated = time.perf_counter() - began
    mail.outbox = []
    began = time.perf_counter()
    report = followup.produce(week, send_now=False)  # what the periodic job does
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = followup.produce(week, send_now=False)
    second = time.perf_counter() - began
    sample = report.created[: args.sample_mails]
    began = time.perf_counter()
    for follow_up in sample:
        followup.send(follow_up)
    sending = (time.perf_counter() - began) / max(len(sample), 1)
    rows = sum(len(f.rows) for f in report.created)
    print(f"database: {connection.vendor}; cores: {os.cpu_count()}")
    print(f"data: {args.youths} youths, {args.per_counsellor} per counsellor ({generated:.1f} s)")
    print(f"follow-up job: {len(report.created)} follow-ups, {rows} youth rows in {first:.1f} s")
    print(f"second run (idempotent): {len(again.created)} produced in {second:.1f} s")
    print(
        f"e-mail with PDF: {sending:.2f} s each ({len(mail.outbox)} sent), i.e. "
        f"{sending * len(report.created) / 2:.0f} s for all on the two worker threads"
    )


if __name__ == "__main__":
    main()
