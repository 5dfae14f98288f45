"""Fusion, reliability, generic-sentence discount and reasons: pure functions, no model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from finder.core.models import Mentor
from finder.search.ranking import (
    PIPELINES, Evidence, Pipeline, explain, feedback, fuse, generic_discount, mentor_texts, mmr,
    reliability, sentence_score, sentences, skills_text)


def mentor(**fields) -> Mentor:  # type: ignore[no-untyped-def]
    base = dict(id="m-1", name="Ana", headline="Frontend engineer", bio="I build web apps.")
    return Mentor.model_validate(base | fields)


def test_sentences_keep_three_word_sentences_and_cap_the_count() -> None:
    bio = "Hi! I build React apps daily. " + " ".join(f"Sentence number {i} here." for i in range(12))
    found = sentences(bio)
    assert found[0] == "I build React apps daily."
    assert "Hi!" not in found and len(found) == 8


def test_mentor_texts_and_skills_text() -> None:
    m = mentor(skills=["reactjs", "redux"])
    assert mentor_texts(m)["profile"] == ["Frontend engineer. I build web apps. Skills: reactjs, redux."]
    assert skills_text(m) == "Frontend engineer. Skills: reactjs, redux."


def test_reliability_follows_bio_length_and_skill_count() -> None:
    short = reliability(mentor(bio="Ask me anything about code.", skills=["a", "b", "c", "d"]))
    assert short["profile"] == 1.0 and short["skills"] == 1.0
    assert 0 < short["sentence"] < 0.2
    long = reliability(mentor(bio=" ".join(["I teach people to build web apps."] * 8)))
    assert long["sentence"] == 1.0 and long["skills"] == 0.0


def test_fuse_zscores_and_floors_missing_candidates() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.9, "b": 0.5, "c": 0.1}}, keyword={"c": 9.0, "d": 3.0})
    fused = fuse(ev, PIPELINES["previous"])
    assert set(fused) == {"a", "b", "c", "d"}
    # d has no profile cosine: it gets the lowest (c's), so it can't beat c on that signal.
    assert fused["a"] > fused["b"] and fused["c"] > fused["d"]
    dense = fuse(ev, PIPELINES["dense"])
    assert dense["c"] == pytest.approx(dense["d"])


def test_fuse_without_reliability_is_the_plain_weighted_sum() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.8, "b": 0.6}, "sentence": {"a": 0.2, "b": 0.7}},
                  reliability={"sentence": {"a": 0.0, "b": 0.0}})
    plain = fuse(ev, Pipeline("p", {"profile": 1.0, "sentence": 1.0}))
    assert plain["b"] > plain["a"]  # 1.3 vs 1.0


def test_reliability_lets_a_profile_without_a_bio_rank_on_what_it_has() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.8, "b": 0.6}, "sentence": {"a": 0.2, "b": 0.7}},
                  reliability={"sentence": {"a": 0.0, "b": 1.0}})
    fused = fuse(ev, Pipeline("p", {"profile": 1.0, "sentence": 1.0}, reliable=True))
    # a's sentence says nothing (weight 0): a is scored 2 * 0.8 = 1.6, b 0.6 + 0.7 = 1.3.
    assert fused["a"] > fused["b"]


def test_named_skills_add_a_bonus_relative_to_the_best() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.5, "b": 0.5, "c": 0.5}}, skills={"b": 2.0, "c": 1.0})
    fused = fuse(ev, Pipeline("p", {"profile": 1.0}, skill_match=0.6))
    assert fused["b"] - fused["a"] == pytest.approx(0.6)
    assert fused["c"] - fused["a"] == pytest.approx(0.3)


def test_rrf_ranks_by_position() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.9, "b": 0.8}}, keyword={"b": 5.0, "a": 1.0})
    fused = fuse(ev, PIPELINES["rrf"])
    assert fused["a"] == pytest.approx(fused["b"])


def test_generic_discount() -> None:
    assert generic_discount(0.6, 0.9, 0.5) == pytest.approx(0.15)
    assert generic_discount(0.6, 0.9, 0.0) == 0.6


def test_mmr_never_puts_near_copies_together() -> None:
    v = {"a": np.array([1.0, 0.0]), "b": np.array([1.0, 0.0]), "c": np.array([0.0, 1.0])}
    assert mmr(["a", "b", "c"], {"a": 1.0, "b": 0.99, "c": 0.5}, v, 2, 0.1) == ["a", "c"]
    assert mmr(["a", "b", "c"], {"a": 1.0, "b": 0.99, "c": 0.5}, v, 2, 0.0) == ["a", "b"]


def test_reasons_name_skills_not_common_words() -> None:
    m = mentor(headline="React developer", bio="Quick learner with a long career in software. "
               "I mentor juniors on state management.", skills=["reactjs", "redux", "css"])
    shares = {"quick": 0.3, "career": 0.4, "redux": 0.01, "state": 0.02, "manag": 0.2}
    reasons = explain(m, "quick career question: React and Redux state management",
                      best_sentence="I mentor juniors on state management.", semantic_rank=1,
                      keyword_rank=3, term_share=lambda t: shares.get(t, 0.5))
    assert reasons.matched_skills == ["reactjs", "redux"]
    assert "quick" not in reasons.matched_terms and "career" not in reasons.matched_terms
    assert "redux" not in reasons.matched_terms  # already shown as a skill
    assert reasons.matched_terms == ["state"]
    assert reasons.signals == ["semantic", "keyword"]


def test_title_signal_is_fused_like_bm25_and_off_by_default() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.6, "b": 0.6, "c": 0.2}}, title={"b": 4.0, "c": 1.0})
    assert ev.candidates() == {"a", "b", "c"}
    off = fuse(ev, Pipeline("p", {"profile": 1.0}))
    assert off["a"] == pytest.approx(off["b"])
    on = fuse(ev, Pipeline("p", {"profile": 1.0}, title=0.5))
    # z over b, c: b +1, c -1; a has no title score and gets the lowest (c's).
    assert on["b"] - on["a"] == pytest.approx(1.0)
    assert on["c"] == pytest.approx(off["c"] - 0.5)


def test_a_candidate_no_signal_can_vouch_for_gets_the_weighted_floors() -> None:
    ev = Evidence(semantic={"profile": {"a": 0.9, "b": 0.4, "c": 0.1}},
                  reliability={"profile": {"a": 0.0}})
    raw = fuse(ev, Pipeline("p", {"profile": 2.0}, reliable=True, normalise="minmax"))
    # a's only cosine is untrusted: it scores the floor (2 * 0.1), like c, below b.
    assert raw["a"] == pytest.approx(raw["c"]) and raw["b"] > raw["a"]


def test_reasons_never_name_a_function_number_or_light_verb_word() -> None:
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    from finder.core.words import load_stop_words

    # The one list covers a maintained comprehensive English list (NLTK's, shipped by bm25s).
    assert set(STOPWORDS_EN_PLUS) <= load_stop_words().reasons()
    m = mentor(headline="Bridge inspector", bio="I report on two bridges a week, cut out rust and "
               "check the welds after every inspection.", skills=["civil engineering"])
    query = ("my startup is running out of money in two months; I must report to the board "
             "whether to cut costs or look for welds")
    reasons = explain(m, query, best_sentence="", semantic_rank=1, keyword_rank=1,
                      term_share=lambda t: 0.001)
    for word in ("out", "two", "report", "cut", "whether", "running"):
        assert word not in reasons.matched_terms
    assert reasons.matched_terms == ["welds"]


def test_sentence_score_means_the_best_sentences_and_floors_unseen_ones() -> None:
    assert sentence_score([0.2, 0.6, 0.4], top=1, count=3, floor=0.1) == pytest.approx(0.6)
    assert sentence_score([0.2, 0.6, 0.4], top=2, count=3, floor=0.1) == pytest.approx(0.5)
    # a one-sentence bio is judged on the sentence it has, not padded with the floor
    assert sentence_score([0.6], top=2, count=1, floor=0.1) == pytest.approx(0.6)
    # a second sentence the search did not return counts as the lowest cosine it returned
    assert sentence_score([0.6], top=2, count=5, floor=0.1) == pytest.approx(0.35)
    assert sentence_score([], top=2, count=0, floor=0.1) == pytest.approx(0.1)


def test_feedback_lifts_the_mentor_closest_to_what_the_first_results_share() -> None:
    axis = np.eye(4, dtype=np.float32)
    vectors = {"payroll-1": axis[0], "payroll-2": (axis[0] + 0.2 * axis[1]),
               "garden": axis[2], "payroll-3": (axis[0] + 0.1 * axis[3])}
    vectors = {m: v / np.linalg.norm(v) for m, v in vectors.items()}
    fused = {"payroll-1": 3.0, "payroll-2": 2.9, "garden": 2.0, "payroll-3": 1.95, "far": 0.5}
    pipe = replace(PIPELINES["default"], feedback=0.5, feedback_docs=2, feedback_depth=4)
    out = feedback(fused, vectors, pipe)
    order = sorted(out, key=lambda m: -out[m])
    assert order.index("payroll-3") < order.index("garden")  # like the first two
    assert order[-1] == "far"  # outside the head: the head's lowest z-score, order kept
    assert out["far"] - fused["far"] == pytest.approx(min(
        out[m] - fused[m] for m in ("payroll-1", "payroll-2", "garden", "payroll-3")))
    off = feedback(fused, vectors, replace(pipe, feedback=0.0))
    assert off == fused


# Session 8 read-through: "My first novel is finished and I have no idea how to find a literary
# agent" showed a book editor with "Mentions: find".
def test_a_verb_of_the_ask_itself_is_never_a_reason() -> None:
    m = mentor(headline="Book editor", bio="Book editors find manuscripts that can be published, "
               "and figure out which ones are worth the work.", skills=["editing"])
    query = "I have no idea how to find a literary agent or figure out which manuscripts sell"
    reasons = explain(m, query, best_sentence="", semantic_rank=1, keyword_rank=1,
                      term_share=lambda t: 0.001)
    assert "find" not in reasons.matched_terms and "figure" not in reasons.matched_terms
    assert reasons.matched_terms == ["manuscripts"]


# Session 8 read-through: "just show me" with no ask showed "Mentions: mentor" on every card;
# every profile here is a mentor's.
def test_being_a_mentor_is_never_a_reason() -> None:
    m = mentor(headline="Learning mentor", bio="Learning mentors support students; I love "
               "mentoring and mentored twenty juniors in budgeting.", skills=["coaching"])
    reasons = explain(m, "just show me mentors who mentor people on budgeting", best_sentence="",
                      semantic_rank=1, keyword_rank=1, term_share=lambda t: 0.001)
    assert reasons.matched_terms == ["budgeting"]


# The README's screenshots: a developer whose tag is "career" was shown "Skills: career" and
# drafted "your experience as a Software Developer, including career" for a pay raise.
def test_a_tag_that_is_only_a_generic_word_is_never_a_named_skill() -> None:
    m = mentor(headline="Software Developer", bio="Experienced mobile developer.",
               skills=["career", "python", "career coaching"])
    reasons = explain(m, "How should I ask my manager for a raise?", best_sentence="",
                      semantic_rank=1, keyword_rank=1, term_share=lambda t: 0.001,
                      expertise="career coach, human resources, career coaching")
    assert "career" not in reasons.matched_skills
    assert reasons.matched_skills == ["career coaching"]
