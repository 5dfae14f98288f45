"""Every error mentor-finder raises on purpose, in one tree.

    MentorFinderError                 base: catch this to catch them all
    ├── ConfigError                   a setting or environment variable is wrong
    │   └── BackendUnavailable        a chat-model backend lacks its extra or its key
    ├── ChatModelFailed               one chat-model call failed; the dialogue answers offline
    ├── RecordError (ValueError)      one mentor record is invalid (where + field + reason)
    ├── ArgumentError (ValueError)    a Python API argument has the wrong type or value
    │   └── QueryError                a search query or filter can't be used as given
    ├── IngestError                   a source can't be read at all, or --strict found errors
    ├── StoreError                    the vector store (Chroma) failed or is unreachable
    │   └── IndexBusy                 another process kept the index's writer lock too long
    ├── ModelError                    the embedding model could not be loaded or run
    ├── MentorNotFound (KeyError)     an id that is not in the index
    ├── DatabaseError                 the requests database failed or can't be reached
    ├── RequestError (ValueError)     a mentoring request can't be recorded or changed as asked
    │   ├── MentorFullyBooked         the mentor has no room left this week (next_opening)
    │   ├── TooManyOpenRequests       the mentee session already has its open requests
    │   └── TransitionNotAllowed      a status change the request's lifecycle doesn't allow
    ├── RequestNotFound (KeyError)    a request id that is not in this index's requests
    ├── CohortError (ValueError)      a cohort file or mentee list can't be matched as given
    └── WordFileError (ValueError)    a shipped word file (YAML patterns, word lists) is malformed

Library errors from chromadb, sentence-transformers, langchain or SQLAlchemy are translated at
the boundary (``raise StoreError(...) from exc``) so that callers see one tree and one kind of
message: what was wrong, where, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
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


class ArgumentError(MentorFinderError, ValueError):
    """An argument to the Python API has the wrong type or value; the message names it."""


class QueryError(ArgumentError):
    """A search query or filter can't be used as given."""


class IngestError(MentorFinderError):
    """A source can't be ingested: unreadable, empty, or rejected whole by ``strict``."""

    def __init__(self, message: str, problems: Sequence[RecordProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class StoreError(MentorFinderError):
    """The vector store failed or can't be reached."""


class IndexBusy(StoreError):
    """Another process held the index's writer lock for longer than we were willing to wait."""


class ModelError(MentorFinderError):
    """The embedding model could not be loaded or run."""


class MentorNotFound(MentorFinderError, KeyError):
    """No mentor with this id is in the index."""

    def __str__(self) -> str:  # KeyError would print the repr of the args
        return str(self.args[0]) if self.args else "mentor not found"


class DatabaseError(MentorFinderError):
    """The requests database failed or can't be reached."""


class RequestError(MentorFinderError, ValueError):
    """A mentoring request can't be recorded or changed as asked; nothing was changed."""


class MentorFullyBooked(RequestError):
    """The mentor has had ``max_requests_per_week`` requests in the last 7 days."""

    def __init__(self, message: str, next_opening: datetime | None = None) -> None:
        super().__init__(message)
        self.next_opening = next_opening


class TooManyOpenRequests(RequestError):
    """The mentee session already has the most open requests allowed."""


class TransitionNotAllowed(RequestError):
    """The request's status can't change this way (e.g. declined → accepted)."""


class RequestNotFound(MentorFinderError, KeyError):
    """No request with this id in this index."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "request not found"


class CohortError(MentorFinderError, ValueError):
    """A cohort file or mentee list can't be matched as given (where + what + fix)."""


class WordFileError(MentorFinderError, ValueError):
    """A word file that ships with the package (``finder/**/*.yaml``) is malformed: the message
    names the file, the key and what is wrong with it."""
