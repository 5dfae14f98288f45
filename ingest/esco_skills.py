"""ESCO's own skill labels for the demo occupations: the table `build_demo` reads.

    python -m ingest.esco_skills --profiles esco_occupation_profiles.parquet
    python -m ingest.esco_skills --esco-csv "ESCO dataset - v1.2.0 - classification - en - csv"

Reads ESCO's occupation-skill relations (either the official CSV download, or a table of
occupation profiles with the essential skills already joined to their labels) and writes
``data/esco_skills.json``: for every demo occupation, a few of its *essential* skills, by ESCO's
preferred labels, chosen by the rule in :func:`pick_skills`. The demo builder only reads that
small file, so building the demo needs neither ESCO download nor network.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finder.core.errors import IngestError

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "esco_skills.json"
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "esco-occupations" / "corpus.jsonl"

SKILLS_PER_MENTOR = 6
KNOWLEDGE_SHARE = 2  # of the six: what they know (e.g. "animal welfare legislation")
MAX_WORDS = 5  # longer ESCO labels read as sentences on a card
COMMON_SHARE = 0.01  # a skill essential to more than 1% of occupations says little about one


@dataclass
class Occupation:
    """One ESCO occupation with its essential skills (label, "skill" or "knowledge")."""

    uri: str
    label: str
    description: str = ""
    isco_group: str = ""
    alt_labels: list[str] = field(default_factory=list)
    essential: list[tuple[str, str]] = field(default_factory=list)
    generic: set[str] = field(default_factory=set)  # transversal and language skills


def norm(text: str) -> str:
    return " ".join(str(text).split())


def _key(label: str) -> str:
    """Labels compared without case, commas or doubled spaces."""
    return norm(re.sub(r"[,;]", " ", label)).casefold()


def _within(part: str, whole: str) -> bool:
    """``part``'s words appear, in order and together, in ``whole``."""
    inner, outer = _key(part).split(), _key(whole).split()
    return any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


def pick_skills(headline: str, essential: Iterable[tuple[str, str]], generic: Iterable[str] = (),
                common: Iterable[str] = (), limit: int = SKILLS_PER_MENTOR) -> list[str]:
    """Up to ``limit`` essential skills, specific and short ones first.

    Transversal and language skills ("show initiative", "use e-mail") are left out: they say
    nothing about this occupation. So is a label that repeats the headline, that runs past
    ``MAX_WORDS`` words, or a skill of one word (a bare verb such as "troubleshoot"; one-word
    knowledge such as "chemistry" stays). Labels in ``common`` (essential to many occupations,
    e.g. "manage staff") come after the others; within each, fewer words, then fewer
    characters, then the alphabet decide, so the result never depends on the input order. A
    label is skipped when it contains, or is contained in, one already picked. At most
    ``limit - KNOWLEDGE_SHARE`` skills/competences are taken first, then knowledge, then
    whatever is left.
    """
    common_keys = {_key(label) for label in common}
    left_out = {_key(label) for label in generic} | {_key(headline)}
    by_kind: dict[str, list[str]] = {"skill": [], "knowledge": []}
    seen: set[str] = set()
    for label, kind in essential:
        label = norm(label)
        key = _key(label)
        words = len(label.split())
        if not label or key in left_out or key in seen or words > MAX_WORDS:
            continue
        if words == 1 and kind != "knowledge":
            continue
        seen.add(key)
        by_kind["knowledge" if kind == "knowledge" else "skill"].append(label)
    for labels in by_kind.values():
        labels.sort(key=lambda label: (_key(label) in common_keys, len(label.split()),
                                       len(label), label.casefold(), label))

    picked: list[str] = []

    def take(labels: list[str], most: int) -> None:
        for label in labels:
            if len(picked) >= most:
                return
            if any(_within(label, p) or _within(p, label) for p in picked):
                continue
            picked.append(label)

    take(by_kind["skill"], limit - KNOWLEDGE_SHARE)
    take(by_kind["knowledge"], limit)
    take(by_kind["skill"], limit)
    return picked


def read_corpus(path: Path) -> list[dict[str, Any]]:
    """The demo's ESCO occupations (BEIR corpus: ``_id``, ``title``, ``text``, metadata)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: the ESCO occupations corpus was not found; pass --corpus") \
            from exc


def _labels(value: Any) -> list[str]:
    """A list cell of a profiles table: a list, a JSON array string, or empty."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else [value]
    return [norm(v) for v in value if v is not None and norm(v)]


def read_profiles(path: Path) -> list[Occupation]:
    """A table of occupation profiles (parquet): one row per occupation with the columns
    ``occupation_uri``, ``occupation_name``, ``occupation_description``, ``isco_group``,
    ``alternative_names``, ``essential_skills``, ``essential_knowledge``,
    ``transversal_skills`` and ``language_skills`` (lists of ESCO preferred labels)."""
    try:
        import pandas as pd
    except ModuleNotFoundError as exc:
        raise IngestError("reading a parquet table needs pandas and fastparquet: "
                          "pip install pandas fastparquet") from exc
    frame = pd.read_parquet(path)
    occupations = []
    for row in frame.to_dict("records"):
        knowledge = set(_labels(row.get("essential_knowledge")))
        occupations.append(Occupation(
            uri=str(row["occupation_uri"]), label=norm(row["occupation_name"]),
            description=norm(row.get("occupation_description") or ""),
            isco_group=str(row.get("isco_group") or ""),
            alt_labels=_labels(row.get("alternative_names")),
            essential=[(label, "knowledge" if label in knowledge else "skill")
                       for label in _labels(row.get("essential_skills"))],
            generic=set(_labels(row.get("transversal_skills")))
            | set(_labels(row.get("language_skills")))))
    return occupations


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: not found; --esco-csv must be the folder of ESCO's CSV "
                          "download (occupations_en.csv, skills_en.csv, "
                          "occupationSkillRelations_en.csv, ...)") from exc


def read_esco_csv(folder: Path) -> list[Occupation]:
    """Occupations with their essential skills from ESCO's official CSV download (English)."""
    skills = {row["conceptUri"]: row for row in _read_csv(folder / "skills_en.csv")}
    generic: set[str] = set()
    for name in ("transversalSkillsCollection_en.csv", "languageSkillsCollection_en.csv"):
        if (folder / name).exists():
            generic |= {row["conceptUri"] for row in _read_csv(folder / name)}
    occupations = {
        row["conceptUri"]: Occupation(
            uri=row["conceptUri"], label=norm(row["preferredLabel"]),
            description=norm(row.get("description") or ""),
            isco_group=str(row.get("iscoGroup") or ""),
            alt_labels=[norm(a) for a in (row.get("altLabels") or "").splitlines() if a.strip()])
        for row in _read_csv(folder / "occupations_en.csv")}
    for row in _read_csv(folder / "occupationSkillRelations_en.csv"):
        occupation = occupations.get(row["occupationUri"])
        skill = skills.get(row["skillUri"])
        if occupation is None or skill is None or row["relationType"] != "essential":
            continue
        label = norm(skill["preferredLabel"])
        if row["skillUri"] in generic or skill.get("reuseLevel") == "transversal":
            occupation.generic.add(label)
        kind = "knowledge" if (row.get("skillType") or skill.get("skillType")) == "knowledge" \
            else "skill"
        occupation.essential.append((label, kind))
    return list(occupations.values())


def match(corpus: Sequence[dict[str, Any]], occupations: Sequence[Occupation]
          ) -> dict[str, Occupation]:
    """Each corpus occupation's ESCO record, by corpus title.

    By exact preferred label first (case, commas and spacing aside), then by identical
    description, then by an alternative label that names exactly one occupation of the same
    ISCO group that no other corpus title already took (a label renamed between ESCO
    versions). A title none of these find gets no skills rather than a guess.
    """
    by_label = {_key(o.label): o for o in occupations}
    by_description = {o.description: o for o in occupations if o.description}
    by_alt: dict[str, list[Occupation]] = {}
    for occupation in occupations:
        for alt in occupation.alt_labels:
            by_alt.setdefault(_key(alt), []).append(occupation)
    found: dict[str, Occupation] = {}
    pending = []
    for row in corpus:
        title = norm(row["title"])
        hit = by_label.get(_key(title)) or by_description.get(norm(row.get("text") or ""))
        if hit is not None:
            found[title] = hit
        else:
            pending.append(row)
    taken = {o.uri for o in found.values()}
    claims: dict[str, list[str]] = {}
    for row in pending:
        title = norm(row["title"])
        group = str((row.get("metadata") or {}).get("isco_group") or "")
        candidates = [o for o in by_alt.get(_key(title), [])
                      if o.uri not in taken and (not group or o.isco_group == group)]
        if len(candidates) == 1:
            claims.setdefault(candidates[0].uri, []).append(title)
    by_uri = {o.uri: o for o in occupations}
    for uri, titles in claims.items():
        if len(titles) == 1:  # two old titles for one new occupation: neither is sure
            found[titles[0]] = by_uri[uri]
    return found


def build_table(corpus: Sequence[dict[str, Any]], occupations: Sequence[Occupation],
                source: str) -> dict[str, Any]:
    """The JSON document: provenance, then one entry per corpus title (sorted)."""
    matched = match(corpus, occupations)
    counts = Counter(label for o in occupations for label in {label for label, _ in o.essential})
    common = {label for label, n in counts.items() if n > COMMON_SHARE * len(occupations)}
    entries = []
    for title in sorted(matched, key=lambda t: (t.casefold(), t)):
        occupation = matched[title]
        skills = pick_skills(title, occupation.essential, occupation.generic, common)
        if skills:
            entries.append({"title": title, "uri": occupation.uri, "skills": skills})
    return {
        "about": "Essential skills of ESCO occupations, by ESCO's preferred labels, for the "
                 "demo mentors (written by python -m ingest.esco_skills; do not edit by hand).",
        "source": source,
        "acknowledgement": "This service uses the ESCO classification of the European "
                           "Commission.",
        "rule": f"up to {SKILLS_PER_MENTOR} essential skills; transversal and language skills, "
                f"one-word skills and labels over {MAX_WORDS} words left out; skills essential "
                f"to over {COMMON_SHARE:.0%} of occupations last, then shortest first; at most "
                f"{SKILLS_PER_MENTOR - KNOWLEDGE_SHARE} skills/competences before knowledge",
        "occupations": entries,
    }


def dumps(table: dict[str, Any]) -> str:
    """One occupation a line, so that a change reads as a small diff."""
    head = {k: v for k, v in table.items() if k != "occupations"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "occupations": [']
    rows = [json.dumps(entry, ensure_ascii=False) for entry in table["occupations"]]
    lines += [row + ("," if i < len(rows) - 1 else "") for i, row in enumerate(rows)]
    lines.append("]}")
    return "\n".join(lines) + "\n"


def load_table(path: Path) -> dict[str, list[str]]:
    """Corpus title -> skills, from the file this module writes."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: the ESCO skills table is missing; it is part of the "
                          "repository (python -m ingest.esco_skills writes it)") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    return {norm(entry["title"]): list(entry["skills"]) for entry in data["occupations"]}


def table_source(path: Path) -> str:
    """The provenance note recorded in the table."""
    return str(json.loads(path.read_text(encoding="utf-8")).get("source") or "")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m ingest.esco_skills", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--esco-csv", type=Path, help="folder of ESCO's CSV download (English)")
    source.add_argument("--profiles", type=Path, help="parquet table of occupation profiles")
    parser.add_argument("--source", default=None,
                        help="provenance note to record (default: the input's name)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the demo's ESCO occupations (default: "
                             "<repo>/../shared/data/esco-occupations/corpus.jsonl)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        corpus = read_corpus(args.corpus)
        occupations = (read_esco_csv(args.esco_csv) if args.esco_csv
                       else read_profiles(args.profiles))
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    table = build_table(corpus, occupations, args.source or (args.esco_csv or args.profiles).name)
    args.out.write_text(dumps(table), encoding="utf-8")
    print(f"wrote skills for {len(table['occupations'])} of {len(corpus)} occupations "
          f"to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
