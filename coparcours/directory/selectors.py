"""Read queries of the directory: search, scheme lists, a youth's orientation.

Youth data is read only through the access policy (``core.access.check``), one category at
a time; what the user may not see stays unknown to the orientation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from coparcours.cej.models import Contact, Pathway
from coparcours.cej.rules import Stage
from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Grant,
    active_memberships,
    check,
    organisations_where,
)
from coparcours.directory import rules
from coparcours.directory.models import (
    ReferenceValue,
    Referral,
    Scheme,
    Service,
    Structure,
    ValueList,
)
from coparcours.youths.models import Youth


def _codes_through(model: type[Any]) -> Any:
    return model.codes.through


def _carrying(model: type[Any], value_ids: list[int]) -> Q:
    """Rows linked to one of these reference values (the link table's own index serves it)."""
    owner = f"{model._meta.model_name}_id"
    links = _codes_through(model).objects.filter(
        referencevalue_id__in=value_ids, **{owner: OuterRef("pk")}
    )
    return Q(Exists(links))


def theme_filter(model: type[Any], theme: str) -> Q:
    """Rows carrying a thématique, or any thématique of a catégorie; unknown codes refused."""
    if "--" in theme:
        known = ReferenceValue.objects.filter(value_list=ValueList.THEMATIQUE, code=theme)
    else:
        known = ReferenceValue.objects.filter(
            Q(value_list=ValueList.CATEGORIE, code=theme)
            | Q(value_list=ValueList.THEMATIQUE, parent_code=theme)
        )
    values = dict(known.values_list("pk", "value_list"))
    if not values:
        raise ValidationError(
            {"thematique": f"Thématique inconnue : « {theme} ». Choisissez-en une dans la liste."}
        )
    return _carrying(model, [pk for pk, kind in values.items() if kind == ValueList.THEMATIQUE])


def code_filter(model: type[Any], value_list: str, codes: list[str], label: str) -> Q:
    """Rows carrying one of these codes of a value list; the first code must be known."""
    found = dict(
        ReferenceValue.objects.filter(value_list=value_list, code__in=codes).values_list(
            "code", "pk"
        )
    )
    if codes[0] not in found:
        raise ValidationError({label: f"Valeur inconnue : « {codes[0]} »."})
    return _carrying(model, list(found.values()))


def search_services(
    *,
    text: str = "",
    theme: str = "",
    public: str = "",
    commune: str = "",
    departement: str = "",
) -> QuerySet[Service]:
    """Services matching every given criterion, accent- and case-insensitively.

    Free text is matched word by word on the stored normalised column (a trigram index
    serves it on PostgreSQL). Unknown theme or public codes raise ``ValidationError``.
    """
    services = Service.objects.all()
    if theme:
        services = services.filter(theme_filter(Service, theme))
    if public:
        services = services.filter(
            code_filter(Service, ValueList.PUBLIC, [public, "tous-publics"], "public")
        )
    if commune:
        commune = commune.strip()
        services = services.filter(
            Q(code_postal=commune) | Q(code_insee=commune) | Q(commune__iexact=commune)
        )
    if departement:
        services = services.filter(departement=departement.strip().upper())
    for word in rules.normalise(text).split():
        services = services.filter(search_text__contains=word)
    return with_details(services).order_by("nom", "pk")


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("structure").prefetch_related(
        "codes", Prefetch("structure__codes")
    )


def search_structures(text: str = "", departement: str = "") -> QuerySet[Structure]:
    structures = Structure.objects.all()
    if departement:
        structures = structures.filter(departement=departement.strip().upper())
    for word in rules.normalise(text).split():
        structures = structures.filter(search_text__contains=word)
    return structures.prefetch_related("codes").order_by("nom", "pk")


def theme_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Thématiques grouped by catégorie, for a select (one query)."""
    values = ReferenceValue.objects.filter(
        value_list__in=[ValueList.CATEGORIE, ValueList.THEMATIQUE]
    ).order_by("label")
    categories = {v.code: v.label for v in values if v.value_list == ValueList.CATEGORIE}
    groups: dict[str, list[tuple[str, str]]] = {code: [] for code in categories}
    for value in values:
        if value.value_list == ValueList.THEMATIQUE and value.parent_code in groups:
            groups[value.parent_code].append((value.code, value.label))
    return [
        (categories[code], [(code, f"{categories[code]} (toutes)"), *groups[code]])
        for code in sorted(categories, key=lambda c: categories[c])
    ]


def public_choices() -> list[tuple[str, str]]:
    return list(
        ReferenceValue.objects.filter(value_list=ValueList.PUBLIC)
        .order_by("label")
        .values_list("code", "label")
    )


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.prefetch_related("incompatible_with", "operators", "themes")


# --- Orientation -----------------------------------------------------------------------------


def _granted(user: Any, youth: Youth, category: str) -> Grant | None:
    try:
        return check(user, youth, category, Action.READ)
    except PermissionDenied:
        return None


def _employment_facts(youth: Youth, grant: Grant, day: datetime.date) -> dict[str, Any]:
    """Registration, last substantial contact and schemes in progress, from the open CEJ-JR
    pathway the grant lets the user see."""
    facts: dict[str, Any] = {}
    pathways = Pathway.objects.filter(youth=youth)
    contacts = Contact.objects.filter(youth=youth, is_substantial=True, occurred_on__lte=day)
    if not grant.all_authors:
        pathways = pathways.filter(author_organisation_id=grant.organisation_id)
        contacts = contacts.filter(author_organisation_id=grant.organisation_id)
    pathway = pathways.open().first()
    if pathway is not None:
        facts["registered_with_employment_service"] = pathway.registration == "registered"
        last = contacts.order_by("-occurred_on").values_list("occurred_on", flat=True).first()
        if pathway.registered_on and (last is None or pathway.registered_on > last):
            last = pathway.registered_on
        facts["last_substantial_contact"] = last
        current = set()
        if pathway.stage == Stage.CONTRACT:
            current |= {"cej", "cej-jr"}
        if pathway.pacea_requests.exists():
            current.add("pacea")
        facts["current_schemes"] = frozenset(current)
    elif grant.all_authors:
        facts["current_schemes"] = frozenset()
    # else another organisation's pathway (the youth's only one) would be hidden: the
    # schemes in progress stay unknown rather than "none" (Code pénal 226-13)
    return facts


def youth_facts(user: Any, youth: Youth, on: datetime.date | None = None) -> rules.YouthFacts:
    """The facts the orientation may use, each read through the access policy.

    Identity: age, ASE and unaccompanied-minor status. Contact: département of the address.
    Education and employment: registration with the mission locale, last substantial
    contact and schemes in progress (CEJ-JR pathway), as far as the user's organisation sees;
    when it sees only its own data and holds no open pathway, the schemes in progress are
    unknown (protected), never "none".
    """
    day = on or timezone.localdate()
    facts: dict[str, Any] = {}
    hidden: list[str] = []
    if _granted(user, youth, Category.IDENTITY):
        facts["birth_date"] = youth.birth_date
        facts["is_unaccompanied_minor"] = youth.is_unaccompanied_minor
        facts["in_ase_care"] = bool(youth.ase_service) or youth.is_unaccompanied_minor
    else:
        hidden.append(Category.IDENTITY.label)
    contact = _granted(user, youth, Category.CONTACT)
    if contact and contact.covers_author(youth.owner_organisation_id):  # the record's own fields
        postal_code = rules.postal_code_in(youth.address)
        facts["departement"] = rules.departement_of(postal_code) or None
    else:
        hidden.append(Category.CONTACT.label)
    grant = _granted(user, youth, Category.EDUCATION_EMPLOYMENT)
    if grant:
        facts.update(_employment_facts(youth, grant, day))
    else:
        hidden.append(Category.EDUCATION_EMPLOYMENT.label)
    return rules.YouthFacts(**facts, hidden=tuple(hidden))


@dataclass
class SchemeFit:
    scheme: Scheme
    fit: rules.Fit


@dataclass
class ServiceFit:
    service: Service
    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def rank(self) -> tuple[int, str]:
        return (len(self.missing), self.service.nom)


@dataclass
class Orientation:
    facts: rules.YouthFacts
    schemes: list[SchemeFit]
    services: list[ServiceFit]


def _zone_covers(zone: list[str], departement: str | None) -> bool | None:
    """Whether a service's eligibility zone covers the youth's département.

    ``None`` when it cannot be told: the address is not visible, or the zone lists communes
    (INSEE codes) of that département, which a postal code alone cannot match.
    """
    if not zone or "france" in zone or "99100" in zone:
        return True
    if departement is None:
        return None
    if departement in zone:
        return True
    if any(len(code) == 5 and code.startswith(departement) for code in zone):
        return None
    return False


def orientation(
    user: Any, youth: Youth, *, theme: str = "", on: datetime.date | None = None, limit: int = 10
) -> Orientation:
    """Schemes and services that fit the youth, ranked, with the criteria met and missing."""
    day = on or timezone.localdate()
    facts = youth_facts(user, youth, day)
    scheme_fits = [SchemeFit(s, rules.evaluate(s.criteria(), facts, day)) for s in schemes()]
    scheme_fits.sort(key=lambda f: (f.fit.rank, f.scheme.name))
    candidates = search_services(theme=theme) if theme else Service.objects.none()
    if facts.departement:
        candidates = candidates.filter(
            Q(departement=facts.departement) | Q(zone_eligibilite__icontains=facts.departement)
        )
    service_fits = []
    for service in candidates[:200]:
        fit = ServiceFit(service)
        publics = {v.code for v in service.codes_of(ValueList.PUBLIC)}
        if publics & {"jeunes", "tous-publics"}:
            fit.met.append("Ouvert aux jeunes.")
        else:
            fit.missing.append("Public visé : " + ", ".join(sorted(publics)) + ".")
        covered = _zone_covers(service.zone_eligibilite, facts.departement)
        if covered is None and facts.departement:
            fit.met.append("À vérifier : le service est réservé à certaines communes.")
        elif covered is None:
            fit.missing.append("Zone d'éligibilité : adresse du jeune inconnue ou non visible.")
        elif covered:
            fit.met.append("Dans la zone d'éligibilité du service.")
        else:
            fit.missing.append("Hors de la zone d'éligibilité du service.")
        if service.conditions_acces:
            fit.met.append(f"À vérifier : {service.conditions_acces}")
        service_fits.append(fit)
    service_fits.sort(key=lambda f: f.rank)
    return Orientation(facts, scheme_fits, service_fits[:limit])


def referrals_for_youth(user: Any, youth: Youth) -> QuerySet[Referral]:
    """Referrals of a youth sent by the user's organisations (identity checked by the caller)."""
    organisations = [org for org, _ in active_memberships(user)]
    return (
        Referral.objects.filter(youth=youth, author_organisation_id__in=organisations)
        .select_related("service__structure", "author_organisation", "scheme")
        .order_by("-created_at", "-pk")
    )


def received_referrals(organisation_id: int | None) -> QuerySet[Referral]:
    """Referrals addressed to the services of structures run by an organisation."""
    return (
        Referral.objects.filter(service__structure__organisation_id=organisation_id)
        .select_related("service__structure", "author_organisation", "youth")
        .order_by("status", "-created_at")
    )


def referrals_to_answer(user: Any) -> QuerySet[Referral]:
    """Referrals addressed to the services of the organisations where the user may use the
    directory (the API's answer): any other is answered as one that does not exist."""
    return Referral.objects.filter(
        service__structure__organisation_id__in=organisations_where(user, Capability.DIRECTORY)
    ).select_related("service__structure")
