"""A phone the mentee's product runs on is not a phone call: device words vs meeting formats.

Written from the mentee's side, in wordings of our own (not the eval sets'), before the fix.
"""

from __future__ import annotations

import pytest

from finder.dialogue.slots import read_slots
from finder.dialogue.understanding import Understanding
from tests.fakes import HashingEmbedder

UNDERSTANDING = Understanding(HashingEmbedder())


@pytest.mark.parametrize("text", [
    "our checkout page freezes on my phone but works fine on desktop",
    "the booking form is impossible to fill in on a phone",
    "how do I test a web game on phones and tablets without buying them all",
    "my React app looks broken on an iPhone",
    "users say the dashboard is unreadable on mobile",
    "photos from my shop look blurry on tablets",
    "the menu overlaps the logo on your phone when it is rotated",
    "I want my portfolio site to look good on a mobile phone",
    "the login page is slow on their phones",
])
def test_a_device_is_not_a_meeting_format(text: str) -> None:
    assert read_slots(text).formats == []


@pytest.mark.parametrize("text", [
    "my signup page is slow on a phone, how do I find out why?",
    "the video player stutters on my phone",
])
def test_the_device_stays_in_what_gets_searched(text: str) -> None:
    words = UNDERSTANDING.goal_words(text)
    assert "phone" in words.query


@pytest.mark.parametrize("text", [
    "could we talk about my resume on a phone call next week",
    "happy to do this by phone",
    "a chat over the phone about pricing would help",
    "a quick phone chat about hiring would be great",
    "can someone walk me through equity on the phone",
    "I'd like a phone conversation with a nurse manager",
])
def test_a_phone_call_is_still_the_phone_format(text: str) -> None:
    assert "phone" in read_slots(text).formats


@pytest.mark.parametrize("text, kept", [
    ("Could we have a 20 minute phone chat with someone who has sold a bakery? "
     "I want to sell mine next year.", "bakery"),
    ("Is anyone up for a video chat about moving from nursing into health IT?", "nursing"),
])
def test_the_meeting_words_never_reach_the_search(text: str, kept: str) -> None:
    query = UNDERSTANDING.goal_words(text).query.lower()
    assert kept in query
    assert "chat" not in query.split() and "phone" not in query and "video" not in query
