"""Form helpers shared by every app's views."""

from django.core.exceptions import ValidationError
from django.forms import Form


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
