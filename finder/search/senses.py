"""Words read in the sense the rest of the ask gives them (``senses.yaml``).

"Our Airflow pipelines keep failing" and "I maintain oil pipelines" share a word and nothing
else; searched as it is, the first reaches pipeline route managers. A word listed in
``senses.yaml`` is searched as the reading of the first sense whose cue words are in the ask,
and left as it is when none is.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from finder.core.wordfile import WordFile, WordSet, load_word_file

_TOKEN = re.compile(r"[a-z0-9][a-z0-9/+#.-]*[a-z0-9+#]|[a-z0-9]")


class Sense(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cues: WordSet = Field(min_length=1)
    reads: str = Field(min_length=1)


class SensesFile(WordFile):
    words: dict[str, list[Sense]]


class Senses:
    """Each listed word, compiled as a whole word, with its senses in order."""

    def __init__(self, data: SensesFile) -> None:
        self.words: list[tuple[re.Pattern[str], tuple[Sense, ...]]] = [
            (re.compile(rf"\b(?:{word})\b", re.IGNORECASE), tuple(senses))
            for word, senses in data.words.items()]

    def read(self, query: str) -> str:
        """``query`` with each listed word replaced by the reading of the first sense whose
        cues are among the query's words; the query itself when no word or no cue is."""
        tokens: set[str] | None = None
        for pattern, senses in self.words:
            if not pattern.search(query):
                continue
            if tokens is None:
                tokens = set(_TOKEN.findall(query.lower()))
            for sense in senses:
                if sense.cues & tokens:
                    query = pattern.sub(sense.reads, query)
                    break
        return query


@cache
def bundled_senses() -> Senses:
    """The shipped ``finder/search/senses.yaml``, read and validated once per process."""
    return Senses(load_word_file("finder.search", "senses.yaml", SensesFile))

