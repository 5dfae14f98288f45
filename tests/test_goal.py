"""Goal -> filters and query, and the rules that read constraints out of a message."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from finder.core.goal import Goal, MenteeContext
from finder.core.models import Mentor
from finder.dialogue.slots import read_slots


@pytest.mark.parametrize(("text", "formats", "minutes"), [
    ("a 30-minute video call about pricing", ["video"], 30),
    ("half an hour on zoom", ["video"], 30),
    ("a quick call about my CV", ["video", "phone"], 15),
    ("one email exchange is fine", ["email"], None),
    ("chat on slack for 20 min", ["chat"], 20),
    ("coffee in person", ["in_person"], None),
    ("by phone, an hour", ["phone"], 60),
])
def test_formats_and_durations_are_read(text: str, formats: list[str], minutes: int | None) -> None:
    found = read_slots(text)
    assert found.formats == formats
    assert found.minutes == minutes


def test_topic_words_are_not_mistaken_for_formats() -> None:
    assert read_slots("help with our email marketing campaign").formats == []
    assert read_slots("feedback on my video editing portfolio").formats == []


@pytest.mark.parametrize(("text", "language"), [
    ("someone I can talk to in German", "de"), ("a Spanish speaker", "es"),
    ("French-speaking mentor", "fr"), ("expanding into the German market", None),
])
def test_languages(text: str, language: str | None) -> None:
    assert read_slots(text).language == language


@pytest.mark.parametrize(("text", "region"), [
    ("someone in Europe", "Europe"), ("US time zone please", "US"), ("based in Asia", "Asia"),
    ("on the west coast", "US West Coast"),
])
def test_regions(text: str, region: str) -> None:
    assert read_slots(text).region == region


def test_seniority_wish_is_about_the_mentor_not_the_mentee() -> None:
    assert read_slots("a mentor with at least 15 years of experience").min_years == 15
    assert read_slots("someone senior please").min_years == 10
    assert read_slots("more senior").more_senior
    assert read_slots("I have 3 years of experience as a developer").min_years is None
    assert read_slots("I'm a senior engineer").min_years is None


def test_urgency_and_context() -> None:
    found = read_slots("I'm a junior product designer and need this before Friday")
    assert found.urgency == "soon" and found.deadline == "before Friday"
    assert found.context.level == "junior"
    assert "product designer" in (found.context.role or "")
    assert read_slots("become a CTO in five years").context.level is None


def test_goal_builds_filters_a_mentor_can_be_checked_against() -> None:
    goal = Goal(topic="pricing", challenge="how to price my SaaS", formats=["video"], minutes=30,
                language="de", region="Europe", min_years_experience=10)
    filters = goal.to_filters(exclude_ids=["x"])
    berlin = Mentor(id="a", name="A", bio="b", formats=["video"], session_minutes=[30],
                    languages=["de"], timezone="Europe/Berlin", years_experience=12)
    tokyo = berlin.model_copy(update={"id": "b", "timezone": "Asia/Tokyo"})
    assert filters.accepts(berlin)
    assert not filters.accepts(tokyo)
    assert filters.exclude_ids == ["x"]
    assert goal.search_query().startswith("how to price my SaaS")


def test_email_only_ignores_the_time_budget() -> None:
    assert Goal(formats=["email"], minutes=15).to_filters().max_minutes is None


def test_goal_rejects_unknown_language_and_region() -> None:
    with pytest.raises(ValidationError):
        Goal(language="german")
    with pytest.raises(ValidationError):
        Goal(region="Mars")
    assert Goal(region="europe").region == "Europe"


def test_summary_and_context_read_naturally() -> None:
    goal = Goal(topic="social media", challenge="How do I launch a campaign?", formats=["video"],
                minutes=30, language="es")
    assert goal.summary() == ("\u201cHow do I launch a campaign?\u201d "
                              "(30-minute video call; in Spanish)")
    assert Goal(topic="Marketing and sales").summary() == "Marketing and sales"
    assert MenteeContext(role="product designer", level="junior").describe() == \
        "a junior product designer"
    assert MenteeContext().describe() == ""


def test_the_subject_is_what_remains_once_constraints_and_self_description_go() -> None:
    from finder.dialogue.slots import strip_to_topic

    text = ("I'm a junior marketer. 20 minute video call about launching a social media "
            "campaign for our new skincare line before Friday")
    found = read_slots(text)
    assert strip_to_topic(text, found.spans) == \
        "launching a social media campaign for our new skincare line"


def test_senior_people_as_an_audience_is_not_a_wish_for_a_senior_mentor() -> None:
    # People the mentee speaks to, reports to or works with are not who they want to meet.
    for audience in [
        "I freeze up every time I speak in front of senior people",
        "how do I get better at presenting to senior leaders?",
        "I have to pitch my idea to a room of senior managers next month",
        "I get nervous around senior people at work and stop talking in meetings",
        "my job now means emailing senior leadership every week and I ramble",
    ]:
        slots = read_slots(audience)
        assert slots.min_years is None, audience
        assert not slots.more_senior, audience
    # ... while asking to meet someone senior still is one.
    for wish in [
        "I'd love to talk to a senior person in product management",
        "ideally a seasoned mentor who has done this before",
        "looking for someone really experienced with startups",
        "could I speak with senior people in data engineering about moving up?",
    ]:
        assert read_slots(wish).min_years == 10, wish


@pytest.mark.parametrize(("text", "minutes"), [
    ("Could we do fifteen minutes on Zoom sometime?", 15),
    ("a twenty minute phone call would be ideal", 20),
    ("happy with a thirty-minute video chat", 30),
    ("just a quarter of an hour over the phone", 15),
    ("Forty-five minutes works for me", 45),
    ("ten mins is plenty", 10),
])
def test_a_length_in_words_is_a_length(text: str, minutes: int) -> None:
    assert read_slots(text).minutes == minutes
