"""Fictitious names for the demo's volume: unaccompanied minors from the countries the
Nord's minors come from, young people of the Lille area for the CEJ-JR pathways, and the
members' staff. Names are drawn from common ones of each origin; nobody is real."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a minor comes from: nationality (French label), languages, share of arrivals,
    and the last and first names drawn for them."""

    nationality: str
    languages: tuple[str, ...]
    weight: int
    last_names: tuple[str, ...]
    boys: tuple[str, ...]
    girls: tuple[str, ...]


_WEST_AFRICAN_BOYS = ("Mamadou", "Ibrahima", "Alpha", "Ousmane", "Abdoulaye", "Boubacar")
_WEST_AFRICAN_GIRLS = ("Fatoumata", "Mariama", "Aïssatou", "Kadiatou", "Hawa", "Oumou")

ORIGINS = (
    Origin(
        "Guinéenne",
        ("Peul", "Soussou", "Malinké"),
        24,
        ("Diallo", "Bah", "Barry", "Sow", "Camara", "Soumah", "Condé", "Baldé", "Keïta"),
        (*_WEST_AFRICAN_BOYS, "Thierno", "Mohamed Lamine", "Amadou Oury", "Sekou"),
        (*_WEST_AFRICAN_GIRLS, "Kadija", "Nènè"),
    ),
    Origin(
        "Ivoirienne",
        ("Dioula", "Baoulé", "Français"),
        15,
        ("Koné", "Ouattara", "Coulibaly", "Bamba", "Touré", "Kouassi", "Yao", "Konan"),
        ("Yacouba", "Souleymane", "Adama", "Kouadio", "Lassina", "Moussa", "Drissa"),
        ("Aminata", "Salimata", "Affoué", "Mariam"),
    ),
    Origin(
        "Malienne",
        ("Bambara", "Soninké"),
        12,
        ("Traoré", "Diarra", "Keita", "Sissoko", "Dembélé", "Konaté", "Doumbia", "Sacko"),
        ("Moussa", "Bakary", "Seydou", "Mahamadou", "Modibo", "Cheick Oumar", "Siaka"),
        ("Awa", "Fanta", "Djeneba", "Assitan"),
    ),
    Origin(
        "Afghane",
        ("Dari", "Pachto"),
        10,
        ("Ahmadi", "Hakimi", "Rahimi", "Sultani", "Wardak", "Noori", "Safi", "Karimi"),
        ("Ahmad", "Mohammad Wali", "Abdul Rahman", "Farid", "Jawad", "Naveed", "Sohail"),
        ("Mariam", "Zahra", "Fatima"),
    ),
    Origin(
        "Algérienne",
        ("Arabe", "Kabyle", "Français"),
        8,
        ("Benali", "Boudiaf", "Haddad", "Mansouri", "Bouzid", "Cherif", "Ait Ahmed"),
        ("Yacine", "Mehdi", "Amine", "Walid", "Sofiane", "Rayan", "Karim"),
        ("Yasmine", "Lina", "Imane"),
    ),
    Origin(
        "Tunisienne",
        ("Arabe",),
        6,
        ("Trabelsi", "Ben Salah", "Jebali", "Gharbi", "Hamdi", "Mejri", "Ayari"),
        ("Aymen", "Oussama", "Hamza", "Bilel", "Seifeddine", "Anis"),
        ("Nour", "Rim", "Sarra"),
    ),
    Origin(
        "Marocaine",
        ("Arabe", "Tamazight"),
        5,
        ("El Amrani", "Bennani", "Alaoui", "Tazi", "Idrissi", "El Idrissi"),
        ("Youssef", "Hicham", "Ayoub", "Anas", "Zakaria"),
        ("Salma", "Khadija", "Houda"),
    ),
    Origin(
        "Bangladaise",
        ("Bengali",),
        5,
        ("Hossain", "Rahman", "Islam", "Uddin", "Miah", "Ahmed", "Chowdhury"),
        ("Mohammed Rakib", "Sabbir", "Tanvir", "Arif", "Shakil", "Rafiq"),
        ("Nusrat", "Taslima"),
    ),
    Origin(
        "Pakistanaise",
        ("Ourdou", "Pendjabi"),
        5,
        ("Khan", "Iqbal", "Hussain", "Butt", "Malik", "Qureshi", "Raza"),
        ("Muhammad Usman", "Ali", "Hassan", "Bilal", "Imran", "Zain"),
        ("Ayesha", "Sana"),
    ),
    Origin(
        "Sénégalaise",
        ("Wolof", "Français"),
        4,
        ("Ndiaye", "Diop", "Fall", "Sarr", "Gueye", "Faye", "Mbaye"),
        ("Cheikh", "Modou", "Pape", "Serigne", "Babacar"),
        ("Awa", "Ndeye", "Astou"),
    ),
    Origin(
        "Soudanaise",
        ("Arabe",),
        3,
        ("Abdallah", "Osman", "Adam", "Ishag", "Yagoub"),
        ("Mohamed Ahmed", "Abakar", "Adam", "Ismail", "Mustafa"),
        ("Amna", "Halima"),
    ),
    Origin(
        "Camerounaise",
        ("Français", "Anglais"),
        3,
        ("Mbarga", "Fotso", "Nkodo", "Tchoumi", "Ngono", "Essomba"),
        ("Junior", "Franck", "Cédric", "Brice", "Loïc"),
        ("Brenda", "Laure", "Murielle"),
    ),
)

#: Languages a minor of that origin speaks that the teams do not: an interpreter helps.
INTERPRETED = {"Dari", "Pachto", "Bengali", "Ourdou", "Pendjabi", "Peul", "Soussou"}


@dataclass(frozen=True)
class Person:
    last_name: str
    first_names: str
    nationality: str
    languages: str
    needs_interpreter: bool


def minor(rng: random.Random, sex: str) -> Person:
    """An unaccompanied minor of an origin drawn by its share of arrivals."""
    origin = rng.choices(ORIGINS, weights=[origin.weight for origin in ORIGINS])[0]
    first = rng.choice(origin.girls if sex == "F" else origin.boys)
    spoken = rng.sample(origin.languages, k=min(2, len(origin.languages)))
    languages = [*spoken, "Français"] if "Français" not in spoken else spoken
    return Person(
        last_name=rng.choice(origin.last_names),
        first_names=first,
        nationality=origin.nationality,
        languages=", ".join(dict.fromkeys(languages)),
        needs_interpreter=bool(INTERPRETED & set(spoken)) and rng.random() < 0.6,
    )


#: Young people of the Lille area for the CEJ-JR pathways (French of every background).
LILLE_LAST_NAMES = (
    "Lefebvre", "Dubois", "Lemaire", "Vandenbussche", "Deschamps", "Wallet", "Delannoy",
    "Boulanger", "Caron", "Lecomte", "Mahieu", "Duhamel", "Benaissa", "Boukhris", "Amrani",
    "Haddouche", "Mendes", "Pereira", "Kaya", "Yilmaz", "Diop", "Kanté", "Nowak", "Kowalski",
    "Ramdani", "Gomis", "Hennebelle", "Vasseur", "Delattre", "Fontaine",
)  # fmt: skip
LILLE_FIRST_NAMES = {
    "M": (
        "Kevin", "Dylan", "Enzo", "Nathan", "Mathis", "Yanis", "Bilal", "Ilyes", "Noah",
        "Théo", "Jordan", "Mehdi", "Anthony", "Axel", "Samy", "Lenny", "Hugo", "Adam",
    ),
    "F": (
        "Léa", "Chloé", "Manon", "Inaya", "Sarah", "Camille", "Jade", "Lina", "Océane",
        "Maëlys", "Kenza", "Louna", "Ambre", "Nour", "Emma", "Lou",
    ),
}  # fmt: skip


def lille_youth(rng: random.Random, sex: str) -> tuple[str, str]:
    """(last name, first name) of a young person of the Lille area."""
    return rng.choice(LILLE_LAST_NAMES), rng.choice(LILLE_FIRST_NAMES[sex])


#: The professionals the volume adds (first name, last name): educators of the three
#: members, the porteur's other referents and the mission locale's other counsellors.
STAFF = {
    "alefpa": (
        ("Mathieu", "Lefort"), ("Amandine", "Deroo"), ("Youssef", "Bensaïd"),
        ("Claire", "Dewaele"), ("Thomas", "Vanhove"), ("Aurore", "Leclercq"),
        ("Rachid", "Meziane"), ("Pauline", "Verhaeghe"), ("Nicolas", "Dhalluin"),
        ("Sabrina", "Belkacem"), ("Guillaume", "Pollet"), ("Élodie", "Carlier"),
        ("Ibrahim", "Sangaré"), ("Marion", "Desmet"),
    ),
    "temps_de_vie": (
        ("Jérôme", "Lambin"), ("Céline", "Dufour"), ("Samir", "Khelifi"), ("Anaïs", "Ruckebusch"),
        ("Benoît", "Lagache"), ("Laetitia", "Masquelier"), ("Moussa", "Cissé"),
        ("Émilie", "Delbecq"), ("Florian", "Cuvelier"), ("Nadège", "Vermeersch"),
        ("Karima", "Ouali"), ("Sébastien", "Tison"), ("Justine", "Baert"),
    ),
    "asrl": (
        ("Vincent", "Demarcq"), ("Hélène", "Facon"), ("Abdel", "Zerrouki"), ("Lucie", "Marquis"),
        ("Damien", "Vanneste"), ("Sandrine", "Lesage"), ("Omar", "Benhamou"),
        ("Charlotte", "Duriez"), ("Yannick", "Leroux"), ("Fanny", "Morel"),
        ("Christophe", "Delcourt"), ("Nora", "Bouchiba"),
    ),
    "porteur": (("Maxime", "Dupuis"), ("Leïla", "Amrani"), ("Antoine", "Becquet")),
    "mission_locale": (("Sophie", "Wattel"), ("Mehdi", "Kaddour")),
}  # fmt: skip
