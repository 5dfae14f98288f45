"""The expertise bridge: its data file, and the pure matching logic in finder.search.bridge."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from finder.search.bridge import (
    CLAUSE_DISCOUNT,
    SAME_HELP,
    Bridge,
    choose,
    choose_both,
    clauses,
    entry_scores,
    expand,
    move,
    names_a_situation,
    towards,
)
from tests.fakes import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_data_file_gives_each_ask_several_phrasings_and_copies_no_eval_query() -> None:
    bridge = Bridge.bundled()
    assert bridge.version >= 2 and len(bridge.asks) == len(bridge.expertise) >= 70
    assert all(4 <= len(examples) <= 8 for examples in bridge.examples)
    assert len(set(bridge.phrasings)) == len(bridge.phrasings)
    assert len(bridge.owners) == len(bridge.phrasings) and bridge.owners[-1] == len(bridge.asks) - 1
    queries = set()
    for path in (ROOT / "eval" / "datasets").glob("*/queries.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            queries.add(" ".join(json.loads(line)["text"].lower().split()))
    assert queries, "no eval queries found"
    copied = [p for p in bridge.phrasings if " ".join(p.lower().split()) in queries]
    assert not copied


def test_a_job_title_or_topic_is_no_situation() -> None:
    assert not names_a_situation("systems programmer")
    assert not names_a_situation("hi-fi shop manager")
    assert names_a_situation("my boss ignores my ideas")


def test_only_the_sentences_of_a_longer_message_are_matched_one_by_one() -> None:
    assert clauses("how do I price my freelance work") == []
    assert clauses("Hi! I run a small bakery. How do I keep my books in order?") == [
        "I run a small bakery.", "How do I keep my books in order?"]
    assert clauses("Thanks.\nAny tips?") == []


def test_an_entry_scores_its_best_phrasing_and_sentences_count_a_little_less() -> None:
    phrasings = np.stack([_unit(1, 0, 0), _unit(0.6, 0.8, 0), _unit(0, 0, 1)])
    owners = np.array([0, 0, 1])
    whole, sentence = _unit(0.6, 0.8, 0), _unit(0, 0, 1)
    scores = entry_scores(np.stack([whole, sentence]), phrasings, owners, 2)
    assert scores[0] == pytest.approx(1.0)  # the second phrasing of entry 0
    assert scores[1] == pytest.approx(1.0 - CLAUSE_DISCOUNT)  # only a sentence matched it
    assert entry_scores(whole[None], phrasings, owners, 3)[2] == -1.0  # no phrasings at all


def test_the_best_entry_fires_above_the_threshold_and_clear_of_entries_needing_other_help() -> None:
    expertise = np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0.99, 0.1, 0)])
    assert float(expertise[0] @ expertise[2]) >= SAME_HELP > float(expertise[0] @ expertise[1])
    assert choose(np.array([0.7, 0.3, 0.2]), expertise, 0.5, 0.05) == 0
    assert choose(np.array([0.45, 0.3, 0.2]), expertise, 0.5, 0.05) is None  # too far
    assert choose(np.array([0.7, 0.68, 0.2]), expertise, 0.5, 0.05) is None  # ambiguous
    assert choose(np.array([0.7, 0.68, 0.2]), expertise, 0.5, 0.0) == 0  # no margin asked
    # Close to two entries that need the same help: no ambiguity.
    assert choose(np.array([0.7, 0.3, 0.69]), expertise, 0.5, 0.05) == 0
    assert choose(np.array([]), expertise[:0], 0.5, 0.05) is None


def test_a_message_moves_towards_the_expertise_of_the_ask_one_of_its_sentences_matches() -> None:
    embedder = HashingEmbedder()
    bridge = Bridge(1, ("ask for a raise", "fix my resume"),
                    ("salary negotiation, compensation", "recruiter, cv writing"),
                    (("I am underpaid and want more money from my boss",),
                     ("nobody replies to my job applications",)))
    phrasings = embedder.encode(bridge.phrasings)
    helps = embedder.encode(bridge.expertise)
    message = ("Hello there, thanks a lot for reading this long message from a stranger who "
               "found your profile today. I am underpaid and want more money from my boss.")
    query = embedder.encode_query(message)
    units = np.vstack([query, embedder.encode(clauses(message))])
    moved, hit = expand(query, units, phrasings, bridge.owners, helps, 0.6, 0.7, 0.03)
    assert hit == 0 and np.isclose(np.linalg.norm(moved), 1.0)
    assert float(moved @ helps[0]) > float(query @ helps[0])
    # The whole message alone is too diluted to fire; its sentence is not.
    assert expand(query, query[None], phrasings, bridge.owners, helps, 0.6, 0.7, 0.03)[1] is None
    same, none = expand(query, units, phrasings, bridge.owners, helps, 0.0, 0.5, 0.03)
    assert none is None and same is query


def test_an_unseen_paraphrase_fires_the_right_ask_with_the_real_model(embedder) -> None:  # type: ignore[no-untyped-def]
    from finder.search.ranking import PIPELINES

    pipe = PIPELINES["default"]
    bridge = Bridge.bundled()
    phrasings = embedder.encode(list(bridge.phrasings))
    helps = embedder.encode(list(bridge.expertise))
    fired = {}
    for message in (
            "I've worked seventy-hour weeks for a year. Now I feel empty and can't face Monday "
            "mornings. What can I do?",
            "the freelance translation agency pays me far less than I think my work is worth",
            "They made me team lead last month and I have never managed anyone before"):
        query = embedder.encode([message])[0]
        parts = clauses(message)
        units = np.vstack([query, embedder.encode(parts)]) if parts else query[None]
        _, hit = expand(query, units, phrasings, bridge.owners, helps, pipe.bridge,
                        pipe.bridge_threshold, pipe.bridge_margin)
        fired[message[:20]] = None if hit is None else bridge.asks[hit]
    assert fired == {
        "I've worked seventy-": "I feel burned out and exhausted at work",
        "the freelance transl": "how much to charge, price my freelance work or product",
        "They made me team le": "first time managing a team, becoming a new manager, managing my "
                                "former peers",
    }


def test_read_through_situations_fire_their_own_ask_with_the_real_model(embedder) -> None:  # type: ignore[no-untyped-def]
    """New wordings from the mentee's side (not an eval query, not a bridge phrasing) for the
    situations the session-4 read-through found wrong mentors for."""
    from finder.search.ranking import PIPELINES

    pipe = PIPELINES["default"]
    bridge = Bridge.bundled()
    phrasings = embedder.encode(list(bridge.phrasings))
    helps = embedder.encode(list(bridge.expertise))
    expected = {
        "We are four founders and want our first person whose only job is selling. How much "
        "commission is normal?": "hire my first salesperson, build a sales team from scratch",
        "The senior dev on my team keeps blocking my pull requests over tiny style "
        "things.": "disagreements in code review, a colleague or tech lead who rewrites or "
                   "blocks my code",
        "A guy on my team who wanted my promotion now talks behind my back.":
            "managing former peers, a colleague who wanted my job resents me",
    }
    for message, ask in expected.items():
        query = embedder.encode([message])[0]
        parts = clauses(message)
        units = np.vstack([query, embedder.encode(parts)]) if parts else query[None]
        _, hit = expand(query, units, phrasings, bridge.owners, helps, pipe.bridge,
                        pipe.bridge_threshold, pipe.bridge_margin)
        assert hit is not None and bridge.asks[hit] == ask, message
    # No expertise names a shop-floor title that keyword search matches in unrelated trades.
    assert not [e for e in bridge.expertise if "team leader" in e]


def test_an_ask_that_is_two_situations_at_once_is_moved_towards_both() -> None:
    """"Hire our first salesperson" is hiring and sales: two asks that need different help, each
    above the threshold, neither by the margin. The plain rule moves towards neither."""
    helps = np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0, 0, 1)])
    scores = np.array([0.60, 0.58, 0.20])
    assert choose(scores, helps, 0.45, 0.03) is None
    assert choose_both(scores, helps, 0.45, 0.03) == (0, 1)
    # Clear winner: only it. A rival below the threshold: neither (as before).
    assert choose_both(np.array([0.60, 0.50, 0.2]), helps, 0.45, 0.03) == (0,)
    assert choose_both(np.array([0.46, 0.44, 0.2]), helps, 0.45, 0.03) == ()
    query = _unit(0, 0, 1)
    phrasings = helps
    owners = np.arange(3)
    units = _unit(0.6, 0.58, 0.2)[None]
    # As the search does it: score the entries, choose, move towards the chosen ones' mean.
    hits = choose_both(entry_scores(units, phrasings, owners, len(helps)), helps, 0.45, 0.03)
    moved = move(query, towards(helps[list(hits)]), 0.6)
    assert hits == (0, 1) and moved[0] > 0 and moved[1] > 0
    assert np.isclose(np.linalg.norm(moved), 1.0)
