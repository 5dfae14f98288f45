"""The mentee's own words: markup out, sentences kept whole, logistics and greetings set apart.

What gets searched is everything the mentee said about the goal, with only the logistics
(format, length, language, place, urgency), greetings, politeness and markup taken out. What gets
shown is a sentence the mentee wrote, whole, or nothing: never a remainder cut by a rule.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from finder.dialogue.lexicon.sentence_rules import load_sentence_rules

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>|<!--.*?-->", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`+|~~)|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|^\s*(?:#{1,6}|>|"
                       r"[-*+]|\d{1,2}[.)])\s+", re.MULTILINE)
_TEMPLATE = re.compile(r"\{\{|\}\}|\$\{[^}]*\}")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”')\]]?\s+|\s*\n+\s*")
_WORD = re.compile(r"[^\W\d_][\w'’+#-]*")
# Greetings, closings, clause breaks: words as data, in finder/dialogue/lexicon/sentences.yaml.
_RULES = load_sentence_rules()


def strip_markup(text: str) -> str:
    """``text`` without HTML tags, entities, Markdown marks or template braces."""
    text = _SCRIPT.sub(" ", str(text))
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # tags that were escaped once: "&lt;b&gt;"
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub(" ", text)
    text = _TEMPLATE.sub(" ", text)
    text = text.replace("<", " ").replace(">", " ")
    return text


def clean(text: str) -> str:
    """A message as the understanding reads it: markup out, whitespace collapsed."""
    return " ".join(strip_markup(text).split())


def sentences(text: str) -> list[str]:
    """The sentences of a (cleaned) message, each whole."""
    parts = _SENTENCE.split(strip_markup(text))
    return [" ".join(p.split()) for p in parts if p and p.strip(" .!?,;:-")]


def without_greeting(sentence: str) -> str:
    """A sentence without a leading greeting or a closing 'thanks': still a whole sentence."""
    rest = _RULES.greeting.sub("", sentence).strip()
    rest = _RULES.closing.sub("", rest).strip()
    if not rest or not _WORD.search(rest):
        return ""
    if rest[0].islower() and (rest != sentence.strip()):
        rest = rest[0].upper() + rest[1:]
    if rest[-1] not in ".?!" and sentence.rstrip()[-1:] in (".", "?", "!"):
        rest += sentence.rstrip()[-1]
    return rest


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given character spans replaced by spaces, whitespace collapsed."""
    keep = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(keep), end)):
            keep[i] = " "
    return " ".join("".join(keep).split())


_CONTRACTIONS = "|".join(_RULES.apostrophes)
_CONTRACTION = re.compile(rf"\b(?:{_CONTRACTIONS})\b", re.IGNORECASE)
_AFTER = "|".join(_RULES.apostrophes_after_pronoun)
_AFTER_PRONOUN = re.compile(rf"\b(i|we|you|they|he|she|it) ({_AFTER})\b", re.IGNORECASE)


def _written_in(sentence: str) -> str:
    """``sentence`` with the apostrophes of "Im", "dont", "I cant" written in; "IM", typed in
    capitals, and "the cant of it" stay as they are."""
    def contraction(found: re.Match[str]) -> str:
        typed = found.group(0)
        if not (typed.islower() or typed.istitle()):
            return typed  # "IM me on Slack"
        full = _RULES.apostrophes[typed.lower()]
        return full if full.startswith("I'") or typed.islower() else full[0].upper() + full[1:]

    def after_pronoun(found: re.Match[str]) -> str:
        return f"{found.group(1)} {_RULES.apostrophes_after_pronoun[found.group(2).lower()]}"

    return _AFTER_PRONOUN.sub(after_pronoun, _CONTRACTION.sub(contraction, sentence))


def as_shown(sentence: str) -> str:
    """A mentee sentence ready to quote: capitalised, "i" written "I", ending in punctuation
    (a "?" when the last sentence opens as a question: "how do I bring it up")."""
    sentence = " ".join(sentence.split()).strip(" ,;:-")
    if not sentence:
        return ""
    sentence = _written_in(sentence)
    sentence = _RULES.lower_i.sub("I", sentence[0].upper() + sentence[1:])
    if sentence[-1] not in ".?!":
        last = _SENTENCE.split(sentence)[-1]
        # ... or its last clause does: "our notebooks are unusable, what should we adopt"
        clause = re.split(r"[,;]\s*", last)[-1]
        asks = _RULES.question_opening.match(last) or _RULES.question_opening.match(clause)
        sentence += "?" if asks else "."
    return sentence


def quoted(sentence: str) -> str:
    """'"How should I ask my manager for a raise?"' for a text the assistant shows."""
    return f"\u201c{as_shown(sentence)}\u201d" if sentence.strip() else ""


def without_logistics_clauses(sentence: str, spans: list[tuple[int, int]],
                              says_more: Callable[[str], bool]) -> str:
    """``sentence`` without the clauses that only say how, when or where to meet.

    A clause is dropped when it holds one of the logistics ``spans`` and, with those spans and
    any reason given for them ("since I am in Manila") taken out, ``says_more`` finds nothing
    about the goal in it. The clauses that stay keep their own words and the punctuation
    between them, so what is left is still the mentee's sentence, minus an aside. A clause
    that mixes logistics with the goal is kept whole. '' when every clause is logistics.
    """
    if not spans:
        return sentence
    end_mark = sentence.rstrip()[-1:] if sentence.rstrip()[-1:] in ".?!" else ""
    body = sentence.rstrip()[:-1] if end_mark else sentence.rstrip()
    clauses: list[tuple[str, int, int]] = []  # (the break before it, start, end)
    position, before = 0, ""
    for found in _RULES.clause_break.finditer(body):
        if found.start() > position:
            clauses.append((before, position, found.start()))
            before = ""
        before += found.group(0)
        position = found.end()
    if position < len(body):
        clauses.append((before, position, len(body)))
    kept: list[tuple[str, str]] = []
    dropped, aside = False, None
    for brk, start, end in clauses:
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in spans
                  if a < end and b > start]
        text = body[start:end]
        if inside:
            rest = _RULES.reason.sub("", blank(text, inside))
            if not says_more(rest):
                dropped, aside = True, brk
                continue
        if kept and aside is not None and aside.strip() == brk.strip() == ",":
            brk = " "  # ", ideally by video," was an aside: its commas go with it
        aside = None
        kept.append((brk, text))
    if not dropped:
        return sentence
    if not kept:
        return ""
    out = kept[0][1]
    for brk, text in kept[1:]:
        mark = brk.strip(" ()")
        out += f"{mark} " if mark in (",", ";") else f" {mark} " if mark else " "
        out += text
    out = out.strip(" ,;:-–—")
    if not out:
        return ""
    return as_shown(out[0].upper() + out[1:] + end_mark if end_mark else out)
