"""Recording, correcting and closing a need: dates in order or nothing written, the
category of its dimension decided by the access policy, the referrals tried, history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coparcours.core.access import Category
from coparcours.demo.needs import load_needs_referral_demo
from coparcours.directory.models import ReferralStatus
from coparcours.needs import selectors
from coparcours.needs.models import NeedDimension, NeedStatus, UnmetNeed
from coparcours.needs.services import close_need, record_need, update_need

TODAY = timezone.localdate()
DAYS = datetime.timedelta


def _record(demo, youth, **overrides):
    values = {
        "dimension": NeedDimension.EMPLOYMENT,
        "since": TODAY - DAYS(days=10),
        "description": "Cherche une formation qualifiante.",
    }
    values.update(overrides)
    return record_need(demo.users["referente"], youth, demo.porteur, **values)


def test_the_demo_holds_open_needs_and_a_met_one(demo, lucas):
    housing = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    assert housing.status == NeedStatus.OPEN and housing.category == Category.HOUSING
    met = UnmetNeed.objects.get(status=NeedStatus.MET)
    assert met.closed_on >= met.since and met.outcome
    mental = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.MENTAL_HEALTH)
    assert mental.category == Category.MENTAL_HEALTH


def test_the_field_demo_links_the_siao_refusal_once(demo, lucas):
    load_needs_referral_demo()
    load_needs_referral_demo()  # loading again changes nothing
    housing = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    [siao] = housing.referrals.all()
    assert siao.status == ReferralStatus.REFUSED and siao.refusal_reason == "full"


def test_a_need_noticed_in_the_future_is_refused_and_nothing_is_written(demo, lucas):
    before = UnmetNeed.objects.count()
    with pytest.raises(ValidationError) as refused:
        _record(demo, lucas, since=TODAY + DAYS(days=1))
    assert refused.value.message_dict == {
        "since": ["Un besoin se constate au plus tard aujourd'hui."]
    }
    assert UnmetNeed.objects.count() == before


def test_a_need_closed_before_it_was_noticed_is_refused_and_stays_open(demo, lucas):
    need = _record(demo, lucas)
    for closed_on in (need.since - DAYS(days=1), TODAY + DAYS(days=1)):
        with pytest.raises(ValidationError) as refused:
            close_need(
                demo.users["referente"],
                need,
                status=NeedStatus.MET,
                closed_on=closed_on,
                outcome="Une place trouvée",
            )
        assert "closed_on" in refused.value.message_dict
        need.refresh_from_db()
        assert need.status == NeedStatus.OPEN and need.closed_on is None


def test_closing_needs_a_status_and_an_outcome_and_is_kept_in_history(demo, lucas):
    need = _record(demo, lucas)
    with pytest.raises(ValidationError) as refused:
        close_need(demo.users["referente"], need, status="open", closed_on=TODAY, outcome=" ")
    assert set(refused.value.message_dict) == {"status", "outcome"}
    close_need(
        demo.users["referente"],
        need,
        status=NeedStatus.ABANDONED,
        closed_on=TODAY,
        outcome="Le jeune a déménagé.",
    )
    assert [h.status for h in need.history.order_by("history_date")] == ["open", "abandoned"]
    with pytest.raises(ValidationError):
        update_need(demo.users["referente"], need, since=need.since, description="x", referrals=[])


def test_a_counsellor_never_reads_a_mental_health_need_but_reads_a_shared_employment_one(
    demo, lucas
):
    _record(demo, lucas)
    seen = selectors.needs_for_youth(demo.users["conseiller"], lucas)
    assert [n.dimension for n in seen] == [NeedDimension.EMPLOYMENT]
    referent_sees = {n.dimension for n in selectors.needs_for_youth(demo.users["referente"], lucas)}
    assert {NeedDimension.HOUSING, NeedDimension.MENTAL_HEALTH} <= referent_sees


def test_a_counsellor_may_not_record_a_mental_health_need(demo, lucas):
    with pytest.raises(PermissionDenied):
        record_need(
            demo.users["conseiller"],
            lucas,
            demo.mission_locale,
            dimension=NeedDimension.MENTAL_HEALTH,
            since=TODAY,
            description="Souffrance psychique",
        )
    assert not UnmetNeed.objects.filter(author_organisation=demo.mission_locale).exists()


def test_an_organisation_that_does_not_accompany_the_youth_records_nothing(demo, lucas):
    with pytest.raises(PermissionDenied):
        record_need(
            demo.users["coordination"],
            lucas,
            demo.alefpa,
            dimension=NeedDimension.HOUSING,
            since=TODAY,
            description="Hébergement",
        )


def test_only_the_youths_referrals_sent_by_the_author_are_linked(demo, lucas):
    other = demo.porteur.owned_youths.get(last_name="Petit")
    load_needs_referral_demo()
    siao = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING).referrals.get()
    with pytest.raises(ValidationError) as refused:
        _record(demo, other, referrals=[siao])
    assert "referrals" in refused.value.message_dict
    need = _record(demo, lucas)
    update_need(
        demo.users["referente"], need, since=need.since, description="Formation", referrals=[siao]
    )
    assert list(need.referrals.all()) == [siao]
    latest = need.history.order_by("-history_date", "-history_id").first()
    assert latest.description == "Formation"
    assert list(latest.referrals.values_list("referral_id", flat=True)) == [siao.pk]
