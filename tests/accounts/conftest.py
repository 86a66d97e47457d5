from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def coordinator(demo):
    """Nadia Benali, coordinator of the GME (a role that must use two-factor when on)."""
    return demo.users["coordination"]


@pytest.fixture
def referent(demo):
    """Julie Dumont, referent (a role not asked for a second factor by default)."""
    return demo.users["referente"]


@pytest.fixture
def totp_code() -> Callable[..., str]:
    """The code an authenticator application shows for a device, now or some periods on."""

    def code(device: TOTPDevice, periods_ahead: int = 0) -> str:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + periods_ahead * device.step
        return f"{totp.token():06d}"

    return code
