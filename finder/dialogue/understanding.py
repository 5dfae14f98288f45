"""Offline language understanding: what a message means, from the embedding model plus rules.

Intent (vague or specific, long-term or focused, a refinement or a new goal) is read by
comparing the message with small sets of labelled example sentences, and checked against simple
features (how many content words, whether a concrete object is named). Constraints such as
format and length come from the rules in :mod:`finder.slots`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from finder.search.embedding import Embedder
from finder.core.goal import Goal, Slot
from finder.dialogue.slots import (
    SlotReading,
    after_self_description,
    meeting_update,
    read_slots,
    strip_to_topic,
    topic_phrase,
)

VAGUE = (
    "I want career advice", "help with marketing", "I need a mentor", "business advice",
    "I'd like some guidance", "can someone help me with my startup", "advice on leadership",
    "I want to get better at design", "help with finance", "I need help with my career",
    "general advice about tech", "talk to someone in law", "I want to improve my skills",
    "looking for a mentor in software", "some tips on management", "help with my business",
)
SPECIFIC = (
    "How should I price my SaaS product for small law firms?",
    "review my pitch deck before the seed round meeting on Friday",
    "launching a social media campaign for our new skincare line",
    "how to negotiate a counter-offer for a senior engineer role at a startup",
    "should I register my bakery as an LLC or a sole proprietorship",
    "feedback on my UX portfolio case study for a fintech app",
    "setting up Google Ads conversion tracking for my Shopify store",
    "what to put in a freelance design contract to avoid scope creep",
    "how to prepare for a system design interview at a big tech company",
    "whether to hire my first salesperson before product-market fit",
    "how to handle a difficult conversation with an underperforming employee",
    "choosing between Postgres and DynamoDB for a multi-tenant app",
)
LONG_TERM = (
    "become a CTO in five years", "switch careers into UX design",
    "move from teaching into software engineering", "grow into an engineering manager",
    "build a career in venture capital", "start my own business one day",
    "change industries from finance to healthcare", "become a partner at a law firm",
    "plan my long-term career path", "become a recognised leader in my field",
    "transition from the military to a civilian career", "go from accountant to data scientist",
    "grow my bakery into a chain", "expand my shop to several locations",
)
FOCUSED = SPECIFIC + (
    "prepare for my product manager interview next week",
    "ask my manager for a raise in my review", "get feedback on my resume for design roles",
    "price a two-week consulting engagement", "fix the onboarding emails for my app",
)
REFINE = (
    "only email", "someone in Europe", "more senior please", "show me different perspectives",
    "shorter, 15 minutes", "in German", "someone who speaks Spanish", "people in the US",
    "show me more", "someone with more experience", "phone instead", "video would be better",
    "can they be in my time zone", "less senior is fine", "any format is fine",
)
NEW_GOAL = (
    "actually I need help with my tax return", "I also want advice on fundraising",
    "new question: how do I write a grant proposal", "now I need help migrating to Kubernetes",
    "what about hiring my first engineer", "different topic, I want to learn about SEO",
)

# Common micro-mentoring asks: the quick-reply chips offered when the challenge is unclear.
CATALOGUE = (
    "Negotiating a job offer", "Preparing for a promotion conversation",
    "Deciding between two job offers", "Getting feedback on my CV", "Practising an interview",
    "Asking for a raise", "Handling a difficult manager", "Changing teams internally",
    "Pricing my product", "Validating a business idea", "Reviewing my pitch deck",
    "Finding my first customers", "Writing a go-to-market plan", "Planning a product launch",
    "Launching a social media campaign", "Improving my SEO", "Running paid ads on a budget",
    "Building an email newsletter", "Positioning against competitors",
    "Setting up my company's bookkeeping", "Building a cash-flow forecast",
    "Preparing for a fundraising round", "Understanding a term sheet",
    "Choosing a legal structure for my business", "Reviewing a client contract",
    "Protecting my trademark", "Understanding employment law basics",
    "Reviewing my system architecture", "Choosing a tech stack", "Preparing a code review culture",
    "Scaling a database", "Getting my first developer job", "Moving into engineering management",
    "Getting feedback on my design portfolio", "Running a usability test",
    "Building a design system", "Improving my app's onboarding",
    "Managing burnout and workload", "Starting a private health practice",
    "Navigating clinical career options", "Pricing a trades job", "Hiring my first apprentice",
    "Getting certified as an electrician", "Winning my first renovation contracts",
    "Hiring my first employee", "Giving difficult feedback", "Running effective one-on-ones",
    "Delegating as a new manager", "Public speaking for a conference talk",
    "Writing a grant proposal", "Setting freelance rates", "Finding freelance clients",
)
# For a broad area with nothing more particular named: common, useful asks in that area.
BROAD_CHIPS: dict[str, tuple[str, ...]] = {
    "career and jobs": ("Negotiating a salary offer", "Changing careers",
                        "Preparing for an interview", "Asking for a promotion"),
    "running a small business": ("Finding my first customers", "Pricing my product",
                                 "Managing cash flow", "Hiring my first employee"),
    "marketing and sales": ("Launching a social media campaign", "Running paid ads on a budget",
                            "Improving my SEO", "Building an email newsletter"),
    "software and technology": ("Reviewing my system architecture", "Choosing a tech stack",
                                "Getting my first developer job",
                                "Preparing for a technical interview"),
    "design": ("Getting feedback on my design portfolio", "Running a usability test",
               "Building a design system", "Setting freelance rates"),
    "finance and money": ("Building a cash-flow forecast", "Setting up my bookkeeping",
                          "Preparing for a fundraising round", "Understanding a term sheet"),
    "law and legal work": ("Choosing a legal structure for my business",
                           "Reviewing a client contract", "Protecting my trademark",
                           "Starting a legal career"),
    "health care and nursing": ("Moving into a specialist nursing role",
                                "Managing burnout and workload",
                                "Starting a private health practice",
                                "Preparing for a clinical interview"),
    "leadership and management": ("Giving difficult feedback", "Running effective one-on-ones",
                                  "Delegating as a new manager", "Asking for a promotion"),
    "skilled trades and construction": ("Pricing a trades job", "Hiring my first apprentice",
                                        "Getting certified in my trade",
                                        "Winning my first renovation contracts"),
}
_SHOW = (r"(?:just )?show(?: me)?(?: (?:the |some |all )?(?:mentors|results|matches|people|"
         r"options|experts|them))?")
_COMMAND_SKIP = re.compile(
    rf"^\s*(?:(?:just )?skip(?: it| this| that| the questions?)?|{_SHOW}|just search|search now|"
    r"go ahead|whatever|no idea|no preference|(?:i'?m )?not sure|(?:i )?don'?t know)"
    rf"\b[\s,.!]*(?:{_SHOW})?[\s,.!]*(?:please|thanks|thank you)?[\s.!]*$|^\s*skip\b",
    re.IGNORECASE)
_COMMAND_RESET = re.compile(r"\b(?:start over|start again|start from scratch|reset|restart|"
                            r"new search|begin again|clear (?:it|everything))\b", re.IGNORECASE)
LONG_TERM_MARGIN = 0.12
_LONG_CUES = re.compile(
    r"\b(?:in (?:\w+ )?(?:\d+|two|three|four|five|ten|few|couple of) years|long[- ]term|"
    r"eventually|some ?day|one day|career (?:change|switch|path|transition|plan)|switch careers?|"
    r"change careers?|(?:transition|pivot|move|switch|break) (?:in)?to|become an? |"
    r"grow(?:ing)? (?:my|our|the) [\w -]{2,30}? into|open (?:more|several|new) (?:locations|"
    r"branches|shops)|"
    r"grow into|work my way up|career in)\b", re.IGNORECASE)
# "whether to go to law school or become a legal secretary" is one decision, not a journey.
_DECISION = re.compile(r"\b(?:whether|should (?:i|we))\b.+\bor\b", re.IGNORECASE)
_ABOUT_ME = re.compile(r"\s*(?:i'?m|i am|i run|i own|i work|i've been|i have been|i lead|"
                       r"i manage|we'?re|we are|we run)\b", re.IGNORECASE)
_ASKS = re.compile(r"\?|\b(?:how|what|which|should|want|need|looking|help|advice|feedback|"
                   r"trying|hoping|wondering|question|stuck|can|could|would|whether)\b",
                   re.IGNORECASE)
_WORD = re.compile(r"[a-zA-Z][a-zA-Z'+#-]*")
_STOP = frozenset([
    "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "to", "of", "in", "on",
    "for", "with", "about", "and", "or", "but", "is", "are", "be", "am", "was", "it", "this",
    "that", "how", "what", "should", "can", "could", "would", "do", "does", "did", "get",
    "want", "need", "like", "some", "any", "help", "advice", "guidance", "mentor",
    "mentoring", "someone", "somebody", "tips", "so", "just", "really", "please", "thanks",
    "call", "chat", "session", "talk", "through", "from", "at", "by", "as", "into", "one",
    "who", "which", "when", "where", "have", "has", "im", "i'm", "i'd", "i've", "it's",
    "don't", "more", "better"
])
GENERIC = frozenset([
    "career", "business", "marketing", "finance", "design", "tech", "technology", "software",
    "law", "legal", "health", "leadership", "management", "skills", "startup", "growth",
    "strategy", "sales", "product", "job", "work", "life", "money", "general", "stuff",
    "things", "ideas", "industry", "field", "career-advice", "data", "engineering", "people",
    "improve", "learn", "understand", "topic", "question", "questions", "area"
])


def content_words(text: str) -> list[str]:
    """Words that carry meaning (no stop words, no 'help', 'advice')."""
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]


def concrete_words(text: str) -> list[str]:
    """Content words that name something more particular than a broad field."""
    return [w for w in content_words(text) if w not in GENERIC]


@dataclass
class Reading:
    """What one message says: the constraints in it and its subject."""

    slots: SlotReading
    rest: str
    topic: str


class Understanding:
    """Reads messages with an embedder; prototype vectors are encoded once, on first use."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def _set(self, name: str, sentences: Sequence[str]) -> np.ndarray:
        return self.embedder.encode_fixed(name, sentences)

    def _closeness(self, text: str, name: str, sentences: Sequence[str]) -> float:
        """Mean of the two highest cosine similarities between text and a prototype set."""
        sims = self._set(name, sentences) @ self.embedder.encode_query(text)
        top = np.sort(sims)[-2:]
        return float(top.mean())

    def read(self, text: str) -> Reading:
        """Constraints by rule, and the subject that remains once they are taken out."""
        slots = read_slots(text)
        tail = after_self_description(text)
        rest = strip_to_topic(tail, read_slots(tail).spans if tail != text else slots.spans)
        return Reading(slots=slots, rest=rest, topic=topic_phrase(rest))

    def specificity(self, text: str) -> float:
        """Above 0: a concrete question a mentor could answer in one session."""
        if not text.strip():
            return -1.0
        words = content_words(text)
        concrete = concrete_words(text)
        margin = (self._closeness(text, "specific", SPECIFIC)
                  - self._closeness(text, "vague", VAGUE))
        score = margin + 0.04 * (min(len(words), 8) - 3) + 0.05 * (min(len(concrete), 4) - 1)
        if len(words) <= 2 and len(concrete) <= 1:
            score = min(score, -0.05)
        return score

    def is_specific(self, text: str) -> bool:
        return self.specificity(text) > 0.0

    def long_term_score(self, text: str) -> float:
        """Above 0: a long-term or complex goal (career change, a role years away)."""
        if not text.strip():
            return -1.0
        margin = (self._closeness(text, "long", LONG_TERM)
                  - self._closeness(text, "focused", FOCUSED))
        cue = 0.12 if _LONG_CUES.search(text) else -0.08
        return margin + cue

    def is_long_term(self, text: str) -> bool:
        """Long-term needs a cue ("in five years", "switch careers") or a concrete subject."""
        score = self.long_term_score(text)
        if score <= 0.0 or _DECISION.search(text):
            return False
        if _LONG_CUES.search(text):
            return True
        # With no cue, only a clear semantic margin: sharing a subject with a long-term
        # example ("my bakery") must not turn a focused ask into a plan.
        return score > LONG_TERM_MARGIN and self.specificity(text) > 0.0

    def is_refinement(self, reading: Reading, text: str) -> bool:
        """After results: does this change the search rather than start a new goal?"""
        subject = concrete_words(reading.rest)
        if reading.slots.constraint_count() and len(subject) <= 2:
            return True
        margin = (self._closeness(text, "refine", REFINE)
                  - self._closeness(text, "new", NEW_GOAL))
        return len(subject) <= 1 and margin > 0.0

    @staticmethod
    def is_about_me(reading: Reading, text: str) -> bool:
        """Whether the message only says who the mentee is ("I run a small cleaning company")."""
        return (not reading.slots.context.is_empty() and bool(_ABOUT_ME.match(text))
                and not _ASKS.search(text) and len(text.split()) <= 15)

    @staticmethod
    def command(text: str) -> str | None:
        """'reset' or 'skip' when the message is one of those, else None."""
        if _COMMAND_RESET.search(text) and len(content_words(text)) <= 4:
            return "reset"
        if _COMMAND_SKIP.search(text) and len(text.split()) <= 8:
            return "skip"
        return None

    def suggestions(self, topic: str, k: int = 3) -> list[str]:
        """k asks to choose from: common ones for a broad area ("career advice"), else the
        catalogue asks closest to ``topic``, not near-duplicates of each other."""
        query = self.embedder.encode_query(topic or "career advice")
        fields = self._set("broad-fields", [f"{name}: {', '.join(chips)}"
                                            for name, chips in BROAD_CHIPS.items()])
        broad = list(BROAD_CHIPS[list(BROAD_CHIPS)[int(np.argmax(fields @ query))]])
        if not concrete_words(topic):
            return broad[:k]
        vectors = self._set("catalogue", CATALOGUE)
        sims = vectors @ query
        floor = max(0.3, float(sims.max()) - 0.1)
        chosen: list[int] = []
        for index in np.argsort(-sims):
            if sims[index] < floor or len(chosen) == k:
                break
            if all(float(vectors[index] @ vectors[j]) < 0.6 for j in chosen):
                chosen.append(int(index))
        picked = [CATALOGUE[i] for i in chosen]
        # Too few close asks: fill with the common asks of the nearest broad area.
        return (picked + [c for c in broad if c not in picked])[:k]

    def read_goal(self, text: str, goal: Goal, asked: Slot | None = None) -> Goal:
        """The goal after this message: the offline way of extracting it."""
        reading = self.read(text)
        return merge_reading(goal, reading, text, asked, self)


def merge_reading(goal: Goal, reading: Reading, text: str, asked: Slot | None,
                  understanding: Understanding) -> Goal:
    """Apply what a message says to a goal; a slot that was asked takes the whole answer."""
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
    if asked == "context" and context.is_empty() and reading.rest:
        context = context.model_copy(update={"role": reading.rest[:80]})
    update["context"] = context

    subject = reading.rest
    if asked != "challenge" and understanding.is_about_me(reading, text):
        subject = ""  # "I run a small cleaning company" says who they are, not what they ask
    if asked == "challenge" and subject:
        update["challenge"] = subject
        if not goal.topic:
            update["topic"] = reading.topic or subject
    elif asked is None and content_words(subject):
        update["topic"] = reading.topic or subject
        if understanding.is_specific(subject):
            update["challenge"] = subject
    return goal.model_copy(update=update)
