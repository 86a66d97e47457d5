import pytest

from coparcours.organisations.factories import ConsortiumFactory, ConsortiumMemberFactory

# Session, user, memberships, second-factor devices, consortia, their members, session save
# (in a savepoint): nine, whatever the number of consortia; the caseload panel of referents
# and counsellors adds two (counts, recent records); each "À traiter" block its count and
# first rows (two to six queries, docs/conventions.md "Screens by role"). The demo's
# coordinator, with its blocks (requests, proposals, majorities, saturation, billing, the
# serious incidents, the unmet needs, the orientations from partners in one query, the
# residence permits to prepare…), is the largest at 35.
HOME_MAX_QUERIES = 35


@pytest.mark.django_db
def test_each_demo_role_gets_its_french_home_page(demo, login_client):
    expected = {
        "referente": "Ma file active",
        "conseiller": "Ma file active",
        "coordination": "Coordination du groupement",
        "finances": "Finances du groupement",
        "direction": "Pilotage",
        "departement": "Mes demandes et indicateurs",
        "admin": "Administration",
        "dpo": "Protection des données",
    }
    for login, heading in expected.items():
        response = login_client(demo.users[login]).get("/")
        body = response.content.decode()
        assert response.status_code == 200
        assert heading in body
        assert '<html lang="fr">' in body


def _join_consortia(organisation, count: int) -> None:
    """Make the organisation a member of ``count`` more consortia of three members each."""
    for _ in range(count):
        consortium = ConsortiumFactory()
        ConsortiumMemberFactory(consortium=consortium, organisation=organisation, is_lead=True)
        ConsortiumMemberFactory.create_batch(2, consortium=consortium)


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["coordination", "departement", "referente", "admin", "dpo"])
def test_home_queries_do_not_grow_with_the_number_of_consortia(
    demo, login_client, django_assert_max_num_queries, login
):
    user = demo.users[login]
    organisation = user.memberships.order_by("organisation__name").first().organisation
    client = login_client(user)
    client.get("/")  # warm up: session, content types
    with django_assert_max_num_queries(HOME_MAX_QUERIES) as few:
        assert client.get("/").status_code == 200
    _join_consortia(organisation, 25)
    with django_assert_max_num_queries(HOME_MAX_QUERIES) as many:
        response = client.get("/")
    assert len(response.context["consortia"]) >= 25
    assert len(many) == len(few)
