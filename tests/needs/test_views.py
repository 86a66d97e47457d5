"""The pages of a youth's needs: what each role and organisation reads and may do, bad
input refused with nothing written, the closing confirmed, the record's panel, the home
page's block and the number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.core.access import Category
from coparcours.demo.needs import load_needs_referral_demo
from coparcours.directory.models import Service
from coparcours.directory.services.referrals import send_referral
from coparcours.needs.models import NeedDimension, NeedStatus, UnmetNeed
from coparcours.needs.services import record_need, update_need
from coparcours.organisations.models import Membership
from tests.organisations.todo_blocks import home_todo, labels

TODAY = timezone.localdate()


def _as_porteur(client, user, demo):
    membership = Membership.objects.get(user=user, organisation=demo.porteur)
    client.post("/organisation/changer/", {"membership": membership.pk, "next": "/"})
    return client


@pytest.fixture
def referente(demo, login_client):
    return _as_porteur(login_client(demo.users["referente"]), demo.users["referente"], demo)


def test_the_referent_records_a_need_and_reads_them_all(demo, lucas, referente):
    load_needs_referral_demo()
    page = referente.get(f"/besoins/jeunes/{lucas.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hébergement, logement" in text and "Santé mentale" in text
    assert "plus de place ou liste d&#x27;attente complète" in text  # the SIAO's refusal
    answer = referente.post(
        f"/besoins/jeunes/{lucas.pk}/",
        {"dimension": "mobility", "since": f"{TODAY:%Y-%m-%d}", "description": "Pas de vélo"},
    )
    assert answer.status_code == 302
    assert UnmetNeed.objects.filter(youth=lucas, dimension="mobility").exists()


def test_dates_out_of_order_are_refused_in_french_and_nothing_is_written(demo, lucas, referente):
    before = UnmetNeed.objects.count()
    future = TODAY + datetime.timedelta(days=3)
    page = referente.post(
        f"/besoins/jeunes/{lucas.pk}/",
        {"dimension": "housing", "since": f"{future:%Y-%m-%d}", "description": "Logement"},
    )
    assert page.status_code == 200
    assert "Un besoin se constate au plus tard aujourd&#x27;hui." in page.content.decode()
    need = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    page = referente.post(
        f"/besoins/{need.pk}/clore/",
        {
            "status": "met",
            "closed_on": f"{need.since - datetime.timedelta(days=1):%Y-%m-%d}",
            "outcome": "Une place",
        },
    )
    assert page.status_code == 200
    assert "La date de fin précède le constat du besoin" in page.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and UnmetNeed.objects.count() == before


def test_closing_is_confirmed_then_done(demo, lucas, referente):
    need = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    page = referente.get(f"/besoins/{need.pk}/clore/")
    assert "Ce que cela entraîne" in page.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN  # the question changes nothing
    answer = referente.post(
        f"/besoins/{need.pk}/clore/",
        {"status": "met", "closed_on": f"{TODAY:%Y-%m-%d}", "outcome": "Place en FJT"},
    )
    assert answer.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.closed_on, need.outcome) == ("met", TODAY, "Place en FJT")


def test_a_closed_need_is_reopened_after_confirmation_with_its_reason_kept(demo, lucas, referente):
    need = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    reopen = f"/besoins/{need.pk}/rouvrir/"
    assert referente.get(reopen).status_code == 302  # an open need is not reopened
    referente.post(
        f"/besoins/{need.pk}/clore/",
        {"status": "met", "closed_on": f"{TODAY:%Y-%m-%d}", "outcome": "Place en FJT"},
    )
    page = referente.get(f"/besoins/{need.pk}/").content.decode()
    assert "De nouveau sans réponse…" in page
    confirm = referente.get(reopen).content.decode()
    assert f"redevient sans réponse depuis le {need.since:%d/%m/%Y}" in confirm
    assert "Place en FJT" in confirm
    refused = referente.post(reopen, {"reason": ""})
    assert refused.status_code == 200 and "Rien n'a été enregistré" in refused.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.MET
    answer = referente.post(reopen, {"reason": "La place en FJT n'a pas été confirmée."})
    assert answer.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.closed_on, need.outcome) == (NeedStatus.OPEN, None, "")
    latest, closed = need.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_change_reason == "La place en FJT n'a pas été confirmée."
    assert (closed.status, closed.outcome) == (NeedStatus.MET, "Place en FJT")
    # open again, it is waiting again on the register's count
    assert "Sans réponse depuis le" in referente.get(f"/besoins/{need.pk}/").content.decode()


def test_the_counsellor_reads_neither_the_mental_health_need_nor_the_unshared_housing_one(
    demo, lucas, login_client
):
    record_need(
        demo.users["referente"],
        lucas,
        demo.porteur,
        dimension=NeedDimension.EMPLOYMENT,
        since=TODAY,
        description="Formation qualifiante",
    )
    counsellor = login_client(demo.users["conseiller"])
    page = counsellor.get(f"/besoins/jeunes/{lucas.pk}/")
    assert [n.dimension for n in page.context["needs"]] == [NeedDimension.EMPLOYMENT]
    assert "Santé mentale" not in page.content.decode().split("Enregistrer un besoin")[0]
    mental = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.MENTAL_HEALTH)
    assert counsellor.get(f"/besoins/{mental.pk}/").status_code == 403
    assert counsellor.get(f"/besoins/{mental.pk}/clore/").status_code == 403
    choices = dict(page.context["form"].fields["dimension"].choices)
    assert NeedDimension.MENTAL_HEALTH not in choices and NeedDimension.EMPLOYMENT in choices
    record = counsellor.get(f"/jeunes/{lucas.pk}/").content.decode()
    assert "Formation, emploi" in record and "Santé mentale</dt>" not in record


def test_other_organisations_and_roles_are_refused(demo, lucas, login_client):
    need = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    coordination = login_client(demo.users["coordination"])  # an association not involved
    assert coordination.get(f"/besoins/jeunes/{lucas.pk}/").status_code == 404
    assert coordination.get(f"/besoins/{need.pk}/").status_code == 404
    for login in ("departement", "qualite", "admin", "dpo", "finances"):
        client = login_client(demo.users[login])
        assert client.get(f"/besoins/jeunes/{lucas.pk}/").status_code == 403, login
        assert client.get(f"/besoins/{need.pk}/").status_code == 403, login


def test_the_record_shows_the_open_needs_panel(demo, lucas, referente):
    record = referente.get(f"/jeunes/{lucas.pk}/").content.decode()
    assert "Besoins sans réponse" in record
    assert "Hébergement, logement" in record and f"/besoins/jeunes/{lucas.pk}/" in record


def test_the_referents_home_lists_needs_waiting_without_a_referral_in_progress(
    demo, lucas, referente
):
    todo = home_todo(referente)["stale_needs"]
    assert labels(todo) == [str(lucas)]  # housing, 90 days, no referral
    assert "sans réponse depuis 90 jours" in todo.rows[0].badge
    need = UnmetNeed.objects.get(youth=lucas, dimension=NeedDimension.HOUSING)
    fjt = send_referral(
        demo.users["referente"],
        lucas,
        demo.porteur,
        service=Service.objects.get(di_id="coparcours-demo-nord--fjt-moulins-logement"),
        categories=[Category.HOUSING],
        message="Demande de place en FJT.",
        consented_categories=[Category.IDENTITY, Category.HOUSING],
        consent_given_by="youth",
        consent_method="signed_form",
    )
    update_need(
        demo.users["referente"],
        need,
        since=need.since,
        description=need.description,
        referrals=[*need.referrals.all(), fjt],
    )
    assert home_todo(referente)["stale_needs"].count == 0  # a referral waits for an answer


def test_the_needs_page_makes_a_bounded_number_of_queries(
    demo, lucas, referente, django_assert_max_num_queries
):
    for n in range(30):
        record_need(
            demo.users["referente"],
            lucas,
            demo.porteur,
            dimension=NeedDimension.values[n % 8],
            since=TODAY - datetime.timedelta(days=n),
            description=f"Besoin {n}",
        )
    with django_assert_max_num_queries(20):
        page = referente.get(f"/besoins/jeunes/{lucas.pk}/")
    assert len(page.context["needs"]) == 32  # and the demo's two


def test_the_api_lists_the_needs_the_caller_reads(demo, lucas, login_client):
    counsellor = login_client(demo.users["conseiller"])
    assert counsellor.get(f"/api/v1/needs/youths/{lucas.pk}").json() == []
    referente = login_client(demo.users["referente"])
    found = referente.get(f"/api/v1/needs/youths/{lucas.pk}").json()
    assert {n["dimension"] for n in found} == {"housing", "mental_health"}
    funder = login_client(demo.users["departement"])
    assert funder.get(f"/api/v1/needs/youths/{lucas.pk}").status_code == 403
