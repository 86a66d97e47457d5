"""Importing stays: each line checked as an admission and an exit are, then over the
whole file what one line cannot tell (overlaps, places); nothing saved while an error
remains."""

from __future__ import annotations

import datetime

import pytest

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.core.tabular import FileRefused
from coparcours.housing.models import Stay
from coparcours.imports import services
from coparcours.youths.models import Assignment, Youth
from tests.imports.conftest import YOUTH_HEADER, csv_file

pytestmark = pytest.mark.django_db

STAY_HEADER = ["Nom", "Prénoms", "Date de naissance", "Site", "Entrée", "Sortie", "Motif de sortie"]
COLLECTIVE = "Unité collective du Pile"  # Temps de vie, boys of 14 to 17, 140 places
STUDIO = "Studio de semi-autonomie de Tourcoing"  # Temps de vie, 16 to 17, one place
ALEFPA_SITE = "Maison d'enfants Les Tilleuls"


@pytest.fixture
def director(demo, youths_kind):
    """Temps de vie's director, whose youths are already imported."""
    user = demo.users["direction"]
    youths = csv_file(
        [
            YOUTH_HEADER[:4],
            ["Tounkara", "Sekou", "M", "01/03/2009"],
            ["Rahimi", "Ahmad Shah", "M", "15/06/2008"],
            ["Kaba", "Moussa", "M", "20/10/2012"],
        ]
    )
    services.import_file(user, demo.temps_de_vie, youths_kind, "jeunes.csv", youths, {})
    return user


def test_stays_are_recorded_as_an_admission_and_an_exit_would_be(demo, director, stays_kind):
    content = csv_file(
        [
            STAY_HEADER,
            ["Tounkara", "Sekou", "01/03/2009", COLLECTIVE, "05/01/2026", "", ""],
            [
                "Rahimi",
                "Ahmad Shah",
                "15/06/2008",
                COLLECTIVE,
                "02/09/2025",
                "15/06/2026",
                "Majorité",
            ],
        ]
    )

    batch = services.import_file(director, demo.temps_de_vie, stays_kind, "s.csv", content, {})

    assert batch.created_count == 2
    ongoing = Stay.objects.get(youth__last_name="Tounkara")
    assert (ongoing.site.name, ongoing.start_date, ongoing.end_date) == (
        COLLECTIVE,
        datetime.date(2026, 1, 5),
        None,
    )
    ended = Stay.objects.get(youth__last_name="Rahimi")
    assert (ended.end_date, ended.exit_reason) == (datetime.date(2026, 6, 15), "majority")
    coordination = ended.coordination_assignment
    assert coordination.organisation == demo.alefpa  # the GME's lead
    assert (coordination.start_date, coordination.end_date) == (
        datetime.date(2025, 9, 2),
        datetime.date(2026, 6, 15),
    )
    assert (
        Assignment.objects.active(datetime.date(2026, 2, 1))
        .filter(youth=ongoing.youth, organisation=demo.alefpa)
        .exists()
    )
    line = AuditLog.objects.get(youth_id=ended.youth_id, event=AuditEvent.WRITE, category="housing")
    assert f"import n° {batch.pk}" in line.reason


def test_every_line_is_checked_as_the_product_checks_stays(demo, director, stays_kind):
    future = datetime.date.today() + datetime.timedelta(days=3)
    content = csv_file(
        [
            STAY_HEADER,
            ["Inconnu", "Jean", "01/01/2009", COLLECTIVE, "05/01/2026", "", ""],
            ["Tounkara", "Sekou", "01/03/2009", "Château de Versailles", "05/01/2026", "", ""],
            ["Tounkara", "Sekou", "01/03/2009", ALEFPA_SITE, "05/01/2026", "", ""],
            ["Tounkara", "Sekou", "01/03/2009", COLLECTIVE, f"{future:%d/%m/%Y}", "", ""],
            [
                "Rahimi",
                "Ahmad Shah",
                "15/06/2008",
                COLLECTIVE,
                "02/09/2025",
                "01/09/2025",
                "Majorité",
            ],
            ["Rahimi", "Ahmad Shah", "15/06/2008", COLLECTIVE, "02/09/2025", "15/06/2026", ""],
            ["Kaba", "Moussa", "20/10/2012", COLLECTIVE, "05/01/2026", "", ""],
        ]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(director, demo.temps_de_vie, stays_kind, "s.csv", content, {})

    errors = {
        (line, column): message for line, column, message in refused.value.file_errors.located
    }
    assert "importez d'abord le jeune" in errors[(2, "Nom")]
    assert "n'est pas un site de votre organisation" in errors[(3, "Site")]
    assert "n'est pas un site de votre organisation" in errors[(4, "Site")]
    assert "pas de date future" in errors[(5, "Entrée")]
    assert errors[(6, "Sortie")] == "la sortie doit suivre l'entrée."
    assert "donnez son motif" in errors[(7, "Motif de sortie")]
    assert errors[(8, "Site")] == "Ce site accueille des jeunes de 14 à 17 ans ; le jeune a 13 ans."
    assert not Stay.objects.filter(youth__in=_imported_youths()).exists()


def test_overlaps_within_the_file_and_with_recorded_stays_are_refused(demo, director, stays_kind):
    first = csv_file(
        [STAY_HEADER, ["Tounkara", "Sekou", "01/03/2009", COLLECTIVE, "05/01/2026", "", ""]]
    )
    services.import_file(director, demo.temps_de_vie, stays_kind, "a.csv", first, {})
    content = csv_file(
        [
            STAY_HEADER,
            [
                "Tounkara",
                "Sekou",
                "01/03/2009",
                COLLECTIVE,
                "01/06/2025",
                "10/01/2026",
                "Retour en famille",
            ],
            ["Rahimi", "Ahmad Shah", "15/06/2008", COLLECTIVE, "02/09/2025", "", ""],
            ["Rahimi", "Ahmad Shah", "15/06/2008", STUDIO, "01/03/2026", "", ""],
        ]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(director, demo.temps_de_vie, stays_kind, "b.csv", content, {})

    messages = refused.value.messages
    assert (
        f"Ligne 2, colonne « Entrée » : ce jeune a déjà un séjour à {COLLECTIVE} à ces dates "
        "(entrée le 05/01/2026)." in messages
    )
    assert (
        "Ligne 4, colonne « Entrée » : ce séjour chevauche celui de la ligne 3 pour le même jeune."
        in messages
    )
    assert Stay.objects.filter(youth__in=_imported_youths()).count() == 1


def _imported_youths():
    return Youth.objects.filter(last_name__in=["Tounkara", "Rahimi", "Kaba"])


def test_a_site_never_holds_more_youths_than_its_places(demo, director, stays_kind):
    recorded = Stay.objects.get(site__name=STUDIO)  # the demo's, since 20 April 2026
    content = csv_file(
        [
            STAY_HEADER,
            ["Tounkara", "Sekou", "01/03/2009", STUDIO, "05/01/2026", "01/03/2026", "Majorité"],
            ["Rahimi", "Ahmad Shah", "15/06/2008", STUDIO, "02/02/2026", "", ""],
        ]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(director, demo.temps_de_vie, stays_kind, "s.csv", content, {})

    assert refused.value.messages == [
        f"Ligne 3, colonne « Site » : le 02/02/2026, {STUDIO} hébergerait 2 jeunes pour 1 "
        "place ouverte."
    ]
    assert list(Stay.objects.filter(site__name=STUDIO)) == [recorded]


def test_a_stay_recorded_later_at_a_full_site_is_counted(demo, director, stays_kind):
    recorded = Stay.objects.get(site__name=STUDIO)
    content = csv_file(
        [STAY_HEADER, ["Tounkara", "Sekou", "01/03/2009", STUDIO, "05/01/2026", "", ""]]
    )

    with pytest.raises(FileRefused) as refused:
        services.import_file(director, demo.temps_de_vie, stays_kind, "s.csv", content, {})

    assert refused.value.messages == [
        f"Ligne 2, colonne « Site » : le {recorded.start_date:%d/%m/%Y}, {STUDIO} hébergerait "
        "2 jeunes pour 1 place ouverte."
    ]
