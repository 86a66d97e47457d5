"""Contacts with the mission locale, typed or imported from a CSV extract."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from coparcours.cej import selectors
from coparcours.cej.forms import ContactForm, ContactImportForm
from coparcours.cej.services.contacts import add_contact, import_contacts
from coparcours.cej.views.common import form_page, pathway_form_act
from coparcours.core.access import Category, acting_organisation
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return pathway_form_act(
        request,
        pk,
        ContactForm,
        add_contact,
        "Contact enregistré.",
        "Ajouter un contact avec la mission locale",
    )


@requires(Capability.CEJ, categories=[Category.IDENTITY, Category.EDUCATION_EMPLOYMENT])
def contact_import(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for(request.user, pk)
    form = ContactImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contacts = import_contacts(
                request.user, acting_organisation(request), pathway, form.cleaned_data["file"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"{len(contacts)} contacts importés.")
            return redirect("cej:detail", pk=pathway.pk)
    return form_page(
        request,
        pathway,
        form,
        "Importer des contacts (extraction de la mission locale)",
        multipart=True,
        intro="Rien n'est enregistré tant qu'une ligne comporte une erreur.",
    )
