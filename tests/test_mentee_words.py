"""The mentee's words as people write them: formats, markup, language, whole sentences."""

from __future__ import annotations

import pytest

from finder.core.models import Match, Mentor
from finder.dialogue.language import LanguageReader
from finder.dialogue.slots import read_slots
from finder.dialogue.understanding import Understanding
from finder.dialogue.words import clean
from finder.ui.web import language_note
from tests.fakes import HashingEmbedder

UNDERSTANDING = Understanding(HashingEmbedder())


@pytest.mark.parametrize("text", ["Ideally a quick chat about my CV",
                                  "a short chat is enough, I just have one question"])
def test_a_quick_chat_is_a_text_chat(text: str) -> None:
    slots = read_slots(text)
    assert slots.formats == ["chat"] and slots.minutes is None


@pytest.mark.parametrize("text", ["Could we do a quick call about pricing?",
                                  "a short call next week would be great"])
def test_a_quick_call_is_a_15_minute_phone_or_video_call(text: str) -> None:
    slots = read_slots(text)
    assert set(slots.formats) == {"phone", "video"} and slots.minutes == 15


def test_coffee_is_in_person_only_as_a_way_to_meet() -> None:
    assert read_slots("happy to meet over coffee in Berlin").formats == ["in_person"]
    assert read_slots("pricing for my coffee roastery").formats == []


def test_one_specific_question_is_never_long_term() -> None:
    assert not UNDERSTANDING.is_long_term(
        "I have one specific question about switching careers into UX design")


def test_markup_is_removed_before_reading() -> None:
    assert clean("<script>alert(1)</script> **help** with <b>React</b> hooks") == \
        "help with React hooks"


def test_the_query_keeps_every_goal_sentence_and_drops_logistics() -> None:
    words = UNDERSTANDING.goal_words(
        "Hi! How should I ask my manager for a raise? I'd prefer a quick 15 minute phone call")
    assert words.query == "How should I ask my manager for a raise?"
    assert words.shown == ["How should I ask my manager for a raise?"]
    long = UNDERSTANDING.goal_words(
        "I'm giving my first keynote next month. I get very nervous on stage. How do I prepare?")
    assert "keynote" in long.query and "nervous on stage" in long.query


def test_language_of_short_messages() -> None:
    reader = LanguageReader()
    assert reader.detect("¿Cómo negocio mi salario?") == "es"
    assert reader.detect("Wie verhandle ich mein Gehalt?") == "de"
    assert reader.detect("Kubernetes migration") in (None, "en")
    assert reader.detect("How should I ask my manager for a raise?") == "en"


def test_a_card_says_when_the_mentor_does_not_speak_the_mentees_language() -> None:
    mentor = Mentor(id="m", name="Ana Ruiz", headline="Accountant", bio="I keep the books of small firms.",
                    languages=["es"])
    assert language_note(Match(mentor=mentor, score=1.0), None) == \
        ["Doesn't speak English: speaks Spanish"]
    assert language_note(Match(mentor=mentor, score=1.0), "es") == []


def _spanish_speakers() -> list[Mentor]:
    return [Mentor(id=f"es-{i}", name=f"Lucía Pérez {i}", headline="Enfermera", skills=["nursing"],
                   bio="Enfermera con diez años de experiencia en hospitales.",
                   languages=["es", "en"]) for i in range(5)]


def test_a_mentee_writing_in_spanish_is_told_once_that_english_searches_better() -> None:
    from finder.dialogue.conversation import Conversation
    from tests.fakes import FixedSearch

    chat = Conversation(FixedSearch(HashingEmbedder(), _spanish_speakers()))
    reply = chat.send("Necesito ayuda para preparar una entrevista de trabajo como enfermera "
                      "en Alemania")
    assert reply.kind == "results" and reply.filters is not None
    assert reply.filters.languages == ["es"]
    assert "in English too" in reply.text  # the English sentence
    assert "escríbela también en inglés" in reply.text  # and the mentee's own language
    again = chat.send("I need help preparing for a nursing job interview in Germany")
    assert again.kind == "results"
    assert "in English too" not in again.text and "inglés" not in again.text


def test_an_english_conversation_gets_no_language_hint() -> None:
    from finder.dialogue.conversation import Conversation
    from tests.fakes import FixedSearch

    chat = Conversation(FixedSearch(HashingEmbedder(), _spanish_speakers()))
    reply = chat.send("How do I prepare for a nursing job interview in Germany?")
    assert reply.kind == "results" and "English too" not in reply.text


# Session 7 read-through: the mentee's words about other people's emails and calls are not the
# way they want to meet, and a limit such as "20 minutes tops" is logistics, not the goal.
@pytest.mark.parametrize("text", [
    "My PhD supervisor hardly replies to my emails. How do I get things moving?",
    "Our biggest client ignores our emails about the overdue invoice. What can I do?",
    "My landlord never returns my phone calls about the leaking roof.",
])
def test_someone_elses_emails_or_calls_are_not_a_format(text: str) -> None:
    assert read_slots(text).formats == []


@pytest.mark.parametrize("text", ["Happy to do it by email.", "Email works best for me.",
                                  "A phone call would be ideal."])
def test_a_format_the_mentee_asks_for_is_still_read(text: str) -> None:
    assert read_slots(text).formats


@pytest.mark.parametrize(("message", "limit"), [
    ("How do I price a second grooming van? Phone is best, 20 minutes tops.", "tops"),
    ("How do I price a second grooming van? 15 minutes max, by phone.", "max"),
    ("How do I price a second grooming van? Half an hour on a video call would be amazing.",
     "amazing"),
    ("How do I price a second grooming van? Twenty minutes at most would be lovely.", "lovely"),
    ("How do I price a second grooming van? An email reply is fine.", "reply"),
    ("How do I price a second grooming van? A written answer by email would do.", "written"),
    # Session 8 read-through: the length and format were quoted in the draft.
    ("How do I price a second grooming van? 30 mins video if poss", "poss"),
])
def test_a_time_limit_is_logistics_not_the_goal(message: str, limit: str) -> None:
    words = UNDERSTANDING.goal_words(message)
    assert words.shown == ["How do I price a second grooming van?"], words.shown
    assert limit not in words.query


@pytest.mark.parametrize(("typed", "shown"), [
    ("our notebooks are unusable, what practices should we adopt",
     "what practices should we adopt?"),
    ("what tools do you use for this", "What tools do you use for this?"),
    ("which books would you recommend", "Which books would you recommend?"),
])
def test_a_question_typed_without_its_mark_is_shown_with_one(typed: str, shown: str) -> None:
    words = UNDERSTANDING.goal_words(typed)
    assert words.shown[-1].endswith(shown), words.shown


@pytest.mark.parametrize(("typed", "shown"), [
    ("Im a volunteer coordinator at a food bank", "I'm a volunteer coordinator at a food bank."),
    ("ive been a nurse for years and dont know what to do next",
     "I've been a nurse for years and don't know what to do next."),
    ("my boss doesnt reply and i cant tell why", "My boss doesn't reply and I can't tell why."),
    ("whats the best way to learn kubernetes if theres no time",
     "What's the best way to learn kubernetes if there's no time?"),
])
def test_a_missing_apostrophe_is_written_in_when_quoting(typed: str, shown: str) -> None:
    from finder.dialogue.words import as_shown
    assert as_shown(typed) == shown


@pytest.mark.parametrize("typed", ["IM me on Slack about it.", "As is his wont, he left.",
                                   "Send the ID.", "The cant of the deck is off."])
def test_words_that_are_words_stay_as_typed(typed: str) -> None:
    from finder.dialogue.words import as_shown
    assert as_shown(typed) == typed



@pytest.mark.parametrize(("text", "minutes"), [("I freeze in interviews. 20 min video?", 20),
                                               ("Any tips for my CV? 30 min video please", 30),
                                               ("Masters or self-taught? 30 mins video if poss", 30),
                                               ("Is my portfolio ready? 45 min video if possible",
                                                45)])
def test_a_length_before_video_as_the_request_is_the_meeting(text: str, minutes: int) -> None:
    slots = read_slots(text)
    assert slots.formats == ["video"] and slots.minutes == minutes


def test_a_video_the_mentee_makes_still_has_its_own_length() -> None:
    assert read_slots("I made a 3 minute video for our launch. Is it any good?").minutes is None


# Session 7 read-through: a long message's question was quoted without the sentence its "them"
# points to ("... whether I would need extra certification to do them safely.").
def test_a_quoted_question_keeps_the_sentence_its_pronoun_points_to() -> None:
    from finder.core.goal import shown_sentences
    text = ("I have been a bike mechanic for six years and I run the workshop at a busy shop in "
            "Leeds. Customers keep asking if we could do electric bike conversions. What I cannot "
            "work out is whether the demand is real and whether I would need extra certification "
            "to do them safely.")
    shown = shown_sentences(text)
    assert shown.startswith("Customers keep asking if we could do electric bike conversions."), shown
    assert "whether I would need extra certification" in shown


def test_a_quoted_question_without_a_pronoun_is_quoted_alone() -> None:
    from finder.core.goal import shown_sentences
    text = ("I have been a bike mechanic for six years and I run the workshop at a busy shop in "
            "Leeds. Customers keep asking about electric bikes and cargo bikes and all sorts of "
            "new things. Do I need extra certification to convert a bike to electric power?")
    assert shown_sentences(text) == ("Do I need extra certification to convert a bike to "
                                     "electric power?")



@pytest.mark.parametrize(("message", "shown"), [
    ("Bonjour, je suis infirmière et je voudrais devenir sage-femme.",
     "Je suis infirmière et je voudrais devenir sage-femme."),
    ("Hola, quiero abrir una pastelería pequeña.", "Quiero abrir una pastelería pequeña."),
    ("Guten Tag, ich habe eine kleine Bäckerei.", "Ich habe eine kleine Bäckerei."),
    ("Olá! Sou enfermeira e quero mudar de área.", "Sou enfermeira e quero mudar de área."),
])
def test_a_greeting_in_another_language_is_not_quoted(message: str, shown: str) -> None:
    from finder.dialogue.words import as_shown, without_greeting
    assert as_shown(without_greeting(message)) == shown


# Final session 7 read-through: "Could someone who has done this ... tell me how they
# started?" was summarised as "what you asked: how they started", and the draft asked for
# "advice on how they started": "they" is the mentor the frame asks for.
@pytest.mark.parametrize("sentence", [
    "Could someone who has done this tell me how they started?",
    "Is there anyone who could explain what they would do first?",
    "Can someone who runs a studio tell me how it went for them?",
])
def test_a_framed_question_that_points_back_into_its_frame_is_quoted_whole(sentence: str) -> None:
    from finder.core.goal import Goal, asked_clause
    assert asked_clause(sentence) == ""
    assert Goal(challenge=sentence).summary().startswith("\u201c"), Goal(challenge=sentence).summary()


def test_a_framed_question_about_a_thing_is_still_its_clause() -> None:
    from finder.core.goal import asked_clause
    assert asked_clause("Is there someone who could tell me how long a licence takes?") == \
        "how long a licence takes"
