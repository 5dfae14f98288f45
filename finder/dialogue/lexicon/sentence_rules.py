"""How a sentence is taken apart (``sentences.yaml``): greetings, closings, clause breaks."""

from __future__ import annotations

from finder.core.wordfile import Regex, WordFile, load_word_file


class SentenceRules(WordFile):
    """Everything in ``sentences.yaml``; each field is named as in the file."""

    greeting: Regex
    closing: Regex
    clause_break: Regex
    reason: Regex
    question_opening: Regex
    lower_i: Regex
    apostrophes: dict[str, str]
    apostrophes_after_pronoun: dict[str, str]


def load_sentence_rules() -> SentenceRules:
    """Read and validate ``sentences.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.dialogue.lexicon", "sentences.yaml", SentenceRules)
