"""Keyword search and named skills: analysis, BM25 top/mask/save/load, the skill index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from finder.search.lexical import (
    KeywordIndex, SkillIndex, analyze, analyze_words, fingerprint, named_skills, skill_terms)


def test_analyze_drops_stop_words_and_stems() -> None:
    assert analyze("The Negotiation of the salaries") == ["negoti", "salari"]
    assert analyze("negotiate a salary") == ["negoti", "salari"]


def test_skill_terms_drop_a_js_suffix() -> None:
    assert skill_terms("reactjs") == skill_terms("React") == frozenset({"react"})
    assert skill_terms("Node.js") == frozenset({"node"})
    assert skill_terms("javascript") == frozenset({"javascript"})


def test_named_skills_need_every_term_and_show_each_once() -> None:
    query = set(analyze("help me with React state and salary negotiation"))
    skills = ["reactjs", "react", "react native", "salary negotiation", "css"]
    assert named_skills(query, skills) == ["reactjs", "salary negotiation"]


def test_skill_index_scores_rarer_skills_higher_and_respects_allowed() -> None:
    index = SkillIndex()
    index.build(["a", "b", "c"], [["reactjs", "css"], ["css"], ["python"]])
    scores = index.scores("React with CSS modules")
    assert set(scores) == {"a", "b"} and scores["a"] > scores["b"]
    assert set(index.scores("React with CSS", allowed=frozenset({"b"}))) == {"b"}
    assert index.scores("nothing named here") == {}


def test_keyword_index_top_mask_and_round_trip(tmp_path: Path) -> None:
    index = KeywordIndex()
    ids = ["a", "b", "c"]
    texts = ["salary negotiation coach", "python backend engineer", "negotiation of contracts"]
    index.build(ids, texts, fingerprint([(i, i) for i in ids]))
    top = index.top("negotiating my salary", 3)
    assert [m for m, _ in top] == ["a", "c"]
    assert [m for m, _ in index.top("negotiating", 3, np.array([False, True, True]))] == ["c"]
    assert index.share("negoti") == 2 / 3
    index.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw")
    assert loaded is not None and loaded.fingerprint == index.fingerprint
    assert loaded.top("negotiating my salary", 3) == top
    assert loaded.doc_freq == index.doc_freq


def test_keyword_index_without_doc_freq_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "kw"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"fingerprint": "x", "ids": []}')
    assert KeywordIndex.load(folder) is None


def test_empty_index_and_unknown_terms() -> None:
    index = KeywordIndex()
    index.build([], [], "")
    assert index.top("anything", 5) == []
    index.build(["a"], ["python"], "f")
    assert index.top("zebra", 5) == []


def test_analyze_words_keeps_each_terms_word() -> None:
    words = ("managing", "the", "teams", "pricing")
    assert analyze_words("Managing the Teams, pricing") == [
        (analyze(w)[0], w) for w in words if analyze(w)]
    assert ("manag", "managing") in analyze_words("Managing") and not analyze_words("the")
    assert [stem for stem, _ in analyze_words("React and Redux apps")] == \
        analyze("React and Redux apps")


def test_skill_index_sums_every_named_skill_and_counts_each_term_set_once() -> None:
    index = SkillIndex()
    index.build(["a", "b"], [["salary negotiation", "negotiation", "Negotiation"], ["salary"]])
    scores = index.scores("salary negotiation tips")
    one = index.scores("negotiation")
    # a: "salary negotiation" + "negotiation" (listed twice, counted once); b: "salary".
    assert set(one) == {"a"} and scores["a"] > one["a"] and set(scores) == {"a", "b"}
    assert index.scores("salary") == {"b": pytest.approx(scores["b"])}
