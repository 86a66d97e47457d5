"""No link leads a role to a refusal: every demo membership follows every same-site link
of its pages (GET), and none answers 403 or 404. Menus, links and buttons come from the
same decision as the pages (core.access.may), so a link is shown exactly when its page is
granted. Each route is followed for a few of its instances (the first ones met), which is
what a link decides on; the youth-level decisions are the access matrices' business."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import Resolver404, resolve

from coparcours.demo.nord import DEMO_PEOPLE
from coparcours.organisations.models import Membership

LINK = re.compile(r'<a\s[^>]*href="([^"#]*)"', re.I)
#: Not pages of the application: static files, the admin's own site, signing out.
NOT_FOLLOWED = ("/static/", "/media/", "/admin/", "/compte/deconnexion/")
INSTANCES_PER_ROUTE = 2
MAX_PAGES = 300


def _route(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def crawl(client) -> tuple[int, list[tuple[str, int, str]]]:
    """Visit the pages reachable from the home page; the refused links with their page."""
    queue: deque[tuple[str, str]] = deque([("/", "")])
    seen, per_route, refused, visited = {"/"}, Counter(), [], 0
    while queue and visited < MAX_PAGES:
        url, found_on = queue.popleft()
        visited += 1
        answer = client.get(url)
        if answer.status_code in (403, 404):
            refused.append((url, answer.status_code, found_on))
            continue
        if answer.status_code != 200 or "text/html" not in answer.get("Content-Type", ""):
            continue
        for href in LINK.findall(answer.content.decode()):
            target = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc not in ("", "testserver") or target.scheme not in ("", "http"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path in seen or target.path.startswith(NOT_FOLLOWED):
                continue
            seen.add(path)
            route = _route(target.path)
            if per_route[route] >= INSTANCES_PER_ROUTE:
                continue
            per_route[route] += 1
            queue.append((path, url))
    return visited, refused


#: Every demo membership (login, organisation), each crawled in its own test so that the
#: test workers share them: the people of the demo, and the porteur's director that the
#: steering demo adds (coparcours/demo/reporting.py).
MEMBERSHIPS = [
    *((login, attribute) for login, _, _, held, _ in DEMO_PEOPLE for attribute, _ in held),
    ("pilotage-cej", "porteur"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("login", "organisation"), MEMBERSHIPS)
def test_no_link_leads_a_demo_membership_to_a_refusal(demo, login_client, login, organisation):
    membership = Membership.objects.active().get(
        user=demo.users[login], organisation=getattr(demo, organisation)
    )
    client = login_client(membership.user)
    client.post("/organisation/changer/", {"membership": membership.pk, "next": "/"})
    visited, refused = crawl(client)
    assert visited > 5, f"{membership}: the crawl met almost nothing"
    report = [f"{url} → {status} (lien sur {page})" for url, status, page in refused]
    assert report == [], "\n".join(report)


def test_every_active_demo_membership_is_crawled(demo):
    crawled = {
        (demo.users[login].pk, getattr(demo, attribute).pk) for login, attribute in MEMBERSHIPS
    }
    active = set(Membership.objects.active().values_list("user_id", "organisation_id"))
    assert active == crawled
