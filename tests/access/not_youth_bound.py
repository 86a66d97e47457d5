"""Routes whose address holds an id that names no youth's record, with what it names; and
the addresses and parameters that always name one (``test_generated_matrix`` checks that
every route with an id is classified here or in ``youth_bound.YOUTH_BOUND``)."""

#: Routes taking an id that names no youth's record, and why.
NOT_YOUTH_BOUND: dict[str, str] = {
    "accounts:api_token_revoke": "a person's own API token",
    "cej:charter": "a partnership's « qui fait quoi »",
    "cej:charter_pdf": "a partnership's « qui fait quoi »",
    "cej:partnership_settings": "a partnership's settings (tests/cej/test_partnership_settings.py)",
    "cej:follow_up": "a weekly follow-up addressed to one person (tests/cej)",
    "cej:follow_up_pdf": "a weekly follow-up addressed to one person (tests/cej)",
    "cej:meeting": "a partnership's committee meeting (tests/cej/test_access_matrix.py)",
    "cej:meeting_minutes": "a partnership's committee meeting (tests/cej/test_access_matrix.py)",
    "cej:session": "a session of the programme (tests/cej/test_programme_pages.py)",
    "cej:session_attendance": "a session of the programme (tests/cej/test_programme_pages.py)",
    "cej:session_cancel": "a session of the programme (tests/cej/test_programme_cancellations.py)",
    "cej:registration_withdraw": "a session and one of its registrations, found among those "
    "the reader sees named (tests/cej/test_programme_cancellations.py)",
    "cej:programme_feed_revoke": "one's own programme feed (tests/cej/test_programme_pages.py)",
    "cej:permanence": "a permanence of the programme (tests/cej/test_programme_pages.py)",
    "cej:booking_cancel": "a permanence's slot (tests/cej/test_programme_pages.py)",
    "housing:site": "a member's site",
    "housing:site_edit": "a member's site",
    "housing:capacity_create": "a member's site",
    "housing:capacity_edit": "a site's capacity",
    "housing:wave_edit": "a wave of places",
    **{
        f"housing:incident{act}": "a serious incident at a site; the youths it concerns are "
        "each decided by the policy on its page (tests/housing/test_incidents_pages.py)"
        for act in ("", "_acknowledge", "_youth_add", "_measure", "_return", "_close")
    },
    "directory:service": "a service of the directory",
    "directory:guide": "a partners' guide",
    "directory:guide_publish": "a partners' guide",
    "directory:guide_version": "a partners' guide",
    "directory:guide_file": "a partners' guide",
    "directory:guide_reach": "a partners' guide (tests/directory/test_library.py)",
    "directory:guide_place": "a partners' guide (tests/directory/test_library.py)",
    "directory:library_publisher_end": "a library publisher (tests/directory/test_library.py)",
    "directory:meeting": "a partners' meeting",
    "directory:meeting_edit": "a partners' meeting",
    "directory:meeting_ics": "a partners' meeting",
    "directory:meeting_invite": "a partners' meeting",
    "directory:decision_done": "a partners' meeting decision",
    "orientations:detail": "an orientation from a partner, before any youth's record "
    "(tests/orientations/test_handling.py)",
    "orientations:take_up": "an orientation from a partner (tests/orientations/test_handling.py)",
    "orientations:contacted": "an orientation from a partner (tests/orientations)",
    "orientations:outcome": "an orientation from a partner (tests/orientations)",
    "orientations:page_switch": "a partnership's public page (tests/orientations/test_pages.py)",
    "finance:invoice": "a member's invoice (tests/finance/test_access_matrix.py)",
    "finance:invoice_pdf": "a member's invoice (tests/finance/test_access_matrix.py)",
    "finance:invoice_annex": "a member's invoice (tests/finance/test_access_matrix.py)",
    "finance:invoice_credit_note": "a member's invoice (tests/finance/test_access_matrix.py)",
    "finance:payment": "a payment to a member (tests/finance/test_access_matrix.py)",
    "organisations:consortium": "a consortium its lead sets up (tests/organisations/test_setup.py)",
    "organisations:member_end": "a consortium's member (tests/organisations/test_setup.py)",
    "organisations:first_person": "an organisation's first person (tests/organisations)",
    "organisations:invitation_resend": "an invitation (tests/organisations/test_team.py)",
    "organisations:invitation_cancel": "an invitation (tests/organisations/test_team.py)",
    "organisations:membership_end": "a person's membership (tests/organisations/test_team.py)",
    "reporting:campaign": "a quality evaluation campaign",
    "reporting:dashboard": "a dashboard of aggregates",
    "reporting:export": "a dashboard of aggregates",
    "reporting:needs_partners": "a dashboard of aggregates (the register, masked)",
    "reporting:copil": "a dashboard of aggregates",
    "reporting:copil_history": "a dashboard of aggregates",
    "reporting:copil_download": "a steering committee's report",
}

#: Addresses that always name a youth's record: a route under one must be in YOUTH_BOUND.
YOUTH_BOUND_PREFIXES = (
    "/jeunes/<",
    "/cej/parcours/<",
    "/hebergement/demandes/<",
    "/hebergement/propositions/<",
    "/hebergement/sejours/<",
    "/annuaire/jeunes/<",
    "/annuaire/orientations/<",
)
YOUTH_BOUND_PARAMETERS = {"youth_id", "pathway_id", "stay_id", "document_id", "referral_id"}
