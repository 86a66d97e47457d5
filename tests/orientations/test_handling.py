"""The porteur and the GME's coordination take up the orientations: the queue and its
« À traiter » block, the take-up that spots the youth for the next committee, the youth
contacted and the outcome told to the partner without a word about the youth; everyone else
is refused (docs/access.md, ``orientations``)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coparcours.cej.models import Pathway
from coparcours.cej.models.committee import AgendaReason
from coparcours.cej.models.pathway import ExitOutcome
from coparcours.cej.rules import Stage
from coparcours.cej.services.committee import agenda_candidates
from coparcours.cej.services.contract import move_to_stage, record_exit
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Membership
from coparcours.orientations.models import Orientation, OrientationStatus
from coparcours.orientations.services import (
    follow_pathways,
    purge_stale,
    record_contacted,
    record_outcome,
    take_up_for_cej,
)
from tests.organisations.todo_blocks import home_todo, labels

pytestmark = pytest.mark.django_db


def _as_porteur(demo, login_client, login="referente"):
    user = demo.users[login]
    client = login_client(user)
    membership = Membership.objects.get(user=user, organisation=demo.porteur)
    client.post("/organisation/changer/", {"membership": str(membership.pk), "next": "/"})
    return client


def _cej(demo) -> Orientation:
    return Orientation.objects.get(consortium=demo.cej_jr)


def _gme(demo) -> Orientation:
    return Orientation.objects.get(consortium=demo.gme)


def test_the_porteur_finds_the_orientation_waiting_on_its_home_and_reads_it(demo, login_client):
    client = _as_porteur(demo, login_client)
    orientation = _cej(demo)

    todo = home_todo(client)["orientations_received"]
    assert labels(todo) == [f"{orientation.reference} — Club de prévention Lille Sud"]
    assert "Kevin" not in str(todo.rows)  # the home page names no youth
    listing = client.get(reverse("orientations:list"))
    assert orientation.reference in listing.content.decode()
    assert "GME MNA Nord" not in listing.content.decode()  # the coordination's own queue
    detail = client.get(todo.rows[0].url)

    assert detail.status_code == 200
    assert "Kevin Delcourt" in detail.content.decode()
    read = AuditLog.objects.filter(event=AuditEvent.READ, object_id=str(orientation.pk))
    assert read.filter(user=demo.users["referente"]).exists()


def test_the_take_up_spots_the_youth_for_the_next_committee(demo, login_client):
    client = _as_porteur(demo, login_client)
    orientation = _cej(demo)
    url = reverse("orientations:take_up", args=[orientation.pk])
    form = client.get(url)
    assert form.context["form"].initial["first_names"] == "Kevin"  # pre-filled

    response = client.post(
        url,
        {
            "last_name": "Delcourt",
            "first_names": "Kevin",
            "birth_date": "2007-02-03",
            "mission_locale": str(demo.mission_locale.pk),
            "registration": "never",
        },
    )

    assert response.status_code == 302
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.TO_CONTACT
    pathway = Pathway.objects.get(pk=orientation.pathway_id)
    assert pathway.stage == Stage.IDENTIFIED
    assert pathway.spotted_how == "partner"
    assert orientation.reference in pathway.spotted_by
    agenda = dict(agenda_candidates(demo.cej_jr, timezone.localdate()))
    assert agenda[pathway] == AgendaReason.NEW
    assert mail.outbox == []  # the partner hears when the youth is contacted


def test_the_partner_is_told_each_step_without_a_word_about_the_youth(
    demo, django_capture_on_commit_callbacks
):
    referent = demo.users["referente"]
    orientation = _cej(demo)
    take_up_for_cej(
        referent,
        demo.porteur,
        orientation,
        youth_fields={"last_name": "Delcourt", "first_names": "Kevin", "birth_date": None},
        mission_locale=None,
        registration="never",
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_contacted(referent, orientation)
        record_outcome(referent, orientation, OrientationStatus.OPENED)

    contacted, opened = mail.outbox
    assert contacted.to == ["y.belkacem@prevention-lillesud.example.org"]
    assert orientation.reference in contacted.subject
    assert "Jeune contacté" in contacted.subject
    assert "Parcours ouvert" in opened.subject
    for message in (contacted, opened):
        for personal in ("Kevin", "Delcourt", "Faubourg", "lycée", "19"):
            assert personal not in message.subject + message.body
        assert "CEJ-JR Lille" in message.body


def _taken_up(demo) -> tuple[Orientation, Pathway]:
    orientation = _cej(demo)
    pathway = take_up_for_cej(
        demo.users["referente"],
        demo.porteur,
        orientation,
        youth_fields={"last_name": "Delcourt", "first_names": "Kevin", "birth_date": None},
        mission_locale=None,
        registration="never",
    )
    return orientation, pathway


def test_the_partner_hears_that_the_pathway_opened_without_anyone_recording_it(
    demo, django_capture_on_commit_callbacks
):
    orientation, pathway = _taken_up(demo)
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_pathways() == 0  # only spotted: nothing to tell yet
    move_to_stage(demo.users["referente"], pathway, Stage.REMOBILISATION, timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_pathways() == 1
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.OPENED
    assert orientation.handled_by == demo.users["referente"]  # who took it up stays named
    (told,) = mail.outbox
    assert "Parcours ouvert" in told.subject and told.to == [orientation.partner_email]
    assert "Delcourt" not in told.subject + told.body
    # answered once: the pathway's exit later changes nothing for the partner
    record_exit(
        demo.users["referente"],
        demo.porteur,
        pathway,
        on=timezone.localdate(),
        outcome=ExitOutcome.values[0],
    )
    assert follow_pathways() == 0


def test_a_pathway_ended_before_it_opened_tells_the_partner_it_did_not(
    demo, django_capture_on_commit_callbacks
):
    orientation, pathway = _taken_up(demo)
    record_exit(
        demo.users["referente"],
        demo.porteur,
        pathway,
        on=timezone.localdate(),
        outcome=ExitOutcome.values[0],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_pathways() == 1
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.NOT_OPENED
    assert "Parcours non ouvert" in mail.outbox[0].subject


def test_an_outcome_follows_the_orientations_steps(demo):
    referent = demo.users["referente"]
    orientation = _cej(demo)

    with pytest.raises(ValidationError, match="ne peut pas passer"):
        record_outcome(referent, orientation, OrientationStatus.OPENED)
    with pytest.raises(ValidationError, match="une fois l'orientation acceptée"):
        record_contacted(referent, orientation)
    record_outcome(referent, orientation, OrientationStatus.NOT_OPENED)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        record_outcome(referent, orientation, OrientationStatus.UNREACHABLE)


def test_the_gme_coordination_handles_its_own_partners_orientations(
    demo, login_client, django_capture_on_commit_callbacks
):
    client = login_client(demo.users["coordination"])
    orientation = _gme(demo)
    assert labels(home_todo(client)["orientations_received"]) == [
        f"{orientation.reference} — Accueil de jour Saint-Maurice"
    ]
    detail = client.get(reverse("orientations:detail", args=[orientation.pk]))
    assert "Accepter et repérer" not in detail.content.decode()  # no CEJ-JR pathway here
    take_up = client.get(reverse("orientations:take_up", args=[orientation.pk]))
    assert take_up.status_code == 302  # back to the orientation: nothing to open here
    url = reverse("orientations:contacted", args=[orientation.pk])
    assert "Ce que cela entraîne" in client.get(url).content.decode()  # confirmed first

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(reverse("orientations:outcome", args=[orientation.pk]), {"outcome": "opened"})

    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.OPENED
    assert [message.to for message in mail.outbox] == [["accueil@saint-maurice.example.org"]] * 2
    cej = client.get(reverse("orientations:detail", args=[_cej(demo).pk]))
    assert cej.status_code == 404  # the porteur's orientation, unknown here


@pytest.mark.parametrize("login", ["conseiller", "dreets", "departement", "direction", "finances"])
def test_whoever_does_not_handle_orientations_is_refused(demo, login_client, login):
    client = login_client(demo.users[login])
    orientation = _cej(demo)

    for name in ("list", "detail", "take_up", "contacted", "outcome"):
        args = [] if name == "list" else [orientation.pk]
        assert client.get(reverse(f"orientations:{name}", args=args)).status_code == 403, name
    assert "orientations_received" not in home_todo(client)
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.RECEIVED


def test_the_porteurs_referent_may_not_act_on_the_gmes_orientation(demo):
    with pytest.raises(PermissionDenied):
        record_contacted(demo.users["referente"], _gme(demo))
    assert _gme(demo).status == OrientationStatus.RECEIVED


def test_the_queue_costs_the_same_whatever_its_length(
    demo, login_client, django_assert_max_num_queries
):
    client = _as_porteur(demo, login_client)
    model = _cej(demo)
    for n in range(60):
        model.pk, model.reference, model.token_digest = None, f"OR-TEST{n:05d}", f"{n:064d}"
        model.save()

    with django_assert_max_num_queries(16):
        response = client.get(reverse("orientations:list"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 61


def test_orientations_untouched_for_ninety_days_are_deleted_with_their_history(demo):
    orientation = _cej(demo)
    Orientation.objects.filter(pk=orientation.pk).update(
        status_since=timezone.localdate() - datetime.timedelta(days=91)
    )

    assert purge_stale() == 1

    assert not Orientation.objects.filter(pk=orientation.pk).exists()
    assert not Orientation.history.filter(id=orientation.pk).exists()
    assert Orientation.objects.filter(consortium=demo.gme).exists()  # still within 90 days
    assert purge_stale() == 0
