"""Antivirus scan of uploaded files through ClamAV's daemon (``clamd``), before storing them.

Switched on by the ``CLAMAV_SOCKET`` setting: the path of clamd's Unix socket (Debian's
``clamav-daemon`` listens on ``/run/clamav/clamd.ctl``) or ``tcp://host:port``. Off when
empty. The file is sent with clamd's INSTREAM command (4-byte big-endian chunk lengths,
a zero length to end); the answer is ``stream: OK`` or ``stream: <signature> FOUND``.
When the scanner is configured but cannot answer, the upload is refused: a file is never
stored unscanned.
"""

from __future__ import annotations

import socket
import struct
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError

CHUNK = 64 * 1024
UNAVAILABLE = (
    "L'antivirus est indisponible : le fichier n'a pas été enregistré. Réessayez dans un "
    "instant ; si cela persiste, prévenez l'administrateur de votre organisation."
)


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("tcp://"):
        host, _, port = address.removeprefix("tcp://").rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(address)
    return sock


def instream(address: str, stream: BinaryIO, timeout: float = 30.0) -> str:
    """clamd's answer for the stream's content (e.g. ``stream: OK``); raises ``OSError``."""
    with _connect(address, timeout) as sock:
        sock.sendall(b"zINSTREAM\0")
        while chunk := stream.read(CHUNK):
            sock.sendall(struct.pack(">I", len(chunk)) + chunk)
        sock.sendall(struct.pack(">I", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            received = sock.recv(4096)
            if not received:
                break
            answer += received
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_upload(upload: BinaryIO, field: str = "file") -> None:
    """Refuse (``ValidationError`` on ``field``) an infected file, or any file while the
    configured scanner is unavailable; do nothing when no scanner is configured."""
    address = getattr(settings, "CLAMAV_SOCKET", "")
    if not address:
        return
    upload.seek(0)
    try:
        answer = instream(address, upload, getattr(settings, "CLAMAV_TIMEOUT", 30.0))
    except (OSError, ValueError) as error:
        raise ValidationError({field: UNAVAILABLE}) from error
    finally:
        upload.seek(0)
    if answer.endswith("FOUND"):
        signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        raise ValidationError(
            {field: f"Fichier refusé : l'antivirus y a détecté un virus ({signature})."}
        )
    if not answer.endswith("OK"):
        raise ValidationError({field: UNAVAILABLE})
