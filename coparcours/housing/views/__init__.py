"""Web pages of the GME housing, one module per sub-domain:

- ``common``: helpers shared by the pages (coordinated GME, form page, form submission).
- ``dashboard``: the coordination's desk and the consortium's occupancy.
- ``requests``: the funder's requests, the coordination's queue and the availability search.
- ``proposals``: places proposed to a member, its answer and the admission.
- ``stays``: stays under the access policy, transfer, exit, decision at 18, co-accompaniment.
- ``sites``: sites and their capacity, waves of places, loans of a site between members.
"""
