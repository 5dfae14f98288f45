"""The composition root: settings → embedder → MentorFinder → assistant, built in one place.

Entry points (the CLI, the web app, the eval tools) call these and pass the parts down; nothing
below reads the environment or keeps a module-level cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finder.assistants.chat_model import make_assistant
from finder.core.settings import Settings
from finder.dialogue.assistant import Assistant
from finder.programme.service import Programme
from finder.search.embedding import Embedder, MiniLMEmbedder
from finder.search.service import MentorFinder


@dataclass
class Services:
    """What an entry point runs on."""

    settings: Settings
    embedder: Embedder
    finder: MentorFinder
    assistant: Assistant
    programme: Programme


def open_finder(settings: Settings, embedder: Embedder | None = None) -> MentorFinder:
    """The index the settings point at (embedded on disk, or on a Chroma server)."""
    return MentorFinder.open(settings.home, index=settings.index,
                             chroma_url=settings.chroma_url,
                             embedder=embedder or MiniLMEmbedder())


def open_programme(settings: Settings, finder: MentorFinder) -> Programme:
    """The requests database beside the index (or at MENTOR_FINDER_DB_URL), migrated."""
    return Programme.open(finder, index=settings.index, db_url=settings.db_url,
                          home=settings.home, max_open=settings.max_open_requests,
                          reply_days=settings.reply_days)


def connect(path: str | Path | None = None, *, index: str = "default",
            chroma_url: str | None = None, db_url: str | None = None,
            embedder: Embedder | None = None, max_open: int = 5, reply_days: int = 7,
            fairness: float = 0.0) -> Programme:
    """A mentor index with its requests database, for the Python API (``finder.connect``).

    The result searches like ``MentorFinder`` (mentors with room first) and adds
    ``.requests`` (``record``, ``accept`` ...), ``match_cohort`` and ``loads``; the index itself
    is ``.finder``. ``MentorFinder`` can't hold the requests: search sits below programme in
    the layers, so the two are joined here, at the composition root.
    """
    finder = MentorFinder.open(path, index=index, chroma_url=chroma_url, embedder=embedder)
    return Programme.open(finder, index=index, db_url=db_url, max_open=max_open,
                          reply_days=reply_days, fairness=fairness)


def build(settings: Settings, embedder: Embedder | None = None) -> Services:
    """Everything the chat needs; a bad chat-model setting fails here, before any seeding."""
    embedder = embedder or MiniLMEmbedder()
    assistant = make_assistant(settings.llm, embedder)
    finder = open_finder(settings, embedder)
    return Services(settings, embedder, finder, assistant, open_programme(settings, finder))
