"""Offline language understanding: what a message means, from the embedding model plus rules.

Intent (vague or specific, long-term or focused, a refinement or a new goal) is read by
comparing the message with small sets of labelled example sentences, and checked against simple
features (how many content words, whether a concrete object is named). Constraints such as
format and length come from the rules in :mod:`finder.slots`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from finder.search.embedding import Embedder
from finder.core.goal import Goal, Slot
from finder.core.words import StopWords, load_stop_words
from finder.dialogue.language import LanguageReader
from finder.dialogue.lexicon import Lexicon, load_lexicon
from finder.dialogue.lexicon.chip_rules import load_chips
from finder.dialogue.slots import SlotReading, meeting_update, read_slots
from finder.dialogue.words import (as_shown, blank, clean, sentences, without_greeting,
                                   without_logistics_clauses)

LONG_TERM_MARGIN = 0.12
_WORD = re.compile(r"[a-zA-Z][a-zA-Z'+#-]*")
# Read once per process: every Understanding (one per conversation unless shared) and the
# conversation's replies read the same files.
CHIPS = load_chips()
LEXICON = load_lexicon()
_STOP_WORDS = load_stop_words()
# How close a catalogue ask must be to name the goal with it ("Asking for a raise").
LABEL_SIMILARITY = 0.62
# The least cosine of a vague message and a broad area (its name and common asks) for a question
# to name the area: below it, the closest area is a guess (0.36 for "help with negotiation" and
# "skilled trades and construction"; 0.51 for "help with marketing" and "marketing and sales").
AREA_SIMILARITY = 0.40
# ... or, for the choices offered with the question, how far ahead of the next area it must be
# ("my bakery": small business 0.27, next 0.17; "better at writing": design 0.22, next 0.16).
AREA_MARGIN = 0.08


@dataclass
class GoalWords:
    """What one message says about the goal, in the mentee's words.

    ``query`` is searched: every sentence that says something beyond logistics, with the
    logistics phrases taken out. ``shown`` holds the sentences that ask something, whole and
    cleaned, fit to quote back; ``about_me`` the sentences that only say who the mentee is.
    """

    query: str = ""
    shown: list[str] = field(default_factory=list)
    about_me: list[str] = field(default_factory=list)


@dataclass
class Reading:
    """What one message says: the constraints in it, its subject words (constraints and filler
    out, for telling a refinement from a new goal) and its goal words (what gets searched)."""

    slots: SlotReading
    rest: str
    words: GoalWords


class Understanding:
    """Reads messages with an embedder; prototype vectors are encoded once, on first use."""

    def __init__(self, embedder: Embedder, lexicon: Lexicon | None = None,
                 stop_words: StopWords | None = None) -> None:
        self.embedder = embedder
        self.lexicon = lexicon or LEXICON
        self._stop = (stop_words or _STOP_WORDS).dialogue() | set(self.lexicon.ask_words)
        self._generic = frozenset(self.lexicon.generic_words)
        self._logistics = frozenset(self.lexicon.logistics_words)
        self._languages: LanguageReader | None = None

    # -- words ---------------------------------------------------------------------------

    def content_words(self, text: str) -> list[str]:
        """Words that carry meaning (no stop words, no 'help', 'advice')."""
        return [w.lower() for w in _WORD.findall(text)
                if w.lower() not in self._stop and len(w) > 1]

    def concrete_words(self, text: str) -> list[str]:
        """Content words that name something more particular than a broad field."""
        return [w for w in self.content_words(text) if w not in self._generic]

    def goal_words(self, text: str) -> GoalWords:
        """Everything ``text`` says about the goal: searched whole, shown as whole sentences."""
        found = GoalWords()
        parts: list[str] = []
        for sentence in sentences(text):
            sentence = without_greeting(sentence)
            if not sentence:
                continue
            slots = read_slots(sentence)
            # "..., ideally over email since I am in Manila" is an aside about meeting: out of
            # what is shown and searched, while the rest of the sentence stays whole.
            sentence = without_logistics_clauses(sentence, slots.logistics, self._says_more)
            if not sentence:
                continue
            if self.lexicon.unsure_of_need.match(sentence):
                continue  # "Not really sure what I need." says nothing about the goal
            slots = read_slots(sentence)
            rest = blank(sentence, slots.logistics + self._where(sentence))
            if not self._says_more(rest):
                continue  # "I'd prefer a quick 15 minute phone call." is logistics only
            request, searched = self._meeting_request(rest)
            if searched:
                parts.append(searched)
            if request:
                continue
            if (self.lexicon.about_me.match(sentence)
                    and not self.lexicon.asks.search(sentence)
                    and not slots.context.is_empty()):
                found.about_me.append(as_shown(sentence))
            else:
                found.shown.append(as_shown(sentence))
        if (found.about_me and len(found.shown) == 1
                and len(found.shown[0].split()) <= self.lexicon.refers_back_words
                and self.lexicon.refers_back.search(found.shown[0])):
            # "How should I handle it?" alone says nothing: what "it" is was told with who
            # they are, so that is quoted with it.
            found.shown = found.about_me + found.shown
            found.about_me = []
        found.query = " ".join(parts)
        return found

    def _meeting_request(self, rest: str) -> tuple[bool, str]:
        """Whether a sentence (its logistics blanked out) only asks for the meeting, and the
        part of it worth searching: who to find ("someone who has hired their first
        salesperson"), never the meeting itself ("a chat")."""
        words = self.lexicon
        if found := words.meeting_ask.match(rest):
            who = (found.group("who") or "").strip(" ,")
            if not words.meeting_purpose.search(who):
                return True, who
        if words.meeting_request.match(rest):
            return True, rest
        return False, rest

    def _where(self, sentence: str) -> list[tuple[int, int]]:
        """Where the mentee lives and what they say about time zones: logistics."""
        return [m.span() for pattern in (self.lexicon.where_i_am, self.lexicon.time_zone_clause)
                for m in pattern.finditer(sentence)]

    def _says_more(self, text: str) -> bool:
        """Whether ``text`` has a word about the goal beyond how to meet."""
        return any(w not in self._logistics for w in self.content_words(text))

    def language(self, text: str) -> str | None:
        """The ISO 639-1 code of the message's language, when it can be told."""
        if self._languages is None:
            self._languages = LanguageReader()
        return self._languages.detect(text)

    def label(self, text: str) -> str:
        """A common ask that names the goal ("Asking for a raise"), or '' when none is close."""
        if not self.concrete_words(text):
            return ""
        catalogue = self.lexicon.catalogue
        sims = self._set("catalogue", catalogue) @ self.embedder.encode_query(text)
        best = int(np.argmax(sims))
        return catalogue[best] if float(sims[best]) >= LABEL_SIMILARITY else ""

    def area(self, text: str) -> str:
        """The broad area a message is in ("marketing and sales")."""
        return self._nearest_area(text)[0]

    def clear_area(self, text: str, margin: float | None = None) -> str:
        """The broad area when the message is clearly in one ("help with marketing"); '' when
        the closest is only a guess ("help with negotiation" is no closer to one field than
        another). With ``margin``, an area that far ahead of the next also counts ("my bakery"
        is a small business more than anything else)."""
        nearest = self._nearest_area(text)
        return nearest[0] if _clear(nearest, margin) else ""

    def _nearest_area(self, text: str) -> tuple[str, float, float]:
        """The broad area closest to ``text``, its cosine, and how far ahead of the next."""
        chips = self.lexicon.broad_chips
        fields = self._set("broad-fields", [f"{name}: {', '.join(c)}" for name, c in
                                            chips.items()])
        sims = fields @ self.embedder.encode_query(text or "career")
        first, second = np.argsort(-sims)[:2]
        return list(chips)[int(first)], float(sims[first]), float(sims[first] - sims[second])

    def named_topic(self, text: str) -> str:
        """The topic a vague ask names in the mentee's own words ("negotiation", "time
        management", "my CV"): a noun phrase of at most three words with no word that needs
        the rest of the sentence; '' otherwise."""
        found = self.lexicon.named_topic.search(" ".join(text.split()).lower())
        if found is None:
            return ""
        topic = found.group("topic")
        words = topic.split()
        if words[0] in ("my", "our"):
            words = words[1:]
        if not words or any(w in self._stop for w in words) or all(
                w in self._generic for w in words):
            return ""
        return topic

    def _set(self, name: str, sentences: Sequence[str]) -> np.ndarray:
        return self.embedder.encode_fixed(name, sentences)

    def _closeness(self, text: str, name: str, sentences: Sequence[str]) -> float:
        """Mean of the two highest cosine similarities between text and a prototype set."""
        sims = self._set(name, sentences) @ self.embedder.encode_query(text)
        top = np.sort(sims)[-2:]
        return float(top.mean())

    def read(self, text: str) -> Reading:
        """Constraints by rule, the subject words, and the goal words of a message."""
        text = clean(text)
        slots = read_slots(text)
        rest = " ".join(w for w in _WORD.findall(blank(text, slots.spans))
                        if w.lower() not in self._stop)
        return Reading(slots=slots, rest=rest, words=self.goal_words(text))

    def specificity(self, text: str) -> float:
        """Above 0: a concrete question a mentor could answer in one session."""
        if not text.strip():
            return -1.0
        text = self.lexicon.mentor_frame.sub("", text, count=1) or text
        words = self.content_words(text)
        concrete = self.concrete_words(text)
        examples = self.lexicon.examples
        margin = (self._closeness(text, "specific", examples.specific)
                  - self._closeness(text, "vague", examples.vague))
        score = margin + 0.04 * (min(len(words), 8) - 3) + 0.05 * (min(len(concrete), 4) - 1)
        if len(words) <= 2 and len(concrete) <= 1:
            score = min(score, -0.05)
        if self.lexicon.a_move.search(text):
            score = max(score, 0.05)  # both ends of a move named: a question for one session
        return score

    def is_specific(self, text: str) -> bool:
        return self.specificity(text) > 0.0

    def long_term_score(self, text: str) -> float:
        """Above 0: a long-term or complex goal (career change, a role years away)."""
        if not text.strip():
            return -1.0
        examples = self.lexicon.examples
        margin = (self._closeness(text, "long", examples.long_term)
                  - self._closeness(text, "focused", examples.focused))
        cue = 0.12 if self.lexicon.long_cues.search(text) else -0.08
        return margin + cue

    def is_long_term(self, text: str) -> bool:
        """Long-term needs a cue ("in five years", "switch careers") or a concrete subject."""
        score = self.long_term_score(text)
        words = self.lexicon
        if (score <= 0.0 or words.decision.search(text) or words.one_question.search(text)
                or words.document_review.search(text)):
            return False
        if words.long_cues.search(text):
            return True
        # With no cue, only a clear semantic margin: sharing a subject with a long-term
        # example ("my bakery") must not turn a focused ask into a plan.
        return score > LONG_TERM_MARGIN and self.specificity(text) > 0.0

    def is_refinement(self, reading: Reading, text: str) -> bool:
        """After results: does this change the search rather than start a new goal?"""
        # "... just show me the mentors" asks to see results: no subject words.
        subject = self.concrete_words(self.lexicon.show_request.sub(" ", reading.rest))
        if reading.slots.constraint_count() and len(subject) <= 2:
            return True
        examples = self.lexicon.examples
        margin = (self._closeness(text, "refine", examples.refine)
                  - self._closeness(text, "new", examples.new_goal))
        return len(subject) <= 1 and margin > 0.0

    def is_about_me(self, reading: Reading, text: str) -> bool:
        """Whether the message only says who the mentee is ("I run a small cleaning company")."""
        return (not reading.slots.context.is_empty() and bool(self.lexicon.about_me.match(text))
                and not self.lexicon.asks.search(text) and len(text.split()) <= 15)

    def command(self, text: str) -> str | None:
        """'reset' or 'skip' when the message is one of those, else None."""
        if self.lexicon.command_reset.search(text) and len(self.content_words(text)) <= 4:
            return "reset"
        if self.lexicon.command_skip.search(text) and len(text.split()) <= 8:
            return "skip"
        return None

    def suggestions(self, topic: str, k: int = 3) -> list[str]:
        """k asks to choose from: common ones for a broad area ("career advice"), else the
        catalogue asks closest to ``topic``, not near-duplicates of each other."""
        query = self.embedder.encode_query(topic or "career advice")
        nearest = self._nearest_area(topic)
        broad = list(self.lexicon.broad_chips[nearest[0]])
        if not self.concrete_words(topic):
            return broad[:k]
        catalogue = self.lexicon.catalogue
        vectors = self._set("catalogue", catalogue)
        sims = vectors @ query
        floor = max(0.3, float(sims.max()) - 0.1)
        chosen: list[int] = []
        for index in np.argsort(-sims):
            if sims[index] < floor or len(chosen) == k:
                break
            if all(float(vectors[index] @ vectors[j]) < 0.6 for j in chosen):
                chosen.append(int(index))
        picked = [catalogue[i] for i in chosen]
        if not _clear(nearest, AREA_MARGIN):
            # No clear area: only the asks close to theirs, however few, never the common
            # asks of an area the mentee did not name ("negotiation" is not a trades job).
            return picked
        # Too few close asks: fill with the common asks of the nearest broad area.
        return (picked + [c for c in broad if c not in picked])[:k]

    def read_goal(self, text: str, goal: Goal, asked: Slot | None = None) -> Goal:
        """The goal after this message: the offline way of extracting it."""
        reading = self.read(text)
        return merge_reading(goal, reading, text, asked, self)


def _clear(nearest: tuple[str, float, float], margin: float | None) -> bool:
    """Whether the nearest area (name, cosine, lead over the next) is clearly the message's:
    close enough, or, with ``margin``, that far ahead of the next."""
    _, cosine, ahead = nearest
    return cosine >= AREA_SIMILARITY or (margin is not None and ahead >= margin)


def merge_reading(goal: Goal, reading: Reading, text: str, asked: Slot | None,
                  understanding: Understanding) -> Goal:
    """Apply what a message says to a goal; a slot that was asked takes the whole answer.

    The challenge is the mentee's own sentences, whole; the topic is a label that names a real
    thing (a common ask, or a broad area) or nothing. Neither is ever a remainder cut by a rule.
    """
    slots = reading.slots
    update = meeting_update(slots)
    if slots.region:
        update["region"] = slots.region
    if slots.countries:
        update["countries"] = slots.countries
    if slots.min_years is not None:
        update["min_years_experience"] = slots.min_years
    if slots.urgency:
        update["urgency"], update["deadline"] = slots.urgency, slots.deadline
    context = goal.context.model_copy(update={
        k: v for k, v in slots.context.model_dump().items() if v})
    chip = CHIPS.level(clean(text).strip(" .!"))
    if asked == "context" and chip and not context.level:
        context = context.model_copy(update={"level": chip})
    words = reading.words
    own = [s for s in words.about_me if s not in context.own_words]
    if asked == "context" and not own and not chip and words.shown:
        # The answer to "what's your role?" is about them, however it is put.
        own = [s for s in words.shown if not s.endswith("?")]
    if own:
        context = context.model_copy(update={
            "own_words": " ".join([context.own_words, *own]).strip()})
    if context.is_empty() and (work := understanding.lexicon.own_work.search(words.query)):
        # "my freelance photography work" says what they do: no need to ask their role.
        context = context.model_copy(update={"field": work.group(1)})
    update["context"] = context

    subject = words.query
    shown = " ".join(words.shown)
    if asked != "challenge" and understanding.is_about_me(reading, text):
        subject = ""  # "I run a small cleaning company" says who they are, not what they ask
    if asked == "challenge" and subject:
        update["challenge"] = shown or " ".join(words.about_me)
        label = understanding.label(subject)
        if label or not goal.topic:
            update["topic"] = label
        elif goal.topic in understanding.lexicon.broad_chips:
            # "career and jobs" was only a guess at the area; the question now says more.
            update["topic"] = ""
    elif asked is None and understanding.content_words(subject):
        specific = understanding.is_specific(subject)
        update["topic"] = understanding.label(subject) or ("" if specific else (
            understanding.clear_area(subject) or understanding.named_topic(subject)))
        if specific:
            update["challenge"] = shown or " ".join(words.about_me)
    return goal.model_copy(update=update)
