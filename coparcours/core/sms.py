"""Text messages to youths' phones (the link to their space, reminders), through the backend
``SMS_URL`` names, as ``EMAIL_URL`` names the mail's:

- ``console://`` (the default): printed on the server's output, for the demo;
- ``file:///var/lib/coparcours/sms.jsonl``: one JSON line per message, for a demo or a
  test that reads what was sent;
- ``memory://``: kept in :data:`outbox`, for the tests;
- ``outbox://``: kept in the database with the demo's e-mails (``core.outbox``), shown to
  the administrators; refused in production;
- ``brevo://API_KEY@api.brevo.com/v3/transactionalSMS/send?sender=Coparcours``: Brevo's
  transactional SMS API over HTTPS (``brevo+http://`` only for a local test server).

A provider that refuses or cannot be reached raises :class:`SmsError`: the caller retries
or shows the failure, never loses it. The numbers are checked and put in the
international form first (``core.phones``). The text is the caller's: it never carries a
sensitive detail (docs/youth-space.md, « Messages to youths »).
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from coparcours.core import phones
from coparcours.core.outbox import keep_sms

#: How long a provider has to answer before the message counts as failed.
TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The message did not leave: the provider refused it or could not be reached."""


@dataclass(frozen=True)
class Sms:
    """A message: the number in international form, and its text."""

    to: str
    text: str


#: The messages sent through ``memory://`` (tests).
outbox: list[Sms] = []


def send_sms(number: str, text: str) -> str:
    """Send ``text`` to ``number`` (any form people write) and return the provider's
    message reference; :class:`SmsError` when it did not leave."""
    message = Sms(phones.international(number), text)
    url = urlsplit(settings.SMS_URL)
    if url.scheme == "console":
        sys.stdout.write(f"SMS to {message.to}: {message.text}\n")
        return ""
    if url.scheme == "memory":
        outbox.append(message)
        return str(len(outbox))
    if url.scheme == "file":
        return _to_file(Path(unquote(url.path)), message)
    if url.scheme in ("brevo", "brevo+http"):
        return _to_brevo(url, message)
    if url.scheme == "outbox":
        return keep_sms(message.to, message.text)
    raise ImproperlyConfigured(
        "SMS_URL: unknown scheme; use console://, file:///path, memory://, outbox:// or "
        "brevo://KEY@host"
    )


def _to_file(path: Path, message: Sms) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"at": timezone.now().isoformat(), "to": message.to, "text": message.text}
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(line, ensure_ascii=False) + "\n")
    return f"{path.name}:{path.stat().st_size}"


def _to_brevo(url, message: Sms) -> str:
    """Brevo's transactional SMS: the key in the ``api-key`` header, the number without
    its ``+``, Unicode allowed (Arabic texts)."""
    sender = parse_qs(url.query).get("sender", ["Coparcours"])[0]
    scheme = "http" if url.scheme == "brevo+http" else "https"  # never file: nor another
    host = url.hostname + (f":{url.port}" if url.port else "")
    request = urllib.request.Request(  # noqa: S310 (the scheme is http or https, above)
        f"{scheme}://{host}{url.path or '/v3/transactionalSMS/send'}",
        data=json.dumps(
            {
                "sender": sender,
                "recipient": message.to.lstrip("+"),
                "content": message.text,
                "type": "transactional",
                "unicodeEnabled": True,
            }
        ).encode(),
        headers={
            "api-key": unquote(url.username or ""),
            "accept": "application/json",
            "content-type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise SmsError(f"le service d'envoi a refusé le message (erreur {error.code})") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SmsError("le service d'envoi ne répond pas") from error
    except ValueError as error:
        raise SmsError("le service d'envoi a répondu de façon illisible") from error
    return str(answer.get("messageId", ""))
