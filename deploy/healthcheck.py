"""The web container's health check (compose.yaml): ``GET /sante/`` on its own gunicorn, asked
as the reverse proxy asks (a public host name, ``X-Forwarded-Proto: https``), since the
production settings refuse other hosts and redirect plain HTTP. Exit 0 on a 200, 1 otherwise
(503 when the database or the cache fails; a redirect is not followed). Standard library
only: it runs in a fraction of a second."""

import http.client
import os
import sys


def public_host() -> str:
    """The first of ALLOWED_HOSTS, as a request's Host ("localhost" for a wildcard)."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = entry.strip()
        if name and name != "*":
            return name.lstrip(".")  # ".example.org" also allows example.org itself
    return "localhost"


def main() -> int:
    port = int(os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").rpartition(":")[2])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(
            "GET", "/sante/", headers={"Host": public_host(), "X-Forwarded-Proto": "https"}
        )
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
    except (OSError, http.client.HTTPException) as error:
        print(f"/sante/ unreachable: {error}")
        return 1
    finally:
        connection.close()
    print(response.status, body)
    return 0 if response.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
