"""The abstract base of every piece of a youth's data: the access policy's three facts,
whose data it is (``youth``), of which category (``category``) and recorded by which
organisation (``author_organisation``); docs/access.md, "Two families of questions".

A model states its category once (``CATEGORY``), or computes it from the row
(``category_of``), or leaves it to the author (``CATEGORY = None``: a note, a document, a
referral, whose category the form asks). A model may redeclare one of the three fields to
name its reverse relation, its label or its deletion rule (Django allows overriding a field
of an abstract base); it keeps the field's kind, which tests/test_consistency.py checks.
"""

from __future__ import annotations

from django.db import models

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models.records import Youth


class YouthData(TimeStamped):
    """A piece of a youth's data, in one category, recorded by one organisation."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(
        "catégorie", max_length=30, choices=Category.choices, editable=False
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation auteure",
        on_delete=models.PROTECT,
        related_name="+",
    )

    #: The category of every row; ``None`` where the author chooses it.
    CATEGORY: str | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.category = self.category_of()
        super().save(*args, **kwargs)

    def category_of(self) -> str:
        """The access-policy category of this row (the class's, unless it depends on it)."""
        return self.CATEGORY or self.category
