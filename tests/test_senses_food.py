"""A food truck is a street-food business, not trucking (session 6 read-through).

"I run a food truck and want to grow it into three trucks" got a moving-truck driver, a truck
driving instructor and a truck rental clerk for every step of its plan. Written before the
sense was added; new wordings.
"""

from __future__ import annotations

import pytest

from finder.search.senses import bundled_senses


@pytest.mark.parametrize("message", [
    "I run a food truck and want to grow it into three trucks over the next couple of years",
    "We sell coffee and pastries from a converted truck at weekend markets.",
])
def test_a_food_truck_is_searched_as_street_food(message: str) -> None:
    searched = bundled_senses().read(message)
    assert "street food" in searched, searched
    assert "truck" not in searched.lower(), searched


@pytest.mark.parametrize("message", [
    "I drive a delivery truck and want to become a dispatcher.",
    "How do I get a licence to drive heavy trucks in Canada?",
])
def test_trucking_stays_trucking(message: str) -> None:
    assert bundled_senses().read(message) == message
