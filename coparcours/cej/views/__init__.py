"""Web pages of the CEJ-JR pathway (French UI), one module per sub-domain; every change goes
through ``services``.

- ``common``: helpers shared by the pages (form page, sides' acts, partners and people).
- ``pathways``: the list, a pathway's page and its co-accompaniment page.
- ``outreach``: a youth spotted opens a pathway.
- ``contacts``: contacts with the mission locale, typed or imported.
- ``eligibility``: the check at today's date, the overall assessment, the certificate.
- ``dossier``: the administrative file, its transmission and PDF pack.
- ``contract``: the CEJ contract's signature, the exit.
- ``allowances``: missed actions and sanctions, the one-off PACEA allowance.
- ``committee``: the weekly integration committee and its minutes.
- ``plan``: the partnership's "who does what" and the shared action plan.
- ``hours``: activities, attendance and the shared planning.
- ``feeds``: calendar (ICS) feeds.
- ``interviews``: interviews and syntheses, the mission locale's counsellor.
- ``reviews``: the milestone reviews.
- ``follow_up``: the Monday follow-up.
- ``youth_space``: the youth's one-time link (created, sent, closed), own page, language and
  answers to appointments.
- ``youth_rights``: the youth's shares, who opened their record, erasure request, reminders.
"""
