"""Reading the "À traiter" blocks of a home page, for the tests of each app's blocks."""

from __future__ import annotations

from django.test import Client

from coparcours.organisations.todo import Todo


def home_todo(client: Client) -> dict[str, Todo]:
    """The blocks the home page shows to the client's acting membership, by key."""
    response = client.get("/")
    assert response.status_code == 200
    return {pending.block.key: pending.todo for pending in response.context["todo"]}


def labels(todo: Todo) -> list[str]:
    return [row.label for row in todo.rows]
