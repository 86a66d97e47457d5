"""CEJ-JR pathways over the REST API, under the same access policy as the web pages, one
module per sub-domain. Each module registers its operations on the one router of
``router``; ``coparcours.api`` imports the modules, then mounts the router.

- ``router``: the router and what the operations share.
- ``pathways``: the list, outreach opening a pathway, one pathway.
- ``contacts``: contacts with the mission locale, typed or imported.
- ``eligibility``: the answer at a date, the checks recorded.
- ``dossier``: the administrative file and its transmission.
- ``allowances``: missed actions and sanctions, the one-off PACEA allowance.
- ``committee``: a pathway's decisions, the committee's meetings and decisions.
- ``plan``: the shared action plan.
- ``hours``: activities, attendance and weekly hours.
- ``follow_up``: the Monday follow-up.
- ``reviews``: the milestone reviews.
"""
