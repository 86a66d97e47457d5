"""Form helpers shared by every app's views."""

import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import Form
from django.forms.models import ModelChoiceIterator


def apply_service_errors(form: Form, error: ValidationError) -> None:
    """Attach a service's validation errors to the form so the page shows them in French.

    Services raise ``ValidationError`` keyed by model field names; a key the form does not
    have (or an error without keys) becomes a general error at the top of the form.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ChoicesInOneQuery(ModelChoiceIterator):
    """A select's choices read with one plain query. Django's own iterator reads them
    through a server-side cursor on PostgreSQL (DECLARE … WITH HOLD, FETCH, CLOSE outside a
    transaction): 8 ms instead of 1 ms for the caseload's organisation filter at 100,000
    youths, for nothing, since every choice is rendered. Installed for every model choice
    field by :class:`coparcours.core.apps.CoreConfig`."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class LastDayField(forms.DateField):
    """An end date typed as the last day included ("jusqu'au 31/12 inclus"), stored as the
    first day excluded, as every period of the models is (docs/conventions.md, "Dates and
    periods"): the person never counts a day too many or too few."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Jusqu'au (inclus)")
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            value -= datetime.timedelta(days=1)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> datetime.date | None:
        day = super().to_python(value)
        return None if day is None else day + datetime.timedelta(days=1)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(data) != initial
