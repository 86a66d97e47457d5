"""Operations on CEJ-JR pathways, one module per sub-domain. Each operation checks the access
policy and runs in a transaction; the rules are summarised in docs/domain-rules.md, "CEJ-JR:
young people in rupture".

- ``common``: helpers shared by the modules (today's date, date checks, write checks).
- ``partnerships``: a partnership's porteur and missions locales, membership check.
- ``eligibility``: the eligibility engine's answer for one or many pathways, recorded checks
  and the overall assessment.
- ``outreach``: a youth spotted by a referent opens a pathway.
- ``contacts``: contacts with the mission locale, typed or imported from a CSV extract.
- ``contract``: stage moves, exit, the CEJ contract and its extension, the veille date.
- ``committee``: the weekly integration committee, its agenda and decisions.
- ``dossier``: the administrative file and its transmission with the youth's consent.
- ``allowances``: sanctions during the contract and the one-off PACEA allowance.
- ``plan``: the partnership's "who does what" and the youth's shared action plan.
- ``hours``: activities, attendance and weekly hours.
- ``reviews``: the 3- and 6-month reviews and their reminders.
- ``interviews``: interviews and syntheses, the mission locale's counsellor.
- ``feeds``: calendar feed tokens.
"""
