"""The CEJ-JR router each module of the package registers its operations on (the project's
``coparcours.api`` imports those modules, then mounts the router), and what the operations
share."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from coparcours.cej import rules, selectors
from coparcours.core.access import Category


class _Router(Router):
    """A router whose operations keep the OpenAPI ids of the single module they were first
    published from (``coparcours_cej_api_<function>``), whichever module defines them."""

    def add_api_operation(self, path, methods, view_func, **kwargs) -> None:
        kwargs["operation_id"] = (
            kwargs.get("operation_id") or f"coparcours_cej_api_{view_func.__name__}"
        )
        super().add_api_operation(path, methods, view_func, **kwargs)


router = _Router(tags=["CEJ-JR"])

#: What a pathway's pages show of a youth (as the HTML routes declare).
PATHWAY_DATA = [Category.IDENTITY, Category.EDUCATION_EMPLOYMENT]


def accompaniment_of(request: HttpRequest, pathway_id: int, week: datetime.date | None = None):
    """The pathway and its co-accompaniment page for ``week`` (by default this week)."""
    pathway = selectors.pathway_for(request.auth, pathway_id)
    day = rules.week_start(week or timezone.localdate())
    return pathway, selectors.accompaniment_page(request.auth, pathway, day)
