"""The access policy (core/access) against the documented decision (docs/domain-rules.md,
"Professional secrecy: who sees a youth's data").

The expected rights and decision are re-stated here from the documented table, with plain
strings, so that a change to ``ROLE_RIGHTS`` or ``decide`` that departs from the documented
policy makes these tests fail.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coparcours.core.access import (
    AccessFacts,
    Action,
    Category,
    Relation,
    Share,
    ShareBasis,
    decide,
)
from coparcours.organisations.models import Role

CATEGORIES = [
    "identity",
    "contact",
    "housing",
    "education_employment",
    "health",
    "mental_health",
    "justice",
    "admin_documents",
    "notes",
]
ACTIONS = ["read", "write"]
RELATIONS = ["owner", "co_accompaniment", "cej_partner", "hosting", "gme_coordination"]
SHARE_STATES = [None, "consent", "legal"]
ROLES = [
    "referent",
    "coordinator",
    "director",
    "counsellor",
    "finance_officer",
    "quality_director",
    "funder_viewer",
    "administrator",
    "dpo",
]

# The default rights table (docs/domain-rules.md): "rw", "r", or "" for never (even with
# consent).
FULL = dict.fromkeys(CATEGORIES, "rw")
NOTHING = dict.fromkeys(CATEGORIES, "")
DESIGN_RIGHTS = {
    "referent": FULL,
    "coordinator": FULL,
    "director": FULL,
    "counsellor": NOTHING
    | {
        "identity": "rw",
        "contact": "rw",
        "housing": "r",
        "education_employment": "rw",
        "admin_documents": "rw",
        "notes": "rw",
    },
    "finance_officer": NOTHING | {"identity": "r", "housing": "r"},
    "quality_director": NOTHING,  # aggregates only
    "funder_viewer": NOTHING,  # aggregates only
    "administrator": NOTHING,  # none by default; break-glass read only
    "dpo": NOTHING,  # data-protection officer: duties only (docs/decisions.md)
}

ME, OTHER = 1, 2  # the user's organisation, and the youth's owner when it is not ME


def test_the_vocabulary_matches_the_documented_policy():
    assert sorted(Category.values) == sorted(CATEGORIES)
    assert sorted(Action.values) == sorted(ACTIONS)
    assert sorted(Relation.values) == sorted(RELATIONS)
    assert sorted(Role.values) == sorted(ROLES)
    assert sorted(ShareBasis.values) == ["consent", "legal"]


def facts_for(relation: str | None, share: str | None, category: str) -> AccessFacts:
    """The youth is owned by OTHER; ME has ``relation``; ``share`` names ME for ``category``."""
    relations = {OTHER: frozenset({"owner"})}
    if relation is not None:
        relations[ME] = relations.get(ME, frozenset()) | {relation}
    shares = frozenset({Share(ME, category, share)}) if share else frozenset()
    return AccessFacts(relations=relations, shares=shares)


def expected(role, relation, share, category, action, author):
    """The documented decision: None (denied) or whether other organisations' data shows.

    ``author`` is "own", "other", or None for the category as a whole.
    """
    if relation is None:  # 1. ME does not accompany the youth
        return None
    if action[0] not in DESIGN_RIGHTS[role][category]:  # 2. the role's default rights
        return None
    shared = (
        category == "identity"
        or (relation == "gme_coordination" and category == "housing")  # the placement
        or share == "consent"
        or (share == "legal" and category not in {"health", "mental_health"})
    )
    if author == "other" and not shared:  # 3. someone else's data, not shared
        return None
    return shared


def actual(role, relation, share, category, action, author):
    author_id = {"own": ME, "other": OTHER, None: None}[author]
    grant = decide([(ME, role)], facts_for(relation, share, category), category, action, author_id)
    if grant is None:
        return None
    assert grant.organisation_id == ME
    assert grant.role == role
    return grant.all_authors


@pytest.mark.parametrize("relation", [*RELATIONS, None])
@pytest.mark.parametrize("role", ROLES)
def test_decision_matrix_follows_the_documented_policy(role, relation):
    mismatches = [
        (share, category, action, author, expected_grant, actual_grant)
        for share, category, action, author in itertools.product(
            SHARE_STATES, CATEGORIES, ACTIONS, ["own", "other", None]
        )
        if (expected_grant := expected(role, relation, share, category, action, author))
        != (actual_grant := actual(role, relation, share, category, action, author))
    ]
    assert mismatches == []


def test_matrix_holds_grants_and_denials():
    """The matrix is not vacuous: it holds many grants and many denials."""
    outcomes = [
        expected(*case)
        for case in itertools.product(
            ROLES, [*RELATIONS, None], SHARE_STATES, CATEGORIES, ACTIONS, ["own", "other"]
        )
    ]
    assert outcomes.count(None) > 1000
    assert len(outcomes) - outcomes.count(None) > 1000


# --- The rules the policy spells out, one by one ---------------------------------------


def ask(role, relation, category, action="read", author=OTHER, shares=()):
    relations = {OTHER: frozenset({"owner"})}
    if relation:
        relations[ME] = frozenset({relation})
    facts = AccessFacts(relations=relations, shares=frozenset(shares))
    return decide([(ME, role)], facts, category, action, author)


@pytest.mark.parametrize("category", ["health", "mental_health"])
def test_health_never_crosses_on_a_legal_basis_but_does_with_consent(category):
    legal = [Share(ME, category, "legal")]
    consent = [Share(ME, category, "consent")]
    assert ask("referent", "co_accompaniment", category, shares=legal) is None
    assert ask("referent", "co_accompaniment", category, shares=consent) is not None
    assert ask("referent", "co_accompaniment", category, shares=legal + consent) is not None


@pytest.mark.parametrize("category", ["health", "mental_health", "justice"])
@pytest.mark.parametrize("author", [ME, OTHER, None])
def test_counsellor_never_sees_health_or_justice_even_with_consent(category, author):
    consent = [Share(ME, category, "consent")]
    for action in ACTIONS:
        assert ask("counsellor", "cej_partner", category, action, author, consent) is None


def test_counsellor_reads_but_never_writes_housing():
    consent = [Share(ME, "housing", "consent")]
    assert ask("counsellor", "cej_partner", "housing", "read", shares=consent) is not None
    assert ask("counsellor", "cej_partner", "housing", "write", author=ME) is None


def test_gme_coordination_sees_identity_and_housing_without_consent_but_not_health():
    assert ask("coordinator", "gme_coordination", "identity").all_authors
    assert ask("coordinator", "gme_coordination", "housing").all_authors
    assert ask("coordinator", "gme_coordination", "health") is None
    assert ask("coordinator", "gme_coordination", "contact") is None
    consent = [Share(ME, "health", "consent")]
    assert ask("coordinator", "gme_coordination", "health", shares=consent) is not None


def test_housing_without_consent_is_only_for_the_gme_coordination():
    for relation in ["co_accompaniment", "cej_partner", "hosting", "owner"]:
        assert ask("referent", relation, "housing") is None


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("relation", RELATIONS)
def test_the_authors_own_data_shows_without_consent(category, relation):
    grant = ask("referent", relation, category, "write", author=ME)
    assert grant is not None
    assert grant.organisation_id == ME


@pytest.mark.parametrize("role", ["funder_viewer", "quality_director", "administrator", "dpo"])
def test_aggregate_roles_get_no_individual_data(role):
    for relation, category, action, author in itertools.product(
        RELATIONS, CATEGORIES, ACTIONS, [ME, OTHER, None]
    ):
        shares = [Share(ME, category, "consent")]
        assert ask(role, relation, category, action, author, shares) is None


def test_finance_officer_reads_identity_and_stays_only():
    consent = [Share(ME, c, "consent") for c in CATEGORIES]
    granted = {
        category
        for category in CATEGORIES
        if ask("finance_officer", "owner", category, "read", shares=consent)
    }
    assert granted == {"identity", "housing"}
    assert ask("finance_officer", "owner", "identity", "write", author=ME) is None


def test_a_share_naming_another_organisation_or_category_does_not_count():
    assert ask("referent", "co_accompaniment", "justice", shares=[Share(3, "justice")]) is None
    assert ask("referent", "co_accompaniment", "justice", shares=[Share(ME, "notes")]) is None


def test_the_best_membership_wins():
    """Two memberships: the one the notes are shared with beats the one seeing its own only."""
    host = OTHER + 1
    facts = AccessFacts(
        relations={
            OTHER: frozenset({"owner"}),
            ME: frozenset({"co_accompaniment"}),
            host: frozenset({"hosting"}),
        },
        shares=frozenset({Share(host, "notes")}),
    )
    grant = decide([(ME, "referent"), (host, "referent")], facts, "notes", "read")
    assert (grant.organisation_id, grant.all_authors) == (host, True)
    alone = decide([(ME, "referent")], facts, "notes", "read")
    assert (alone.organisation_id, alone.all_authors) == (ME, False)
    assert alone.covers_author(ME)
    assert not alone.covers_author(OTHER)


# --- Properties ------------------------------------------------------------------------

organisation_ids = st.integers(min_value=1, max_value=4)
roles = st.sampled_from(ROLES)
categories = st.sampled_from(CATEGORIES)
actions = st.sampled_from(ACTIONS)
shares = st.builds(Share, organisation_ids, categories, st.sampled_from(["consent", "legal"]))
relations = st.dictionaries(
    organisation_ids, st.frozensets(st.sampled_from(RELATIONS), min_size=1), max_size=4
)
memberships = st.lists(st.tuples(organisation_ids, roles), max_size=4)
authors = st.none() | organisation_ids


def strength(grant) -> int:
    return 0 if grant is None else 1 + grant.all_authors


@given(memberships, relations, st.frozensets(shares), st.data(), categories, actions, authors)
def test_withdrawing_shares_never_grants_more(
    memberships, relations, all_shares, data, category, action, author
):
    kept = (
        data.draw(st.sets(st.sampled_from(sorted(all_shares, key=repr)))) if all_shares else set()
    )
    before = decide(memberships, AccessFacts(relations, all_shares), category, action, author)
    after = decide(memberships, AccessFacts(relations, frozenset(kept)), category, action, author)
    assert strength(after) <= strength(before)


@given(memberships, relations, st.frozensets(shares), categories, actions, authors)
def test_ending_an_accompaniment_never_grants_more(
    memberships, relations, all_shares, category, action, author
):
    before = decide(memberships, AccessFacts(relations, all_shares), category, action, author)
    for organisation_id in relations:
        fewer = {k: v for k, v in relations.items() if k != organisation_id}
        after = decide(memberships, AccessFacts(fewer, all_shares), category, action, author)
        assert strength(after) <= strength(before)


@given(memberships, relations, st.frozensets(shares), categories, actions, authors)
def test_an_organisation_without_relation_never_gets_anything(
    memberships, relations, all_shares, category, action, author
):
    strangers = [(org, role) for org, role in memberships if org not in relations]
    assert decide(strangers, AccessFacts(relations, all_shares), category, action, author) is None


@given(memberships, relations, st.frozensets(shares), categories, actions, authors)
def test_several_memberships_grant_what_one_of_them_grants(
    memberships, relations, all_shares, category, action, author
):
    facts = AccessFacts(relations, all_shares)
    alone = [decide([m], facts, category, action, author) for m in memberships]
    together = decide(memberships, facts, category, action, author)
    assert strength(together) == max(map(strength, alone), default=0)


@given(
    memberships,
    relations,
    st.frozensets(shares),
    st.sampled_from(["health", "mental_health"]),
    actions,
)
def test_health_of_others_needs_a_consent_naming_the_organisation(
    memberships, relations, all_shares, category, action
):
    """Someone else's health data shows only through a consent share (legal basis never)."""
    facts = AccessFacts(relations, all_shares)
    for organisation_id, role in memberships:
        author = organisation_id + 10  # authored elsewhere
        if decide([(organisation_id, role)], facts, category, action, author) is not None:
            assert Share(organisation_id, category, "consent") in all_shares
            assert role in {"referent", "coordinator", "director"}
