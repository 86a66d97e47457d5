import datetime

from django.db import migrations

#: In force since the recodification of the CESEDA (ordonnance n° 2020-1733 and décret
#: n° 2020-1734 of 16 December 2020, in force on 1 May 2021); docs/domain-rules.md.
RECODIFIED = datetime.date(2021, 5, 1)

ROUTES = [
    {
        "code": "vpf",
        "article": "CESEDA L.423-22",
        "entrusted_by_birthday": 16,
        "conditions": (
            "Confié·e à l'ASE ou à un tiers digne de confiance au plus tard le jour de ses "
            "16 ans ; demande dans l'année qui suit ses 18 ans ; caractère réel et sérieux du "
            "suivi de la formation, nature des liens avec la famille restée dans le pays "
            "d'origine, avis de la structure d'accueil sur son insertion dans la société "
            "française."
        ),
        "deadline_months": 12,
        "deadline_on_eve": True,
        "deadline_article": "CESEDA R.431-5 2°",
        "source": (
            "CESEDA L.423-22 (carte de séjour temporaire « vie privée et familiale » de plein "
            "droit) et R.431-5 2° (au plus tard la veille des 19 ans) ; ouverture de la "
            "préparation deux mois avant les 18 ans : pratique du groupement"
        ),
    },
    {
        "code": "salarie",
        "article": "CESEDA L.435-3",
        "entrusted_by_birthday": 18,
        "conditions": (
            "Confié·e à l'ASE entre 16 et 18 ans ; à titre exceptionnel, dans l'année qui suit "
            "ses 18 ans ; suit depuis au moins six mois une formation destinée à lui apporter "
            "une qualification professionnelle ; caractère réel et sérieux du suivi de cette "
            "formation, nature des liens avec la famille restée dans le pays d'origine, avis "
            "de la structure d'accueil ; pas de menace pour l'ordre public."
        ),
        "deadline_months": 2,
        "deadline_on_eve": False,
        "deadline_article": "CESEDA R.431-5 3°",
        "source": (
            "CESEDA L.435-3 (admission exceptionnelle au séjour « salarié » ou « travailleur "
            "temporaire ») et R.431-5 3° (au plus tard deux mois après les 18 ans) ; ouverture "
            "de la préparation deux mois avant les 18 ans : pratique du groupement"
        ),
    },
]

FILE = "CESEDA R.431-10 et annexe 10 (pièces justificatives)"
PIECES = [
    ("", "Passeport ou document d'identité du pays d'origine", FILE),
    ("", "Acte de naissance (légalisé ou apostillé selon le pays)", FILE),
    ("", "Jugement ou ordonnance de placement à l'ASE", "CESEDA L.423-22, L.435-3 (placement)"),
    (
        "",
        "Certificats de scolarité ou attestations de formation",
        "CESEDA L.423-22, L.435-3 (suivi réel et sérieux de la formation)",
    ),
    (
        "salarie",
        "Contrat d'apprentissage ou de travail, ou promesse d'embauche",
        "CESEDA L.435-3 (« salarié » ou « travailleur temporaire »)",
    ),
    (
        "",
        "Rapport de la structure d'accueil sur l'insertion du jeune",
        "CESEDA L.423-22, L.435-3 (avis de la structure d'accueil)",
    ),
    ("", "Justificatif de domicile (attestation d'hébergement)", FILE),
    ("", "Photographies d'identité récentes", FILE),
    ("", "Timbre fiscal (à acquitter à la remise du titre)", "CESEDA L.436-1 et suivants (taxes)"),
]


def create_defaults(apps, schema_editor):
    PermitRoute = apps.get_model("housing", "PermitRoute")
    PermitPieceKind = apps.get_model("housing", "PermitPieceKind")
    for route in ROUTES:
        PermitRoute.objects.get_or_create(
            code=route["code"],
            valid_from=RECODIFIED,
            defaults={**route, "opens_days_before": 60, "reminder_days_before_deadline": 30},
        )
    for order, (route, label, source) in enumerate(PIECES, start=1):
        PermitPieceKind.objects.get_or_create(
            label=label,
            route=route,
            valid_from=RECODIFIED,
            defaults={"source": source, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("housing", "0005_road_to_18")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
