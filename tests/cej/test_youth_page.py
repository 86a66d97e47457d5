"""The youth's own page, reached by a one-time link a partner creates: it shows no more
than the link's creator may read (Code pénal 226-13), each reading is audited in the
youth's access log, and a new link never silently cancels one still valid."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from coparcours.cej.models import Pathway
from coparcours.cej.services.interviews import set_counsellor
from coparcours.cej.services.plan import add_plan_action, start_plan
from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role
from coparcours.space.models import YouthLink

from .co_accompaniment import _activity, _consent
from .conftest import TODAY, born, give_link, member
from .test_pathway_services import _contract

EE = Category.EDUCATION_EMPLOYMENT
SOON = TODAY + datetime.timedelta(days=2)


@pytest.fixture
def pathway(world):
    """A youth under contract who shares everything with the mission locale (even health:
    the counsellor's role still never reads it), with a plan and upcoming activities."""
    pathway = _contract(world)
    _consent(world, pathway, [EE, Category.HEALTH, Category.MENTAL_HEALTH])
    set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    plan = start_plan(world.referent, world.porteur, pathway, diagnosis_on=TODAY)
    for dimension, action in (
        ("employment", "Inscription à la POEC"),
        ("health", "Rendez-vous au CMP"),
        ("mental_health", "Suivi psychologique"),
    ):
        add_plan_action(
            world.referent,
            world.porteur,
            plan,
            dimension=dimension,
            objective="Objectif",
            action=action,
            owner_organisation=world.porteur,
            owner=world.referent,
            due_on=SOON,
        )
    _activity(
        world,
        pathway,
        SOON,
        9,
        60,
        kind="health",
        title="Consultation au centre de santé",
        attended=None,
    )
    _activity(world, pathway, SOON, 14, 60, title="Atelier CV", attended=None)
    return pathway


def _link(client: Client, pathway, **data) -> str:
    html = client.post(f"/cej/parcours/{pathway.pk}/lien-jeune/", data).content.decode()
    return html.split('<code id="youth-url">')[1].split("</code>")[0]


def test_a_link_preview_uses_nothing_and_shows_no_name(world, pathway, client_for):
    """A messaging app fetches the link to preview it: the page asks the youth to tap
    « Ouvrir mon espace », names nobody, reads and writes nothing; the button opens."""
    url = _link(client_for(world.referent), pathway)
    lines = AuditLog.objects.count()
    for _preview in range(2):
        preview = Client().get(url)
        html = preview.content.decode()
        assert preview.status_code == 200 and "Ouvrir mon espace" in html
        assert pathway.youth.first_names not in html and "POEC" not in html
    assert AuditLog.objects.count() == lines
    assert YouthLink.objects.get(youth=pathway.youth).used_at is None
    youth = Client(enforce_csrf_checks=True)
    form = youth.get(url).content.decode()
    csrf = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = {"csrfmiddlewaretoken": csrf, **born(pathway)}
    page = youth.post(url, data, follow=True).content.decode()
    assert f"Bonjour <bdi>{pathway.youth.first_names}</bdi>" in page
    assert Client().get(url).status_code == 410  # used now


def test_a_wrong_birth_date_says_little_and_five_lock_the_link(
    world, pathway, client_for, django_capture_on_commit_callbacks
):
    """A wrong date gets a neutral message with the tries left, and a refusal in the
    youth's access log; the fifth locks the link (even the right date no longer opens it)
    and tells its creator by e-mail, without the youth's name."""
    url = _link(client_for(world.counsellor), pathway)
    youth = Client()
    wrong = {"birth_date": "01/01/2000"}
    for left in (4, 3, 2, 1):
        page = youth.post(url, wrong).content.decode()
        assert "Cette date ne permet pas d&#x27;ouvrir votre espace" in page
        assert f"il vous reste {left} essai" in page and "POEC" not in page
    assert (
        "date avec le jour, le mois et l&#x27;année"
        in youth.post(url, {"birth_date": "3 février"}).content.decode()
    )  # not a date: not counted
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        locked = youth.post(url, wrong)
    assert locked.status_code == 410 and "Il est bloqué" in locked.content.decode()
    assert youth.post(url, born(pathway)).status_code == 410
    assert youth.get(url).status_code == 410
    refusals = AuditLog.objects.filter(event=AuditEvent.DENIED, youth_id=pathway.youth_id)
    assert refusals.count() == 5
    assert refusals.order_by("pk").last().reason.endswith("(5 sur 5, lien bloqué)")
    (told,) = mail.outbox
    assert told.to == [world.counsellor.email] and "bloqué" in told.subject
    assert f"/cej/parcours/{pathway.pk}/" in told.body
    assert pathway.youth.last_name not in told.body + told.subject


def test_the_referent_closes_the_youths_access_after_saying_what_it_does(
    world, pathway, client_for
):
    """A phone lost: « Fermer l'accès du jeune » confirms its consequences, then the link
    stops working and the space already open closes at its next page."""
    referent = client_for(world.referent)
    accompaniment = f"/cej/parcours/{pathway.pk}/accompagnement/"
    close = f"/cej/parcours/{pathway.pk}/lien-jeune/fermer/"
    assert close not in referent.get(accompaniment).content.decode()  # nothing to close
    opened = Client()
    opened.post(_link(referent, pathway), born(pathway))
    assert opened.get("/mon-espace/").status_code == 200
    pending = _link(referent, pathway)
    page = referent.get(accompaniment).content.decode()
    assert f'href="{close}"' in page and "Un lien est valable jusqu" in page
    asked = referent.get(close).content.decode()
    assert "Le lien envoyé au jeune ne fonctionnera plus." in asked
    assert "Lien valable jusqu" in asked and YouthLink.objects.filter(revoked_at=None).count() == 2
    done = referent.post(close, follow=True).content.decode()
    assert "L&#x27;accès du jeune à son espace est fermé." in done
    assert Client().post(pending, born(pathway)).status_code == 410
    assert opened.get("/mon-espace/").status_code == 403
    assert close not in referent.get(accompaniment).content.decode()


def test_a_counsellors_link_shows_no_health_data(world, pathway, client_for):
    url = _link(client_for(world.counsellor), pathway)
    page = Client().post(url, born(pathway), follow=True).content.decode()
    assert f"Bonjour <bdi>{pathway.youth.first_names}</bdi>" in page
    assert "Inscription à la POEC" in page and "Atelier CV" in page
    for secret in ("CMP", "psychologique", "centre de santé"):
        assert secret not in page, secret


def test_a_referents_link_shows_what_the_referent_reads(world, pathway, client_for):
    url = _link(client_for(world.referent), pathway)
    page = Client().post(url, born(pathway), follow=True).content.decode()
    for shown in ("POEC", "CMP", "psychologique", "centre de santé", "Atelier CV"):
        assert shown in page, shown


def test_each_reading_names_the_links_creator_in_the_youths_access_log(world, pathway, client_for):
    url = _link(client_for(world.counsellor), pathway)
    youth = Client()
    youth.post(url, born(pathway), follow=True)
    youth.get("/mon-espace/")
    reason = (
        f"page du jeune, lien créé par {world.counsellor.get_full_name()}, "
        f"{world.mission_locale.name}"
    )
    lines = AuditLog.objects.filter(event=AuditEvent.READ, reason=reason)
    assert lines.count() == 2
    assert set(lines.values_list("youth_id", "organisation_id", "user_id")) == {
        (pathway.youth_id, world.mission_locale.pk, None)
    }


def test_a_link_whose_creator_left_shows_nothing(world, pathway, client_for):
    url = _link(client_for(world.counsellor), pathway)
    world.counsellor.memberships.update(end_date=TODAY)
    page = Client().post(url, born(pathway), follow=True).content.decode()
    assert "POEC" not in page and "Atelier CV" not in page
    assert pathway.youth.first_names not in page
    assert not AuditLog.objects.filter(reason__startswith="page du jeune").exists()


def test_a_new_link_asks_before_cancelling_one_still_valid(world, pathway, client_for):
    referent = client_for(world.referent)
    first = _link(referent, pathway)
    asked = referent.post(f"/cej/parcours/{pathway.pk}/lien-jeune/").content.decode()
    assert "ne fonctionnera plus" in asked and 'id="youth-url"' not in asked
    assert YouthLink.objects.filter(youth=pathway.youth).count() == 1
    with pytest.raises(ValidationError, match="ne fonctionnera plus"):
        give_link(world.referent, world.porteur, pathway)
    second = _link(referent, pathway, replace="1")
    assert Client().post(first, born(pathway)).status_code == 410
    assert Client().post(second, born(pathway)).status_code == 302


def test_a_used_link_is_replaced_without_asking(world, pathway, client_for):
    referent = client_for(world.referent)
    assert Client().post(_link(referent, pathway), born(pathway)).status_code == 302
    assert Client().post(_link(referent, pathway), born(pathway)).status_code == 302


def test_an_ended_pathway_refuses_a_new_link_rather_than_asking(world, pathway, client_for):
    referent = client_for(world.referent)
    _link(referent, pathway)
    Pathway.objects.filter(pk=pathway.pk).update(stage="exit")
    response = referent.post(f"/cej/parcours/{pathway.pk}/lien-jeune/", {"replace": "1"})
    assert response.status_code == 302
    page = referent.get(response["Location"]).content.decode()
    assert "Le parcours est terminé." in page
    assert YouthLink.objects.filter(youth=pathway.youth).count() == 1


@pytest.mark.parametrize("count", [1, 6])
def test_the_youths_page_makes_a_bounded_number_of_queries(
    world, pathway, client_for, count, django_assert_max_num_queries
):
    """More appointments and actions never cost more queries (a phone on a slow network)."""
    for n in range(count):
        day = SOON + datetime.timedelta(days=n + 1)
        _activity(world, pathway, day, 16, 30, title=f"Atelier {n}", attended=None)
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    with django_assert_max_num_queries(14):
        assert phone.get("/mon-espace/").status_code == 200


@pytest.mark.parametrize(
    "role",
    [Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR],  # the porteur's roles that open it
)
def test_the_link_button_shows_exactly_where_giving_the_link_is_granted(world, pathway, role):
    """The accompaniment page asks the pure question behind the act: whoever sees « Créer un
    lien pour le jeune » gets the link, whoever does not would be refused; and an ended
    pathway shows no button."""
    client = Client()
    client.force_login(member(world.porteur, role))
    page = client.get(f"/cej/parcours/{pathway.pk}/accompagnement/")
    assert page.status_code == 200
    shown = "Créer un lien pour le jeune" in page.content.decode()
    given = client.post(f"/cej/parcours/{pathway.pk}/lien-jeune/")
    assert (given.status_code == 200 and 'id="youth-url"' in given.content.decode()) == shown
    assert shown or given.status_code == 403
    Pathway.objects.filter(pk=pathway.pk).update(stage="exit")
    ended = client.get(f"/cej/parcours/{pathway.pk}/accompagnement/").content.decode()
    assert "Créer un lien pour le jeune" not in ended
