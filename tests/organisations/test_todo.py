"""The "À traiter" blocks: shown by capability, hidden when they cannot concern the person,
counted, each row with its act."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.accounts.factories import UserFactory
from coparcours.core.access import Capability
from coparcours.organisations import todo
from coparcours.organisations.factories import MembershipFactory, OrganisationFactory
from coparcours.organisations.models import Role
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone, days_phrase, todo_of


def _client(role: str) -> Client:
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(),
        role=role,
        start_date=datetime.date(2020, 1, 1),
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def blocks(monkeypatch):
    """Registered blocks replaced by the test's own."""
    monkeypatch.setattr(todo, "_BLOCKS", {})
    return todo.register


def _rows(count: int) -> list[TodoRow]:
    return [
        TodoRow(
            label=f"Chose {n}",
            url=f"/chose/{n}/",
            action="Ouvrir",
            badge="en retard de 2 jours",
            tone=Tone.LATE,
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_home_shows_the_blocks_of_the_role_with_counts_badges_and_acts(blocks):
    blocks(
        TodoBlock(
            "many",
            "Choses à faire",
            Capability.CASELOAD,
            lambda r: todo_of(_rows(7), lambda x: x, more_url="/toutes/"),
            "Rien.",
            order=2,
        )
    )
    blocks(
        TodoBlock(
            "none",
            "Rien à voir",
            Capability.CASELOAD,
            lambda r: Todo(0, []),
            "Aucune chose en attente.",
            order=1,
        )
    )
    blocks(TodoBlock("hidden", "Pas pour moi", Capability.CASELOAD, lambda r: None, "—"))
    blocks(TodoBlock("finance", "Factures", Capability.FINANCE_MANAGE, lambda r: Todo(3, []), "—"))

    response = _client(Role.REFERENT).get("/")
    page = response.content.decode()

    assert [p.block.key for p in response.context["todo"]] == ["none", "many"]
    assert page.index("Rien à voir") < page.index("Choses à faire")
    assert "Aucune chose en attente." in page
    assert "Pas pour moi" not in page and "Factures" not in page
    assert page.count('class="badge late"') == todo.ROWS_SHOWN
    assert 'href="/chose/0/">Ouvrir<span class="visually-hidden"> — Chose 0</span>' in page
    assert "Chose 5" not in page
    assert '<a href="/toutes/">Voir les 7' in page


@pytest.mark.django_db
def test_a_role_without_any_block_sees_no_todo_section(blocks):
    blocks(TodoBlock("finance", "Factures", Capability.FINANCE_MANAGE, lambda r: Todo(3, []), "—"))
    assert "À traiter" not in _client(Role.REFERENT).get("/").content.decode()


def test_days_are_said_in_french():
    assert days_phrase(0) == "aujourd'hui"
    assert days_phrase(1) == "demain"
    assert days_phrase(5) == "dans 5 jours"
    assert days_phrase(-1) == "en retard de 1 jour"
    assert days_phrase(-8) == "en retard de 8 jours"
