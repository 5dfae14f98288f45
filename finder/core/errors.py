"""Every error mentor-finder raises on purpose, in one tree.

    MentorFinderError                 base: catch this to catch them all
    ├── ConfigError                   a setting or environment variable is wrong
    │   └── BackendUnavailable        a chat-model backend lacks its extra or its key
    ├── ChatModelFailed               one chat-model call failed; the dialogue answers offline
    ├── RecordError (ValueError)      one mentor record is invalid (where + field + reason)
    ├── QueryError (ValueError)       a search query or filter can't be used as given
    ├── IngestError                   a source can't be read at all, or --strict found errors
    ├── StoreError                    the vector store (Chroma) failed or is unreachable
    ├── ModelError                    the embedding model could not be loaded or run
    └── MentorNotFound (KeyError)     an id that is not in the index

Library errors from chromadb, sentence-transformers or langchain are translated at the boundary
(``raise StoreError(...) from exc``) so that callers see one tree and one kind of message: what
was wrong, where, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from finder.core.models import RecordProblem


class MentorFinderError(Exception):
    """Base class of every error mentor-finder raises on purpose."""


class ConfigError(MentorFinderError):
    """A setting or environment variable is missing or wrong."""


class BackendUnavailable(ConfigError):
    """A chat-model backend can't be used: its pip extra or its API key is missing."""


class ChatModelFailed(MentorFinderError):
    """One call to the chat model failed; the caller answers offline instead."""


class RecordError(MentorFinderError, ValueError):
    """One mentor record is invalid."""

    def __init__(self, problem: RecordProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class QueryError(MentorFinderError, ValueError):
    """A search query or filter can't be used as given."""


class IngestError(MentorFinderError):
    """A source can't be ingested: unreadable, empty, or rejected whole by ``strict``."""

    def __init__(self, message: str, problems: Sequence[RecordProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class StoreError(MentorFinderError):
    """The vector store failed or can't be reached."""


class ModelError(MentorFinderError):
    """The embedding model could not be loaded or run."""


class MentorNotFound(MentorFinderError, KeyError):
    """No mentor with this id is in the index."""

    def __str__(self) -> str:  # KeyError would print the repr of the args
        return str(self.args[0]) if self.args else "mentor not found"
