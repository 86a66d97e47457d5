"""The Nord demo's CEJ-JR co-accompaniment: a youth under contract with a shared
plan (two actions late), activities of both partners (the minimum reached the week before
last, not last week), her counsellor and his Monday follow-up of the week before last, an
interview, a missed action waiting for the mission locale's decision, and her 3-month
review due; plus the partnership's "who does what".

Called from ``nord.py`` after the CEJ-JR pathways (outreach to contract); loading twice
changes nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.organisations.models import Consortium, Organisation

#: Activities of the past week: (day offset from Monday, hour, minutes, kind, title, partner).
LAST_WEEK = [
    (0, 9, 180, "workshop", "Atelier « Mon projet »", "porteur"),
    (1, 14, 120, "training", "Atelier numérique", "mission_locale"),
    (2, 9, 180, "sport_culture", "Sortie culturelle au Tripostal", "porteur"),
    (2, 14, 120, "job_search", "Recherche d'offres avec la conseillère", "mission_locale"),
    (3, 14, 120, "training", "Remise à niveau en français", "mission_locale"),
    (4, 10, 60, "health", "Rendez-vous au centre de santé", "porteur"),
]


#: Activities of the week before last (16 hours), in the Monday follow-up already received.
WEEK_BEFORE = [
    (0, 9, 180, "workshop", "Atelier « Mon projet »", "porteur"),
    (1, 14, 180, "training", "Atelier numérique", "mission_locale"),
    (2, 9, 240, "immersion", "Immersion en cuisine au restaurant d'insertion", "porteur"),
    (3, 14, 180, "job_search", "Recherche d'offres avec le conseiller", "mission_locale"),
    (4, 10, 180, "volunteering", "Bénévolat aux Restos du cœur", "porteur"),
]


#: Her coming appointments (days from today): she already said she cannot come to one.
COMING = [
    (1, 9, 180, "workshop", "Atelier « Mon projet »", "porteur"),
    (2, 14, 120, "job_search", "Recherche d'offres avec le conseiller", "mission_locale"),
    (3, 10, 60, "health", "Rendez-vous au centre de santé", "porteur"),
]


def load_cej_co_accompaniment(
    org: dict[str, Organisation], users: dict[str, User], cej_jr: Consortium
) -> None:
    from coparcours.cej.followup import produce
    from coparcours.cej.models import Activity, Pathway, WeeklyFollowUp, YouthAnswer
    from coparcours.cej.models.committee import AgendaReason, DecisionKind
    from coparcours.cej.rules import week_start
    from coparcours.cej.services.allowances import propose_sanction
    from coparcours.cej.services.committee import create_meeting, record_decision
    from coparcours.cej.services.contract import sign_contract
    from coparcours.cej.services.dossier import collect_item, prepare_dossier
    from coparcours.cej.services.hours import add_activity
    from coparcours.cej.services.interviews import record_interview, set_counsellor
    from coparcours.cej.services.outreach import record_outreach
    from coparcours.cej.services.plan import add_plan_action, charter, start_plan
    from coparcours.youths.factories import ConsentFactory

    charter(cej_jr)
    if Pathway.objects.filter(partnership=cej_jr, youth__last_name="Roussel").exists():
        return
    referent, porteur, mission = users["referente"], org["porteur"], org["mission_locale"]
    counsellor = users["conseiller"]
    today = timezone.localdate()
    entered = today - datetime.timedelta(days=100)
    pathway = record_outreach(
        referent,
        porteur,
        cej_jr,
        youth_fields={
            "last_name": "Roussel",
            "first_names": "Sarah",
            "sex": "F",
            "birth_date": datetime.date(2004, 9, 14),
            "phone": "06 12 34 56 78",  # the numbering plan's own example
            "referent": referent,
        },
        identified_on=entered,
        spotted_where="Accueil de jour, rue Solférino",
        spotted_by="Relais d'accueil de jour",
        spotted_how="walk_in",
        registration="never",
    )
    ConsentFactory(
        youth=pathway.youth,
        organisation=mission,
        categories=["education_employment", "admin_documents", "contact"],
        purpose="Co-accompagnement du parcours CEJ-JR",
        start_date=entered,
        author_organisation=porteur,
    )
    ConsentFactory(  # the tripartite contract: the porteur reads the mission locale's part
        youth=pathway.youth,
        organisation=porteur,
        categories=["education_employment"],
        purpose="Co-accompagnement du parcours CEJ-JR : activités de la mission locale",
        start_date=entered,
        author_organisation=mission,
    )
    first = create_meeting(
        referent, porteur, cej_jr, date=entered + datetime.timedelta(days=2), participants="JD, KH"
    )
    record_decision(
        referent,
        porteur,
        first,
        pathway,
        kind=DecisionKind.REMOBILISATION,
        decided_by="Julie Dumont (porteur) et Karim Haddad (mission locale)",
    )
    second = create_meeting(
        referent, porteur, cej_jr, date=entered + datetime.timedelta(days=30), participants="JD, KH"
    )
    if not second.items.filter(pathway=pathway).exists():
        second.items.create(
            pathway=pathway,
            youth=pathway.youth,
            author_organisation=porteur,
            reason=AgendaReason.PENDING,
        )
    pathway.refresh_from_db()
    record_decision(
        referent,
        porteur,
        second,
        pathway,
        kind=DecisionKind.PROPOSE_CONTRACT,
        decided_by="Julie Dumont (porteur) et Karim Haddad (mission locale)",
    )
    sign_contract(
        referent,
        porteur,
        pathway,
        start=entered + datetime.timedelta(days=35),
        months=12,
        tax_situation="non_taxable",
    )
    set_counsellor(referent, porteur, pathway, counsellor)
    # her file: the last two pieces still to bring, which she can send from her space
    for item in prepare_dossier(referent, porteur, pathway)[:-2]:
        collect_item(referent, porteur, item, on=entered + datetime.timedelta(days=20))
    plan = start_plan(
        referent,
        porteur,
        pathway,
        diagnosis_on=entered + datetime.timedelta(days=10),
        diagnosis="Hébergée chez une amie, sans ressources ; souhaite travailler en cuisine.",
    )
    for dimension, objective, action, owner, person, days in (
        (
            "employment",
            "Entrer en formation",
            "Inscription au CAP cuisine",
            mission,
            counsellor,
            60,
        ),
        ("housing", "Un logement stable", "Demande au SIAO et au FJT", porteur, referent, 30),
        ("rights", "Ouvrir ses droits", "Dossier de complémentaire santé", porteur, referent, 20),
        (
            "resources",
            "Avoir des ressources",
            "Demande au fonds d'aide aux jeunes",
            porteur,
            referent,
            -6,
        ),
        (
            "mobility",
            "Se rendre en formation",
            "Dossier d'aide au permis AM",
            mission,
            counsellor,
            -3,
        ),
    ):
        add_plan_action(
            referent,
            porteur,
            plan,
            dimension=dimension,
            objective=objective,
            action=action,
            owner_organisation=owner,
            owner=person,
            due_on=today + datetime.timedelta(days=days),
        )
    monday = week_start(today) - datetime.timedelta(days=7)

    def plan_activity(day, hour, minutes, kind, title, partner):
        """One of her activities, by the partner that runs it: attended once past."""
        author, by = (porteur, referent) if partner == "porteur" else (mission, counsellor)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        return add_activity(
            by,
            author,
            pathway,
            kind=kind,
            title=title,
            starts_at=starts_at,
            duration_minutes=minutes,
            responsible=author,
            attended=True if starts_at < timezone.now() else None,
        )

    for week, activities in (
        (monday - datetime.timedelta(days=7), WEEK_BEFORE),
        (monday, LAST_WEEK),
    ):
        for offset, hour, minutes, kind, title, partner in activities:
            plan_activity(
                week + datetime.timedelta(days=offset), hour, minutes, kind, title, partner
            )
        if week < monday:  # its Monday follow-up went out last Monday, not read yet
            report = produce(week, counsellor_ids={counsellor.pk}, send_now=False)
            WeeklyFollowUp.objects.filter(pk__in=[f.pk for f in report.created]).update(
                sent_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(8)))
            )
    for days, hour, minutes, kind, title, partner in COMING:
        coming = plan_activity(
            today + datetime.timedelta(days=days), hour, minutes, kind, title, partner
        )
        if partner == "mission_locale":
            Activity.objects.filter(pk=coming.pk).update(
                youth_answer=YouthAnswer.NOT_COMING, youth_answered_at=timezone.now()
            )
    record_interview(
        counsellor,
        mission,
        pathway,
        kind="tripartite",
        category="education_employment",
        title="Entretien tripartite",
        text="Sarah confirme son projet en cuisine ; le porteur l'accompagne vers un FJT.",
        occurred_on=entered + datetime.timedelta(days=40),
    )
    propose_sanction(
        counsellor,
        mission,
        pathway,
        occurred_on=today - datetime.timedelta(days=2),
        description="Rendez-vous de suivi à la mission locale non honoré, sans motif légitime",
    )
