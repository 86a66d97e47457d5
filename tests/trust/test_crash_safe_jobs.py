"""Every periodic job is idempotent and resumable. Each test kills a job
half-way, runs it again, and finds nothing sent twice and nothing missing.

The kill goes through a seam: the job's per-item function (the mail hand-off, the PDF,
the per-record work…) is replaced by one that raises ``Killed`` at its n-th call.
``Killed`` is a ``BaseException``, not an ``Exception``: no ``except Exception`` of the job
runs (as with SIGKILL), and the transactions still open are rolled back, which is what
the database does with the connection of a killed process. Mails go to Django's
``locmem`` outbox, which keeps what was handed over before the kill, as a mail server
would. ``test_a_killed_process_*`` do the same with a real SIGKILL of a child process on
PostgreSQL. The one window left is between the mail server's acceptance and the commit
(docs/decisions.md, section 22): a kill exactly there sends that one mail again, never loses it. The
worker's heartbeat (``core.tasks``) writes one cache key and has no half to resume.
"""

from __future__ import annotations

import datetime
import os
import signal
import traceback
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.db.models import F
from django.utils import timezone

from coparcours.cej import followup
from coparcours.cej import privacy as cej_privacy
from coparcours.cej import tasks as cej_tasks
from coparcours.cej.models import CommitteeMeeting, Pathway, Review, ReviewReminder, WeeklyFollowUp
from coparcours.cej.rules import Stage
from coparcours.cej.services import contract, interviews
from coparcours.cej.services import reviews as review_services
from coparcours.core.models import AuditLog
from coparcours.directory import guides
from coparcours.directory import tasks as directory_tasks
from coparcours.directory.models import Guide, Referral, ReferralStatus, Service
from coparcours.directory.services import referrals as referral_services
from coparcours.finance.models import Invoice, InvoiceStayDays
from coparcours.finance.services.billing import bill_month
from coparcours.housing import tasks as housing_tasks
from coparcours.housing.models import MajorityReminder
from coparcours.housing.services import majority as housing_majority
from coparcours.housing.services import road18 as road18_services
from coparcours.organisations.models import Role
from coparcours.youths import tasks as youths_tasks
from coparcours.youths.models import Youth
from coparcours.youths.privacy import anonymisation
from coparcours.youths.privacy.anonymisation import ERASED, pseudonym
from coparcours.youths.privacy.retention import apply_retention
from coparcours.youths.rules import add_years
from tests.cej.co_accompaniment import LAST_WEEK, _consent, _fifteen_hours
from tests.cej.conftest import member, world  # noqa: F401 (the CEJ-JR fixture)
from tests.cej.test_allowances_pages_and_api import _exited
from tests.cej.test_pathway_services import _contract
from tests.directory.test_referrals import _send
from tests.finance.conftest import build_money
from tests.housing.conftest import build_gme
from tests.youths.test_privacy import _aged_youth

TODAY = timezone.localdate()
YEARS_AGO = 365 * 11  # past every default retention period


class Killed(BaseException):
    """Stands for SIGKILL (see the module's docstring)."""


def kill_at(monkeypatch, target, name: str, n: int) -> None:
    """Replace ``target.name`` by a function that kills the run at its n-th call, before
    doing that call's work."""
    real = getattr(target, name)
    calls = 0

    def dying(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == n:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, dying)


def killed_then_rerun(monkeypatch, job, target, name: str, n: int):
    """Run ``job`` killed at the n-th call of ``target.name``, then run it again whole."""
    with monkeypatch.context() as patch:
        kill_at(patch, target, name, n)
        with pytest.raises(Killed):
            job()
    return job()


def contracts(world, count: int) -> list[Pathway]:  # noqa: F811
    """``count`` youths under contract (``_contract`` holds its committees today and
    yesterday: those of the previous youth are moved back a month to free the dates)."""
    pathways = []
    for _ in range(count):
        CommitteeMeeting.objects.update(date=F("date") - datetime.timedelta(days=30))
        pathways.append(_contract(world))
    return pathways


# --- CEJ-JR: the Monday follow-up --------------------------------------------------------


@pytest.fixture
def two_counsellors(world, monkeypatch):  # noqa: F811
    """Two contracts last week, each followed by its own counsellor, with 15 hours each."""
    other = member(world.mission_locale, Role.COUNSELLOR)
    for counsellor, pathway in zip((world.counsellor, other), contracts(world, 2)):
        Pathway.objects.filter(pk=pathway.pk).update(
            contract_start=LAST_WEEK, identified_on=LAST_WEEK - datetime.timedelta(days=20)
        )
        pathway.refresh_from_db()
        _consent(world, pathway)
        interviews.set_counsellor(world.referent, world.porteur, pathway, counsellor)
        _fifteen_hours(world, pathway)
    monkeypatch.setattr(cej_tasks.rules, "follow_up_week_due", lambda now: LAST_WEEK)
    # the queue runs each queued sending at once, in this process
    queued = cej_tasks.send_follow_up
    monkeypatch.setattr(cej_tasks, "send_follow_up", queued.call_local)
    return {world.counsellor.email, other.email}


def test_monday_follow_up_killed_while_rendering_the_second_pdf(two_counsellors, monkeypatch):
    killed_then_rerun(monkeypatch, cej_tasks.monday_follow_up.call_local, followup, "pdf", 2)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        two_counsellors
    )
    assert WeeklyFollowUp.objects.filter(sent_at__isnull=True).count() == 0
    assert WeeklyFollowUp.objects.count() == 2


def test_monday_follow_up_killed_between_producing_and_queueing(two_counsellors, monkeypatch):
    with monkeypatch.context() as patch:
        kill_at(patch, cej_tasks, "send_follow_up", 1)
        with pytest.raises(Killed):
            cej_tasks.monday_follow_up.call_local()
    assert WeeklyFollowUp.objects.count() == 2 and mail.outbox == []
    assert cej_tasks.monday_follow_up.call_local() == 0  # nothing left to produce…
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        two_counsellors  # …but both follow-ups are sent, once each
    )
    cej_tasks.monday_follow_up.call_local()
    assert len(mail.outbox) == 2


def test_a_follow_up_whose_mail_failed_is_sent_by_the_next_run(two_counsellors, monkeypatch):
    def refused(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(followup.EmailMessage, "send", refused)
        with pytest.raises(ConnectionRefusedError):
            cej_tasks.monday_follow_up.call_local()
    assert WeeklyFollowUp.objects.filter(sent_at__isnull=True).count() == 2
    cej_tasks.monday_follow_up.call_local()
    assert len(mail.outbox) == 2


# --- CEJ-JR: review reminders and the veille date ----------------------------------------


def test_review_reminders_killed_at_the_third_mail(world, monkeypatch):  # noqa: F811
    reviews = []
    for pathway in contracts(world, 2):
        _consent(world, pathway)
        interviews.set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
        review = Review.objects.get(pathway=pathway, milestone_months=3)
        Review.objects.filter(pk=review.pk).update(due_on=TODAY)
        reviews.append(review)

    reminded = killed_then_rerun(
        monkeypatch,
        cej_tasks.review_reminders.call_local,
        review_services,
        "send_mail",
        3,
    )
    assert reminded == 1  # the second review, half done when killed
    sent = Counter((message.to[0], message.body) for message in mail.outbox)
    assert len(sent) == 4 and set(sent.values()) == {1}  # 2 reviews × 2 partners, once each
    assert ReviewReminder.objects.count() == 4
    assert set(
        Review.objects.filter(pk__in=[r.pk for r in reviews]).values_list("reminded_on", flat=True)
    ) == {TODAY}
    assert cej_tasks.review_reminders.call_local() == 0 and len(mail.outbox) == 4


def test_veille_flagging_killed_half_way(world, monkeypatch):  # noqa: F811
    pathways = [world.outreach(registration="never") for _ in range(3)]
    Pathway.objects.filter(pk__in=[p.pk for p in pathways]).update(stage=Stage.PRE_CEJ)
    day = TODAY
    killed_then_rerun(
        monkeypatch,
        lambda: contract.flag_veille_reached(day),
        contract,
        "compute_eligibility",
        2,
    )
    flagged = Pathway.objects.filter(pk__in=[p.pk for p in pathways])
    assert set(flagged.values_list("veille_reached_on", flat=True)) == {day}
    assert contract.flag_veille_reached(day) == []


# --- Directory: referral reminders and guide reviews ---------------------------------------


def test_referral_reminders_killed_at_the_second_mail(demo, monkeypatch, settings):
    youth = demo.porteur.owned_youths.get(last_name="Martin")
    services = [s for s in Service.objects.order_by("pk") if s.referral_email][:3]
    referrals = [_send(demo, youth, service=service) for service in services]
    assert len(referrals) == 3
    mail.outbox.clear()
    later = TODAY + datetime.timedelta(days=settings.DIRECTORY_REMINDER_DAYS)
    expired, reminded = killed_then_rerun(
        monkeypatch,
        lambda: referral_services.expire_and_remind(later),
        referral_services,
        "send_mail",
        2,
    )
    assert (expired, reminded) == (0, 2)
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.referral_email for s in services)
    assert set(
        Referral.objects.filter(pk__in=[r.pk for r in referrals]).values_list(
            "reminders_sent", "last_reminder_on"
        )
    ) == {(1, later)}
    assert referral_services.expire_and_remind(later) == (0, 0)


def test_referral_expiry_killed_half_way(demo, monkeypatch):
    youth = demo.porteur.owned_youths.get(last_name="Martin")
    services = [s for s in Service.objects.order_by("pk") if s.referral_email][:3]
    referrals = [_send(demo, youth, service=service) for service in services]
    after = max(r.expires_on for r in referrals)
    expired, _ = killed_then_rerun(
        monkeypatch,
        lambda: referral_services.expire_and_remind(after),
        referral_services,
        "_timeline",
        2,
    )
    assert expired == 2
    for referral in referrals:
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.EXPIRED
        timeline = youth.notes.filter(title__startswith="Orientation expirée")
    assert timeline.count() == 3  # one line per referral, none twice


def test_guide_review_reminders_killed_at_the_second_mail(demo, monkeypatch):
    Guide.objects.update(review_on=TODAY - datetime.timedelta(days=1), review_reminded_for=None)
    count = Guide.objects.count()
    assert count >= 3
    mail.outbox.clear()  # the demo's own notices (a serious incident, orientations)
    sent = killed_then_rerun(
        monkeypatch, directory_tasks.guide_review_reminders.call_local, guides, "send_mail", 2
    )
    assert sent == count - 1
    subjects = Counter(message.subject for message in mail.outbox)
    assert len(mail.outbox) == count and set(subjects.values()) == {1}
    assert directory_tasks.guide_review_reminders.call_local() == 0


# --- Housing: turning 18 ------------------------------------------------------------------


def test_majority_reminders_killed_at_the_third_mail(db, monkeypatch):
    gme = build_gme()
    referent = gme.user(gme.member_b, Role.REFERENT)
    for days in (30, 60):
        stay = gme.place(birth_date=add_years(TODAY, -18) + datetime.timedelta(days=days), age=None)
        Youth.objects.filter(pk=stay.youth_id).update(referent=referent)
    raised = killed_then_rerun(
        monkeypatch, housing_tasks.majority_reminders.call_local, housing_majority, "send_mail", 3
    )
    assert raised == 2
    assert MajorityReminder.objects.count() == 4
    bodies = Counter((m.to[0], m.body) for m in mail.outbox)
    assert len(mail.outbox) == 4 and set(bodies.values()) == {1}
    assert housing_tasks.majority_reminders.call_local() == 0


def test_permit_reminders_killed_at_the_second_mail(db, monkeypatch):
    gme = build_gme(capacity_b=3)
    referent = gme.user(gme.member_b, Role.REFERENT)
    for days in (20, 40, 50):  # three minors whose residence-permit window is open
        stay = gme.place(birth_date=add_years(TODAY, -18) + datetime.timedelta(days=days), age=None)
        Youth.objects.filter(pk=stay.youth_id).update(referent=referent)
        road18_services.start_permit_preparation(
            referent, stay, TODAY - datetime.timedelta(days=30)
        )
    raised = killed_then_rerun(
        monkeypatch, housing_tasks.permit_reminders.call_local, road18_services, "send_mail", 2
    )
    assert raised == 2
    assert MajorityReminder.objects.count() == 3
    assert len(mail.outbox) == 3 and len({m.body for m in mail.outbox}) == 3
    assert housing_tasks.permit_reminders.call_local() == 0


# --- Records: retention and anonymisation --------------------------------------------------


def test_retention_killed_at_the_second_record(db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    youths = [_aged_youth(YEARS_AGO) for _ in range(3)]
    report = killed_then_rerun(
        monkeypatch,
        youths_tasks.apply_retention_periods.call_local,
        anonymisation,
        "anonymise_locked",
        2,
    )
    assert report["anonymised"] == 2
    for youth in youths:
        youth.refresh_from_db()
        assert youth.last_name == pseudonym(youth.pk) and youth.anonymised_at
        assert not youth.documents.exclude(file="").exists()
    assert youths_tasks.apply_retention_periods.call_local()["anonymised"] == 0


def test_cej_retention_killed_inside_the_second_pathway(world, monkeypatch):  # noqa: F811
    ended = TODAY - datetime.timedelta(days=3700)  # past the ten years after the exit
    pathways = [_exited(world, name, ended) for name in ("Ancien", "Ancienne", "Anciens")]
    with monkeypatch.context() as patch:
        kill_at(patch, cej_privacy, "erase_follow_up_rows", 2)
        with pytest.raises(Killed):
            cej_privacy.apply_cej_retention(TODAY)
    first, second, _ = (Pathway.objects.get(pk=p.pk) for p in pathways)
    assert (first.spotted_where, first.data_erased_on) == (ERASED, TODAY)
    assert second.spotted_where != ERASED and second.data_erased_on is None
    assert cej_privacy.apply_cej_retention(TODAY) == [p.pk for p in pathways[1:]]
    erasures = AuditLog.objects.filter(reason__startswith="Effacement des données CEJ-JR")
    assert sorted(erasures.values_list("youth_id", flat=True)) == sorted(
        p.youth_id for p in pathways
    )
    assert cej_privacy.apply_cej_retention(TODAY) == []


# --- Finance: the billing run of every GME -------------------------------------------------


def bill_every_gme(gmes) -> list[bool]:
    """The billing run as ``bench.jobs.billing`` does it: January for each GME in turn."""
    return [bill_month(money.manager, money.consortium, 2025, 1).created for money in gmes]


def test_billing_run_killed_inside_the_second_invoice(db, monkeypatch):
    gmes = [build_money(suffix=f" {n}") for n in range(3)]
    with monkeypatch.context() as patch:
        kill_at(patch, InvoiceStayDays.objects, "bulk_create", 2)
        with pytest.raises(Killed):
            bill_every_gme(gmes)
    assert Invoice.objects.count() == 1
    assert bill_every_gme(gmes) == [False, True, True]
    for money in gmes:
        invoice = Invoice.objects.get(consortium=money.consortium)
        assert (invoice.sequence_number, invoice.total) == (1, Decimal("7775.50"))
        assert invoice.stay_days.count() > 0
    assert bill_every_gme(gmes) == [False, False, False]


# --- A real SIGKILL, in a child process (PostgreSQL) ---------------------------------------


def run_and_sigkill(job, on_item, n: int) -> int:
    """Fork; the child runs ``job`` and SIGKILLs itself at the n-th ``on_item`` call; the
    parent waits and returns the child's signal. The child has its own connection."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            for connection in connections.all():
                connection.connection = None  # a new socket; the parent's stays untouched
            calls = 0

            def hook(*args, **kwargs):
                nonlocal calls
                calls += 1
                if calls == n:
                    os.kill(os.getpid(), signal.SIGKILL)

            on_item(hook)
            job()
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the child process must see the test's committed rows: SQLite's test database "
    "lives in the parent's memory",
)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_process_leaves_each_record_done_or_untouched(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    youths = [_aged_youth(YEARS_AGO) for _ in range(3)]
    real = anonymisation.anonymise_locked

    def on_item(hook):
        def anonymise(*args, **kwargs):
            real(*args, **kwargs)
            hook()  # killed inside the second record's transaction, after its work

        anonymisation.anonymise_locked = anonymise

    assert run_and_sigkill(apply_retention, on_item, 2) == signal.SIGKILL
    done = set(Youth.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert done == {youths[0].pk}
    second = Youth.objects.get(pk=youths[1].pk)
    assert second.last_name == "Ancienne" and second.notes.get().text  # untouched
    assert apply_retention().anonymised == [youths[1].pk, youths[2].pk]


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_process_sends_each_follow_up_once(two_counsellors, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)  # the child's mails stay, as on a mail server
    real = followup.pdf

    def on_item(hook):
        def pdf(follow_up):
            hook()  # killed while rendering the second follow-up, its claim not committed
            return real(follow_up)

        followup.pdf = pdf

    job = cej_tasks.monday_follow_up.call_local
    assert run_and_sigkill(job, on_item, 2) == signal.SIGKILL
    assert WeeklyFollowUp.objects.count() == 2
    assert WeeklyFollowUp.objects.filter(sent_at__isnull=False).count() == 1
    job()
    addresses = [
        line.removeprefix("To: ")
        for mail_file in tmp_path.iterdir()
        for line in mail_file.read_text().splitlines()
        if line.startswith("To: ")
    ]
    assert sorted(addresses) == sorted(two_counsellors)
