"""Which language a message is written in, with lingua-language-detector.

lingua is built for short text; even so, a two-word English ask full of product names can look
like anything, so a language other than English is named only when lingua is confident.
"""

from __future__ import annotations

from typing import Any

from finder.core.goal import LANGUAGE_NAMES

MIN_CONFIDENCE = 0.5


class LanguageReader:
    """Detects the language of a message among those the mentors may speak; built once."""

    def __init__(self, min_confidence: float = MIN_CONFIDENCE) -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = []
        for code in LANGUAGE_NAMES:
            iso = getattr(IsoCode639_1, code.upper(), None)
            if iso is None:
                continue
            try:
                languages.append(Language.from_iso_code_639_1(iso))
            except ValueError:
                continue
        self._detector: Any = LanguageDetectorBuilder.from_languages(*languages).build()
        self.min_confidence = min_confidence

    def detect(self, text: str) -> str | None:
        """The ISO 639-1 code of ``text``'s language; None when too short or unsure."""
        words = [w for w in text.split() if any(c.isalpha() for c in w)]
        if not words:
            return None
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None
        best, second = values[0], values[1].value if len(values) > 1 else 0.0
        code = best.language.iso_code_639_1.name.lower()
        if code == "en":
            return "en"
        # Another language only when lingua is sure: a single word only when nearly certain
        # ("Gehaltserhöhung"), two words ("Kubernetes migration") when clearly ahead, three or
        # more when well ahead of the runner-up.
        if best.value >= 0.9 or (len(words) >= 2 and best.value >= self.min_confidence):
            return code
        if len(words) >= 3 and best.value >= 0.2 and best.value >= 1.6 * second:
            return code
        return None
