"""A LangChain retriever over a mentor index: one ``Document`` per matching mentor."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, ValidationError, field_validator

from finder.core.errors import QueryError
from finder.core.models import Match, Mentor, SearchFilters


@runtime_checkable
class MentorSearcher(Protocol):
    """What the retriever needs from ``MentorFinder``."""

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               diversity: float = 0.0) -> list[Match]: ...


def profile_text(mentor: Mentor) -> str:
    """The profile as a model reads it: the name, then headline, bio, skills and industries."""
    return f"{mentor.name}\n{mentor.search_text()}"


def to_document(match: Match) -> Document:
    """A match as a LangChain ``Document``: the profile text, and the record, score and reasons
    (plain JSON values) as metadata."""
    return Document(
        id=match.mentor.id,
        page_content=profile_text(match.mentor),
        metadata={"id": match.mentor.id, "name": match.mentor.name,
                  "mentor": match.mentor.model_dump(mode="json"), "score": match.score,
                  "reasons": match.reasons.model_dump(mode="json"),
                  "why": match.reasons.summary()})


class MentorRetriever(BaseRetriever):
    """``MentorFinder.search`` as a LangChain retriever.

    ``k``, ``filters`` and ``diversity`` can also be given per call:
    ``retriever.invoke("pricing advice", k=3, filters={"formats": ["email"]})``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    finder: MentorSearcher = Field(exclude=True)
    k: int = Field(default=5, ge=1, le=100)
    filters: SearchFilters | None = None
    diversity: float = Field(default=0.3, ge=0.0, le=1.0)

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value: Any) -> Any:
        return SearchFilters.model_validate(value) if isinstance(value, dict) else value

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None,
                                filters: SearchFilters | dict[str, Any] | None = None,
                                diversity: float | None = None) -> list[Document]:
        try:
            chosen = self.filters if filters is None else SearchFilters.model_validate(filters)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise QueryError(f"filters.{'.'.join(str(p) for p in first['loc'])}: "
                             f"{first['msg'].removeprefix('Value error, ')}") from exc
        matches = self.finder.search(
            query, self.k if k is None else k, chosen,
            diversity=self.diversity if diversity is None else diversity)
        return [to_document(match) for match in matches]
