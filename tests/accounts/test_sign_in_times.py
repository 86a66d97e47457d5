"""The previous sign-in is kept beside the current one: the home page's "new since your
last visit" counts from it."""

import pytest
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD, UserFactory


def _sign_in(user) -> None:
    response = Client().post(
        "/compte/connexion/", {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_each_sign_in_moves_the_last_one_to_previous():
    user = UserFactory()
    assert user.last_login is None and user.previous_login is None

    _sign_in(user)
    user.refresh_from_db()
    first = user.last_login
    assert first is not None and user.previous_login is None

    _sign_in(user)
    user.refresh_from_db()
    assert user.previous_login == first
    assert user.last_login > first
