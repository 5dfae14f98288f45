"""Ways to meet said in Spanish, French, German or Portuguese (session 6).

A Spanish message asking for help "por videollamada" got mentors who only meet in person and a
draft proposing "a short meeting". The language filter already follows the message; the way to
meet should too. Written before the change, from the mentee's side: TUNE was used while
building it, REPORT is run once at the end (``-k tune`` / ``-k report``).
"""

from __future__ import annotations

import pytest

from finder.dialogue.slots import read_slots

TUNE = {
    "Soy diseñadora y quiero saber cómo cobrar un proyecto. ¿Alguien me ayuda por videollamada?":
        ["video"],
    "Je voudrais négocier mon salaire. Un appel téléphonique rapide serait idéal.": ["phone"],
    "Me vendría bien una respuesta por correo electrónico, no tengo prisa.": ["email"],
    "Ich würde mich gern persönlich treffen, ich wohne in Berlin.": ["in_person"],
}
REPORT = {
    "Gerne per Videoanruf, am liebsten abends.": ["video"],
    "Prefiro conversar por telefone, se possível.": ["phone"],
    "Je préfère échanger par courriel.": ["email"],
}
# Words that look like a way to meet but aren't one.
NOT_A_FORMAT = [
    "Trabajo en una empresa de telefonía y quiero cambiar de sector.",
    "Je développe une application de visioconférence pour les écoles.",
]


@pytest.mark.parametrize("message", sorted(TUNE))
def test_tune_formats_in_other_languages(message: str) -> None:
    assert read_slots(message).formats == TUNE[message]


@pytest.mark.parametrize("message", sorted(REPORT))
def test_report_formats_in_other_languages(message: str) -> None:
    assert read_slots(message).formats == REPORT[message]


@pytest.mark.parametrize("message", NOT_A_FORMAT)
def test_tune_a_product_is_not_a_way_to_meet(message: str) -> None:
    assert read_slots(message).formats == []
