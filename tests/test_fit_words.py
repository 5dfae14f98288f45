"""What the search reads in a mentee's words before it looks for mentors (issue 7, session 6):
what they do for a living ("I groom dogs", "we run a tiny brewery"), which asks are best
answered by someone in that trade, and ambiguous words read in the sense the ask gives them
("pipelines" beside "dbt" is data work). New wordings, not the eval sets' own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from finder.core.errors import WordFileError
from finder.core.wordfile import parse_word_file
from finder.search.bridge import Bridge, towards
from finder.search.senses import Senses, SensesFile, bundled_senses

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("message", "trade"), [
    ("I make ceramic mugs and sell them online. How do I price a set of four?",
     "ceramic mugs maker: I make ceramic mugs and sell them online"),
    ("We run a tiny brewery in an old garage. Where do we find pubs to stock us?",
     "We run a tiny brewery in an old garage"),
    ("Hi! I'm a physiotherapist with my own clinic. I'm exhausted.",
     "I'm a physiotherapist with my own clinic"),
    ("My husband and I run a small guesthouse by the sea, and the summers wear us out.",
     "My husband and I run a small guesthouse by the sea"),
    ("I proofread academic theses for students, mostly in history.",
     "academic theses proofreader: I proofread academic theses for students"),
    # Session 7: what the verb works on names the trade ("I teach yoga": a yoga teacher, not a
    # business lecturer), and classes one runs are one's work.
    ("I teach tai chi in a library meeting room on Tuesdays. Should I rent my own space?",
     "tai chi teacher: I teach tai chi in a library meeting room on Tuesdays"),
    ("I teach the cello to adults. How much should a lesson cost?",
     "cello teacher: I teach the cello to adults"),
    ("I translate from Polish into English. What rate per word is fair?",
     "translator: I translate from Polish into English"),
    ("I run pottery workshops at weekends and want to grow them.",
     "I run pottery workshops at weekends"),
])
def test_what_the_mentee_does_is_read_from_their_own_sentence(message: str,
                                                                trade: str) -> None:
    assert Bridge.bundled().trade_of(message) == trade


@pytest.mark.parametrize("message", [
    "I'm a bit stuck with my pricing. What should I charge?",
    "I have a question about invoices.",
    "I just want to know how to set my rates.",
    "How should I price my illustrations?",
    "I do not know where to find clients.",
])
def test_a_sentence_that_says_nothing_about_their_work_is_no_trade(message: str) -> None:
    assert Bridge.bundled().trade_of(message) == ""


def test_asks_that_are_the_same_in_every_trade_are_answered_within_the_mentees_own() -> None:
    bridge = Bridge.bundled()
    within = {ask for ask, own in zip(bridge.asks, bridge.in_trade, strict=True) if own}
    assert "how much to charge, price my freelance work or product" in within
    assert "find my first clients or customers" in within
    assert "I feel burned out and exhausted at work" in within
    # Asking for a raise or negotiating an offer is HR's and recruiters' ground in every trade.
    assert "negotiate a job offer, the salary or the package" not in within
    assert "ask my manager for a raise or a higher salary" not in within


@pytest.mark.parametrize(("message", "searched"), [
    ("How do I push back on my line manager without sounding difficult?",
     "How do I push back on someone without sounding difficult?"),
    ("One of my pupils' parents offered to invest in my tutoring business.",
     "One of my pupils' parents offered to invest in my tutoring business."),
    ("Two of my students want to put money into my studio.",
     "someone want to put money into my studio."),
    ("The manager of the other shift keeps changing my rota.",
     "someone keeps changing my rota."),
    ("A fellow director blocks every proposal I make.", "someone blocks every proposal I make."),
    ("My cofounder and I disagree about hiring.", "someone and I disagree about hiring."),
    # The mentee's own role, and nobody's role, are searched as written.
    ("As a team lead I have to plan next year's budget.",
     "As a team lead I have to plan next year's budget."),
    ("I'm a store manager and want to move into head office.",
     "I'm a store manager and want to move into head office."),
    ("Our head of sales wants a new CRM.", "Our head of sales wants a new CRM."),
])
def test_the_people_the_mentee_deals_with_are_searched_as_someone(message: str,
                                                                  searched: str) -> None:
    assert Bridge.bundled().without_counterparts(message) == searched


def test_only_asks_with_the_same_help_in_any_field_are_field_free() -> None:
    bridge = Bridge.bundled()
    index = {ask: i for i, ask in enumerate(bridge.asks)}
    assert bridge.field_free((index["set boundaries at work, say no to my boss, protect my "
                                     "evenings and breaks"],))
    assert bridge.field_free((index["ask my manager for a raise or a higher salary"],))
    # A code review, a slow app, a price: the field is the help.
    assert not bridge.field_free((index["disagreements in code review, a colleague or tech lead "
                                        "who rewrites or blocks my code"],))
    assert not bridge.field_free((index["how much to charge, price my freelance work or "
                                        "product"],))
    assert not bridge.field_free(())


def test_the_query_moves_towards_the_expertise_and_the_mentees_own_work() -> None:
    helps = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    own = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    target = towards(helps, own)
    assert np.isclose(np.linalg.norm(target), 1.0)
    assert target[0] > 0.5 and target[1] > 0.5
    assert np.allclose(towards(helps), helps[0])  # no trade: the expertise alone


def test_a_bridge_entry_whose_in_trade_is_not_true_or_false_names_the_entry(
        tmp_path: Path) -> None:
    data = json.loads((ROOT / "data" / "expertise_bridge.json").read_text("utf-8"))
    data["entries"][3]["in_trade"] = "yes"
    broken = tmp_path / "bridge.json"
    broken.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ValueError, match=r"entries\.3\.in_trade"):
        Bridge.load(broken)


@pytest.mark.parametrize(("message", "gone", "reads"), [
    ("Our dbt pipelines are a tangled mess and every change breaks two reports.",
     "pipelines", "data engineering"),
    ("The GitHub Actions pipeline takes 25 minutes on every push.", "pipeline", "CI/CD"),
    ("I'm the only designer at a small SaaS company. How do I get taken seriously?",
     None, "product designer (UX/UI)"),
    ("They offered me the job but I want to negotiate the salary up a bit.",
     "negotiate", "pay and compensation"),
    ("My co-founder wants a bigger slice of the equity than we agreed.", "equity",
     "who owns how much"),
    # From the lead's read-through (a food truck's plan showed truck drivers; "my manager keeps
    # taking credit for my work" a credit union manager), written before their senses.
    ("I run a food truck and want to grow it into three trucks over the next couple of years",
     "truck", "street food"),
    ("We sell coffee and pastries from a converted truck at weekend markets.", "truck",
     "street food"),
    ("My manager keeps taking credit for my work in meetings, what do I do", "credit",
     "recognition"),
    ("A colleague took credit for my idea in front of the whole team.", "credit",
     "recognition"),
    # From the session 7 read-through (data scientists whose models never reach production
    # were shown electronics drafters and model makers; a PhD student whose supervisor does
    # not reply was shown five site supervisors), written before their senses.
    ("Our data science team trains models in notebooks and none of them ever ship.", "models",
     "MLOps"),
    ("How do I get my machine learning model from a Jupyter notebook into production?",
     "model", "MLOps"),
    ("My PhD supervisor hardly replies to my emails and my thesis draft is stuck.",
     "supervisor", "PhD"),
    ("My dissertation supervisor and I disagree about the scope of my research.",
     "supervisor", "PhD"),
    # "I have to fire someone for the first time" was shown three fire officers.
    ("i have to fire someone for the first time next week and i feel sick about it", "fire",
     "letting an employee go"),
    ("We need to fire an employee who keeps missing shifts. How do we do it properly?",
     "fire", "letting an employee go"),
    # "move from customer support into a product manager role" was shown a move manager first.
    ("My goal for next year is to move from customer support into a product manager role.",
     "move ", "switch"),
    ("How do I make the move into data analysis from a finance job?", "move ", "switch"),
    # Session 7 (fits2): "a raise" is pay; searched as written it brought a fundraising
    # manager ("raising money") to the product's own example. Written before the sense.
    ("Is it too early to bring up a raise with my team lead after eight months?", "raise",
     "salary increase"),
    ("My boss promised me a raise in the spring and nothing has happened since.", "raise",
     "salary increase"),
    ("Everyone else on my shift got raises this year except me.", "raise", "salary increase"),
])
def test_an_ambiguous_word_is_searched_in_the_sense_the_ask_gives_it(
        message: str, gone: str | None, reads: str) -> None:
    searched = bundled_senses().read(message)
    assert reads in searched, searched
    if gone:
        assert gone not in searched.lower(), searched


@pytest.mark.parametrize("message", [
    "I inspect gas pipelines for corrosion and want to move into management.",
    "I'm a costume designer for a touring theatre company.",
    "How do I negotiate a longer lease with my landlord?",
    "Should I invest in an equity fund or pay off my mortgage?",
    "I drive a delivery truck and want to become a dispatcher.",
    "How do I get a licence to drive heavy trucks in Canada?",
    "How do I improve my credit score before applying for a mortgage?",
    "I run a credit union and want to modernise our lending.",
    "I work at a credit union and want to move into compliance.",
    # A "testing" sense for software teams was tried and not kept (Coding Coach tune half
    # -0.0013 nDCG@10): testing stays as written.
    "We test soil samples for farmers and want to grow the lab.",
    "How do I prepare for my driving test next month?",
    "How do I start testing demand for my app idea before building it?",
    # "raise" as a verb: money, prices, or bringing something up, stays as written.
    "How do I raise money for a community garden?",
    "We want to raise a seed round next year; where do we start?",
    "How do I raise my prices without losing my regulars?",
    "How do I raise it with my boss without making things awkward?",
])
def test_a_word_with_no_cue_for_another_sense_is_searched_as_written(message: str) -> None:
    assert bundled_senses().read(message) == message


def test_a_broken_senses_file_names_the_file_and_the_key() -> None:
    text = "version: 1\nwords:\n  pipelines?:\n  - reads: data work\n"
    with pytest.raises(WordFileError,
                       match=r"^finder/search/senses\.yaml: key 'words\.pipelines\?\.0\.cues'"):
        parse_word_file(text, "finder/search/senses.yaml", SensesFile)
    assert isinstance(bundled_senses(), Senses)


def test_a_long_sentence_is_also_compared_clause_by_clause() -> None:
    """The fear is named after a long first clause: the clause that names it is compared with
    the asks on its own. A short message, or a short sentence, is not cut."""
    from finder.search.bridge import clauses

    breaks = Bridge.bundled().breaks
    message = ("I coordinate volunteers for a food bank and on Saturday I have to thank our "
               "donors at the annual dinner, but the idea of a microphone and two hundred "
               "faces makes my hands shake.")
    parts = clauses(message, breaks)
    assert any("the idea of a microphone" in p and "volunteers" not in p for p in parts), parts
    assert clauses(message) == []  # without breaks: one sentence, compared whole
    assert clauses("How do I price my work, roughly?", breaks) == []
    assert clauses("Hi! I run a small bakery. How do I keep my books in order?", breaks) == [
        "I run a small bakery.", "How do I keep my books in order?"]




@pytest.mark.parametrize("message", ["How do I lead my fire team through a long night shift?",
                                     "The fire destroyed our team's office. What now?",
                                     "How hot should I fire my kiln for stoneware?"])
def test_a_fire_that_is_a_fire_stays_one(message: str) -> None:
    assert bundled_senses().read(message) == message



@pytest.mark.parametrize("message", ["We are planning to move our office to Leeds next year.",
                                     "How do I move house with two dogs and a cat?"])
def test_a_move_that_is_a_move_stays_one(message: str) -> None:
    assert bundled_senses().read(message) == message


@pytest.mark.parametrize(("message", "rest"), [
    ("I clean houses on my own and I've got more work than I can handle. Should I take on a "
     "helper?", "I've got more work than I can handle. Should I take on a helper?"),
    ("We run a small bakery. How do we hire our first baker?", "How do we hire our first baker?"),
    ("How should I ask my manager for a raise?", ""),
    ("I run a tiny bakery.", ""),
])
def test_the_situation_is_also_compared_without_the_sentence_that_says_the_trade(
        message: str, rest: str) -> None:
    assert Bridge.bundled().without_trade(message) == rest


# Session 8: what the mentee's words say about other people's calls, places and time zones is the
# ask, not how or where they want to meet (it was taken out of what is searched, and "New York"
# set a region filter). Seen failing first.
@pytest.mark.parametrize(("message", "kept", "region"), [
    ("My manager is in New York and I'm in London, and she keeps booking calls at 9pm my time. "
     "How do I push back?", ["New York", "booking calls"], "UK"),
    ("Our team is spread over three time zones and I'm always the one on calls at midnight.",
     ["three time zones", "on calls at midnight"], None),
    ("I'm a plumber and I want to stop doing emergency call-outs at night.", ["call-outs"], None),
    ("Our clients are mostly in Europe and I keep missing their emails at night.", ["Europe"],
     None),
])
def test_other_peoples_calls_places_and_time_zones_stay_in_the_ask(
        embedder, message: str, kept: list[str], region: str | None) -> None:  # type: ignore[no-untyped-def]
    from finder.dialogue.slots import read_slots
    from finder.dialogue.understanding import Understanding

    searched = Understanding(embedder).goal_words(message).query
    assert all(words in searched for words in kept), searched
    slots = read_slots(message)
    assert slots.region == region and not slots.formats


@pytest.mark.parametrize(("message", "region", "formats"), [
    ("a quick call with someone in New York", "US East Coast", ["video", "phone"]),
    ("Could we do a call? I'm in London.", "UK", ["video", "phone"]),
])
def test_the_mentees_own_place_and_call_are_still_the_meeting(
        message: str, region: str, formats: list[str]) -> None:
    from finder.dialogue.slots import read_slots

    slots = read_slots(message)
    assert slots.region == region and slots.formats == formats


@pytest.mark.parametrize("message", [
    "A parent sent an angry email to the head about my marking. How should I respond?",
    "My client sent me a rude email after I raised my prices.",
    "A customer sent a furious email about a late delivery and I don't know how to reply.",
])
def test_an_email_someone_sent_the_mentee_is_the_ask_not_the_format(
        embedder, message: str) -> None:  # type: ignore[no-untyped-def]
    from finder.dialogue.slots import read_slots
    from finder.dialogue.understanding import Understanding

    assert read_slots(message).formats == []
    assert "email" in Understanding(embedder).goal_words(message).query


@pytest.mark.parametrize("message", ["An email reply is fine.", "Could we do this by email?",
                                     "I'd prefer a long email to a call."])
def test_an_email_to_the_mentor_is_still_the_format(message: str) -> None:
    from finder.dialogue.slots import read_slots

    assert "email" in read_slots(message).formats
