"""Pick a few short skill phrases out of an ESCO occupation description, by plain rules.

No model, no randomness: "Technical directors coordinate the operations of various production
units, such as scene, wardrobe, ..." gives "coordinate operations", "scene", "wardrobe". The
verbs are learnt from the corpus itself: a word that opens what an occupation does
("<Title>s <verb> ...", "They <verb> ...") in several descriptions is taken as a verb.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_SENTENCE = re.compile(r"(?<=[.;])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_DUTY = re.compile(
    r"^(?:are|is)\s+(?:also\s+)?(?:in charge of|responsible for)\s+(.+)$", re.IGNORECASE
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SUBJECT_FILLERS = _words(
    "they also may can will often usually typically generally must might should additionally "
    "furthermore mainly primarily mostly frequently sometimes further otherwise then"
)
DETERMINERS = _words(
    "the a an their these those its his her this that all any various different specific "
    "several some such other another each every own"
)
STOP_WORDS = _words(
    "of for in on at to by with within from into according regarding such including that which "
    "who whom whose so as using through under over across during between while when where via "
    "about against after before upon among throughout like based and or but is are be being "
    "was were if than both either whether following related"
)
PARTICLES = frozenset({"up", "out", "down", "off"})
NOT_VERBS = frozenset({"are", "is", "have", "has", "be", "work", "act", "do", "make"})
PRONOUNS = _words("them it this they themselves him her one")
_END = (",", ".", ";", ":")

MAX_OBJECT_WORDS = 4
MAX_VERB_PHRASES = 4
MIN_SKILLS = 3
MAX_SKILLS = 6


def _title_words(title: str) -> set[str]:
    words = set()
    for word in _WORD.findall(title.lower()):
        words.update({word, word + "s", word + "es", word[:-1] + "ies", word[:-1] + "ves",
                      word[:-2] + "ves", word[:-2] + "men", word[:-3] + "men"})
    return words


def _predicate(sentence: str, title: str, verbs: frozenset[str] = frozenset()) -> str | None:
    """The part of a sentence after its subject ("Chefs", "They also"), or None if unclear."""
    words = sentence.split()
    known = _title_words(title)
    index = 0
    while index < len(words) and words[index].lower().strip(",") in known:
        index += 1
    if index == 0 and words and words[0].lower() != "they":
        # A subject the title does not name ("Sprinkler system installers test ..."): accept a
        # plural noun within the first words that is followed by a known verb.
        for position in range(1, min(len(words), 8)):
            word = words[position].lower()
            if word in SUBJECT_FILLERS:
                continue
            if (word in verbs or word in {"are", "is"}) and words[position - 1].endswith("s"):
                index = position
            break_here = word in verbs or word in {"are", "is"} or not words[position].isalpha()
            if break_here:
                break
        if index == 0:
            return None
    while index < len(words) and words[index].lower() in SUBJECT_FILLERS:
        index += 1
    return " ".join(words[index:]) or None


def _looks_like_verb(word: str) -> bool:
    return (
        word.isalpha() and word not in NOT_VERBS and word not in STOP_WORDS
        and word not in DETERMINERS and not word.endswith(("ly", "ing", "tion", "ment"))
    )


def learn_verbs(descriptions: Iterable[tuple[str, str]], min_count: int = 3) -> frozenset[str]:
    """Words that open the predicate of at least ``min_count`` (title, description) pairs."""
    counts: Counter[str] = Counter()
    for title, text in descriptions:
        for sentence in _SENTENCE.split(" ".join(text.split())):
            predicate = _predicate(sentence, title)
            if predicate:
                first = predicate.split()[0].lower().strip(",.")
                if _looks_like_verb(first):
                    counts[first] += 1
    return frozenset(word for word, count in counts.items() if count >= min_count)


def _split_clauses(predicate: str, verbs: frozenset[str]) -> list[str]:
    """Split "design, maintain and operate systems" where a new verb starts a clause."""
    words = predicate.split()
    clauses: list[list[str]] = [[]]
    for index, word in enumerate(words):
        lower = word.lower()
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if lower in {"and", "or"} and following in verbs and clauses[-1]:
            clauses.append([])
            continue
        if clauses[-1] and clauses[-1][-1].endswith(",") and lower in verbs:
            clauses.append([])
        clauses[-1].append(word)
    return [" ".join(words).strip(" ,") for words in clauses if words]


def _object_words(words: list[str]) -> list[str]:
    """The noun phrase at the start of ``words``, without articles, at most a few words."""
    objects: list[str] = []
    truncated = False
    for position, raw in enumerate(words):
        word = raw.strip("()").rstrip(",.;:")
        lower = word.lower()
        following = words[position + 1].lower().strip("(),.;:") if position + 1 < len(words) else ""
        joins = lower in {"of", "and"} and objects and following and following not in STOP_WORDS
        if (lower in STOP_WORDS and not joins) or not _WORD.fullmatch(word):
            break
        if objects and lower in DETERMINERS and objects[-1] not in {"of", "and"}:
            break  # "the materials the teacher needs": a second article opens a new clause
        if objects and lower.endswith(("ed", "ing")) and (
            not following or following in STOP_WORDS or following in DETERMINERS
        ):
            break  # "revenue generated from ...": a participle opens a new clause
        if len(objects) == MAX_OBJECT_WORDS:
            truncated = True
            break
        if lower not in DETERMINERS:
            objects.append(word if word.isupper() and len(word) > 1 else lower)
        if raw.endswith(_END):
            break
    if truncated:
        for joint in ("of", "and"):
            if joint in objects:
                objects = objects[: objects.index(joint)]
                break
    while objects and objects[-1] in {"of", "and"}:
        objects.pop()
    if not objects or objects[0] in PRONOUNS or all(o.endswith("ly") for o in objects):
        return []
    if objects[-1].endswith(("al", "ive")) and len(objects) == 1:
        return []  # a lone adjective: "provide instructional ..."
    return objects


def _verb_phrase(clause: str, verbs: frozenset[str]) -> str | None:
    """"coordinate the operations of various production units, such as ..." -> a short phrase."""
    words = clause.split()
    if not words or words[0].lower() not in verbs:
        return None
    phrase = [words[0].lower()]
    index = 1
    while index < len(words) and words[index].lower() in PARTICLES:
        phrase.append(words[index].lower())
        index += 1
    objects = _object_words(words[index:])
    return " ".join(phrase + objects) if objects else None


def _duty_phrase(predicate: str) -> str | None:
    """"are in charge of managing employees ..." -> "managing employees"."""
    match = _DUTY.match(predicate)
    if not match:
        return None
    words = match.group(1).split()
    if words and words[0].lower().endswith("ing") and not words[0].endswith(_END):
        objects = _object_words(words[1:])
        return " ".join([words[0].lower(), *objects]) if objects else None
    objects = _object_words(words)
    return " ".join(objects) if objects else None


def _examples(text: str, verbs: frozenset[str]) -> list[str]:
    """Short items listed after "such as" or "including", up to the end of the listing."""
    items: list[str] = []
    for match in re.finditer(r"\b(?:such as|including)\s+([^.;:()]+)", text):
        for part in re.split(r",\s*|\s+and\s+|\s+or\s+", match.group(1)):
            words = [w for w in part.split() if w.lower() not in DETERMINERS]
            if not 1 <= len(words) <= 3 or words[0].lower() in verbs or not all(
                _WORD.fullmatch(w) and w.lower() not in STOP_WORDS for w in words
            ) or (len(words) == 1 and words[0].lower().endswith(("al", "ive", "ic", "ous"))):
                break  # a list of adjectives ("the chemical, technical and ... sector")
            items.append(" ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words))
    return items


def skill_phrases(title: str, text: str, group_label: str, verbs: frozenset[str]) -> list[str]:
    """Three to six short skill phrases for one occupation, in the order they were found."""
    text = " ".join(text.split())
    found: list[str] = []
    for sentence in _SENTENCE.split(text):
        predicate = _predicate(sentence, title, verbs)
        if not predicate:
            continue
        duty = _duty_phrase(predicate)
        phrases = [duty] if duty else [
            _verb_phrase(clause, verbs) for clause in _split_clauses(predicate, verbs)]
        found += [p for p in phrases if p][: max(0, MAX_VERB_PHRASES - len(found))]
    found += _examples(text, verbs)
    # Too little to pick from: fall back on the occupation itself, which a mentor in it can
    # always talk about.
    for filler in (group_label, title, f"{title} career advice"):
        if len({f.lower() for f in found}) >= MIN_SKILLS:
            break
        found.append(filler.lower())
    skills: list[str] = []
    for phrase in found:
        if phrase.lower() not in {s.lower() for s in skills}:
            skills.append(phrase)
    return skills[:MAX_SKILLS]
