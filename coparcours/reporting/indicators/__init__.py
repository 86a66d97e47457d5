"""Steering indicators: each a documented function computed by SQL aggregation.

Periods are half-open ``[start, end)`` (docs/conventions.md). Every function takes the
consortia (GMEs or CEJ-JR partnerships) the caller may steer — the views and the API decide
which — and returns plain numbers in :class:`~coparcours.reporting.tables.Table`, never a
youth's identity; what a funder sees of them is decided by :mod:`coparcours.reporting.tables`
alone.

- ``common``: the period, the rounding of rates and means, the CEJ-JR partner filter.
- ``gme``: places, occupancy, placement requests, movements, majorities.
- ``cej``: the CEJ-JR funnel, exits, durations, and the partnership dashboard's tables.
- ``cej_follow_up``: weekly hours, reviews held on time, progress between reviews.
- ``finance``: invoiced, paid, passed on, outstanding, transfer delays.
- ``surveys``: self-assessment campaigns and the youths' anonymous voice.
"""
