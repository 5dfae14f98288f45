"""The dialogue: one message in, one reply out, over serialisable state a web UI can keep."""

from __future__ import annotations

import statistics
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, Field

from finder.outreach.drafting import OutreachDraft, check_draft, first_name
from finder.search.embedding import Embedder
from finder.core.errors import MentorNotFound
from finder.core.goal import Goal, Slot
from finder.dialogue.assistant import (
    Answer,
    Assistant,
    FallbackAssistant,
    FallbackNotice,
    OfflineAssistant,
    Refinement,
    notice_text,
)
from finder.core.models import Match, SearchFilters
from finder.dialogue.planning import PlannedSession, plan_text, session_goals, session_queries
from finder.dialogue.words import clean
from finder.dialogue.understanding import CHIPS, LEXICON

MAX_QUESTIONS = 3
MIN_IN_LANGUAGE = 3
PER_SESSION = 3  # mentors shown for each planned session
DEFAULT_DIVERSITY = 0.0  # spread only on request: it costs precision
_LENGTHS = (60, 45, 30, 20, 15, 10)
# The order in which filters are relaxed when nothing fits; their names in understanding.yaml.
_RELAX_ORDER: list[tuple[str, str]] = [
    (field, getattr(LEXICON.filter_names, field)) for field in
    ("min_years_experience", "countries", "region", "language", "minutes", "formats")]
_RELAX_LABEL = dict(_RELAX_ORDER)


def _relaxed(goal: Goal, *fields: str) -> Goal:
    """``goal`` with these filters dropped (a list filter emptied, any other unset)."""
    return goal.model_copy(update={field: [] if field in ("countries", "formats") else None
                                   for field in fields})


def _relaxed_note(relaxed: list[str]) -> str:
    """What a reply says when it relaxed filters to find anyone."""
    return "Nobody matched every filter, so I relaxed: " + ", ".join(relaxed) + "."
_MEETINGS = LEXICON.meeting_names


def _meetings(goal: Goal) -> str:
    """'phone calls of 15 minutes or less', 'email exchanges', 'sessions of 20 minutes or less'."""
    kinds = " or ".join(_MEETINGS[f] for f in goal.formats) or "sessions"
    if goal.minutes and goal.formats != ["email"]:
        return f"{kinds} of {goal.minutes} minutes or less"
    return kinds


ANY_MEETING = CHIPS.any_meeting  # the chip that lifts the format and length filters
CLOSER_GAP = 0.02  # see Conversation._closer_fits
CLOSER_MIN = 2

T = TypeVar("T")


class MentorSearch(Protocol):
    """The part of MentorFinder the dialogue uses."""

    @property
    def embedder(self) -> Embedder: ...

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               diversity: float = 0.0) -> list[Match]: ...


class Reply(BaseModel):
    """What the assistant says back: a question, results, a plan, or a draft."""

    kind: Literal["question", "results", "plan", "draft"]
    text: str
    suggestions: list[str] = Field(default_factory=list, description="Quick-reply chips.")
    slot: Slot | None = Field(default=None, description="What a question asks about.")
    matches: list[Match] = Field(default_factory=list)
    goal: Goal | None = None
    filters: SearchFilters | None = None
    plan: list[PlannedSession] = Field(default_factory=list)
    draft: OutreachDraft | None = None
    draft_problems: list[str] = Field(default_factory=list)
    notice: str | None = Field(default=None, description="e.g. the chat model fell back.")


class ConversationState(BaseModel):
    """Everything a conversation remembers; JSON-serialisable, one per browser session."""

    goal: Goal = Field(default_factory=Goal)
    phase: Literal["gathering", "results", "plan"] = "gathering"
    asked: list[Slot] = Field(default_factory=list)
    pending: Slot | None = None
    shown_ids: list[str] = Field(default_factory=list)
    last_matches: list[Match] = Field(default_factory=list)
    plan: list[PlannedSession] = Field(default_factory=list)
    diversity: float = DEFAULT_DIVERSITY
    user_texts: list[str] = Field(default_factory=list)
    said: list[str] = Field(default_factory=list, description="What the mentee said about the "
                            "goal, logistics out: what gets searched.")
    language: str | None = Field(default=None, description="The language the mentee writes in.")
    hinted_english: bool = Field(default=False, description="Whether the mentee writing in "
                                 "another language was told, once, that English searches better.")


class Conversation:
    """Turns messages into questions, results, plans and drafts.

    Every reading of a message goes through the assistant: a chat model when one is given, call
    by call backed by the offline assistant; each call that fell back adds a notice to the reply.
    """

    def __init__(self, searcher: MentorSearch, *, assistant: Assistant | None = None,
                 state: ConversationState | None = None, k: int = 5,
                 offline: OfflineAssistant | None = None) -> None:
        self.searcher = searcher
        # The offline assistant can be shared: a web app builds one per request otherwise.
        self.offline = offline or OfflineAssistant(searcher.embedder)
        self.assistant = FallbackAssistant(assistant, self.offline)
        self.state = state or ConversationState()
        self.k = k
        self._notices: list[FallbackNotice] = []

    def _use(self, answer: Answer[T]) -> T:
        """An assistant call's value; a fallback's notice is kept for this turn's reply."""
        if answer.notice is not None and answer.notice not in self._notices:
            self._notices.append(answer.notice)
        return answer.value

    def _noticed(self, reply: Reply) -> Reply:
        if self._notices:
            reply.notice = notice_text(self._notices)
        self._notices = []
        return reply

    # -- turns ---------------------------------------------------------------------------

    def send(self, text: str) -> Reply:
        """Take one user message and answer it."""
        self._notices = []
        return self._noticed(self._turn(text))

    def _turn(self, text: str) -> Reply:
        text = clean(str(text)[:4000])[:2000]
        state = self.state
        if text:
            state.user_texts = (state.user_texts + [text])[-50:]
        if not text:
            return self._next_step() if state.said or state.goal.topic else self._ask_opening("")
        after_results = state.phase in ("results", "plan")
        shown = self._shown_matches() if after_results else []
        command = self._use(self.assistant.command(text, shown))
        if command.kind == "reset":
            self.state = ConversationState()
            return self._ask_opening("Sure, let's start over. ")
        if command.kind == "skip":
            state.pending = None
            if not state.goal.topic and not state.goal.challenge and state.phase == "gathering":
                state.goal = self._use(self.assistant.extract_goal(text, state.goal, None))
            return self._results()
        if after_results:
            if command.kind == "draft" and command.mentor_id is not None:
                return self._draft(command.mentor_id)
            follow_up = self._use(self.assistant.follow_up(text, state.goal))
            if follow_up.kind == "about_me":
                return self._about_me(text)
            if follow_up.kind == "refine":
                return self._refine(follow_up.refinement)
            return self._new_goal(text)
        asked, state.pending = state.pending, None
        goal = self._use(self.assistant.extract_goal(text, state.goal, asked))
        state.goal = self._heard(text, goal)
        return self._next_step()

    def refresh(self) -> Reply | None:
        """Search again with the goal as it is now (e.g. after a filter changed in the UI);
        ``None`` while the conversation is still asking questions."""
        self._notices = []
        if self.state.phase == "plan":
            return self._noticed(self._plan(keep_sessions=True))
        if self.state.phase == "results":
            return self._noticed(self._results())
        return None

    def draft_for(self, mentor_id: str) -> Reply:
        """A first message to a mentor from the last results or plan."""
        self._notices = []
        return self._noticed(self._draft(mentor_id))

    def _draft(self, mentor_id: str) -> Reply:
        state = self.state
        goal, match = state.goal, None
        for session in state.plan:
            for candidate in session.matches:
                if candidate.mentor.id == mentor_id:
                    goal, match = session.goal, candidate
        for candidate in state.last_matches:
            if candidate.mentor.id == mentor_id:
                goal, match = state.goal, candidate
        if match is None:
            raise MentorNotFound(f"mentor {mentor_id!r} was not among the results shown; "
                                 "search first, then draft to one of the mentors found")
        draft = self._use(self.assistant.draft(goal, match, list(state.user_texts)))
        problems = check_draft(draft, match.mentor, goal, state.user_texts)
        return Reply(kind="draft", goal=goal, draft=draft, draft_problems=problems,
                     matches=[match],
                     text=f"Here is a draft to {first_name(match.mentor)}. Edit it freely; "
                          "it only says what you told me and what their profile shows.")

    # -- deciding what to do next -----------------------------------------------------------

    def _next_step(self) -> Reply:
        state, goal = self.state, self.state.goal
        room = len(state.asked) < MAX_QUESTIONS
        said = " ".join(state.said)
        subject = goal.challenge or said or goal.topic
        if not (subject or goal.topic):
            if room and "challenge" not in state.asked:
                return self._ask("challenge")
            return self._results()
        if subject and self._use(self.assistant.is_long_term(said or subject)):
            return self._plan()
        if not goal.is_specific() and room and "challenge" not in state.asked:
            return self._ask("challenge")
        guided = bool(state.asked)
        if guided and room and goal.context.is_empty() and "context" not in state.asked:
            return self._ask("context")
        if (guided and room and not goal.formats and goal.minutes is None
                and "format" not in state.asked):
            return self._ask("format")
        return self._results()

    def _ask(self, slot: Slot) -> Reply:
        state, goal = self.state, self.state.goal
        state.asked.append(slot)
        state.pending = slot
        if slot == "challenge":
            if goal.topic:
                text = (f"What's the specific part of {_assistant_voice(goal.topic)} you're stuck "
                        "on? One concrete question makes a short session worth it.")
            else:
                text = ("What would you like help with? One specific question works best, "
                        "like a decision you're facing or something you're stuck on.")
            said = " ".join(state.said) or goal.topic
            chips = self._use(self.assistant.suggestions(said, 3)) + [CHIPS.skip]
        elif slot == "context":
            text = ("Got it. What's your role and experience level? It helps me find someone "
                    "who has been where you are.")
            chips = list(CHIPS.context)
        else:
            text = "How would you like to meet, and for how long?"
            chips = list(CHIPS.format)
        return Reply(kind="question", text=text, suggestions=chips, slot=slot, goal=goal)

    def _ask_opening(self, prefix: str) -> Reply:
        self.state.pending = None
        text = prefix + ("What would you like help with? One specific question works best, "
                         "like a decision you're facing or something you're stuck on.")
        return Reply(kind="question", text=text, slot="challenge",
                     suggestions=list(CHIPS.opening))

    # -- searching ----------------------------------------------------------------------------

    def query(self, goal: Goal | None = None) -> str:
        """What gets searched: everything the mentee said about the goal, logistics out."""
        goal = goal or self.state.goal
        return " ".join(self.state.said) or goal.search_query()

    def _search(self, goal: Goal, exclude: list[str], k: int, diversity: float,
                query: str | None = None) -> tuple[list[Match], SearchFilters, list[str]]:
        """Search; when nothing fits every filter, drop the least central ones in turn.

        A language the mentee asked for (or writes in) is kept while at least
        ``MIN_IN_LANGUAGE`` mentors speak it; otherwise it is relaxed, and said so. With no
        language set, an English conversation shows English speakers first.
        """
        relaxed: list[str] = []
        current = goal
        text = query or self.query(goal)
        while True:
            filters = current.to_filters(exclude_ids=exclude)
            matches = self.searcher.search(text, k, filters, diversity=diversity)
            if current.language and len(matches) < min(k, MIN_IN_LANGUAGE):
                current = _relaxed(current, "language")
                relaxed.append(_RELAX_LABEL["language"])
                continue
            if matches and not current.language and self.state.language in (None, "en"):
                matches = self._english_first(matches)
            if matches:
                return matches, filters, relaxed
            for field, label in _RELAX_ORDER:
                if getattr(current, field):
                    current = _relaxed(current, field)
                    relaxed.append(label)
                    break
            else:
                return [], filters, relaxed

    @staticmethod
    def _english_first(matches: list[Match]) -> list[Match]:
        """English speakers first among the mentors found; the set itself stays as found."""
        return sorted(matches, key=lambda m: "en" not in m.mentor.languages)

    def _heard(self, text: str, goal: Goal) -> Goal:
        """Remember the goal words of a message and its language; a non-English message
        asks for mentors who speak it, unless the mentee named a language."""
        state = self.state
        words = self._use(self.assistant.goal_words(text))
        if words.query:
            state.said = (state.said + [words.query])[-20:]
            language = self._use(self.assistant.language(text))
            if language is not None:
                state.language = language
            if language not in (None, "en") and goal.language is None:
                goal = goal.model_copy(update={"language": language})
        return goal

    def _results(self, *, exclude_shown: bool = False, prefix: str = "") -> Reply:
        state, goal = self.state, self.state.goal
        exclude = [m.mentor.id for m in state.last_matches] if exclude_shown else []
        matches, filters, relaxed = self._search(goal, exclude, self.k, state.diversity)
        closer: list[Match] = []
        state.phase, state.plan, state.last_matches = "results", [], matches
        state.shown_ids = list(dict.fromkeys(state.shown_ids + [m.mentor.id for m in matches]))
        if not matches:
            text = prefix + ("I couldn't find a mentor for that. Try describing the question "
                             "differently, or say 'start over'.")
        else:
            spread = " from different backgrounds" if state.diversity > 0 else ""
            if goal.challenge:
                text = prefix + (f"Here are {len(matches)} mentors{spread} for what you asked: "
                                 f"{goal.summary()}")
                text += "" if text.endswith("\u201d") else "."
            elif goal.topic:
                text = prefix + f"Here are {len(matches)} mentors{spread} for {goal.summary()}."
            else:
                text = prefix + f"Here are {len(matches)} mentors{spread} for your request."
            if relaxed:
                text += " " + _relaxed_note(relaxed)
            closer = [] if relaxed else self._closer_fits(goal, exclude, matches)
            if closer:
                names = " and ".join(f"{m.mentor.name} ({m.mentor.headline})"
                                     for m in closer[:2])
                text += (f" Mentors who fit this ask more closely don't offer "
                         f"{_meetings(goal)}, for example {names}. Tap “{ANY_MEETING}” to "
                         "see them.")
            if state.language not in (None, "en") and not state.hinted_english:
                # The model reads English: say so once, and offer the better search.
                state.hinted_english = True
                text += " " + self.offline.english_hint.say(state.language)
        chips = self._refine_chips()
        if closer:
            chips = [ANY_MEETING, *chips][:4]
        return Reply(kind="results", text=text, matches=matches, goal=goal, filters=filters,
                     suggestions=chips)

    def _closer_fits(self, goal: Goal, exclude: list[str], shown: list[Match]) -> list[Match]:
        """Mentors the format or length filter keeps out although they fit the ask better.

        Only when it matters: the best of them must score ``CLOSER_GAP`` above the best mentor
        shown, and at least ``CLOSER_MIN`` of the unfiltered first five must be kept out while
        scoring above every mentor shown (both chosen on the tune halves of the goal sets,
        eval/experiments/closer_fits.py).
        """
        if not shown or not (goal.formats or goal.minutes):
            return []
        open_goal = goal.model_copy(update={"formats": [], "minutes": None})
        found = self.searcher.search(self.query(goal), self.k,
                                     open_goal.to_filters(exclude_ids=exclude),
                                     diversity=self.state.diversity)
        best = max(m.score for m in shown)
        seen = {m.mentor.id for m in shown}
        closer = [m for m in found if m.mentor.id not in seen and m.score > best]
        if len(closer) < CLOSER_MIN or closer[0].score - best < CLOSER_GAP:
            return []
        return closer

    def _plan(self, *, keep_sessions: bool = False, prefix: str = "") -> Reply:
        state, goal = self.state, self.state.goal
        if keep_sessions and state.plan:
            goals = [_with_preferences(s.goal, goal) for s in state.plan]
            queries = [s.query for s in state.plan]
        else:
            # A goal said in the mentee's words but with no one question in it yet ("I want to
            # become a UX designer") is planned from those words, not from an empty goal.
            said = " ".join(state.said)
            planned = goal if goal.challenge or not said else goal.model_copy(
                update={"challenge": said})
            plan = self._use(self.assistant.plan(planned))
            goals = session_goals(goal, plan)
            queries = session_queries(goal, plan, self.query(goal))
        # The plan's first mentors come from one search of the mentee's own words, with the
        # mentee's own filters: the first session takes the first three, the next the two
        # after them, so the first five shown are those a plain search of the goal finds.
        # Each session then fills up with mentors for its own focus.
        overall: list[Match] = []
        relaxed: list[str] = []
        if queries:
            overall, _, relaxed = self._search(goal, [], min(self.k, PER_SESSION * len(queries)),
                                               state.diversity, queries[0] or None)
        sessions: list[PlannedSession] = []
        used: list[str] = []
        for session_goal, query in zip(goals, queries, strict=False):
            matches, overall = overall[:PER_SESSION], overall[PER_SESSION:]
            used += [m.mentor.id for m in matches]
            if len(matches) < PER_SESSION:
                more, _, more_relaxed = self._search(
                    session_goal, used, PER_SESSION - len(matches), state.diversity,
                    query or None)
                relaxed += [label for label in more_relaxed if label not in relaxed]
                matches += more
                used += [m.mentor.id for m in more]
            sessions.append(PlannedSession(goal=session_goal, query=query, matches=matches))
        state.phase, state.plan, state.last_matches = "plan", sessions, []
        state.shown_ids = list(dict.fromkeys(state.shown_ids + used))
        # The mentors' filters the plan kept ("10+ years of experience"), and those it relaxed.
        kept = _relaxed(goal, *(field for field, label in _RELAX_ORDER if label in relaxed))
        text = prefix + plan_text(sessions, kept.mentor_phrases())
        if relaxed:
            text += "\n\n" + _relaxed_note(relaxed)
        return Reply(kind="plan", text=text, plan=sessions,
                     goal=goal, filters=goal.to_filters(),
                     suggestions=self._refine_chips())

    def _refine_chips(self) -> list[str]:
        goal = self.state.goal
        taken = {"only_email": goal.formats == ["email"], "europe": goal.region == "Europe",
                 "shorter": (goal.minutes or 99) <= 15}
        chips = CHIPS.refine.model_dump()
        return [chip for name, chip in chips.items() if not taken.get(name)][:4]

    # -- after results -------------------------------------------------------------------------

    def _refine(self, slots: Refinement) -> Reply:
        state = self.state
        goal = state.goal
        update = slots.meeting_update()
        if slots.minutes is None and slots.shorter:
            current = goal.minutes or 30
            update["minutes"] = next((m for m in _LENGTHS if m < current), 10)
        if slots.region:
            update["region"], update["countries"] = slots.region, []
        if slots.countries:
            update["countries"], update["region"] = slots.countries, None
        if slots.min_years is not None:
            update["min_years_experience"] = slots.min_years
        elif slots.more_senior:
            shown = [m.mentor.years_experience for m in self._shown_matches()
                     if m.mentor.years_experience is not None]
            base = int(statistics.median(shown)) + 1 if shown else 10
            update["min_years_experience"] = max(10, base, (goal.min_years_experience or 0) + 5)
        elif slots.less_senior:
            update["min_years_experience"] = None
        exclude = slots.diversity or slots.more
        if slots.diversity:
            state.diversity = min(1.0, max(state.diversity, 0.3) + 0.4)
        state.goal = goal.model_copy(update=update)
        changed = [k for k in update if getattr(goal, k) != update[k]]
        prefix = "" if changed or exclude else (
            "I couldn't tell what to change, so here are the same results. Try 'only email', "
            "'someone in Europe' or 'more senior'. ")
        if state.phase == "plan":
            return self._plan(keep_sessions=True, prefix=prefix)
        return self._results(exclude_shown=exclude, prefix=prefix)

    def _about_me(self, text: str) -> Reply:
        """The mentee said who they are after results: keep the goal, update the context."""
        state = self.state
        state.goal = self._use(self.assistant.extract_goal(text, state.goal, "context"))
        who = state.goal.context.describe()
        prefix = f"Thanks, noted: you're {who}. " if who else "Thanks, noted. "
        if state.phase == "plan":
            return self._plan(prefix=prefix)
        return self._results(prefix=prefix)

    def _shown_matches(self) -> list[Match]:
        return self.state.last_matches + [m for s in self.state.plan for m in s.matches]

    def _new_goal(self, text: str) -> Reply:
        old = self.state.goal
        keep = Goal(language=old.language, region=old.region, countries=old.countries)
        self.state = ConversationState(goal=keep, user_texts=self.state.user_texts,
                                       shown_ids=self.state.shown_ids,
                                       language=self.state.language)
        return self._fresh(text)

    def send_fresh(self, text: str) -> Reply:
        """Read ``text`` as the first message of a goal (used after a change of subject)."""
        self._notices = []
        return self._noticed(self._fresh(text))

    def _fresh(self, text: str) -> Reply:
        goal = self._use(self.assistant.extract_goal(text, self.state.goal, None))
        self.state.goal = self._heard(text, goal)
        return self._next_step()


def _assistant_voice(label: str) -> str:
    """A topic label as the assistant says it: 'Pricing my product' -> 'pricing your product'."""
    words = label.split()
    words[0] = words[0].lower() if words[0][1:].islower() else words[0]
    return " ".join({"my": "your", "our": "your", "me": "you"}.get(w, w) for w in words)


def _with_preferences(session: Goal, goal: Goal) -> Goal:
    """A planned session's goal with the mentee's latest filters applied."""
    update: dict[str, object] = {
        "language": goal.language, "region": goal.region, "countries": goal.countries,
        "min_years_experience": goal.min_years_experience}
    if goal.formats:
        update["formats"] = goal.formats
    if goal.minutes:
        update["minutes"] = goal.minutes
    if update.get("formats", session.formats) == ["email"]:
        update["minutes"] = None  # an email exchange has no call length
    return session.model_copy(update=update)
