"""Operations of the GME housing, one module per sub-domain. Each one checks who may act
and runs in one transaction: on a refusal, a clear French message and nothing saved.

- ``coordination``: who may act (the GME's coordination, a member's staff).
- ``sites``: sites, capacity changes, waves of places, loans of a site.
- ``requests``: placement requests, the waiting list, proposals and their answers.
- ``stays``: admissions, transfers, exits, co-accompaniment (with the hosting and
  coordination assignments).
- ``majority``: the decision at 18 and the reminders before it.
- ``road18``: schooling, the residence-permit preparation, the preparation interview and
  the permit reminders.
"""
