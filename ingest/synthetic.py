"""Deterministic made-up profile details for the demo data: names, time zones, formats, capacity.

Every choice comes from a `random.Random` seeded with a SHA-256 of the mentor's source id and
the field name, so the same id always gets the same values on every machine and Python run
(unlike ``hash()``, which is salted per process).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence

from finder.core.models import FORMATS


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Diverse, common first and last names, combined at random. No name here comes from the
# source data; names that people use to introduce themselves in the Coding Coach bios are
# deliberately left out so that a display name never echoes a real person's bio.
FIRST_NAMES: tuple[str, ...] = _names("""
Aaliyah Abebe Ada Adebayo Aiko Aisha Akira Alejandro Alina Amara Amina Ana Anders Andrea Anja
Arjun Astrid Aylin Bashir Beatriz Bilal Bogdan Camila Chen Chidi Chloe Dana Daniel Dario Deepa
Diego Dmitri Elena Elif Emeka Emil Esra Ewa Fatima Felix Femi Fiona Florin Gabriel Greta Hana
Hannah Hassan Hiro Ibrahim Ines Ingrid Isabel Ivan Jamal Jana Javier Jin Joana Jonas Julia Kai
Kamala Karim Katarzyna Keanu Kenji Kofi Lars Layla Leila Lena Liam Lucia Luis Maja Malik Mara
Marco Maria Mateo Mei Mehmet Mia Milan Min Nadia Naledi Nia Niamh Nikolai Nina Noah Nour Olu
Omar Oskar Paloma Paulo Priya Rafael Rania Ravi Rosa Sakura Samir Sana Santiago Sara Selin
Siddharth Simone Sofia Soren Sunita Tamar Tariq Thabo Tomas Uma Valentina Vera Viktor Wei Yara
Yusuf Zainab Zara Zeynep Zoran
""")

LAST_NAMES: tuple[str, ...] = _names("""
Abara Adeyemi Ahmed Alvarez Andersen Antonelli Asante Bakker Banerjee Becker Bianchi Borges
Brennan Cardoso Castillo Chowdhury Costa Dahl Demir Dubois Eriksson Esposito Fernandes Fischer
Fontaine Garcia Gomez Haddad Hansen Hashemi Horvat Huang Ibekwe Ivanova Jansen Jovanovic Kaya
Kim Kowalski Kruger Kumar Larsen Laurent Lim Lindqvist Lopes Mahlangu Marin Mendes Meyer
Mokoena Molina Moreau Murphy Mwangi Nakamura Navarro Ng Nguyen Nielsen Novak Nowak Nwosu
Okafor Okoye Oliveira Ortiz Osei Ozturk Papadopoulos Park Patel Pereira Petrov Popescu Quinn
Rahman Ramos Reyes Rossi Sato Schmidt Silva Singh Sokolova Suarez Suzuki Tanaka Tan Torres
Tran Varga Vasquez Wagner Walsh Wang Weber Williams Wojcik Yamamoto Yilmaz Zhang Zulu
""")

# Time zones for the countries in the Coding Coach data; several zones where a country spans
# many (weights roughly follow where people live).
COUNTRY_ZONES: dict[str, tuple[tuple[str, int], ...]] = {
    "US": (("America/New_York", 45), ("America/Chicago", 25), ("America/Denver", 8),
           ("America/Los_Angeles", 22)),
    "CA": (("America/Toronto", 60), ("America/Vancouver", 25), ("America/Edmonton", 15)),
    "AU": (("Australia/Sydney", 50), ("Australia/Melbourne", 35), ("Australia/Perth", 15)),
    "BR": (("America/Sao_Paulo", 1),), "MX": (("America/Mexico_City", 1),),
    "RU": (("Europe/Moscow", 1),), "IN": (("Asia/Kolkata", 1),), "GB": (("Europe/London", 1),),
    "DE": (("Europe/Berlin", 1),), "NG": (("Africa/Lagos", 1),), "FR": (("Europe/Paris", 1),),
    "IT": (("Europe/Rome", 1),), "ES": (("Europe/Madrid", 1),), "PE": (("America/Lima", 1),),
    "EG": (("Africa/Cairo", 1),), "ZA": (("Africa/Johannesburg", 1),),
    "CH": (("Europe/Zurich", 1),), "RO": (("Europe/Bucharest", 1),),
    "NL": (("Europe/Amsterdam", 1),), "UA": (("Europe/Kyiv", 1),), "IE": (("Europe/Dublin", 1),),
    "IL": (("Asia/Jerusalem", 1),), "AT": (("Europe/Vienna", 1),), "BE": (("Europe/Brussels", 1),),
    "PL": (("Europe/Warsaw", 1),), "PT": (("Europe/Lisbon", 1),),
    "AR": (("America/Argentina/Buenos_Aires", 1),), "PK": (("Asia/Karachi", 1),),
    "JO": (("Asia/Amman", 1),), "SE": (("Europe/Stockholm", 1),), "KE": (("Africa/Nairobi", 1),),
    "PH": (("Asia/Manila", 1),), "CZ": (("Europe/Prague", 1),), "TR": (("Europe/Istanbul", 1),),
    "DK": (("Europe/Copenhagen", 1),), "GR": (("Europe/Athens", 1),),
    "EU": (("Europe/Brussels", 1),), "IR": (("Asia/Tehran", 1),), "NZ": (("Pacific/Auckland", 1),),
    "TZ": (("Africa/Dar_es_Salaam", 1),), "UY": (("America/Montevideo", 1),),
    "UG": (("Africa/Kampala", 1),), "VN": (("Asia/Ho_Chi_Minh", 1),),
    "NP": (("Asia/Kathmandu", 1),), "CO": (("America/Bogota", 1),),
    "SG": (("Asia/Singapore", 1),), "DZ": (("Africa/Algiers", 1),),
    "DO": (("America/Santo_Domingo", 1),), "AZ": (("Asia/Baku", 1),), "LB": (("Asia/Beirut", 1),),
    "NE": (("Africa/Niamey", 1),), "BD": (("Asia/Dhaka", 1),), "MU": (("Indian/Mauritius", 1),),
    "VE": (("America/Caracas", 1),), "HR": (("Europe/Zagreb", 1),),
    "MA": (("Africa/Casablanca", 1),), "BY": (("Europe/Minsk", 1),),
}

# Where a mentor of unknown country lives: (zone, weight, local language or None). ESCO is a
# European classification, so Europe weighs most, but every inhabited continent appears.
WORLD_ZONES: tuple[tuple[str, int, str | None], ...] = (
    ("Europe/London", 8, None), ("Europe/Dublin", 2, None), ("Europe/Berlin", 8, "de"),
    ("Europe/Paris", 7, "fr"), ("Europe/Madrid", 5, "es"), ("Europe/Rome", 5, "it"),
    ("Europe/Amsterdam", 3, "nl"), ("Europe/Brussels", 2, "fr"), ("Europe/Warsaw", 4, "pl"),
    ("Europe/Stockholm", 2, "sv"), ("Europe/Lisbon", 2, "pt"), ("Europe/Athens", 2, "el"),
    ("Europe/Bucharest", 2, "ro"), ("Europe/Vienna", 2, "de"), ("Europe/Helsinki", 1, "fi"),
    ("Europe/Prague", 1, "cs"), ("America/New_York", 7, None), ("America/Chicago", 4, None),
    ("America/Denver", 1, None), ("America/Los_Angeles", 4, None), ("America/Toronto", 3, "fr"),
    ("America/Mexico_City", 3, "es"), ("America/Sao_Paulo", 3, "pt"), ("America/Bogota", 1, "es"),
    ("America/Argentina/Buenos_Aires", 1, "es"), ("Asia/Kolkata", 4, "hi"),
    ("Asia/Singapore", 2, "zh"), ("Asia/Tokyo", 1, "ja"), ("Asia/Manila", 1, "tl"),
    ("Asia/Dubai", 1, "ar"), ("Africa/Lagos", 2, "yo"), ("Africa/Nairobi", 2, "sw"),
    ("Africa/Johannesburg", 2, "zu"), ("Africa/Cairo", 1, "ar"), ("Australia/Sydney", 2, None),
    ("Pacific/Auckland", 1, None),
)

FORMAT_ODDS = {"video": 0.8, "phone": 0.3, "email": 0.35, "chat": 0.45, "in_person": 0.12}
MINUTE_ODDS = {15: 0.35, 20: 0.2, 30: 0.6, 45: 0.3, 60: 0.45}


def stable_rng(*parts: str) -> random.Random:
    """A random generator seeded from a SHA-256 of ``parts``: same parts, same sequence."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def assign_names(ids: Iterable[str]) -> dict[str, str]:
    """A made-up, unique display name for every id (ids are handled in sorted order)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for mentor_id in sorted(ids):
        for attempt in range(1000):
            rng = stable_rng(mentor_id, "name", str(attempt))
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in taken:
                break
        taken.add(name)
        names[mentor_id] = name
    return names


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([zone for zone, _ in options], weights=[w for _, w in options])[0]


def pick_timezone(mentor_id: str, country: str | None) -> str:
    """A time zone inside ``country`` when it is known, else one from a weighted world list."""
    rng = stable_rng(mentor_id, "timezone")
    if country and country.upper() in COUNTRY_ZONES:
        return _weighted(rng, COUNTRY_ZONES[country.upper()])
    return _weighted(rng, [(zone, weight) for zone, weight, _ in WORLD_ZONES])


def pick_languages(mentor_id: str, timezone: str) -> list[str]:
    """English for most, plus (or, for a few, instead) the common local language of the zone."""
    rng = stable_rng(mentor_id, "languages")
    local = next((lang for zone, _, lang in WORLD_ZONES if zone == timezone), None)
    if local is None:
        return ["en"]
    if rng.random() < 0.85:
        return ["en", local] if rng.random() < 0.4 else ["en"]
    return [local]


def pick_formats(mentor_id: str) -> list[str]:
    """A non-empty subset of the meeting formats; video is the most common."""
    rng = stable_rng(mentor_id, "formats")
    chosen = [fmt for fmt in FORMATS if rng.random() < FORMAT_ODDS[fmt]]
    return chosen or ["video"]


def pick_session_minutes(mentor_id: str) -> list[int]:
    """Session lengths from 15 to 60 minutes; most mentors offer one of 30 minutes or less."""
    rng = stable_rng(mentor_id, "session_minutes")
    chosen = [minutes for minutes, odds in MINUTE_ODDS.items() if rng.random() < odds]
    if not chosen:
        chosen = [30]
    if min(chosen) > 30 and rng.random() < 0.85:
        chosen.append(rng.choice([15, 20, 30]))
    return sorted(chosen)


def pick_years(mentor_id: str) -> int:
    """Years of experience between 2 and 35, most between 5 and 15."""
    rng = stable_rng(mentor_id, "years_experience")
    return min(35, 2 + int(rng.betavariate(2.0, 4.0) * 34))


def pick_capacity(mentor_id: str) -> int:
    """How many requests a week the mentor accepts: 1 to 5, fewer more often."""
    rng = stable_rng(mentor_id, "max_requests_per_week")
    return rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 3, 2, 1])[0]
