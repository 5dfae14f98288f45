"""A length or a video the mentee is making is not how they want to meet (issue 7, session 6):
"a ten-minute explainer video" is the work they are pricing, not a ten-minute video call. New
wordings from the mentee's side; the meeting itself, said beside it, is still read."""

from __future__ import annotations

import pytest

from finder.dialogue.slots import read_slots


@pytest.mark.parametrize("message", [
    "I do voice-over work from home. What should I quote for a ten-minute explainer video?",
    "I'm preparing a 5-minute talk for a science slam and my opening is weak.",
    "How do I make a 30-second product video for our launch?",
    "I shoot wedding videos and couples keep asking for a 3-minute highlight film.",
    "I teach a 45-minute spin class and attendance is dropping.",
])
def test_the_length_or_video_of_their_work_sets_no_meeting(message: str) -> None:
    slots = read_slots(message)
    assert slots.minutes is None, slots
    assert "video" not in slots.formats, slots


@pytest.mark.parametrize(("message", "minutes", "formats"), [
    ("Could we do a 20-minute video call about my 10-minute keynote?", 20, ["video"]),
    ("A fifteen minute call would be great; it's about a two-minute promo video.", 15, None),
    ("I'd like a 30 minute video chat about pricing.", 30, ["video"]),
    ("Happy to do video, 15 minutes is plenty.", 15, ["video"]),
])
def test_the_meeting_said_beside_it_is_still_read(message: str, minutes: int,
                                                  formats: list[str] | None) -> None:
    slots = read_slots(message)
    assert slots.minutes == minutes, slots
    if formats:
        assert slots.formats == formats, slots


@pytest.mark.parametrize("message", [
    "A 15 minute call about presentations would help a lot.",
    "Could I get a 20-minute chat on my sales pitch?",
    "30 minutes is fine, it's about our product videos.",
])
def test_a_meeting_length_about_a_talk_or_a_video_is_still_the_meetings(message: str) -> None:
    assert read_slots(message).minutes in (15, 20, 30)
