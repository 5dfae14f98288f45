"""From a problem to the expertise that solves it.

Asks that name a situation ("ask my manager for a raise") share few words with the profiles of
the people who can help (HR, compensation, career coaching). ``data/expertise_bridge.json`` is
a versioned list of common micro-mentoring asks, each with a few plain phrasings a mentee might
write and the expertise that helps. A query is compared with every phrasing, as a whole and
sentence by sentence (a long message dilutes its one situation); an entry's score is its best
phrasing's cosine. When the best entry is close enough, and clearly closer than any entry that
needs other expertise, the query is moved towards that entry's expertise before searching.

Some asks are the same in every trade but are best answered by someone in the mentee's own
("how should I set my rates", "I'm burning out", "where do I find clients"). An entry marked
``in_trade`` that fires on a message in which the mentee says what they do ("I translate from
German into English", "I run a small bakery"; the file's ``own_work`` patterns) moves the query
towards that expertise *and* the mentee's own work, and searches both by keyword.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from finder.core.resources import bundled_file

BRIDGE_FILE = "expertise_bridge.json"
# Two entries whose expertise vectors are at least this close ask for the same help: being
# close to both is no ambiguity, so the margin is measured against the best entry below it.
SAME_HELP = 0.8
MIN_CLAUSE_WORDS = 4  # a shorter sentence ("Thanks!", "Any advice?") names no situation
MAX_CLAUSES = 8  # sentences of one message compared one by one (the message itself always)
LONG_SENTENCE = 16  # words from which a sentence is also compared clause by clause
CLAUSE_DISCOUNT = 0.05  # a sentence's cosine counts this much less than the message's
COUNTERPART = "someone"  # what a person the mentee deals with is searched as (see counterparts)
TRADE_WEIGHT = 1.0  # the mentee's own work, against the expertise, for an in-trade ask

# Where the thing a mentee's verb works on ends ("I teach yoga | in a rented room"), and the
# words before it that are not part of it ("I teach the violin").
_OBJECT_ENDS = frozenset(
    "in at on to for from with by of out into onto about after before during and or but as "
    "online from who which that when while because so mostly mainly full part since".split())
_DETERMINERS = frozenset("the a an my our their some".split())
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
# Where "I'm a <role>" goes on to what they are doing or thinking of ("... thinking of
# leaving", "... trying to choose", "... who wants to").
_AFTER_ROLE = re.compile(r"\s+(?=(?:thinking|planning|looking|hoping|trying|wanting|wondering|"
                         r"considering|deciding|who|that|because|so)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Bridge:
    """The asks, their phrasings and their expertise, as texts; vectors come from the
    embedder in use."""

    version: int
    asks: tuple[str, ...]
    expertise: tuple[str, ...]
    examples: tuple[tuple[str, ...], ...] = ()  # per ask: plain phrasings of it
    in_trade: tuple[bool, ...] = ()  # per ask: best answered by someone in the mentee's trade
    any_field: tuple[bool, ...] = ()  # per ask: the same help whatever the mentee's field
    own_work: str = ""  # a pattern for a sentence in which the mentee says what they do
    trade_nouns: tuple[tuple[str, str], ...] = ()  # "illustrate" -> "illustrator"
    clause_breaks: str = ""  # where a long sentence is cut into clauses (see ``clauses``)
    counterparts: str = ""  # a pattern for the people the mentee deals with ("my supervisor")

    @classmethod
    def load(cls, path: Path) -> Bridge:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["entries"]
        patterns = {}
        for key in ("own_work", "clause_breaks", "counterparts"):
            pattern = data.get(key, "")
            patterns[key] = "".join(pattern) if isinstance(pattern, list) else pattern
            try:
                re.compile(patterns[key], re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{path}: key '{key}' does not compile: {exc}") from exc
        for number, entry in enumerate(entries):
            for key in ("in_trade", "any_field"):
                if not isinstance(entry.get(key, False), bool):
                    raise ValueError(f"{path}: key 'entries.{number}.{key}' must be true or false")
        return cls(int(data["version"]), tuple(e["ask"] for e in entries),
                   tuple(e["expertise"] for e in entries),
                   tuple(tuple(e.get("examples", ())) for e in entries),
                   tuple(bool(e.get("in_trade", False)) for e in entries),
                   tuple(bool(e.get("any_field", False)) for e in entries), patterns["own_work"],
                   tuple((str(k).lower(), str(v)) for k, v in data.get("trade_nouns", {}).items()),
                   patterns["clause_breaks"], patterns["counterparts"])

    @classmethod
    def bundled(cls) -> Bridge:
        return cls.load(bundled_file("data", BRIDGE_FILE))

    @cached_property
    def key(self) -> str:
        return f"expertise-bridge-v{self.version}"

    @cached_property
    def phrasings(self) -> tuple[str, ...]:
        """Every text an entry is matched by: its ask, then its examples."""
        return tuple(text for i, ask in enumerate(self.asks)
                     for text in (ask, *self._examples(i)))

    @cached_property
    def owners(self) -> np.ndarray:
        """The entry each of ``phrasings`` belongs to."""
        return np.array([i for i in range(len(self.asks)) for _ in (0, *self._examples(i))],
                        dtype=np.int64)

    def _examples(self, entry: int) -> tuple[str, ...]:
        return self.examples[entry] if entry < len(self.examples) else ()

    @cached_property
    def _own_work(self) -> re.Pattern[str] | None:
        return re.compile(self.own_work, re.IGNORECASE) if self.own_work else None

    @cached_property
    def _trade_nouns(self) -> dict[str, str]:
        return dict(self.trade_nouns)

    @cached_property
    def breaks(self) -> re.Pattern[str] | None:
        """Where a long sentence is cut into clauses; ``None`` when the file names none."""
        return re.compile(self.clause_breaks, re.IGNORECASE) if self.clause_breaks else None

    @cached_property
    def _counterparts(self) -> re.Pattern[str] | None:
        return re.compile(self.counterparts, re.IGNORECASE) if self.counterparts else None

    def without_counterparts(self, message: str) -> str:
        """``message`` with the people the mentee deals with ("my supervisor", "the lead of
        the other team", "a student of mine") said as "someone": once a situation is known,
        their job titles are not the expertise the ask needs. The message itself when it
        names none."""
        if self._counterparts is None:
            return message
        return " ".join(self._counterparts.sub(COUNTERPART, message).split())

    def _work_said(self, message: str) -> str:
        """The words of the first sentence in which the mentee says what they do ("I teach
        yoga in a rented room"), as written; "" when none does."""
        if self._own_work is None:
            return ""
        for sentence in _SENTENCE_END.split(message.strip()):
            if found := self._own_work.match(sentence.strip()):
                return found.group(0)
        return ""

    def trade_of(self, message: str) -> str:
        """What the mentee says they do, in their own words ("I translate from German and
        French into English"), from the first sentence that says it; "" when none does."""
        if not (said := self._work_said(message)):
            return ""
        clause = said.strip(" ,;:-")
        words = re.findall(r"[a-z][a-z'’-]*", clause.lower())
        at = next((i for i, w in enumerate(words[:4]) if w in self._trade_nouns), None)
        if at is None:
            # "I'm a physiotherapist thinking of leaving the hospital": what they are, not
            # what they are thinking of (the hospital found its porters).
            return _AFTER_ROLE.split(clause, maxsplit=1)[0].strip(" ,;:-")
        # "I illustrate children's books" is the work of an illustrator, "I teach yoga in a
        # rented room" that of a yoga teacher (not of any teacher).
        what = []
        for word in words[at + 1:]:
            if word in _OBJECT_ENDS or len(what) == 2:
                break
            if word not in _DETERMINERS:
                what.append(word)
        return f"{' '.join([*what, self._trade_nouns[words[at]]])}: {clause}"

    def without_trade(self, message: str) -> str:
        """``message`` without the clause in which the mentee says what they do ("I clean
        houses on my own and | I've got more work than I can handle"): what is left names the
        situation, which the trade's words outweigh when the message is compared whole. ""
        when no sentence says what they do, or too little is left."""
        if not (said := self._work_said(message)):
            return ""
        rest = message.replace(said.strip(), " ", 1)
        rest = " ".join(rest.strip(" ,;:-").lstrip(".!? ").split())
        rest = re.sub(r"^(?:and|so|but)\s+", "", rest, flags=re.IGNORECASE)
        return rest if names_a_situation(rest) and rest != message else ""

    def needs_trade(self, hits: tuple[int, ...]) -> bool:
        """Whether any of these entries is best answered within the mentee's own trade."""
        return any(h < len(self.in_trade) and self.in_trade[h] for h in hits)

    def field_free(self, hits: tuple[int, ...]) -> bool:
        """Whether all these entries need the same help in any field (a raise, a boundary with
        a boss, a clash with a peer): the ask's own nouns then name the people and things of
        the situation, not the expertise."""
        return bool(hits) and all(h < len(self.any_field) and self.any_field[h] for h in hits)


def names_a_situation(message: str) -> bool:
    """A query of fewer than ``MIN_CLAUSE_WORDS`` words names a topic or a job ("systems
    programmer"), not a situation: the bridge leaves it alone."""
    return len(message.split()) >= MIN_CLAUSE_WORDS


def clauses(message: str, breaks: re.Pattern[str] | None = None) -> list[str]:
    """The sentences of a message worth comparing one by one: none when it is one sentence
    (the message itself is compared anyway), else those of at least ``MIN_CLAUSE_WORDS``.

    With ``breaks``, a sentence of ``LONG_SENTENCE`` words or more is also cut into its
    clauses there: "I run the front desk of a hotel and have to present our numbers to the
    owners, and what scares me most is forgetting everything" names its fear at the end."""
    sentences = [p.strip() for p in _SENTENCE_END.split(message.strip()) if p.strip()]
    parts = sentences if len(sentences) >= 2 else []
    if breaks is not None:
        for sentence in sentences:
            if len(sentence.split()) >= LONG_SENTENCE:
                pieces = [p.strip() for p in breaks.split(sentence) if p and p.strip()]
                if len(pieces) >= 2:
                    parts += pieces
    kept = [p for p in parts if len(p.split()) >= MIN_CLAUSE_WORDS]
    return list(dict.fromkeys(kept))[:MAX_CLAUSES]


def entry_scores(units: np.ndarray, phrasings: np.ndarray, owners: np.ndarray,
                 entries: int, clause_discount: float = CLAUSE_DISCOUNT) -> np.ndarray:
    """Per entry, the best cosine between any query unit and any of the entry's phrasings.

    ``units`` are rows: the whole message first, then its sentences, whose cosines count
    ``clause_discount`` less (a short sentence is easily close to a phrasing by chance)."""
    sims = np.atleast_2d(units) @ phrasings.T
    sims[1:] -= clause_discount
    best_per_phrasing = sims.max(axis=0)
    scores = np.full(entries, -1.0, dtype=np.float64)
    np.maximum.at(scores, owners, best_per_phrasing)
    return scores


def choose(scores: np.ndarray, expertise: np.ndarray, threshold: float,
           margin: float) -> int | None:
    """The entry to bridge to: the best, if its score is at least ``threshold`` and beats by
    ``margin`` every entry that needs other help (expertise cosine below ``SAME_HELP``)."""
    if not len(scores):
        return None
    best = int(np.argmax(scores))
    if scores[best] < threshold:
        return None
    rivals = (expertise @ expertise[best]) < SAME_HELP
    if margin > 0 and rivals.any() and scores[best] - scores[rivals].max() < margin:
        return None
    return best


def move(query: np.ndarray, towards: np.ndarray, weight: float) -> np.ndarray:
    """The query vector moved ``weight`` of the way towards ``towards``, unit length."""
    moved = query + weight * towards
    return (moved / np.linalg.norm(moved)).astype(np.float32)


def expand(query: np.ndarray, units: np.ndarray, phrasings: np.ndarray, owners: np.ndarray,
           expertise: np.ndarray, weight: float, threshold: float,
           margin: float = 0.0) -> tuple[np.ndarray, int | None]:
    """The query vector moved towards the expertise of the entry its units match (see
    ``choose``), or the query as it is; and which entry."""
    if weight <= 0 or not len(expertise):
        return query, None
    scores = entry_scores(units, phrasings, owners, len(expertise))
    hit = choose(scores, expertise, threshold, margin)
    if hit is None:
        return query, None
    return move(query, expertise[hit], weight), hit


def choose_both(scores: np.ndarray, expertise: np.ndarray, threshold: float,
                margin: float) -> tuple[int, ...]:
    """Like ``choose``, but when the best entry fails only the margin, against a rival that
    also reaches ``threshold`` (an ask that is two situations at once: "hire our first
    salesperson" is hiring and sales), both entries; else the one chosen, or none."""
    one = choose(scores, expertise, threshold, margin)
    if one is not None:
        return (one,)
    if not len(scores):
        return ()
    best = int(np.argmax(scores))
    if scores[best] < threshold:
        return ()
    rivals = np.flatnonzero((expertise @ expertise[best]) < SAME_HELP)
    second = int(rivals[np.argmax(scores[rivals])])
    return (best, second) if scores[second] >= threshold else ()


def towards(helps: np.ndarray, trade: np.ndarray | None = None,
            trade_weight: float = TRADE_WEIGHT) -> np.ndarray:
    """Where a query is moved: the mean of the chosen entries' expertise, and, for an ask
    best answered within the mentee's own trade, their own work too (``trade_weight`` of it),
    unit length."""
    target = np.atleast_2d(helps).mean(axis=0)
    target = target / np.linalg.norm(target)
    if trade is not None and trade_weight > 0:
        target = target + trade_weight * trade
        target = target / np.linalg.norm(target)
    return target
