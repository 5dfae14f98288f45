"""Questions to bring to a session: patterns for common kinds of ask, filled with real words.

The kind of ask (negotiation, pricing, hiring, ...) is chosen by meaning: the challenge is
compared with a few example sentences per kind using the embedding model, with keywords as a
check and as the fallback when no model is at hand. A pattern is used only when every phrase
it needs exists in the goal or the mentor's profile, so no question states an invented fact.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import numpy as np

from finder.search.embedding import Embedder
from finder.core.goal import Goal
from finder.core.models import Match
from finder.outreach.phrasing import headline_role, skill_phrase

MIN_SIMILARITY = 0.38


@dataclass(frozen=True)
class Intent:
    """One kind of ask: example sentences, keywords, and question patterns for it."""

    name: str
    examples: tuple[str, ...]
    keywords: str
    lead: tuple[str, ...]
    patterns: tuple[str, ...]


# "a raise" is pay; "raise money / funds / a round" is funding; "raise my class prices" is
# pricing.
PAY_RAISE = (r"\braise\b(?!\s+(?:some\s+)?(?:money|funds|funding|capital|investment|series|"
             r"(?:a|an|our|the|another)\s+(?:[\w-]+\s+){0,2}(?:round|seed|series)|a seed|our|"
             r"(?:(?:my|the|their|its)\s+)?(?:[\w-]+\s+){0,2}(?:prices?|rates?|fees?)\b))")

INTENTS: tuple[Intent, ...] = (
    Intent("raise", ("ask my manager for a raise", "ask for a pay rise", "get a promotion and a "
                     "raise at my annual review", "make the case for a higher salary at work"),
           PAY_RAISE + r"|pay rise|promotion|higher salary|pay increase",
           ("{lead}, what makes a request for a raise convincing to you?",),
           ("What should I prepare before {doing}: market data, results I can show, or both?",
            "How would you open the conversation with my manager?",
            "What would you avoid saying when {doing}?",
            "What should I do if the answer is no, or not yet?")),
    Intent("promotion", ("get promoted to a senior role", "get promoted at work",
                         "make the case for a promotion", "move up to the next level"),
           r"promot|next level|\bsenior (?:role|position|engineer|developer|designer)",
           ("{lead}, what made the difference when you or someone you worked with got "
            "promoted?",),
           ("What does the next level look like in practice, and how would I show I'm already "
            "working at it?",
            "How would you open the conversation about a promotion with my manager?",
            "Which results should I collect before the conversation?",
            "What should I do if the answer is no, or not yet?")),
    Intent("salary", ("negotiate my salary for a new job offer", "ask for a raise",
                      "counter a job offer", "negotiate my first salary as a junior"),
           r"salar|" + PAY_RAISE + r"|pay rise|counter.?offer|job offer|compensation|\boffer\b",
           ("{lead}, what salary range would you expect for someone at my level, and how would I "
            "check it?",
            "{lead}, how do you usually respond when a candidate counters an offer?"),
           ("What should I prepare before {doing}: market data, results I can show, or both?",
            "[offer] How would you open the conversation about pay without risking the offer?",
            "What would you avoid saying when {doing}?",
            "[offer|package] Besides the salary, which parts of an offer are worth "
            "negotiating?",
            "What should I do if the answer is no, or not yet?")),
    Intent("pricing", ("price my product", "set my freelance rates", "what should I charge",
                       "price a job for a client", "quote for a renovation job"),
           r"pric|charg|\brates?\b|quote|fee",
           ("{lead}, which pricing mistakes do you see most often?",),
           ("How would you work out a first price: from costs, competitors or value?",
            "How could I check a price with a few real customers before committing to it?",
            "Which numbers should I know before {doing}?",
            "When and how would you raise a price once customers are used to it?")),
    Intent("hiring", ("hire my first employee", "recruit my first salesperson",
                      "hire an apprentice", "build my first team"),
           r"\bhir|recruit|apprentice|first employee|headcount",
           ("{lead}, what do you look for when hiring for a small team?",),
           ("How do I know it is the right time for {doing}?",
            "What should I have in place before {doing}: contract, budget, onboarding?",
            "[first] How would you structure the interview or trial period for a first hire?",
            "How would you structure the interview or trial period?",
            "Which early hiring mistakes would you help me avoid?")),
    Intent("switch", ("switch careers into a new field", "move into a different role",
                      "change industries", "become a nurse practitioner"),
           r"switch|career change|change careers|transition|move into|pivot|become",
           ("{lead}, what does day-to-day work in your role really look like?",
            "{lead}, what would make you take a career changer seriously?"),
           ("Which of my current skills would transfer best when {doing}?",
            "What is a realistic first step: a course, a side project or an internal move?",
            "How long does it usually take to get a first role, in your experience?",
            "Which gap would you close first if you were in my position?")),
    Intent("launch", ("launch a marketing campaign", "promote my new product",
                      "social media marketing for my brand", "get my first customers",
                      "grow my audience online"),
           r"launch|campaign|marketing|social media|promot|advert|\bads?\b|brand|audience|seo",
           ("{lead}, what makes a launch like this work, and what makes it fall flat?",),
           ("How would you choose the first one or two channels for a campaign like this?",
            "What would a realistic first budget and timeline look like for a campaign?",
            "Which numbers would you watch in the first weeks to know a campaign is working?",
            "What would you test on a small scale before {doing}?")),
    Intent("technical", ("review my system architecture", "choose a tech stack or database",
                         "scale my web app", "debug a performance problem",
                         "React or Vue for a dashboard"),
           r"architect|database|stack|framework|react|vue|angular|code|api|deploy|scal|"
           r"kubernetes|cloud|backend|frontend|postgres|python|javascript",
           ("{lead}, which trade-offs would matter most to you here?",),
           ("What would you want to see from me (a diagram, code or numbers) to give useful "
            "feedback?",
            "Which warning signs would make you rethink {about}?",
            "Which option would you try first, and what would make you switch?",
            "What is the simplest option you would try first, before {doing}?")),
    Intent("manage", ("manage a team for the first time", "give difficult feedback to an "
                      "employee", "run one-on-ones as a new manager", "delegate work",
                      "handle an underperforming team member"),
           r"manag|team|feedback to|one.on.ones?|delegat|underperform|report(?:s|ing)? to me",
           ("{lead}, how do you keep a difficult conversation focused on facts, not blame?",),
           ("How would you open the conversation when {doing}?",
            "How would you prepare for a difficult feedback conversation?",
            "What would you do if the other person gets defensive?",
            "How would you follow up in the weeks after {doing}?",
            "[new|first|just (?:been )?promoted] What should a new manager stop doing "
            "themselves?")),
    Intent("conflict", ("my co-founder and I keep arguing about decisions",
                        "a conflict with my business partner",
                        "a colleague resents me and pushes back on everything",
                        "a difficult relationship with a coworker",
                        "my former peer now reports to me and resents it"),
           r"conflict|\bargu|\bfight|disagree|resent|tension|clash|falling out|undermin|"
           r"co-?founder|business partner|pushes? back",
           ("{lead}, how have you handled a disagreement like this without damaging the "
            "working relationship?",),
           ("How would you open the conversation so that it doesn't turn into another "
            "argument?",
            "[co-?founder|partner] How could we agree on who decides what, so the same "
            "argument doesn't keep coming back?",
            "What would you do if the other person gets defensive?",
            "When is it worth bringing in a mediator or an outside adviser?",
            "What should I avoid saying while things are tense?")),
    Intent("funding", ("raise a seed round", "pitch to investors", "review my pitch deck",
                       "apply for a grant or loan", "raise money or stay bootstrapped"),
           r"invest|fundrais|seed|pitch|deck|venture|grant|loan|funding|term sheet|bootstrap|"
           r"runway|raise (?:some )?(?:money|funds|capital)|"
           r"raise (?:a|an|our|the|another) (?:[\w-]+ ){0,2}(?:round|seed|series)",
           ("{lead}, what makes a funding ask credible to you?",),
           ("[pitch|deck|investor] Which part of my pitch would you test hardest?",
            "[grant|application|proposal] Which part of my application would a reviewer "
            "question first?",
            "What do funders expect to see at this stage that I might be missing?",
            "Which alternatives should I consider before {doing}?",
            "How would you order the people I speak to when {doing}?")),
    Intent("legal", ("choose a legal structure for my business", "review a client contract",
                     "protect my trademark", "understand employment law"),
           r"legal|law\b|llc|contract|trademark|licen[cs]e|register|compliance|tax|clause",
           ("{lead}, what would you check first in a situation like mine?",),
           ("Which questions should I bring to a lawyer or accountant about {about}?",
            "What are the most common mistakes people make with {about}?",
            "What can I safely handle myself, and where do I need professional help?",
            "Which documents should I have ready before {doing}?")),
    Intent("interview", ("prepare for a job interview", "practise a system design interview",
                         "get my first developer job", "improve my CV for applications"),
           r"interview|\bcv\b|resume|job search|apply|application",
           ("{lead}, what separates a strong candidate from an average one?",),
           ("How would you spend the last week before the interview?",
            "What do interviewers look for that candidates often miss?",
            "Which questions should I expect, and how would you structure my answers?",
            "What should I ask the interviewers at the end?")),
    Intent("feedback", ("feedback on my portfolio", "review my CV", "critique my case study",
                        "look at my website or landing page"),
           r"portfolio|case study|feedback on|review my|critique|landing page|website",
           ("{lead}, what makes you stop reading a portfolio or CV?",),
           ("Which part of my work would you cut or expand first?",
            "How would you tailor my work for the roles I'm aiming at?",
            "What is the one change that would make my work stronger?",
            "What should I show first so a reviewer gets the point in a minute?")),
    Intent("business", ("start my own business", "grow my bakery into a chain",
                        "validate a business idea", "set up bookkeeping for my cafe",
                        "manage cash flow in a small business"),
           r"business|bakery|cafe|shop|restaurant|store|bookkeep|cash.?flow|customers|"
           r"franchise|chain",
           ("{lead}, what do small businesses like mine usually underestimate?",),
           ("Which numbers should I track from the first month of {doing}?",
            "What is the smallest first step you would take in my position?",
            "Where would you start with {about} if you were in my position?",
            "Which tools or simple routines would you use for {about}?")),
    Intent("decision", ("should I choose option A or option B", "deciding between two job "
                        "offers", "whether to go to law school or start working"),
           r"\bwhether\b|\bor\b|decid|choos|between",
           ("{lead}, which factors would weigh most for you in a decision like this?",),
           ("How would you weigh the options against each other?",
            "What would you want to know about my situation before recommending one option?",
            "How could I test one option cheaply before committing?",
            "What is the cost of choosing wrong here, and how reversible is it?")),
)
GENERIC = Intent(
    "generic", (), "",
    ("{lead}, what would you look at first in a situation like mine?",),
    ("What is the most common mistake people make when {doing}?",
     "How would you decide {whether}?",
     "Where would you start with {about} if you were in my position?",
     "What would you want to know about my situation before advising on {about}?",
     "Which one resource or example would you point me to for {about}?",
     "If you were in my position, what would you do first?",
     "What would you want to know about my situation before giving advice?",
     "Which one resource or example would you point me to?"))


def _fields(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


# "[pitch|deck] Which part of my pitch ...": a pattern that names a thing is used only when
# the mentee's words name it too (a grant application has no pitch).
_NEEDS = re.compile(r"^\[([^\]]+)\]\s*")


def _applies(pattern: str, said: str) -> tuple[bool, str]:
    """Whether ``pattern`` fits what the mentee said, and the pattern without its condition."""
    if not (needs := _NEEDS.match(pattern)):
        return True, pattern
    found = re.search(rf"\b(?:{needs.group(1)})", said, re.IGNORECASE) is not None
    return found, pattern[needs.end():]


def _ranked_intent(goal: Goal, embedder: Embedder | None) -> tuple[Intent, float, bool]:
    """The closest kind of ask, its similarity and whether its keywords occur."""
    text = goal.challenge or goal.topic
    if goal.topic and goal.challenge and goal.topic.lower() not in goal.challenge.lower():
        text = f"{goal.challenge} {goal.topic}"  # a planned session: its question and the goal
    if not text.strip():
        return GENERIC, 0.0, False
    keyword = np.array([1.0 if re.search(i.keywords, text, re.IGNORECASE) else 0.0
                        for i in INTENTS])
    if embedder is None:
        best = int(np.argmax(keyword))
        return (INTENTS[best], 0.0, True) if keyword.any() else (GENERIC, 0.0, False)
    examples = [e for i in INTENTS for e in i.examples]
    vectors = embedder.encode_fixed("question-intents", examples)
    sims = vectors @ embedder.encode_query(text)
    scores, start = [], 0
    for intent in INTENTS:
        scores.append(float(np.max(sims[start:start + len(intent.examples)])))
        start += len(intent.examples)
    best = int(np.argmax(np.array(scores) + 0.1 * keyword))
    return INTENTS[best], scores[best], bool(keyword[best])


def choose_intent(goal: Goal, embedder: Embedder | None) -> Intent:
    """The kind of ask closest in meaning to the challenge, or GENERIC when none is close."""
    intent, score, keyword = _ranked_intent(goal, embedder)
    return intent if score >= MIN_SIMILARITY or keyword else GENERIC


# What each kind of ask is called in a subject line: a label that names a real thing.
SUBJECT_LABELS = {
    "raise": "asking for a raise", "promotion": "getting promoted",
    "salary": "negotiating my salary",
    "pricing": "pricing my work", "hiring": "hiring", "switch": "changing careers",
    "launch": "marketing a launch", "technical": "a technical decision",
    "manage": "managing my team", "conflict": "a difficult working relationship",
    "funding": "raising funding", "legal": "a legal question",
    "interview": "preparing for an interview", "feedback": "feedback on my work",
    "business": "running my business", "decision": "a decision I'm facing"}
# Closer than choosing the session questions needs: a subject line names the ask.
SUBJECT_SIMILARITY = 0.45


def subject_label(goal: Goal, embedder: Embedder | None) -> str:
    """A label for the kind of ask when it is clear ("pricing my work"), else ''."""
    if not goal.challenge:
        return ""
    intent, score, keyword = _ranked_intent(goal, embedder)
    # Named by its own words and close in meaning: the same kind the session questions take.
    clear = score >= SUBJECT_SIMILARITY + 0.15 or (keyword and score >= MIN_SIMILARITY)
    if embedder is None:
        clear = keyword
    return SUBJECT_LABELS.get(intent.name, "") if clear else ""


def _lead(match: Match, skill: str | None) -> str:
    role = headline_role(match.mentor)
    if role:
        return f"As {role}"
    if skill:
        phrase = skill_phrase(skill)
        joiner = " " if phrase.split()[0].endswith("ing") and " " in phrase else " with "
        return f"From your experience{joiner}{phrase}"
    return "From your experience"


def fill(goal: Goal, match: Match, skill: str | None) -> dict[str, str]:
    """The phrases a pattern may use: the lead from the profile, and the goal's label (a
    common ask such as 'asking for a raise') when it has one. Nothing cut out of a message."""
    values = {"lead": _lead(match, skill)}
    label = goal.topic.strip()
    if label and len(label.split()) <= 7:
        words = label.split()
        if words[0][1:].islower():
            words[0] = words[0].lower()
        phrase = " ".join(words)
        values["about"] = phrase
        if words[0].endswith("ing"):
            values["doing"] = phrase
    return values


def session_questions(goal: Goal, match: Match, embedder: Embedder | None = None,
                      skill: str | None = None, limit: int = 4) -> list[str]:
    """Three to five questions for this goal and this mentor, none repeated."""
    values = fill(goal, match, skill)
    intent = choose_intent(goal, embedder) if goal.challenge else GENERIC
    chosen: list[str] = []

    said = " ".join([goal.challenge, goal.topic, goal.desired_outcome])

    def take(patterns: tuple[str, ...], count: int) -> None:
        for conditional in patterns:
            if len(chosen) >= limit or count <= 0:
                return
            fits, pattern = _applies(conditional, said)
            if fits and _fields(pattern) <= values.keys():
                question = pattern.format(**values)
                question = question[0].upper() + question[1:]
                if question not in chosen:
                    chosen.append(question)
                    count -= 1

    take(intent.lead, 1)
    take(GENERIC.lead, 1 - len(chosen))
    take(intent.patterns, limit - 1)
    take(GENERIC.patterns, limit - len(chosen))
    if goal.desired_outcome:
        outcome = goal.desired_outcome.rstrip(" .?!")
        chosen.insert(min(2, len(chosen)), f"What would a realistic version of {outcome} "
                                           "look like?")
    return chosen[:5]
