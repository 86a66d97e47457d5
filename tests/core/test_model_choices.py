"""Selects built from the database (every ModelChoiceField, core.forms.ChoicesInOneQuery):
their choices in order, read with one plain query — on PostgreSQL, no server-side cursor
(three round trips and a result materialised at commit, for a list rendered whole)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.organisations.factories import OrganisationFactory
from coparcours.organisations.models import Organisation

pytestmark = pytest.mark.django_db


class OrganisationFilter(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.order_by("name"), required=False, empty_label="Toutes"
    )
    several = forms.ModelMultipleChoiceField(Organisation.objects.order_by("name"))


def test_rendered_choices_are_read_in_one_plain_query_each():
    names = ["Sauvegarde du Nord", "AFEJI", "Mission locale de Lille"]
    organisations = {name: OrganisationFactory(name=name) for name in names}
    form = OrganisationFilter()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["organisation"]) + str(form["several"])
    single = list(form.fields["organisation"].choices)
    several = list(form.fields["several"].choices)
    assert [label for _, label in single] == [
        "Toutes",
        *[str(organisations[n]) for n in sorted(names)],
    ]
    assert [value.value for value, _ in single[1:]] == [organisations[n].pk for n in sorted(names)]
    assert [label for _, label in several] == [str(organisations[n]) for n in sorted(names)]
    assert html.index("AFEJI") < html.index("Mission locale") < html.index("Sauvegarde")
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 2
    assert not [sql for sql in statements if not sql.lstrip().upper().startswith("SELECT")]


def test_a_bound_form_still_validates_against_the_queryset():
    kept = OrganisationFactory(name="AFEJI")
    form = OrganisationFilter({"organisation": str(kept.pk), "several": [str(kept.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == kept
    missing = OrganisationFilter({"organisation": "999999", "several": [str(kept.pk)]})
    assert not missing.is_valid()
    assert "organisation" in missing.errors
