"""Importing CEJ-JR pathways: each line checked as outreach and the stage moves are, the
pathway recorded with the history they would have written; nothing saved on an error."""

from __future__ import annotations

import datetime

import pytest

from coparcours.cej.models import EligibilityCheck, Pathway, Review
from coparcours.core.tabular import FileRefused
from coparcours.imports import services
from coparcours.youths.models import Assignment
from tests.imports.conftest import YOUTH_HEADER, csv_file

pytestmark = pytest.mark.django_db

HEADER = [
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Repéré le",
    "Lieu du repérage",
    "Partenaire du repérage",
    "Mode de repérage",
    "Inscription à la mission locale",
    "Inscrit le",
    "Étape",
    "À cette étape depuis",
    "Début du contrat",
    "Issue",
    "Référent (courriel)",
    "Conseiller (courriel)",
]


def _line(name, first, born, stage, since, contract="", outcome="", referent="", counsellor=""):
    return [
        name,
        first,
        born,
        "12/01/2026",
        "Gare Lille-Flandres",
        "Prévention spécialisée",
        "Maraude, aller-vers",
        "Jamais inscrit·e",
        "",
        stage,
        since,
        contract,
        outcome,
        referent,
        counsellor,
    ]


@pytest.fixture
def porteur_director(demo, youths_kind):
    user = demo.users["pilotage-cej"]
    youths = csv_file(
        [
            YOUTH_HEADER[:4],
            ["Lefort", "Kevin", "M", "04/07/2004"],
            ["Haddou", "Sarah", "F", "22/02/2003"],
            ["Morel", "Dylan", "M", "09/09/2005"],
            ["Petitjean", "Léa", "F", "10/10/2012"],
        ]
    )
    services.import_file(user, demo.porteur, youths_kind, "jeunes.csv", youths, {})
    return user


def test_pathways_at_every_stage_are_recorded_with_their_history(
    demo, porteur_director, pathways_kind
):
    referent = demo.users["referente"].email
    counsellor = demo.users["conseiller"].email
    content = csv_file(
        [
            HEADER,
            _line(
                "Lefort",
                "Kevin",
                "04/07/2004",
                "Contrat CEJ",
                "02/03/2026",
                "02/03/2026",
                referent=referent,
                counsellor=counsellor,
            ),
            _line(
                "Haddou", "Sarah", "22/02/2003", "Remobilisation", "26/01/2026", referent=referent
            ),
            _line(
                "Morel",
                "Dylan",
                "09/09/2005",
                "Sorti·e",
                "30/06/2026",
                outcome="Emploi",
                referent=referent,
            ),
        ]
    )

    batch = services.import_file(
        porteur_director, demo.porteur, pathways_kind, "p.csv", content, {}
    )

    assert batch.created_count == 3
    contract = Pathway.objects.get(youth__last_name="Lefort")
    assert (contract.stage, contract.contract_start, contract.contract_months) == (
        "contract",
        datetime.date(2026, 3, 2),
        12,
    )
    assert contract.counsellor == demo.users["conseiller"]
    assert contract.referent == demo.users["referente"]
    assert contract.partnership == demo.cej_jr and contract.mission_locale == demo.mission_locale
    assert list(contract.stage_changes.order_by("on").values_list("to_stage", flat=True)) == [
        "identified",
        "contract",
    ]
    assert Review.objects.filter(pathway=contract).count() == 2
    assert EligibilityCheck.objects.filter(pathway=contract).exists()
    assert Assignment.objects.filter(
        youth=contract.youth, organisation=demo.mission_locale
    ).exists()
    exited = Pathway.objects.get(youth__last_name="Morel")
    assert (exited.stage, exited.exit_on, exited.exit_outcome) == (
        "exit",
        datetime.date(2026, 6, 30),
        "job",
    )


def test_pathway_lines_are_refused_as_the_product_refuses_them(
    demo, porteur_director, pathways_kind
):
    referent = demo.users["referente"].email
    content = csv_file(
        [
            HEADER,
            _line("Petitjean", "Léa", "10/10/2012", "Repéré·e", "12/01/2026", referent=referent),
            _line("Lefort", "Kevin", "04/07/2004", "Contrat CEJ", "02/03/2026", referent=referent),
            _line("Haddou", "Sarah", "22/02/2003", "Sorti·e", "30/06/2026", referent=referent),
            _line(
                "Morel",
                "Dylan",
                "09/09/2005",
                "Remobilisation",
                "01/01/2026",
                referent="inconnu@exemple.fr",
            ),
            _line(
                "Morel", "Dylan", "09/09/2005", "Remobilisation", "10/12/2025", referent=referent
            ),
        ]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(porteur_director, demo.porteur, pathways_kind, "p.csv", content, {})

    errors = {(line, col): message for line, col, message in refused.value.file_errors.located}
    assert "13 ans au repérage" in errors[(2, "Date de naissance")]
    assert "L.5131-6" in errors[(2, "Date de naissance")]
    assert errors[(3, "Début du contrat")] == "un contrat CEJ a son jour de début."
    assert errors[(4, "Issue")] == "une sortie a son issue."
    assert "n'est pas un référent du porteur" in errors[(5, "Référent (courriel)")]
    assert errors[(6, "À cette étape depuis")] == "l'étape ne peut pas précéder le repérage."
    assert not Pathway.objects.filter(youth__last_name__in=["Lefort", "Haddou", "Morel"]).exists()


def test_one_open_pathway_per_youth(demo, porteur_director, pathways_kind):
    referent = demo.users["referente"].email
    content = csv_file(
        [
            HEADER,
            _line(
                "Haddou", "Sarah", "22/02/2003", "Remobilisation", "26/01/2026", referent=referent
            ),
            _line("Haddou", "Sarah", "22/02/2003", "Repéré·e", "12/01/2026", referent=referent),
        ]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(porteur_director, demo.porteur, pathways_kind, "p.csv", content, {})

    assert refused.value.messages == [
        "Ligne 3, colonne « Étape » : un second parcours en cours pour le jeune de la ligne 2."
    ]
