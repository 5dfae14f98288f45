"""Keyword search and named skills: analysis, BM25 top/mask/save/load, the skill index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from finder.search.lexical import (
    KeywordIndex, SkillIndex, analyze, analyze_words, feedback_terms, fingerprint, named_skills,
    skill_terms)


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


def test_feedback_terms_favour_what_the_first_results_share_and_few_others_say() -> None:
    first = ["Payroll specialist. Runs payroll and benefits for small firms.",
             "Compensation analyst. Designs payroll bands and benefits."]
    doc_freq = {"payrol": 2, "benefit": 40, "firm": 300, "band": 5, "compens": 3}
    terms = feedback_terms(first, doc_freq, 1000, exclude=set(analyze("salary")), top=3)
    assert next(iter(terms)) == "payrol"  # in both, and rare
    assert "firm" not in terms  # common across the corpus
    assert abs(sum(terms.values()) - 1.0) < 1e-9
    own = feedback_terms(first, doc_freq, 1000, exclude=set(analyze("payroll")), top=3)
    assert "payrol" not in own  # the ask's own words are not expansion terms
    assert feedback_terms(["", "the and of"], {}, 10, set(), 5) == {}


def test_keyword_index_weighted_top_scales_each_term() -> None:
    index = KeywordIndex()
    index.build(["a", "b", "c"], ["payroll and benefits", "salary bands", "garden design"], "x")
    only_payroll = dict(index.weighted_top({"payrol": 1.0}, 3))
    assert set(only_payroll) == {"a"}
    both = dict(index.weighted_top({"payrol": 1.0, "band": 2.0}, 3))
    assert both["b"] > both["a"] > 0 and "c" not in both
    half = dict(index.weighted_top({"payrol": 0.5}, 3))
    assert half["a"] == pytest.approx(only_payroll["a"] / 2)
    mask = np.array([False, True, True])
    assert dict(index.weighted_top({"payrol": 1.0, "band": 1.0}, 3, mask)).keys() == {"b"}


# Session 8 read-through: "trying to decide between an electrician apprenticeship and going to
# uni" named the Go language ("going" -> "go"), and five software developers came first.
def test_the_verb_go_never_names_the_go_language() -> None:
    from finder.search.lexical import SkillIndex, named_skills
    index = SkillIndex()
    index.build(["gopher", "sparky"], [["go", "docker"], ["electrical installation"]])
    for ask in ("I'm torn between going to uni and an electrician apprenticeship",
                "I want to go back to work after a career break",
                "Go on, tell me how you started"):
        assert "gopher" not in index.scores(ask), ask
        assert named_skills(skill_query_terms_of(ask), ["go"]) == [], ask
    for ask in ("Should I learn Go or Rust for backend services?", "any golang mentors?"):
        assert "gopher" in index.scores(ask), ask
        assert named_skills(skill_query_terms_of(ask), ["go"]) == ["go"], ask


def skill_query_terms_of(text: str) -> frozenset[str]:
    from finder.search.lexical import skill_query_terms
    return skill_query_terms(text)
