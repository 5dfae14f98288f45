"""The bundled demo mentors: deterministic, valid, honest about what is made up."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from finder.core.models import Mentor
from ingest import load_mentors
from ingest.build_demo import DEFAULT_OUT, DEFAULT_SHARED, ESCO_ACKNOWLEDGEMENT, build, main
from ingest.synthetic import COUNTRY_ZONES

pytestmark = pytest.mark.skipif(
    not (DEFAULT_SHARED / "coding-coach" / "mentors.jsonl").exists(),
    reason="the shared source data (../shared/data) is not available",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "demo_mentors.jsonl"
    assert main(["--out", str(out), "--shared", str(DEFAULT_SHARED)]) == 0
    return out


@pytest.fixture(scope="module")
def mentors(built: Path) -> list[Mentor]:
    return load_mentors(built, strict=True).mentors


def test_build_is_byte_for_byte_deterministic(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again" / "demo_mentors.jsonl"
    build(again, DEFAULT_SHARED)
    for name in ("demo_mentors.jsonl", "README.md", "LICENSE-coding-coach.txt"):
        assert (built.parent / name).read_bytes() == (again.parent / name).read_bytes(), name


def test_committed_demo_data_is_up_to_date(built: Path) -> None:
    assert DEFAULT_OUT.exists(), "run: python -m ingest.build_demo"
    assert DEFAULT_OUT.read_bytes() == built.read_bytes(), "run: python -m ingest.build_demo"


def test_every_record_validates_and_ids_are_unique(built: Path, mentors: list[Mentor]) -> None:
    lines = built.read_text(encoding="utf-8").splitlines()
    assert len(mentors) == len(lines) == 298 + 3007
    ids = [m.id for m in mentors]
    assert len(set(ids)) == len(ids) and ids == sorted(ids)
    sources = Counter(m.extra["source"] for m in mentors)
    assert sources == {"coding-coach": 298, "esco": 3007}


def test_names_are_made_up_and_varied(mentors: list[Mentor]) -> None:
    names = Counter(m.name for m in mentors)
    assert all(name.strip() and " " in name for name in names)
    assert max(names.values()) <= 2
    assert max(Counter(n.split()[0] for n in names.elements()).values()) < len(mentors) * 0.05


def test_no_real_name_from_a_coding_coach_self_introduction_survives(
    mentors: list[Mentor],
) -> None:
    by_id = {m.id: m for m in mentors}
    assert by_id["cc-003"].bio.startswith(f"Hi, I'm {by_id['cc-003'].name.split()[0]} ")
    assert not any("Mosh" in m.bio or "Kirankumar" in m.bio for m in mentors)


def test_coding_coach_fields_map_from_the_source(mentors: list[Mentor]) -> None:
    source = {
        row["source_id"]: row
        for row in map(json.loads, (DEFAULT_SHARED / "coding-coach" / "mentors.jsonl")
                       .read_text(encoding="utf-8").splitlines())
    }
    coach = [m for m in mentors if m.id.startswith("cc-")]
    assert len(coach) == 298
    for mentor in coach:
        row = source[mentor.extra["source_id"]]
        assert mentor.headline == " ".join(row["title"].split())
        assert mentor.skills[: len(row["tags"])] == mentor.skills
        # A region that is no ISO 3166-1 country ("EU") is kept out of the country field.
        expected_country = row["country"] if row["country"] != "EU" else None
        assert "Software" in mentor.industries and mentor.country == expected_country
        assert mentor.timezone in {zone for zone, _ in COUNTRY_ZONES[row["country"]]}
        if not row["description"]:
            assert "Mentor who can help with" in mentor.bio
            assert "bio" in mentor.extra["synthetic_fields"]
    by_id = {m.id: m for m in coach}
    assert by_id["cc-001"].bio.endswith("Mentor who can help with reactjs, nodejs and react native.")
    assert by_id["cc-002"].bio == "Product Engineer, Writer and Speaker"


def test_esco_records_are_templated_from_the_description(mentors: list[Mentor]) -> None:
    esco = [m for m in mentors if m.id.startswith("esco-")]
    assert len(esco) == 3007
    for mentor in esco:
        assert mentor.bio.startswith(f"{mentor.name} has worked as a")
        assert f" for {mentor.years_experience} years. " in mentor.bio
        assert len(mentor.skills) <= 6 and len(mentor.industries) == 1
        assert not mentor.headline[:1].islower()
        assert mentor.bio.count(".") >= 2
    assert sum(len(m.skills) >= 3 for m in esco) > 0.99 * len(esco)
    director = next(m for m in esco if m.headline == "Technical director")
    assert "Technical directors realise the artistic visions" in director.bio
    assert director.industries == ["Film, stage and related directors and producers"]


def test_synthetic_fields_are_plausible(mentors: list[Mentor]) -> None:
    for mentor in mentors:
        assert mentor.formats and mentor.timezone and mentor.languages
        assert set(mentor.session_minutes) <= {15, 20, 30, 45, 60}
        assert mentor.years_experience is not None and 2 <= mentor.years_experience <= 35
        assert mentor.max_requests_per_week is not None and 1 <= mentor.max_requests_per_week <= 5
        assert {"name", "timezone", "formats"} <= set(mentor.extra["synthetic_fields"])
    short = sum(mentor.min_minutes <= 30 for mentor in mentors)
    assert short > 0.8 * len(mentors)
    video = sum("video" in mentor.formats for mentor in mentors)
    assert video > 0.6 * len(mentors)
    english = sum("en" in mentor.languages for mentor in mentors)
    assert 0.7 * len(mentors) < english < len(mentors)


def test_readme_and_licence_travel_with_the_data(built: Path) -> None:
    readme = (built.parent / "README.md").read_text(encoding="utf-8")
    assert ESCO_ACKNOWLEDGEMENT == "This service uses the ESCO classification of the European Commission."
    assert ESCO_ACKNOWLEDGEMENT in readme and "MIT" in readme and "synthetic" in readme.lower()
    licence = (built.parent / "LICENSE-coding-coach.txt").read_text(encoding="utf-8")
    assert licence == (DEFAULT_SHARED / "coding-coach" / "LICENSE").read_text(encoding="utf-8")
