"""mentor-finder for LangChain and LangGraph apps: a retriever, a tool, and the chat as a Runnable.

- ``as_retriever(mf, k=5, filters=None, diversity=0.3)`` (also ``mf.as_retriever(...)``): a
  ``BaseRetriever`` whose ``Document``s hold profile text, with mentor, score and reasons as
  metadata.
- ``finder_tool(mf)``: the ``find_mentors`` tool for tool-calling chat models. The model sees a
  compact JSON list (ids, names, headlines, reasons), never contact details; the full
  ``Document``s travel as the ``ToolMessage``'s artifact for the app.
- ``ConversationRunnable(mf)``: one mentee message plus conversation state in, the ``Reply`` plus
  the new state out. The state also rides on the output ``AIMessage``, so a chat history
  (``RunnableWithMessageHistory``, a LangGraph ``messages`` list) is all an app has to keep.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForToolRun
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, BaseMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool, ToolException
from pydantic import BaseModel, Field, ValidationError

from finder.assistants.chat_model import ChatModelAssistant
from finder.core.errors import QueryError
from finder.core.models import Format, SearchFilters
from finder.dialogue.assistant import Assistant, OfflineAssistant
from finder.dialogue.conversation import Conversation, ConversationState, MentorSearch, Reply
from finder.outreach.drafting import strip_contacts
from finder.search.retriever import MentorRetriever, MentorSearcher

__all__ = ["STATE_KEY", "ConversationRunnable", "FindMentorsArgs", "FindMentorsTool",
           "MentorRetriever", "TurnInput", "TurnOutput", "as_retriever", "cite", "finder_tool"]

STATE_KEY = "mentor_finder_state"
"""Where an output ``AIMessage`` keeps the conversation state (in ``additional_kwargs``)."""


def as_retriever(finder: MentorSearcher, k: int = 5, filters: SearchFilters | None = None,
                 diversity: float = 0.3) -> MentorRetriever:
    """A LangChain retriever over ``finder`` (the same as ``finder.as_retriever(...)``)."""
    return MentorRetriever(finder=finder, k=k, filters=filters, diversity=diversity)


# -- the tool -------------------------------------------------------------------------------


class FindMentorsArgs(BaseModel):
    """Find mentors who can help with one focused question."""

    query: str = Field(min_length=1, max_length=2000,
                       description="What the person needs help with, in their own words.")
    formats: list[Format] | None = Field(
        default=None, description="Only mentors who offer one of these ways to meet.")
    max_minutes: int | None = Field(
        default=None, ge=5, le=240,
        description="Only mentors who offer a session this short or shorter, in minutes.")
    languages: list[str] | None = Field(
        default=None, description="Only mentors who speak one of these ISO 639-1 codes, "
                                  "e.g. ['en', 'de'].")
    k: int = Field(default=5, ge=1, le=10, description="How many mentors to return.")


def _clean(text: str) -> str:
    return strip_contacts(text, set())[0]


def cite(document: Document) -> dict[str, Any]:
    """What a chat model may see of one result: who, what they do, and why they matched.

    Contact details never leave: only these fields are copied, and e-mail addresses, links and
    phone numbers are removed from the text that is.
    """
    mentor, reasons = document.metadata["mentor"], document.metadata["reasons"]
    why: dict[str, Any] = {}
    if reasons.get("matched_skills"):
        why["skills"] = reasons["matched_skills"]
    elif reasons.get("matched_terms"):
        why["mentions"] = reasons["matched_terms"]
    if reasons.get("best_sentence"):
        why["evidence"] = _clean(reasons["best_sentence"])
    return {"id": mentor["id"], "name": _clean(mentor["name"]),
            "headline": _clean(mentor.get("headline") or ""),
            "score": document.metadata["score"], "reasons": why}


def _validation_message(error: ValidationError) -> str:
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}"
                         for e in error.errors())
    return f"find_mentors was called with invalid arguments ({problems}); fix them and retry."


class FindMentorsTool(BaseTool):
    """The ``find_mentors`` tool: search the index, answer with citable JSON."""

    name: str = "find_mentors"
    description: str = (
        "Search the mentor directory for people who can help with one focused question. "
        "Returns a JSON list of mentors with id, name, headline, score (0-1, higher is better) "
        "and reasons (matched skills and a sentence from their profile). Cite mentors by name "
        "and id; contact details are not included.")
    args_schema: type[BaseModel] = FindMentorsArgs
    response_format: str = "content_and_artifact"  # type: ignore[assignment]
    handle_tool_error: bool = True
    handle_validation_error: Any = _validation_message
    retriever: MentorRetriever

    def _run(self, query: str, formats: list[Format] | None = None,
             max_minutes: int | None = None, languages: list[str] | None = None, k: int = 5,
             run_manager: CallbackManagerForToolRun | None = None,
             ) -> tuple[str, list[Document]]:
        filters = SearchFilters(formats=formats, max_minutes=max_minutes, languages=languages)
        try:
            # The tool's callbacks are in the context, so the retrieval shows as its child run.
            documents = self.retriever.invoke(query, k=k, filters=filters)
        except QueryError as exc:
            raise ToolException(str(exc)) from exc
        cited = [cite(document) for document in documents]
        return json.dumps(cited, ensure_ascii=False), documents


def finder_tool(finder: MentorSearcher, *, diversity: float = 0.3) -> FindMentorsTool:
    """``find_mentors`` over ``finder``, for ``chat_model.bind_tools([...])`` or an agent."""
    return FindMentorsTool(retriever=as_retriever(finder, diversity=diversity))


# -- the conversation -------------------------------------------------------------------------


class TurnInput(BaseModel):
    """One turn's input: the mentee's message, and the state so far (or a history holding it)."""

    message: str | AnyMessage = Field(description="What the mentee said.")
    state: ConversationState | None = Field(
        default=None, description="The state from the previous turn's output; overrides history.")
    history: list[AnyMessage] = Field(
        default_factory=list, description="Earlier messages; the state is read from the last "
                                          "AI message that carries one.")


class TurnOutput(BaseModel):
    """One turn's output (as a dict with these keys)."""

    reply: Reply
    state: ConversationState
    output: AIMessage = Field(description="The reply as a chat message, carrying the state.")


def state_from_history(history: Sequence[BaseMessage]) -> ConversationState | None:
    """The conversation state kept on the most recent AI message that has one."""
    for message in reversed(history):
        if isinstance(message, AIMessage) and STATE_KEY in message.additional_kwargs:
            return ConversationState.model_validate(message.additional_kwargs[STATE_KEY])
    return None


def _read_state(given: Any, history: Sequence[BaseMessage]) -> ConversationState:
    """A fresh copy of the given state (so the caller's is never changed), else the history's."""
    try:
        if isinstance(given, str):
            return ConversationState.model_validate_json(given)
        if given is not None:
            return ConversationState.model_validate(
                given.model_dump() if isinstance(given, BaseModel) else given)
        return state_from_history(history) or ConversationState()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "state"
        raise QueryError(
            f"the conversation state can't be read ({where}: {first['msg']}); pass the "
            "'state' of the previous turn's output unchanged, or none to start over") from exc


def _text(message: object) -> str:
    if isinstance(message, BaseMessage):
        return str(message.text)
    if isinstance(message, list):  # RunnableWithMessageHistory may hand over a message list
        return _text(message[-1]) if message else ""
    return str(message)


class ConversationRunnable(Runnable[Any, dict[str, Any]]):
    """The mentor-finding conversation as a LangChain ``Runnable``.

    Input: ``{"message": str, "state": ConversationState | dict | None, "history": [...]}`` or
    just the message. Output: ``{"reply": Reply, "state": ConversationState, "output":
    AIMessage}``. Turns are pure: the input state is never changed, so ``batch`` and retries are
    safe. Without ``chat_model`` or ``assistant`` the offline assistant answers.
    """

    name = "mentor_finder_conversation"

    def __init__(self, finder: MentorSearch, *, chat_model: BaseChatModel | None = None,
                 assistant: Assistant | None = None, k: int = 5) -> None:
        if chat_model is not None and assistant is not None:
            raise ValueError("pass chat_model or assistant, not both")
        self.finder = finder
        # Time limits and retries are the chat model's own (its ``timeout``, ``max_retries``).
        self.offline = OfflineAssistant(finder.embedder)
        self.assistant = (ChatModelAssistant(chat_model, self.offline, name=chat_model.get_name())
                          if chat_model is not None else assistant)
        self.k = k

    def get_input_schema(self, config: RunnableConfig | None = None) -> type[BaseModel]:
        return TurnInput

    def get_output_schema(self, config: RunnableConfig | None = None) -> type[BaseModel]:
        return TurnOutput

    def invoke(self, input: Any, config: RunnableConfig | None = None,
               **kwargs: Any) -> dict[str, Any]:
        return self._call_with_config(self._turn, input, config, run_type="chain")

    def _turn(self, input: Any) -> dict[str, Any]:
        if isinstance(input, dict):
            message = input.get("message", input.get("input", ""))
            state = _read_state(input.get("state"), input.get("history") or [])
        else:
            message, state = input, ConversationState()
        conversation = Conversation(self.finder, assistant=self.assistant, state=state,
                                    k=self.k, offline=self.offline)
        reply = conversation.send(_text(message))
        state = conversation.state
        output = AIMessage(content=reply.text, additional_kwargs={
            STATE_KEY: state.model_dump(mode="json"), "mentor_finder_reply": reply.kind})
        return {"reply": reply, "state": state, "output": output}
