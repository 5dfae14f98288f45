"""Test fakes that stand in for named components only where a test is about logic."""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field

from finder.search.embedding import FixedSets

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-words embedder for fast unit tests (no model, no network).

    Words and word pairs are hashed into a fixed number of dimensions, so texts that share
    words are close. It is a stand-in for the model only where a test is about logic, not
    about understanding language.
    """

    name = "hashing"

    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension
        self._fixed = FixedSets()  # as the real embedder: a fixed set is encoded once

    def _vector(self, text: str) -> np.ndarray:
        words = [w[:6] for w in _WORD.findall(text.lower())]
        grams = words + [a + " " + b for a, b in itertools.pairwise(words)]
        vector = np.zeros(self.dimension, dtype=np.float32)
        for gram in grams:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dimension
            vector[index] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(text) for text in texts])

    def encode_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        return self._fixed.get(self, name, texts)


class ScriptedChatModel(GenericFakeChatModel):
    """GenericFakeChatModel that accepts tools, so with_structured_output works on it."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)
    delay: float = 0.0
    timeout: float | None = None  # like a provider client's own request timeout

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> Any:
        return self

    def _generate(self, messages: list[BaseMessage], stop: Any = None,
                  run_manager: Any = None, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        if self.delay:
            if self.timeout is not None and self.delay > self.timeout:
                time.sleep(self.timeout)
                raise TimeoutError("Request timed out.")
            time.sleep(self.delay)
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def tool(name: str, args: dict[str, Any]) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "call_1",
                                              "type": "tool_call"}])


def scripted(*replies: AIMessage | str, delay: float = 0.0) -> ScriptedChatModel:
    return ScriptedChatModel(messages=iter(replies), delay=delay)


class FixedSearch:
    """Returns the given mentors that pass the filters (where the dialogue's logic is under
    test, not the ranking), and remembers the filters it was given."""

    def __init__(self, embedder: Any, mentors: Sequence[Any]) -> None:
        self.embedder = embedder
        self.mentors = list(mentors)
        self.filters: list[Any] = []

    def search(self, query: str, k: int = 5, filters: Any = None, *,
               diversity: float = 0.0) -> list[Any]:
        from finder.core.models import Match, MatchReasons

        self.filters.append(filters)
        return [Match(mentor=m, score=0.9, reasons=MatchReasons(matched_skills=m.skills[:1]))
                for m in self.mentors if filters is None or filters.accepts(m)][:k]


class TinySearch:
    """Cosine ranking over a handful of mentors, filtered with SearchFilters.accepts: the real
    embedder's order, without an index (where the dialogue is under test over real meaning)."""

    def __init__(self, embedder: Any, mentors: Sequence[Any]) -> None:
        self.embedder = embedder
        self.mentors = list(mentors)
        self.vectors = embedder.encode([m.search_text() for m in self.mentors])
        self.calls: list[tuple[str, Any, float]] = []

    def search(self, query: str, k: int = 5, filters: Any = None, *,
               diversity: float = 0.0) -> list[Any]:
        from finder.core.models import Match, MatchReasons

        self.calls.append((query, filters, diversity))
        sims = self.vectors @ self.embedder.encode_query(query)
        out = []
        for i in np.argsort(-sims):
            mentor = self.mentors[int(i)]
            if filters is None or filters.accepts(mentor):
                words = set(query.lower().split())
                skills = [s for s in mentor.skills if set(s.lower().split()) & words]
                out.append(Match(mentor=mentor, score=float(sims[i]),
                                 reasons=MatchReasons(matched_skills=skills,
                                                      signals=["semantic"])))
            if len(out) == k:
                break
        return out


def first_results(search: Any, message: str) -> tuple[Any, Any]:
    """A new conversation over ``search``, ``message`` sent and a question it asks skipped:
    the conversation and its reply with mentors (for the mentee-side text tests)."""
    from finder.dialogue.conversation import Conversation

    chat = Conversation(search)
    reply = chat.send(message)
    if reply.kind == "question":
        reply = chat.send("skip")
    assert reply.matches, reply.text
    return chat, reply
