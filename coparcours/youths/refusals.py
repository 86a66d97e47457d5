"""Refusals of the youths app that the API answers with a stable code (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """A refusal, already audited: a French message for the person and a stable ``code``
    (``{"detail": ..., "code": ...}`` over the API, coparcours/api.py)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)
