"""The web page's logic as plain functions: per-session state, mentor cards, filter controls.

Nothing here keeps per-user data: every step takes the session's serialised
``ConversationState`` and chat history and returns new ones, so two browser sessions never share
a goal or a draft. ``finder.ui.page.build_ui`` only wires these functions to Gradio components.
"""

from __future__ import annotations

import html
import logging
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from finder.dialogue.conversation import Conversation, ConversationState, MentorSearch, Reply
from finder.outreach.drafting import OutreachDraft, first_name
from finder.core.errors import MentorFinderError
from finder.core.goal import LANGUAGE_NAMES, Goal
from finder.dialogue.assistant import Assistant, OfflineAssistant
from finder.core.models import FORMATS, Match, Mentor, utc_offsets
from finder.programme.requests import RequestBook
from finder.programme.service import Programme

log = logging.getLogger(__name__)

ANY = "any"
MAX_CHIPS = 5
MINUTE_CHOICES = (10, 15, 20, 30, 45, 60, 90)
FORMAT_LABELS = {"video": "Video call", "phone": "Phone call", "email": "Email",
                 "chat": "Text chat", "in_person": "In person"}
EMPTY_CARDS = ('<div class="mf-empty">Mentors will appear here once I know what you would '
               "like help with.</div>")

STARTUP_WAIT = 600.0  # seconds a first message waits for the mentors loading at start-up

ChatHistory = list[dict[str, str]]


def esc(value: object) -> str:
    """Mentor and user text made safe to put inside HTML (tags show as text)."""
    return html.escape(str(value), quote=True)


def esc_chat(value: object) -> str:
    """Text for a chat bubble (rendered as Markdown): tags show as text, quotes stay readable."""
    return html.escape(str(value), quote=False)


# -- session state ------------------------------------------------------------------------


def load_state(saved: dict[str, Any] | None) -> ConversationState:
    """The conversation state kept in a browser session (a fresh one for a new session)."""
    if not saved:
        return ConversationState()
    try:
        return ConversationState.model_validate(saved)
    except ValueError:
        log.warning("discarding a session state that no longer validates")
        return ConversationState()


def dump_state(state: ConversationState) -> dict[str, Any]:
    return state.model_dump(mode="json")


# -- filter controls ----------------------------------------------------------------------


@dataclass(frozen=True)
class Controls:
    """The values of the filter controls: formats, longest session, language."""

    formats: list[str] = field(default_factory=list)
    minutes: str = ANY
    language: str = ANY

    @classmethod
    def from_goal(cls, goal: Goal) -> Controls:
        """Controls that say what the chat understood."""
        return cls(formats=[f for f in goal.formats if f in FORMATS],
                   minutes=str(goal.minutes) if goal.minutes else ANY,
                   language=goal.language or ANY)

    def apply_to(self, goal: Goal) -> Goal:
        """``goal`` with these controls' constraints."""
        minutes = None if self.minutes in ("", ANY, None) else int(self.minutes)
        language = None if self.language in ("", ANY, None) else self.language
        formats = [f for f in FORMATS if f in (self.formats or [])]
        return goal.model_copy(update={"formats": formats, "minutes": minutes,
                                       "language": language})

    def minute_choices(self) -> list[tuple[str, str]]:
        values = set(MINUTE_CHOICES)
        if self.minutes != ANY:
            values.add(int(self.minutes))
        return [("Any length", ANY)] + [(f"Up to {m} min", str(m)) for m in sorted(values)]

    def language_choices(self) -> list[tuple[str, str]]:
        codes = dict(sorted(LANGUAGE_NAMES.items(), key=lambda item: item[1]))
        if self.language != ANY and self.language not in codes:
            codes[self.language] = self.language
        return [("Any language", ANY)] + [(name, code) for code, name in codes.items()]


# -- rendering -----------------------------------------------------------------------------


def _offset(hours: float) -> str:
    sign = "+" if hours >= 0 else "-"
    whole, frac = divmod(abs(hours), 1)
    return f"UTC{sign}{int(whole)}" + (f":{int(frac * 60):02d}" if frac else "")


def timezone_text(mentor: Mentor) -> str:
    """'Europe/Berlin (UTC+1/UTC+2)': the zone and its winter/summer offsets."""
    if not mentor.timezone:
        return "not stated"
    winter, summer = utc_offsets(mentor.timezone)
    offsets = _offset(winter) if winter == summer else f"{_offset(winter)}/{_offset(summer)}"
    return f"{mentor.timezone} ({offsets})"


@lru_cache(maxsize=1)
def _macros() -> Any:
    """The card macros; the template is immutable, so one compiled copy serves every session."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("finder.ui", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("cards.html.jinja").module


def language_note(match: Match, language: str | None) -> list[str]:
    """A clear note when the mentor doesn't speak the mentee's language (English by default)."""
    wanted = language or "en"
    spoken = match.mentor.languages
    if not spoken or wanted in spoken:
        return []
    name = LANGUAGE_NAMES.get(wanted, wanted)
    others = ", ".join(LANGUAGE_NAMES.get(code, code) for code in spoken)
    return [f"Doesn't speak {name}: speaks {others}"]


def mentee_language(state: ConversationState) -> str | None:
    """The language the mentee asked for, else the one they write in."""
    return state.goal.language or state.language


def card_facts(match: Match, language: str | None = None) -> dict[str, Any]:
    """What one mentor card shows, as plain values (the template escapes them)."""
    m = match.mentor
    extra = [m.organization] if m.organization else []
    if m.years_experience is not None:
        extra.append(f"{m.years_experience} years of experience")
    zone, _, offsets = timezone_text(m).partition(" (")
    return {
        "id": m.id, "name": m.name, "first_name": first_name(m),
        "headline": m.headline or ", ".join(m.industries[:2]), "extra": extra,
        "why": match.reasons.parts() or [line for line in [match.reasons.summary()] if line],
        "notes": language_note(match, language) + booking_notes(match),
        "formats": ", ".join(FORMAT_LABELS.get(f, f) for f in m.formats) or "not stated",
        "minutes": " / ".join(str(n) for n in m.session_minutes) + " min",
        "languages": ", ".join(LANGUAGE_NAMES.get(code, code) for code in m.languages),
        "zone": zone, "offsets": offsets,
    }


def booking_notes(match: Match) -> list[str]:
    """A fully booked mentor's card says so, and when they have room again."""
    if not match.fully_booked:
        return []
    opening = match.next_opening
    return ["Fully booked this week"
            + (f"; next opening {opening:%A} {opening.day} {opening:%B}" if opening else "")]


def card_html(match: Match) -> str:
    """One mentor card; every piece of mentor text is escaped by the template."""
    return str(_macros().card(card_facts(match)))


def cards_html(state: ConversationState) -> str:
    """The mentors the conversation last showed: a grid of cards, or a plan of sessions."""
    language = mentee_language(state)
    if state.phase == "plan" and state.plan:
        return str(_macros().plan([
            {"how": s.goal.format_phrase(), "question": s.goal.challenge,
             "cards": [card_facts(m, language) for m in s.matches]} for s in state.plan]))
    if state.last_matches:
        return str(_macros().cards([card_facts(m, language) for m in state.last_matches]))
    if state.phase == "results":
        return ('<div class="mf-empty">No mentor fits these filters. Loosen a filter or describe '
                "the question differently.</div>")
    return EMPTY_CARDS


def questions_html(draft: OutreachDraft | None, problems: Sequence[str] = ()) -> str:
    if draft is None:
        return ""
    return str(_macros().questions(draft.questions, list(problems)))


def draft_text(draft: OutreachDraft) -> str:
    """The draft as the text a person copies into an email or a chat."""
    return f"Subject: {draft.subject}\n\n{draft.body}"


def chat_text(reply: Reply) -> str:
    """An assistant message for the chat (escaped: it can quote mentor and user text)."""
    text = esc_chat(reply.text)
    if booked := all_booked_note(reply.matches):
        text += f"\n\n{esc_chat(booked)}"
    if reply.notice:
        text += f"\n\n_{esc_chat(reply.notice)}_"
    return text


def all_booked_note(matches: Sequence[Match]) -> str:
    """What the chat says when every mentor it found is fully booked this week."""
    if not matches or not all(m.fully_booked for m in matches):
        return ""
    openings = [m.next_opening for m in matches if m.next_opening is not None]
    when = (f" The first opening is on {min(openings):%A} {min(openings).day} "
            f"{min(openings):%B}." if openings else "")
    return ("Every one of these mentors is fully booked this week, so they can't take a new "
            f"request yet.{when} Describe your ask a little more broadly to see others.")


# -- one step of a session -----------------------------------------------------------------


@dataclass
class View:
    """Everything the page shows after one step of one session."""

    state: dict[str, Any]
    chat: ChatHistory
    cards: str
    suggestions: list[str] | None  # None: leave the quick replies as they are
    controls: Controls
    draft: OutreachDraft | None = None
    draft_title: str = ""
    questions: str = ""
    hide_draft: bool = False

    @property
    def chips(self) -> list[str] | None:
        return None if self.suggestions is None else self.suggestions[:MAX_CHIPS]


STATUS_WORDS = {"sent": "waiting for an answer", "accepted": "accepted", "declined": "declined",
                "done": "done", "no_reply": "no reply (lapsed)", "withdrawn": "withdrawn"}


class Startup:
    """Getting the mentors ready while the page is already served.

    The app serves its page at once and writes the demo mentors in the background; this says
    how far that has got (for the page's banner) and holds back a visitor's first search until
    the mentors are in, rather than answering from half an index.
    """

    def __init__(self, what: str = "the demo mentors") -> None:
        self.what = what
        self.done = 0
        self.total = 0
        self.error: str | None = None
        self._started = time.monotonic()
        self._ready = threading.Event()

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def finish(self, error: str | None = None) -> None:
        """Ready (or failed with ``error``, which visitors are then told)."""
        self.error = error
        self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the mentors are in; MentorFinderError if loading them failed."""
        if not self._ready.wait(timeout):
            raise MentorFinderError(f"{self.what} are still loading; please try again shortly")
        if self.error:
            raise MentorFinderError(f"{self.what} could not be loaded: {self.error}")

    def banner(self) -> str:
        """What the page shows above the chat while loading (empty once ready)."""
        if self.ready:
            return (f"Some mentors could not be loaded: {esc(self.error)}" if self.error
                    else "")
        if not self.total:
            return (f"Loading {self.what}… You can type your question now; the answer comes as "
                    "soon as they are in.")
        elapsed = time.monotonic() - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = f", about {math.ceil((self.total - self.done) / rate)} s left" if rate else ""
        return (f"Loading {self.what}: {self.done:,} of {self.total:,}{left}. You can type "
                "your question now; the answer comes as soon as they are in.")


class WebApp:
    """The finder as the web page uses it; holds no per-session data."""

    def __init__(self, searcher: MentorSearch, assistant: Assistant | None = None,
                 k: int = 5, requests: RequestBook | None = None,
                 startup: Startup | None = None) -> None:
        self.searcher = searcher
        self.assistant = assistant
        self.k = k
        self.requests = requests
        self.startup = startup
        self._offline: OfflineAssistant | None = None

    def _wait_until_ready(self) -> None:
        """A visitor's search waits for the mentors still being loaded at start-up."""
        if self.startup is not None:
            self.startup.wait(STARTUP_WAIT)

    def conversation(self, state: ConversationState) -> Conversation:
        """A conversation over one session's state (it lives for one request)."""
        if self._offline is None:
            self._offline = OfflineAssistant(self.searcher.embedder)
        return Conversation(self.searcher, assistant=self.assistant or self._offline,
                            state=state, k=self.k, offline=self._offline)

    def _view(self, conversation: Conversation, chat: ChatHistory,
              reply: Reply | None) -> View:
        state = conversation.state
        view = View(state=dump_state(state), chat=chat, cards=cards_html(state),
                    suggestions=list(reply.suggestions) if reply and reply.kind != "draft"
                    else None,
                    controls=Controls.from_goal(state.goal))
        if reply is not None and reply.draft is not None:
            view.draft = reply.draft
            mentor = reply.matches[0].mentor.name if reply.matches else reply.draft.mentor_id
            view.draft_title = f"Draft to {mentor}"
            view.questions = questions_html(reply.draft, reply.draft_problems)
        return view

    def welcome(self) -> View:
        """The first thing a new session sees: the opening question and its chips."""
        conversation = self.conversation(ConversationState())
        reply = conversation.send("")
        view = self._view(conversation, [{"role": "assistant", "content": chat_text(reply)}],
                          reply)
        view.hide_draft = True
        return view

    def send(self, saved: dict[str, Any] | None, chat: ChatHistory | None, text: str, *,
             echoed: bool = False, session_id: str | None = None) -> View:
        """One chat message from the user (``echoed``: the chat already shows it)."""
        chat = list(chat or [])
        conversation = self.conversation(load_state(saved))
        text = (text or "").strip()
        if not text:
            return self._view(conversation, chat, None)
        if not echoed:
            chat = with_user_message(chat, text)
        try:
            self._wait_until_ready()
            reply: Reply | None = conversation.send(text)
        except MentorFinderError as exc:
            chat.append({"role": "assistant", "content": esc_chat(f"Sorry: {exc}")})
            reply = None
        else:
            assert reply is not None
            chat.append({"role": "assistant", "content": chat_text(reply)})
        if session_id:
            self.tell_lapsed(conversation, chat, session_id,
                             show_cards=not (reply and reply.matches))
        return self._view(conversation, chat, reply)

    def tell_lapsed(self, conversation: Conversation, chat: ChatHistory, session_id: str, *,
                    show_cards: bool = True) -> int:
        """Tell the session about its requests that lapsed or were declined (once each), with
        the next-best mentors for the same ask; their cards replace the shown ones."""
        if self.requests is None:
            return 0
        try:
            news = self.requests.take_lapsed(session_id)
        except MentorFinderError as exc:
            log.warning("could not read this session's requests: %s", exc)
            return 0
        for request in news:
            try:
                name = self.requests.mentor_of(request.mentor_id).name
            except MentorFinderError:
                name = "A mentor you wrote to"
            if request.status == "no_reply":
                note = (f"{name} didn't answer your request within "
                        f"{self.requests.reply_after.days} days, so it has lapsed and their slot "
                        "is free for others.")
            else:
                note = f"{name} declined your request."
            offered = (self.searcher.next_best(request.id, k=3)
                       if isinstance(self.searcher, Programme) else [])
            if offered:
                note += (" Mentors with room for the same ask: "
                         + "; ".join(f"{m.mentor.name}" + (f" ({m.mentor.headline})"
                                                            if m.mentor.headline else "")
                                     for m in offered) + ".")
                if show_cards:
                    conversation.state.last_matches = offered
                    note += " Their cards are beside the chat: draft a message to one of them."
            chat.append({"role": "assistant", "content": esc_chat(note)})
        return len(news)

    def my_requests(self, saved: dict[str, Any] | None, chat: ChatHistory | None,
                    session_id: str) -> View:
        """The "My requests" button: this session's requests and how each one stands."""
        chat = list(chat or [])
        conversation = self.conversation(load_state(saved))
        if self.requests is None:
            note = "Requests aren't recorded here (no programme database is configured)."
            chat.append({"role": "assistant", "content": esc_chat(note)})
            return self._view(conversation, chat, None)
        told = self.tell_lapsed(conversation, chat, session_id)
        mine = self.requests.list(session_id=session_id)
        if not mine:
            note = "You haven't marked any request as sent yet."
        else:
            lines = []
            for request in mine:
                try:
                    name = self.requests.mentor_of(request.mentor_id).name
                except MentorFinderError:
                    name = request.mentor_id
                lines.append(f"{name}: {STATUS_WORDS.get(request.status, request.status)}")
            note = "Your requests: " + "; ".join(lines) + "."
        if mine or not told:
            chat.append({"role": "assistant", "content": esc_chat(note)})
        return self._view(conversation, chat, None)

    def warm_up(self) -> None:
        """Load the model and encode the understanding's examples before the first visitor
        (straight through the conversation: it runs before the start-up is declared ready)."""
        self.conversation(ConversationState()).send("I want career advice")

    def change_filters(self, saved: dict[str, Any] | None, chat: ChatHistory | None,
                       controls: Controls) -> View:
        """The user changed a filter control: update the goal and search again."""
        chat = list(chat or [])
        conversation = self.conversation(load_state(saved))
        state = conversation.state
        state.goal = controls.apply_to(state.goal)
        try:
            self._wait_until_ready()
            reply = refresh(conversation)
        except MentorFinderError as exc:
            chat.append({"role": "assistant", "content": esc_chat(f"Sorry: {exc}")})
            return self._view(conversation, chat, None)
        if reply is None:
            how = conversation.state.goal.format_phrase()
            lang = conversation.state.goal.language
            said = "; ".join(x for x in [how, LANGUAGE_NAMES.get(lang or "", lang or "")] if x)
            note = f"Noted: {said}." if said else "Noted: no preference on format or language."
            chat.append({"role": "assistant", "content": esc_chat(note)})
            return self._view(conversation, chat, None)
        reply.text = "Filters updated. " + reply.text
        chat.append({"role": "assistant", "content": chat_text(reply)})
        return self._view(conversation, chat, reply)

    def draft(self, saved: dict[str, Any] | None, chat: ChatHistory | None,
              mentor_id: str) -> View:
        """The 'Draft message' button of a card."""
        chat = list(chat or [])
        conversation = self.conversation(load_state(saved))
        try:
            self._wait_until_ready()
            reply = conversation.draft_for(str(mentor_id))
        except MentorFinderError as exc:
            chat.append({"role": "assistant", "content": esc_chat(f"Sorry: {exc}")})
            return self._view(conversation, chat, None)
        chat.append({"role": "assistant", "content": chat_text(reply)})
        return self._view(conversation, chat, reply)


    def mark_sent(self, saved: dict[str, Any] | None, chat: ChatHistory | None,
                  mentor_id: str, session_id: str) -> View:
        """The draft panel's "I've sent it" button: record the request to this mentor."""
        chat = list(chat or [])
        conversation = self.conversation(load_state(saved))
        if self.requests is None:
            note = "Requests aren't recorded here (no programme database is configured)."
        elif not mentor_id:
            note = "Draft a message to a mentor first, then mark it sent."
        else:
            try:
                request = self.requests.record(
                    mentor_id, conversation.state.goal.search_query(), session_id)
            except MentorFinderError as exc:
                note = f"Not recorded: {exc}"
            else:
                waiting = len(self.requests.list(session_id=session_id, status="sent"))
                name = self.requests.mentor_of(request.mentor_id).name
                note = (f"Marked as sent to {name}. You have {waiting} of "
                        f"{self.requests.max_open} requests waiting for an answer; if there is "
                        f"no reply within {self.requests.reply_after.days} days it lapses and "
                        "their slot goes to someone else.")
        chat.append({"role": "assistant", "content": esc_chat(note)})
        return self._view(conversation, chat, None)


BUSY = ("Still answering your last message. Your new one is kept in the box: send it when "
        "the answer is there.")


class TurnGuard:
    """One turn at a time per browser session: a message sent while the last one is still
    being answered is refused (and kept in the box), never lost or answered out of order."""

    def __init__(self, stale_after: float = 120.0) -> None:
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()
        self.stale_after = stale_after  # a turn that never finished (e.g. cancelled) expires

    def start(self, session: str) -> bool:
        """Claim the session's turn; False while another turn of it is running."""
        now = time.monotonic()
        with self._lock:
            began = self._started.get(session)
            if began is not None and now - began < self.stale_after:
                return False
            self._started[session] = now
            return True

    def finish(self, session: str) -> None:
        with self._lock:
            self._started.pop(session, None)


def with_user_message(chat: ChatHistory | None, text: str) -> ChatHistory:
    """The chat with the user's message added (escaped), shown while the answer is worked out."""
    text = (text or "").strip()
    return list(chat or []) + ([{"role": "user", "content": esc_chat(text)}] if text else [])


def refresh(conversation: Conversation) -> Reply | None:
    """Search again with the goal as it is now; ``None`` while the chat is still asking."""
    return conversation.refresh()
