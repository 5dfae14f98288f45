"""Build the bundled demo mentors from Coding Coach profiles and ESCO occupations.

    python -m ingest.build_demo [--out data/demo_mentors.jsonl] [--shared ../shared/data]

The output is deterministic: the same inputs give the same bytes on every run and machine. The
ESCO mentors' skills come from ``data/esco_skills.json`` (ESCO's own labels, written by
``python -m ingest.esco_skills``), never from their bios.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pycountry

from finder.core.errors import IngestError
from finder.core.models import ISO_639_1
from ingest.esco_skills import DEFAULT_OUT as DEFAULT_ESCO_SKILLS
from ingest.esco_skills import load_table, norm, table_source
from ingest.loaders import load_mentors
from ingest.synthetic import (
    assign_names,
    pick_capacity,
    pick_formats,
    pick_languages,
    pick_session_minutes,
    pick_timezone,
    pick_years,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "demo_mentors.jsonl"
DEFAULT_SHARED = REPO.parent / "shared" / "data"
CODING_COACH = Path("coding-coach") / "mentors.jsonl"
CODING_COACH_LICENSE = Path("coding-coach") / "LICENSE"
ESCO_CORPUS = Path("esco-occupations") / "corpus.jsonl"

ESCO_ACKNOWLEDGEMENT = "This service uses the ESCO classification of the European Commission."

ALWAYS_SYNTHETIC = ["name", "timezone", "formats", "session_minutes", "years_experience",
                    "max_requests_per_week"]

# Tags that clearly put a software mentor in a second industry as well.
TAG_INDUSTRIES: dict[str, frozenset[str]] = {
    "Design": frozenset({"ux", "ui", "ux/ui", "design", "design system", "design systems",
                         "visual design", "user experience", "figma", "sketch", "wireframing",
                         "prototyping", "web typography"}),
    "Data and AI": frozenset({"data", "ai", "tensorflow"}),
    "Education": frozenset({"teaching", "education"}),
    "E-commerce": frozenset({"ecommerce", "magento", "spree", "solidus"}),
}

# "Hi, I'm Mosh" / "My name is Carlos": real first names in a few Coding Coach bios. They are
# replaced by the pseudonym's first name so that a card never pairs one name with another.
_SELF_INTRODUCTION = re.compile(
    r"\b(I'm|I am|[Mm]y name is)\s+([A-Z][A-Za-z]+(?:\s+[A-Z][a-z]+)?)(?=[\s,.!])"
)
_NOT_NAMES = frozenset({"Passionate", "Software", "Senior", "Front", "Full", "Web", "Happy"})


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def with_article(noun: str) -> str:
    """"a technical director", "an air traffic safety technician"."""
    first_word = noun.split()[0] if noun.split() else ""
    if len(first_word) > 1 and first_word.isupper():  # an acronym is read letter by letter
        return f"{'an' if first_word[0] in 'AEFHILMNORSX' else 'a'} {noun}"
    lower = noun.lower()
    vowel_sound = lower[:1] in set("aeiou") and not lower.startswith(("uni", "use", "usu", "eu",
                                                                      "one"))
    return f"{'an' if vowel_sound or lower.startswith(('hour', 'honest')) else 'a'} {noun}"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: source data not found; pass --shared DIR pointing at the "
                          "folder that holds coding-coach/ and esco-occupations/") from exc


def _replace_self_introduction(text: str, first_name: str) -> str:
    def swap(match: re.Match[str]) -> str:
        if match.group(2).split()[0] in _NOT_NAMES:
            return match.group(0)
        return f"{match.group(1)} {first_name}"

    return _SELF_INTRODUCTION.sub(swap, text)


def coding_coach_mentor(row: dict[str, Any], name: str) -> dict[str, Any]:
    """One demo mentor from one Coding Coach profile."""
    mentor_id = "cc-" + str(row["source_id"]).removeprefix("cc-")
    synthetic = list(ALWAYS_SYNTHETIC)
    title = " ".join(str(row.get("title") or "").split())
    tags = [" ".join(str(tag).split()) for tag in row.get("tags") or [] if str(tag).strip()]
    description = " ".join(str(row.get("description") or "").split())
    if description:
        bio = _replace_self_introduction(description, name.split()[0])
        if bio != description:
            synthetic.append("bio")
    else:
        lead = title.rstrip(".") + ". " if title else ""
        bio = f"{lead}Mentor who can help with {join_words(tags) or 'software development'}."
        synthetic.append("bio")
    country = str(row.get("country") or "").upper() or None
    timezone = pick_timezone(mentor_id, country)
    if country and pycountry.countries.get(alpha_2=country) is None:
        country = None  # e.g. "EU": a region some mentors give, not an ISO 3166-1 country
    languages = [code for code in row.get("spoken_languages") or [] if code in ISO_639_1]
    if not languages:
        languages = pick_languages(mentor_id, timezone)
        synthetic.append("languages")
    tag_set = {tag.lower() for tag in tags}
    industries = ["Software"] + [
        industry for industry, markers in TAG_INDUSTRIES.items() if tag_set & markers]
    synthetic.append("industries")
    return {
        "id": mentor_id, "name": name, "headline": title, "bio": bio, "skills": tags,
        "industries": industries, "languages": languages, "country": country,
        "timezone": timezone, "formats": pick_formats(mentor_id),
        "session_minutes": pick_session_minutes(mentor_id),
        "years_experience": pick_years(mentor_id),
        "max_requests_per_week": pick_capacity(mentor_id),
        "source": "coding-coach", "source_id": str(row["source_id"]),
        "synthetic_fields": sorted(synthetic),
    }


def esco_mentor(row: dict[str, Any], name: str, skills: dict[str, list[str]]) -> dict[str, Any]:
    """One demo mentor for one ESCO occupation; the bio is templated from its description and
    the skills are the occupation's essential skills in ESCO (none when ESCO has none)."""
    mentor_id = f"esco-{row['_id']}"
    title = norm(row["title"])
    text = " ".join(str(row["text"]).split())
    group = str(row.get("metadata", {}).get("isco_group_label") or "").strip()
    years = pick_years(mentor_id)
    timezone = pick_timezone(mentor_id, None)
    bio = f"{name} has worked as {with_article(title)} for {years} years. {text}"
    return {
        "id": mentor_id, "name": name, "headline": title[:1].upper() + title[1:], "bio": bio,
        "skills": list(skills.get(title, [])),
        "industries": [group] if group else [], "languages": pick_languages(mentor_id, timezone),
        "country": None, "timezone": timezone, "formats": pick_formats(mentor_id),
        "session_minutes": pick_session_minutes(mentor_id), "years_experience": years,
        "max_requests_per_week": pick_capacity(mentor_id),
        "source": "esco", "source_id": str(row["_id"]),
        "synthetic_fields": sorted([*ALWAYS_SYNTHETIC, "bio", "languages"]),
    }


def build_records(shared: Path, esco_skills: Path = DEFAULT_ESCO_SKILLS) -> list[dict[str, Any]]:
    """Every demo mentor as a plain dict, sorted by id."""
    coach_rows = _read_jsonl(shared / CODING_COACH)
    esco_rows = _read_jsonl(shared / ESCO_CORPUS)
    coach_ids = ["cc-" + str(row["source_id"]).removeprefix("cc-") for row in coach_rows]
    esco_ids = [f"esco-{row['_id']}" for row in esco_rows]
    names = assign_names(coach_ids + esco_ids)
    skills = load_table(esco_skills)
    records = [coding_coach_mentor(row, names[mid]) for row, mid in zip(coach_rows, coach_ids)]
    records += [esco_mentor(row, names[mid], skills) for row, mid in zip(esco_rows, esco_ids)]
    return sorted(records, key=lambda record: record["id"])


def readme_text(coach_count: int, esco_count: int, composed: int, out_name: str,
                esco_skilled: int = 0, skills_source: str = "") -> str:
    """data/README.md: where every part of the demo data comes from and what is made up."""
    return f"""# Demo mentors

`{out_name}` holds {coach_count + esco_count} demo mentor profiles, one JSON object a line,
sorted by id. It is generated by `python -m ingest.build_demo`; do not edit it by hand, edit
the builder and run it again (the output is byte-for-byte deterministic).

## Where the records come from

- **{coach_count} `cc-*` mentors** come from the open-source mentor directory of the
  [Coding Coach](https://github.com/Coding-Coach) project. Their headline (the mentor's title),
  bio (description), skills (tags), country and spoken languages are the mentors' own words.
  Personal data had already been removed upstream (no names, e-mail addresses or avatars).
- **{esco_count} `esco-*` mentors**, one per occupation of ESCO v1.1.1 (European Skills,
  Competences, Qualifications and Occupations). The headline is the occupation's preferred
  label, the industry is its ISCO-08 group and the bio contains the occupation's description.
  The skills of {esco_skilled} of them are essential skills of their occupation in ESCO, by
  ESCO's own preferred labels (see "ESCO skills" below); the other {esco_count - esco_skilled}
  list no skills.

Each record says where it came from in the extra fields `source` (`coding-coach` or `esco`)
and `source_id`, and lists the fields that were generated in `synthetic_fields`.

## What is synthetic

These people do not exist as described. Generated deterministically from each record's id:

- **Names** are made-up pseudonyms (random pairs from a list of common first and last names),
  never the real names of the Coding Coach mentors. Where a Coding Coach bio introduces its
  author by name ("Hi, I'm ..."), that name is replaced by the pseudonym's first name.
- **Years of experience, meeting formats, session lengths, time zones and weekly capacity**
  (`max_requests_per_week`) are random but plausible. Time zones match the country when the
  source gives one.
- **Coding Coach**: industries are "Software" plus one derived from clear tags (design, data,
  teaching, e-commerce); the {composed} empty bios are composed from the title and tags only; a
  missing language list is filled in.
- **ESCO**: the bios are templated from the occupation description ("<name> has worked as a
  <occupation> for <n> years." followed by the description); the spoken languages are
  generated. Which few of the occupation's essential skills are shown is our choice (the rule
  below), but every skill is an ESCO label, never a phrase cut from the description.

## ESCO skills (`esco_skills.json`)

`esco_skills.json` holds, for each ESCO occupation of the demo, up to six of its essential
skills by ESCO's preferred labels. It is written by `python -m ingest.esco_skills` from ESCO's
occupation-skill relations (`occupationSkillRelations_en` joined with `skills_en`) and read by
the builder, so building the demo needs no ESCO download. Source: {skills_source}

Rule: transversal and language skills ("show initiative", "use e-mail"), one-word skills
(bare verbs such as "troubleshoot") and labels over five words are left out; skills essential
to more than 1% of all occupations ("manage staff") come last; otherwise fewer words first; at
most four skills/competences before the knowledge items. The demo occupations are ESCO v1.1.1;
they are matched to the relations by preferred label, then by identical description, then by
an alternative label that names exactly one occupation of the same ISCO group (a renamed
occupation). Occupations none of these match get no skills rather than a guess.

## Licences and acknowledgements

Coding Coach data: MIT License, Copyright (c) 2019 Coding-Coach. The full notice is in
`LICENSE-coding-coach.txt`, which must stay next to any copy of these records.

ESCO (occupations, descriptions and skill labels, including `esco_skills.json`):
{ESCO_ACKNOWLEDGEMENT} ESCO is published by the European Commission; reuse, including
commercial reuse, is authorised provided the source is acknowledged (the Commission's reuse
policy, Decision 2011/833/EU). The selection of skills is ours, not the Commission's.
"""


def build(out: Path, shared: Path, esco_skills: Path = DEFAULT_ESCO_SKILLS
          ) -> list[dict[str, Any]]:
    """Write the demo mentors, the Coding Coach licence and a README next to ``out``."""
    records = build_records(shared, esco_skills)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in records]
    out.write_bytes("".join(lines).encode("utf-8"))
    # Check what we wrote with the same loader users run: every record must be valid.
    load_mentors(out, strict=True)
    shutil.copyfile(shared / CODING_COACH_LICENSE, out.parent / "LICENSE-coding-coach.txt")
    coach = sum(record["source"] == "coding-coach" for record in records)
    composed = sum(record["source"] == "coding-coach" and "Mentor who can help with"
                   in record["bio"] for record in records)
    skilled = sum(record["source"] == "esco" and bool(record["skills"]) for record in records)
    readme = readme_text(coach, len(records) - coach, composed, out.name, skilled,
                         table_source(esco_skills))
    (out.parent / "README.md").write_bytes(readme.encode("utf-8"))
    return records


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m ingest.build_demo", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="JSONL file to write (default: data/demo_mentors.jsonl)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="folder with coding-coach/ and esco-occupations/ "
                             "(default: <repo>/../shared/data)")
    parser.add_argument("--esco-skills", type=Path, default=DEFAULT_ESCO_SKILLS,
                        help="ESCO skills table (default: data/esco_skills.json)")
    args = parser.parse_args(argv)
    try:
        records = build(args.out, args.shared, args.esco_skills)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(records)} mentors to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
