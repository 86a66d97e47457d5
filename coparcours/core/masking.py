"""Statistical masking of small counts for readers of aggregates only (funders).

A count of 1 to 4 youths could let a reader recognise someone (the funder sees aggregates
only: docs/domain-rules.md, "Masking of small counts"; the rule of five used by public
statistics). Zero reveals no one and is
shown. The steering dashboards (``reporting.indicators``) and the housing occupancy API
apply this one rule.
"""

from __future__ import annotations

#: Counts from 1 to this bound are masked.
SMALL_COUNT_BOUND = 4


def is_small_count(value: int) -> bool:
    """Whether a count of youths must be masked (1 to 4)."""
    return 1 <= value <= SMALL_COUNT_BOUND
