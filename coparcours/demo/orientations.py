"""The demo's orientations from partners without an account: each partnership's public page
open (the CEJ-JR's by its porteur, the GME's by the Département), and one orientation waiting
on each, sent through the same service as the public form."""

from __future__ import annotations

import time

from coparcours.accounts.models import User
from coparcours.organisations.models import Consortium
from coparcours.orientations import guard
from coparcours.orientations.models import AgreementMethod
from coparcours.orientations.services import set_page_open, submit_orientation


def load_orientations_demo(users: dict[str, User], gme: Consortium, cej_jr: Consortium) -> None:
    cej_page = set_page_open(users["pilotage-cej"], cej_jr, True)
    gme_page = set_page_open(users["departement"], gme, True)
    opened = time.time() - 60  # the partner took a minute to fill the form
    submit_orientation(
        cej_page,
        guard.form_token(cej_page.token, issued_at=opened),
        partner_structure="Club de prévention Lille Sud",
        partner_name="Yanis Belkacem, éducateur de rue",
        partner_email="y.belkacem@prevention-lillesud.example.org",
        partner_phone="03 53 73 02 10",
        youth_first_names="Kevin",
        youth_last_name="Delcourt",
        youth_age=19,
        youth_commune="Lille (Faubourg de Béthune)",
        youth_contact="Au local du club le mercredi après-midi, ou par l'éducateur",
        situation=(
            "Sorti du lycée professionnel sans diplôme il y a deux ans, ne vient plus à la "
            "mission locale. D'accord pour rencontrer quelqu'un s'il est accompagné."
        ),
        agreement_method=AgreementMethod.IN_PERSON,
    )
    submit_orientation(
        gme_page,
        guard.form_token(gme_page.token, issued_at=opened),
        partner_structure="Accueil de jour Saint-Maurice",
        partner_name="Lucie Verhaeghe",
        partner_email="accueil@saint-maurice.example.org",
        youth_first_names="Abdoulaye",
        youth_age=16,
        youth_commune="Roubaix",
        youth_contact="Passe à l'accueil de jour chaque matin",
        situation="Arrivé seul depuis trois semaines, dort chez des compatriotes.",
        agreement_method=AgreementMethod.IN_PERSON,
    )
