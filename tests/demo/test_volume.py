"""What ``coparcours load_demo`` promises at the field's scale: the GME's ~1,100 places
occupied at 90-97 % today by minors who each have a referent, invoices equal to the
occupied days × the daily rates as the product's billing counts them, ~80 CEJ-JR pathways
at every stage with last week's Monday follow-up, an erasure request waiting for the
data-protection officer, and a second load that adds nothing.

Loading a thousand youths and their history takes about half a minute: one test asserts
everything on one load."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone

from coparcours.cej.models import Pathway, WeeklyFollowUp
from coparcours.cej.rules import Stage, week_start
from coparcours.demo.nord import load_nord_demo
from coparcours.finance import selectors
from coparcours.finance.models import (
    DailyRate,
    Invoice,
    InvoiceLine,
    Payment,
    Redistribution,
    TrialBalanceLine,
)
from coparcours.housing.models import AfterEighteen, PlacementRequest, Stay
from coparcours.housing.models.majority import MajorityDecision
from coparcours.housing.selectors.occupancy import occupancy_today
from coparcours.youths.models import ErasureRequest, Youth

pytestmark = pytest.mark.django_db


def _expected_total(invoice: Invoice) -> object:
    """Occupied days × the rate in force, per member and kind, for the invoice's month."""
    days = selectors.occupied_days_by_line(
        invoice.consortium, invoice.period_start, invoice.period_end, invoice.day_count
    )
    total = 0
    for (organisation_id, kind), count in days.items():
        rate = DailyRate.objects.get(
            Q(end_date__isnull=True) | Q(end_date__gt=invoice.period_start),
            consortium=invoice.consortium,
            organisation_id=organisation_id,
            kind=kind,
            start_date__lte=invoice.period_start,
        )
        total += rate.amount * count
    return total


def test_the_field_scale_demo_keeps_its_promises():
    began = time.monotonic()
    demo = load_nord_demo(field_scale=True)
    print(f"field-scale demo loaded in {time.monotonic() - began:.1f} s")
    today = timezone.localdate()

    # the GME: ~1,100 places, 90-97 % occupied, every hosted youth with a referent
    (whole,) = occupancy_today(demo.gme, "consortium")
    assert whole.capacity == 1100
    assert 90 <= whole.rate <= 97, whole
    hosted = Stay.objects.active(today).filter(site__consortium=demo.gme)
    assert hosted.count() == whole.occupied >= 990
    assert not hosted.filter(youth__referent__isnull=True).exists()
    # an adult still hosted is under a contrat jeune majeur or a follow-up until later
    supported = AfterEighteen.objects.filter(
        decision__in=[MajorityDecision.YOUNG_ADULT_CONTRACT, MajorityDecision.FOLLOW_UP],
        start_date__lte=today,
        end_date__gt=today,
    )
    adults = hosted.filter(youth__birth_date__lte=today.replace(year=today.year - 18))
    assert adults.exists()
    assert not adults.exclude(youth__in=supported.values("youth")).exists()
    # unaccompanied minors arrive aged 14 to 17 (records anonymised keep only the year)
    entries = Stay.objects.filter(
        site__consortium=demo.gme, transfer_in__isnull=True, youth__anonymised_at__isnull=True
    ).select_related("youth")
    assert {entry.youth.age(entry.start_date) for entry in entries} <= {14, 15, 16, 17}
    assert PlacementRequest.objects.filter(reference__startswith="ASE-59-2018-").exists()

    # money: each month billed is the occupied days × the daily rates, of the same order
    invoices = list(Invoice.objects.filter(consortium=demo.gme).order_by("period_start"))
    assert len(invoices) == 12
    for invoice in invoices:
        assert invoice.total == _expected_total(invoice), invoice.number
    totals = [invoice.total for invoice in invoices]
    assert max(totals) < Decimal("1.25") * min(totals) and min(totals) > 3_000_000
    received = sum(Payment.objects.values_list("amount", flat=True))
    assert received == sum(Redistribution.objects.values_list("amount", flat=True)) > 0
    # last year's accounts of each member are of the order of the year billed to it
    for member in (demo.alefpa, demo.temps_de_vie, demo.asrl):
        billed = sum(
            InvoiceLine.objects.filter(
                invoice__consortium=demo.gme, organisation=member
            ).values_list("amount", flat=True)
        )
        tarification = TrialBalanceLine.objects.get(
            trial_balance__consortium=demo.gme, trial_balance__organisation=member, account="731100"
        ).credit
        assert abs(tarification - billed) <= Decimal("0.01"), member

    # CEJ-JR: ~80 pathways at every stage, last week's follow-up, reviews waiting
    stages = set(Pathway.objects.filter(partnership=demo.cej_jr).values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert 75 <= Pathway.objects.filter(partnership=demo.cej_jr).count() <= 85
    last_week = week_start(today) - datetime.timedelta(days=7)
    assert WeeklyFollowUp.objects.filter(
        week_start=last_week, counsellor=demo.users["conseiller"]
    ).exists()
    assert ErasureRequest.objects.filter(decided_at__isnull=True).exists()

    # loading again adds nothing
    models = (Youth, Stay, PlacementRequest, Pathway, Invoice, Payment, WeeklyFollowUp)
    counts = [model.objects.count() for model in models]
    load_nord_demo(field_scale=True)
    assert [model.objects.count() for model in models] == counts
    print(f"test done in {time.monotonic() - began:.1f} s")
