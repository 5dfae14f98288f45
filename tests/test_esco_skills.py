"""The demo ESCO mentors' skills: ESCO's own labels, picked by a fixed rule, never fragments."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from ingest import load_mentors
from ingest.build_demo import DEFAULT_OUT
from ingest.esco_skills import (
    DEFAULT_OUT as ESCO_SKILLS,
    Occupation,
    build_table,
    dumps,
    load_table,
    match,
    pick_skills,
)

# Words a finished skill name never ends on: what is left when a phrase is cut mid-clause.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in on at to for from by with into onto over under about as "
    "than that which who whose whom this these those its their his her our your my is are was "
    "be been being has have had do does did can could will would should may might must not "
    "no such so very etc".split())
# Modifiers that leave a phrase unfinished when they come last ("oversee execution of digital").
DANGLING = frozenset("digital technical various different other related specific new relevant "
                     "own several certain main general".split())
# A skill of one word that is a bare verb says nothing ("use", "perform", "oversee").
GENERIC_VERBS = frozenset(
    "use make do perform ensure manage oversee carry apply provide handle work develop maintain "
    "prepare operate monitor control supervise plan organise organize check assist support "
    "coordinate execute conduct undertake implement create follow keep take give set run "
    "troubleshoot".split())


def fragment_reason(skill: str, headline: str, industries: list[str]) -> str | None:
    """Why a skill shown on a card reads as a fragment, or None."""
    words = re.findall(r"[\w'-]+", skill.lower())
    if not words or skill != skill.strip() or "  " in skill:
        return "empty or badly spaced"
    if words[-1] in FUNCTION_WORDS:
        return "ends on a function word"
    if words[0] in {"and", "or", "but", "nor", "of", "than", "that", "which", "whose"}:
        return "starts mid-clause"
    if len(words) > 1 and words[-1] in DANGLING:
        return "ends on a modifier without its noun"
    if len(words) == 1 and words[0] in GENERIC_VERBS:
        return "a single generic verb"
    if skill.casefold() == headline.casefold():
        return "repeats the headline"
    if any(skill.casefold() == industry.casefold() for industry in industries):
        return "an industry (ISCO group) name, not a skill"
    if skill.endswith(("'s", ",", ";", ":", "-")) or skill.count("(") != skill.count(")"):
        return "cut off"
    return None


@pytest.fixture(scope="module")
def committed() -> list:
    return load_mentors(DEFAULT_OUT, strict=True).mentors


def test_no_demo_mentor_shows_a_fragment_as_a_skill(committed: list) -> None:
    # An ESCO mentor's industry is its ISCO group, which the old builder showed as a skill; a
    # Coding Coach mentor's "Design" industry comes from its own "design" tag, so is fine.
    bad = [(m.id, skill, reason) for m in committed for skill in m.skills
           if (reason := fragment_reason(
               skill, m.headline, m.industries if m.extra.get("source") == "esco" else []))]
    assert not bad, bad[:20]


def test_the_fragment_check_catches_what_the_old_builder_showed() -> None:
    group = "Film, stage and related directors and producers"
    for skill in ("oversee execution of digital", "coordinate team's", "use", "troubleshoot",
                  "Technical director", group, "manage the"):
        assert fragment_reason(skill, "Technical director", [group]), skill
    assert fragment_reason("elaboration of budgets", "Technical director", [group]) is None


def test_every_esco_mentor_skill_is_an_esco_label_of_its_occupation(committed: list) -> None:
    table = load_table(ESCO_SKILLS)
    esco = [m for m in committed if m.extra.get("source") == "esco"]
    assert len(esco) == 3007
    for mentor in esco:
        assert mentor.skills == table.get(mentor.headline[:1].lower() + mentor.headline[1:],
                                          table.get(mentor.headline, [])), mentor.id
    assert sum(bool(m.skills) for m in esco) >= 0.99 * len(esco)
    assert all("skills" not in m.extra["synthetic_fields"] for m in esco)


def test_the_table_holds_only_what_the_demo_needs() -> None:
    data = json.loads(ESCO_SKILLS.read_text(encoding="utf-8"))
    assert "This service uses the ESCO classification of the European Commission." \
        == data["acknowledgement"] and "ESCO v1.2.0" in data["source"]
    assert ESCO_SKILLS.stat().st_size < 1_000_000
    for entry in data["occupations"]:
        assert set(entry) == {"title", "uri", "skills"}
        assert entry["uri"].startswith("http://data.europa.eu/esco/occupation/")
        assert 1 <= len(entry["skills"]) <= 6 and len(set(entry["skills"])) == len(entry["skills"])
        assert all(len(skill.split()) <= 5 for skill in entry["skills"])


ESSENTIAL = [("manage staff", "skill"), ("troubleshoot", "skill"), ("show initiative", "skill"),
             ("stage technology", "knowledge"), ("adapt to artists' creative demands", "skill"),
             ("coordinate technical teams", "skill"), ("plan lighting", "skill"),
             ("plan lighting for stage productions and live events in theatres", "skill"),
             ("lighting techniques", "knowledge"), ("Technical director", "skill"),
             ("use stage equipment", "skill"), ("health and safety", "knowledge"),
             ("stage", "knowledge")]


def test_pick_skills_keeps_specific_short_esco_labels() -> None:
    picked = pick_skills("technical director", ESSENTIAL, generic={"show initiative"},
                         common={"manage staff"})
    assert picked == ["plan lighting", "use stage equipment", "coordinate technical teams",
                      "adapt to artists' creative demands", "stage technology",
                      "lighting techniques"]
    # Left out: "stage" (its word is part of "use stage equipment"), "troubleshoot" (a bare
    # verb), the headline, the transversal "show initiative", the nine-word label and, as
    # six better ones were found, the common "manage staff" and the longer "health and safety".
    assert "troubleshoot" not in picked and "Technical director" not in picked
    assert pick_skills("x", [("manage staff", "skill")], common={"manage staff"}) == \
        ["manage staff"]


def test_pick_skills_does_not_depend_on_the_input_order() -> None:
    rng = random.Random(5)
    first = pick_skills("technical director", ESSENTIAL, {"show initiative"}, {"manage staff"})
    for _ in range(20):
        shuffled = ESSENTIAL[:]
        rng.shuffle(shuffled)
        assert pick_skills("technical director", shuffled, {"show initiative"},
                           {"manage staff"}) == first


def _occupation(uri: str, label: str, group: str, alt: list[str] | None = None,
                description: str = "") -> Occupation:
    return Occupation(uri=uri, label=label, isco_group=group, alt_labels=alt or [],
                      description=description,
                      essential=[(f"{label} work", "skill"), ("safety rules", "knowledge")])


def test_match_finds_renamed_occupations_but_never_guesses() -> None:
    occupations = [
        _occupation("u1", "artificial intelligence engineer", "2511",
                    ["ICT intelligent systems designer"]),
        _occupation("u2", "care home worker", "5322", ["residential care home worker",
                                                        "care at home worker"]),
        _occupation("u3", "handyperson", "7111", ["handyman"]),
        _occupation("u4", "wholesale merchant in fish crustaceans and molluscs", "3324"),
        _occupation("u5", "painter", "7131", description="Painters paint."),
    ]
    corpus = [
        {"title": "ICT intelligent systems designer", "metadata": {"isco_group": "2511"}},
        {"title": "residential care home worker", "metadata": {"isco_group": "5322"}},
        {"title": "care at home worker", "metadata": {"isco_group": "5322"}},
        {"title": "handyman", "metadata": {"isco_group": "9999"}},  # another ISCO group
        {"title": "wholesale merchant in fish, crustaceans and molluscs"},
        {"title": "house painter", "text": "Painters  paint."},
    ]
    found = {title: o.uri for title, o in match(corpus, occupations).items()}
    assert found == {"ICT intelligent systems designer": "u1",
                     "wholesale merchant in fish, crustaceans and molluscs": "u4",
                     "house painter": "u5"}


def test_the_table_is_written_deterministically(tmp_path: Path) -> None:
    occupations = [_occupation(f"u{i}", f"occupation {i}", "1000") for i in range(5)]
    corpus = [{"title": f"occupation {i}"} for i in range(5)]
    text = dumps(build_table(corpus, occupations, "test"))
    assert dumps(build_table(corpus[::-1], occupations[::-1], "test")) == text
    (tmp_path / "t.json").write_text(text, encoding="utf-8")
    assert load_table(tmp_path / "t.json")["occupation 3"] == ["occupation 3 work",
                                                              "safety rules"]
