"""The orientation never states as a fact what the reader may not see: a pathway held by
another organisation, outside the youth's consent, is "information protégée", not "no
scheme in progress" (Code pénal 226-13)."""

from __future__ import annotations

import pytest

from coparcours.cej.models import Pathway
from coparcours.cej.rules import Stage
from coparcours.directory import selectors

NOT_IN_PROGRESS = "Pas de « CEJ-JR » en cours."


@pytest.fixture
def ines(demo):
    """Inès: the porteur's pathway, under contract; the mission locale accompanies her
    without her consent to share education and employment."""
    youth = demo.porteur.owned_youths.get(last_name="Petit")
    Pathway.objects.filter(youth=youth).update(stage=Stage.CONTRACT)
    return youth


def _pacea(user, youth):
    result = selectors.orientation(user, youth)
    return next(f.fit for f in result.schemes if f.scheme.code == "pacea")


def test_the_pathway_s_author_sees_the_scheme_in_progress(demo, ines):
    fit = _pacea(demo.users["referente"], ines)
    assert "Incompatible avec « CEJ-JR », en cours pour ce jeune." in fit.missing


def test_a_pathway_the_reader_may_not_see_is_protected_not_absent(demo, ines):
    fit = _pacea(demo.users["conseiller"], ines)
    said = fit.met + fit.missing + fit.unknown
    assert NOT_IN_PROGRESS not in said
    assert "Incompatible avec « CEJ-JR » : information protégée." in fit.unknown
    assert not fit.fits


def test_the_same_answer_when_no_pathway_is_in_progress(demo, ines):
    """Without a pathway in progress, the reader who could not have seen one is told the
    same: the answer does not reveal whether another organisation holds one."""
    Pathway.objects.filter(youth=ines).update(stage=Stage.EXIT)
    fit = _pacea(demo.users["conseiller"], ines)
    assert NOT_IN_PROGRESS not in fit.met
    assert "Incompatible avec « CEJ-JR » : information protégée." in fit.unknown


def test_over_the_api_too(demo, ines, login_client):
    client = login_client(demo.users["conseiller"])
    data = client.get(f"/api/v1/directory/youths/{ines.pk}/orientation").json()
    pacea = next(s for s in data["schemes"] if s["code"] == "pacea")
    assert NOT_IN_PROGRESS not in pacea["met"]
    assert "Incompatible avec « CEJ-JR » : information protégée." in pacea["unknown"]
