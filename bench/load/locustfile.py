"""The load scenario: the main journeys of the Nord demo, as several
roles at once, through the real login form.

    locust -f bench/load/locustfile.py --host http://127.0.0.1:8124   # or bench/load/run.py

Each simulated person logs in with its demo account, then walks its role's pages: the
referent her caseload, youth records, the CEJ-JR pathways and the API list; the
counsellor the youths shared with the mission locale and the CEJ-JR pages; the
coordinator the housing dashboard and the availability search; the finance officer the
invoices and payments; directors and funders their dashboards. Now and then a person logs
out and in again. Detail pages are the ones linked from the lists the person was shown,
so every request is one the interface offers. A response is a failure when its status is
not 200 or when it lands on the login page (a lost session).
"""

from __future__ import annotations

import datetime
import random
import re

from locust import HttpUser, between, task

PASSWORD = "Demo-Coparcours-2026"  # the demo accounts' shared password (README)
LOGIN = "/compte/connexion/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(HttpUser):
    """A demo account: logs in on start, then runs its role's tasks."""

    abstract = True
    wait_time = between(0.5, 2.0)
    emails: tuple[str, ...] = ()
    #: regular expressions of the detail links worth following, by list page
    follow: dict[str, str] = {}
    #: with several memberships, the organisation the person works for (start of its name)
    works_for = ""

    def on_start(self) -> None:
        self.email = random.choice(self.emails)
        self.links: dict[str, list[str]] = {}
        self.login()

    def login(self) -> None:
        form = self.client.get(LOGIN, name="login form")
        token = CSRF.search(form.text)
        with self.client.post(
            LOGIN,
            {
                "username": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}{LOGIN}"},
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or LOGIN in response.url:
                response.failure(f"login of {self.email} refused ({response.status_code})")
        if self.works_for:
            self.switch_to(self.works_for)

    def switch_to(self, organisation: str) -> None:
        """Work for one of one's organisations, as the header's switcher does."""
        home = self.client.get("/", name="home").text
        option = re.search(rf'<option value="(\d+)"[^>]*>{re.escape(organisation)}', home)
        token = CSRF.search(home)
        if option and token:
            self.client.post(
                "/organisation/changer/",
                {"membership": option.group(1), "next": "/", "csrfmiddlewaretoken": token.group(1)},
                headers={"Referer": f"{self.host}/"},
                name="switch organisation",
            )

    def page(self, path: str, name: str | None = None) -> str:
        """GET a page as the person; a 200 outside the login page is a success."""
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")
            elif LOGIN in response.url:
                response.failure(f"session lost on {path}")
            return response.text or ""

    def browse(self, path: str) -> None:
        """A list page, then one of the detail pages it links to."""
        text = self.page(path)
        pattern = self.follow.get(path)
        if pattern is None:
            return
        links = sorted(set(re.findall(pattern, text))) or self.links.get(path, [])
        self.links[path] = links
        if links:
            self.page(random.choice(links), name=f"{path} → detail")

    @task(1)
    def logout_and_login(self) -> None:
        form = self.page("/")
        token = CSRF.search(form)
        self.client.post(
            "/compte/deconnexion/",
            {"csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/"},
            name="logout",
        )
        self.client.cookies.clear()
        self.login()


class Referent(Person):
    emails = ("referente@demo.coparcours.fr",)
    works_for = "Rebond"  # the CEJ-JR porteur, where her pathways are
    weight = 4
    follow = {"/jeunes/?vue=all": r'href="(/jeunes/\d+/)"', "/cej/": r'href="(/cej/parcours/\d+/)"'}

    @task(5)
    def caseload_and_record(self) -> None:
        self.browse("/jeunes/?vue=all")

    @task(3)
    def cej_pathways(self) -> None:
        self.browse("/cej/")

    @task(2)
    def api_list(self) -> None:
        self.page("/api/v1/youths?limit=50")

    @task(1)
    def home_and_directory(self) -> None:
        self.page("/")
        self.page("/annuaire/")


class Counsellor(Person):
    emails = ("conseiller@demo.coparcours.fr",)
    weight = 2
    follow = {"/jeunes/?vue=all": r'href="(/jeunes/\d+/)"', "/cej/": r'href="(/cej/parcours/\d+/)"'}

    @task(3)
    def shared_youths(self) -> None:
        self.browse("/jeunes/?vue=all")

    @task(3)
    def cej_pathways(self) -> None:
        self.browse("/cej/")

    @task(1)
    def home(self) -> None:
        self.page("/")


class Coordinator(Person):
    emails = ("coordination@demo.coparcours.fr",)
    weight = 2
    follow = {"/hebergement/demandes/": r'href="(/hebergement/demandes/\d+/)"'}

    @task(3)
    def housing_dashboard(self) -> None:
        self.page("/hebergement/")

    @task(3)
    def availability(self) -> None:
        start = datetime.date.today() + datetime.timedelta(days=random.randint(0, 30))
        age = random.randint(13, 17)
        sex = random.choice("MF")
        self.page(
            f"/hebergement/disponibilites/?start={start}&age={age}&sex={sex}",
            name="/hebergement/disponibilites/",
        )

    @task(2)
    def requests(self) -> None:
        self.browse("/hebergement/demandes/")

    @task(1)
    def caseload(self) -> None:
        self.page("/jeunes/")


class FinanceOfficer(Person):
    emails = ("finances@demo.coparcours.fr",)
    weight = 1
    follow = {"/finances/factures/": r'href="(/finances/factures/\d+/)"'}

    @task(2)
    def money(self) -> None:
        self.page("/finances/")
        self.page("/finances/versements/")

    @task(2)
    def invoices(self) -> None:
        self.browse("/finances/factures/")


class Steering(Person):
    """Directors and funders: their dashboards (masked figures for funders)."""

    emails = (
        "pilotage-cej@demo.coparcours.fr",
        "direction@demo.coparcours.fr",
        "departement@demo.coparcours.fr",
        "dreets@demo.coparcours.fr",
    )
    weight = 2
    #: /pilotage/ leads to the role's dashboard; then another dashboard or a table's export
    follow = {"/pilotage/": r'href="(/pilotage/[a-z-]+/(?:tableau-\d+\.(?:csv|xlsx))?)[?"]'}

    @task(3)
    def dashboards(self) -> None:
        self.browse("/pilotage/")
