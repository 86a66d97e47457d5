"""French territories a publication can reach: the départements and the régions they
belong to (INSEE's official geographic codes, the same codes as
:data:`~coparcours.organisations.validators.DEPARTEMENT_CODE`).

A consortium lies in the départements of its member organisations
(``Organisation.departement_code``); a région holds its départements. The library of
shared guides (docs/domain-rules.md, "The shared library") reaches partnerships by them.
"""

from __future__ import annotations

from collections.abc import Iterable

#: INSEE code of each région → (name, its départements with their names).
REGIONS: dict[str, tuple[str, dict[str, str]]] = {
    "84": (
        "Auvergne-Rhône-Alpes",
        {
            "01": "Ain", "03": "Allier", "07": "Ardèche", "15": "Cantal", "26": "Drôme",
            "38": "Isère", "42": "Loire", "43": "Haute-Loire", "63": "Puy-de-Dôme",
            "69": "Rhône", "73": "Savoie", "74": "Haute-Savoie",
        },
    ),
    "27": (
        "Bourgogne-Franche-Comté",
        {
            "21": "Côte-d'Or", "25": "Doubs", "39": "Jura", "58": "Nièvre",
            "70": "Haute-Saône", "71": "Saône-et-Loire", "89": "Yonne",
            "90": "Territoire de Belfort",
        },
    ),
    "53": (
        "Bretagne",
        {"22": "Côtes-d'Armor", "29": "Finistère", "35": "Ille-et-Vilaine", "56": "Morbihan"},
    ),
    "24": (
        "Centre-Val de Loire",
        {
            "18": "Cher", "28": "Eure-et-Loir", "36": "Indre", "37": "Indre-et-Loire",
            "41": "Loir-et-Cher", "45": "Loiret",
        },
    ),
    "94": ("Corse", {"2A": "Corse-du-Sud", "2B": "Haute-Corse"}),
    "44": (
        "Grand Est",
        {
            "08": "Ardennes", "10": "Aube", "51": "Marne", "52": "Haute-Marne",
            "54": "Meurthe-et-Moselle", "55": "Meuse", "57": "Moselle", "67": "Bas-Rhin",
            "68": "Haut-Rhin", "88": "Vosges",
        },
    ),
    "32": (
        "Hauts-de-France",
        {"02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme"},
    ),
    "11": (
        "Île-de-France",
        {
            "75": "Paris", "77": "Seine-et-Marne", "78": "Yvelines", "91": "Essonne",
            "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne",
            "95": "Val-d'Oise",
        },
    ),
    "28": (
        "Normandie",
        {"14": "Calvados", "27": "Eure", "50": "Manche", "61": "Orne", "76": "Seine-Maritime"},
    ),
    "75": (
        "Nouvelle-Aquitaine",
        {
            "16": "Charente", "17": "Charente-Maritime", "19": "Corrèze", "23": "Creuse",
            "24": "Dordogne", "33": "Gironde", "40": "Landes", "47": "Lot-et-Garonne",
            "64": "Pyrénées-Atlantiques", "79": "Deux-Sèvres", "86": "Vienne",
            "87": "Haute-Vienne",
        },
    ),
    "76": (
        "Occitanie",
        {
            "09": "Ariège", "11": "Aude", "12": "Aveyron", "30": "Gard",
            "31": "Haute-Garonne", "32": "Gers", "34": "Hérault", "46": "Lot", "48": "Lozère",
            "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "81": "Tarn",
            "82": "Tarn-et-Garonne",
        },
    ),
    "52": (
        "Pays de la Loire",
        {
            "44": "Loire-Atlantique", "49": "Maine-et-Loire", "53": "Mayenne", "72": "Sarthe",
            "85": "Vendée",
        },
    ),
    "93": (
        "Provence-Alpes-Côte d'Azur",
        {
            "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes", "06": "Alpes-Maritimes",
            "13": "Bouches-du-Rhône", "83": "Var", "84": "Vaucluse",
        },
    ),
    "01": ("Guadeloupe", {"971": "Guadeloupe"}),
    "02": ("Martinique", {"972": "Martinique"}),
    "03": ("Guyane", {"973": "Guyane"}),
    "04": ("La Réunion", {"974": "La Réunion"}),
    "06": ("Mayotte", {"976": "Mayotte"}),
}  # fmt: skip

#: Each département's région.
REGION_OF: dict[str, str] = {
    departement: region
    for region, (_name, departements) in REGIONS.items()
    for departement in departements
}

DEPARTEMENT_NAMES: dict[str, str] = {
    departement: name
    for _region_name, departements in REGIONS.values()
    for departement, name in departements.items()
}


def region_of(departement_code: str) -> str:
    """The INSEE code of the région a département belongs to."""
    return REGION_OF[departement_code]


def departement_label(code: str) -> str:
    """« Nord (59) »."""
    return f"{DEPARTEMENT_NAMES[code]} ({code})"


def region_label(code: str) -> str:
    """« Hauts-de-France »."""
    return REGIONS[code][0]


def regions_of(departement_codes: Iterable[str]) -> set[str]:
    """The régions of these départements (unknown codes are ignored)."""
    return {REGION_OF[code] for code in departement_codes if code in REGION_OF}
