import pytest


@pytest.mark.django_db
def test_each_demo_role_gets_its_french_home_page(demo, login_client):
    expected = {
        "referente": "Ma file active",
        "conseiller": "Jeunes partagés avec ma mission locale",
        "coordination": "Coordination du groupement",
        "finances": "Finances du groupement",
        "direction": "Pilotage",
        "departement": "Mes demandes et indicateurs",
        "admin": "Administration",
    }
    for login, heading in expected.items():
        response = login_client(demo.users[login]).get("/")
        body = response.content.decode()
        assert response.status_code == 200
        assert heading in body
        assert '<html lang="fr">' in body
