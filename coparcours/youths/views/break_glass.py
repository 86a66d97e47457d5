"""An administrator's exceptional read of one category of a youth's record.

Administrators see no individual data (``ROLE_RIGHTS``, Code pénal 226-13). When a record
must be looked at all the same (a youth's request to correct it, RGPD art. 16), the
administrator writes why: :func:`~coparcours.core.access.break_glass_read` writes one
BREAK_GLASS line with the reason, which the record's access log shows to the organisations
accompanying the youth (CNIL référentiel 2021-028). Showing the form writes nothing; a
refusal writes a DENIED line.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coparcours.core.access import (
    EVERY_AUTHOR,
    Capability,
    Category,
    Grant,
    break_glass_read,
    organisations_where,
)
from coparcours.core.access.routes import signed_in
from coparcours.organisations.models import Role
from coparcours.youths.models import Document, Note, Youth
from coparcours.youths.selectors import CategoryView, category_view

TEMPLATE = "youths/break_glass.html"
NOT_ADMINISTRATOR = "L'accès exceptionnel à un dossier est réservé aux administrateurs."


class BreakGlassForm(forms.Form):
    dossier = forms.IntegerField(label="Numéro du dossier", min_value=1)
    category = forms.ChoiceField(
        label="Rubrique à consulter", choices=Category.choices, initial=Category.IDENTITY
    )
    # Not required here: a missing or short reason is refused by break_glass_read, which
    # writes the refusal to the audit log.
    reason = forms.CharField(
        label="Motif de la consultation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="15 caractères au moins : pourquoi ce dossier doit être consulté.",
    )


def _administered(user: Any) -> set[int]:
    """The organisations the user administers (the access policy's ``administration``)."""
    return organisations_where(user, Capability.ADMINISTRATION)


def exceptional_view(youth: Youth, category: str, organisation_id: int) -> CategoryView:
    """The category as the record page renders it, every author's data included (the
    read is already audited by ``break_glass_read``)."""
    return category_view(
        youth,
        category,
        Grant(organisation_id, Role.ADMINISTRATOR, EVERY_AUTHOR),
        Note.objects.filter(youth=youth, category=category).select_related("author_organisation"),
        Document.objects.filter(youth=youth, category=category).select_related(
            "author_organisation"
        ),
    )


@signed_in
def break_glass(request: HttpRequest) -> HttpResponse:
    """Find a record by its number, write the reason, then read one category of it.

    Declared ``signed_in`` rather than behind the administration capability: the view and
    ``break_glass_read`` refuse everyone else themselves, so that each refused attempt is
    a DENIED line of the audit log."""
    administered = _administered(request.user)
    if request.method != "POST":
        if not administered:
            raise PermissionDenied(NOT_ADMINISTRATOR)
        number = request.GET.get("dossier", "").strip()
        unknown = bool(number) and not (
            number.isdigit() and Youth.objects.active().filter(pk=int(number)).exists()
        )
        form = BreakGlassForm(initial={"dossier": number})
        return render(request, TEMPLATE, {"form": form, "unknown": unknown})
    form = BreakGlassForm(request.POST)
    if not form.is_valid():
        if not administered:
            raise PermissionDenied(NOT_ADMINISTRATOR)
        return render(request, TEMPLATE, {"form": form})
    pk, category = form.cleaned_data["dossier"], form.cleaned_data["category"]
    youth = Youth.objects.active().filter(pk=pk).first()
    if youth is None and administered:
        return render(request, TEMPLATE, {"form": form, "unknown": True})
    try:
        # Someone not administrator is refused whether the record exists or not; for a
        # number naming nobody, the refusal names no youth (the id may be given later).
        break_glass_read(request.user, youth or Youth(), category, form.cleaned_data["reason"])
    except PermissionDenied as refusal:
        if not administered:
            raise
        form.add_error("reason", str(refusal))
        return render(request, TEMPLATE, {"form": form}, status=403)
    return render(
        request,
        TEMPLATE,
        {
            "youth": youth,
            "section": exceptional_view(youth, category, min(administered)),
            "reason": form.cleaned_data["reason"].strip(),
            "read_only": True,
        },
    )
