"""Read queries of the GME housing, one module per sub-domain:

- ``roles``: who coordinates, funds or works for a member.
- ``sites``: sites, waves and loans the user manages, capacity over time.
- ``requests``: requests and proposals the user may see, the waiting list.
- ``occupancy``: occupancy in SQL over a calendar, free places, availability, movements.
- ``stays``: stays under the access policy, majorities coming, pending reminders.
"""
