"""A generated corpus of first messages from mentees, for the text-property tests (issue 7).

Each message combines, deterministically: an opening ("Hi!", "Hey there,", none), one ask from
many fields written as a question or as a statement, sometimes a sentence about who is asking,
sometimes logistics (format, length, language, time zone, urgency) at the start, in the middle
or at the end, sometimes filler ("um", "honestly", "if that makes sense"), and now and then a
typo. ``python -m eval.datasets.generated_messages`` writes them to
``generated_messages.jsonl`` beside this file (a test checks the two agree).

Every message has a ``split`` (tune or report, alternating per ask) so that rules can be tuned
on one half and checked on the other.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

JSONL = Path(__file__).with_name("generated_messages.jsonl")

OPENINGS = ["", "Hi!", "Hey there,", "Hello,", "", "Hi all.", "Good morning!", "hey", "",
            "Hi, hope you're well."]

# (field, question form, statement form, a sentence about who is asking)
ASKS: list[tuple[str, str, str, str]] = [
    ("career", "How should I ask my manager for a raise?",
     "I want to ask my manager for a raise but I don't know how to bring it up.",
     "I've been at my company for three years and took on a lot more work this year."),
    ("marketing", "How do I plan a social media campaign for our skincare launch?",
     "I need to plan the social media campaign for our new skincare line.",
     "I'm the only marketer at a small cosmetics brand."),
    ("startup", "What do investors look for in a seed pitch deck?",
     "I'm putting together our seed pitch deck and I'm not sure what investors look for.",
     "I'm a first-time founder of a two-person fintech startup."),
    ("cloud", "How do we migrate our on-premise servers to AWS without downtime?",
     "We have to move our on-premise servers to the cloud and I'm worried about downtime.",
     "I'm a sysadmin at a mid-sized logistics company."),
    ("data", "How do I move from QA testing into data engineering?",
     "I'd like to move from QA testing into a data engineering role.",
     "I've done manual and automated testing for four years."),
    ("design", "How should I price my freelance logo design work?",
     "I never know how to price my freelance logo design work.",
     "I went freelance as a graphic designer last spring."),
    ("nursing", "How do I run my first shift handover meetings as a new charge nurse?",
     "I just became charge nurse and I'm struggling to run good shift handovers.",
     "I've been a ward nurse for six years."),
    ("restaurant", "How can I cut food waste in my restaurant kitchen?",
     "Our restaurant kitchen throws away far too much food every week.",
     "I run a 40-seat Italian restaurant with my brother."),
    ("construction", "How do I estimate costs for a small home renovation job?",
     "My cost estimates for small renovation jobs keep coming out too low.",
     "I'm a carpenter starting to take on whole renovation projects."),
    ("farming", "Is it worth switching part of my dairy farm to organic?",
     "I'm thinking about switching part of my dairy farm to organic production.",
     "We milk about 80 cows on a family farm."),
    ("bookkeeping", "How should I set up bookkeeping for my bakery?",
     "I need to set up proper bookkeeping for my bakery before tax season.",
     "I opened a small bakery last year and I've been keeping receipts in a shoebox."),
    ("law", "Should I register my business as a sole trader or a limited company?",
     "I can't decide whether to register as a sole trader or a limited company.",
     "I'm about to start a small web design business."),
    ("logistics", "How do I choose a warehouse management system for a growing e-shop?",
     "We've outgrown spreadsheets and need a warehouse management system for our e-shop.",
     "I manage operations for an online shop that ships about 300 orders a day."),
    ("teaching", "How do I keep a class of teenagers engaged in maths lessons?",
     "I'm struggling to keep my teenage students engaged in maths lessons.",
     "I'm in my first year as a secondary school teacher."),
    ("speaking", "How do I stop being so nervous when I give a keynote talk?",
     "I get really nervous on stage and I have a keynote talk coming up.",
     "I'm an engineer and I've never spoken to more than twenty people."),
    ("writing", "How do I find a literary agent for my first novel?",
     "I finished my first novel and I want to find a literary agent.",
     "I write in the evenings next to a full-time job."),
    ("hiring", "How do I interview candidates for my first engineering hire?",
     "I'm about to hire my first engineer and I've never interviewed anyone.",
     "I'm a non-technical co-founder."),
    ("leadership", "How do I give difficult feedback to someone on my team who is older "
     "than me?",
     "I have to give difficult feedback to a team member who is older than me.",
     "I was promoted to team lead two months ago."),
    ("meetings", "How do I get my ideas heard when my boss keeps ignoring them in meetings?",
     "My boss keeps ignoring my ideas in meetings.",
     "I'm a junior analyst on a team of eight."),
    ("real estate", "How do I evaluate whether a rental property is a good investment?",
     "I'm looking at my first rental property and I don't know how to judge if it's a good "
     "deal.",
     "I have some savings and a stable job in IT."),
    ("retail", "How do I lay out my shop floor so people buy more?",
     "I want to redesign my shop floor so that customers buy more.",
     "I own a small gift shop in a busy high street."),
    ("manufacturing", "How do I introduce lean methods on a small production line?",
     "I'd like to introduce lean methods on our small production line.",
     "I'm a shift supervisor in a furniture factory."),
    ("music", "How do I get my band booked at local festivals?",
     "I want to get my band booked at local music festivals this summer.",
     "We're a four-piece indie band with one EP out."),
    ("nonprofit", "How do I write a grant application for a youth sports charity?",
     "I need to write our first grant application for a youth sports charity.",
     "I volunteer as treasurer for a small football club."),
    ("research", "How do I choose a topic for my PhD in machine learning?",
     "I'm trying to choose a PhD topic in machine learning.",
     "I'm finishing a master's in computer science."),
    ("product", "How do I prioritise a product roadmap with too many feature requests?",
     "I have far too many feature requests and I can't prioritise our roadmap.",
     "I'm a new product manager at a B2B software company."),
    ("sales", "How do I handle price objections on sales calls?",
     "Prospects keep pushing back on price during my sales calls.",
     "I sell software to small accounting firms."),
    ("security", "Which security basics should a five-person company put in place first?",
     "I'm not sure which cybersecurity basics our five-person company needs first.",
     "I'm the office manager and also the de facto IT person."),
    ("mobile", "Should I build my first app in Flutter or React Native?",
     "I can't decide between Flutter and React Native for my first mobile app.",
     "I'm a web developer who has never shipped a mobile app."),
    ("photography", "How do I start charging for wedding photography?",
     "I'd like to start charging for wedding photography.",
     "I've shot a few weddings for friends for free."),
    ("fitness", "How do I find my first clients as a personal trainer?",
     "I just got certified as a personal trainer and have no clients yet.",
     "I used to work in retail."),
    ("ecommerce", "How do I lower the return rate of my online clothing shop?",
     "The return rate of my online clothing shop is eating my margins.",
     "I sell women's clothing through my own website."),
    ("ux", "How do I run user interviews for a new app idea?",
     "I want to run user interviews for a new app idea but I've never done one.",
     "I'm a backend developer with a side project."),
    ("jobsearch", "Can someone look at my CV for junior developer jobs?",
     "I need feedback on my CV before I apply for junior developer jobs.",
     "I finished a coding bootcamp in March."),
    ("hospitality", "How do I improve our hotel's online reviews?",
     "Our hotel's online reviews have dropped and I need to turn that around.",
     "I'm the front office manager of a 60-room hotel."),
    ("accounting", "How do I build a 12-month cash-flow forecast for my cleaning company?",
     "I need a 12-month cash-flow forecast for my cleaning company.",
     "We have 15 cleaners and a lot of late-paying clients."),
    ("healthcare", "How do I open my own physiotherapy practice?",
     "I'm planning to open my own physiotherapy practice.",
     "I've worked in a hospital physiotherapy team for eight years."),
    ("agriculture", "What should I know before planting a vineyard?",
     "I'm thinking of planting a small vineyard on our land.",
     "We grow cereals at the moment."),
    ("translation", "How do I set my rates as a freelance translator?",
     "I'm not sure how to set my rates as a freelance translator.",
     "I translate from German and French into English."),
    ("insurance", "How do I move from claims handling into underwriting?",
     "I'd like to move from claims handling into underwriting.",
     "I've handled car insurance claims for five years."),
]

# (a sentence, a tail to add after a comma) for each way of saying how to meet.
LOGISTICS: list[tuple[str, str]] = [
    ("I'd prefer a quick 15 minute phone call.", "ideally over a quick 15 minute phone call"),
    ("Ideally a 30-min video chat.", "ideally a 30-min video chat"),
    ("Email is best for me.", "preferably by email"),
    ("A quick chat would be great.", "even just a quick chat"),
    ("I can do a 20 minute zoom call any evening.", "maybe a 20 minute zoom call"),
    ("It's pretty urgent, my review is on Friday.", "before Friday if possible"),
    ("I'm in Berlin, so European time zones work best.", "someone in Europe would be ideal"),
    ("Half an hour on video would be perfect.", "half an hour on video would be perfect"),
    ("Happy to meet for coffee if someone is in London.", "over coffee if you're in London"),
    ("A short call is plenty, 10 minutes max.", "10 minutes max"),
    ("Could we do it in Spanish?", "in Spanish if possible"),
    ("No rush, any time in the next month is fine.", "no rush at all"),
]

FILLERS_BEFORE = ["Um, ", "Honestly, ", "So ", "Basically ", "Ok so ", "To be fair, "]
FILLERS_AFTER = [", if that makes sense", ", I guess", ", honestly", " lol", ", you know"]

TYPOS = {"manager": "manger", "negotiate": "negociate", "salary": "salery",
         "business": "buisness", "really": "realy", "because": "becuase",
         "schedule": "schedual", "strategy": "stratgey", "definitely": "definately",
         "interview": "inteview", "campaign": "campaing", "first": "frist",
         "restaurant": "restaurent", "whether": "wether", "my": "ym"}


@dataclass(frozen=True)
class GeneratedMessage:
    """One mentee's first message and how it was put together."""

    id: str
    text: str
    field: str
    form: str  # question or statement
    opening: str
    logistics: str | None
    position: str | None  # start, middle, end
    filler: str | None
    typo: str | None
    context: bool
    split: str


def _with_filler(sentence: str, number: int) -> tuple[str, str | None]:
    if number % 4 == 1:
        filler = FILLERS_BEFORE[number % len(FILLERS_BEFORE)]
        first, _, rest = sentence.partition(" ")
        if not (first == "I" or first.startswith("I'")):
            first = first[0].lower() + first[1:]
        return f"{filler}{first} {rest}", filler.strip(" ,")
    if number % 4 == 3:
        filler = FILLERS_AFTER[number % len(FILLERS_AFTER)]
        stop = sentence[-1] if sentence[-1] in ".?!" else ""
        return sentence.rstrip(".?!") + filler + (stop or "."), filler.strip(" ,")
    return sentence, None


def _with_typo(text: str, number: int) -> tuple[str, str | None]:
    if number % 6 != 2:
        return text, None
    words = text.split(" ")
    for index, word in enumerate(words):
        bare = word.strip(".,?!").lower()
        if bare in TYPOS and bare != "my":
            words[index] = word.replace(bare, TYPOS[bare]).replace(bare.capitalize(),
                                                                    TYPOS[bare].capitalize())
            return " ".join(words), TYPOS[bare]
    return text, None


def _compose(number: int, ask_index: int, form: str) -> GeneratedMessage:
    field, question, statement, context_sentence = ASKS[ask_index]
    ask = question if form == "question" else statement
    ask, filler = _with_filler(ask, number)
    opening = OPENINGS[(number * 3) % len(OPENINGS)]
    with_context = number % 3 != 0
    parts = [context_sentence] if with_context else []
    logistics: tuple[str, str] | None = None
    position: str | None = None
    if number % 5 != 4:
        logistics = LOGISTICS[(number * 7 + ask_index) % len(LOGISTICS)]
        position = ("start", "middle", "end")[(number + ask_index) % 3]
    if logistics and position == "start":
        parts = [logistics[0], *parts, ask]
    elif logistics and position == "middle":
        parts = [*parts, logistics[0], ask] if parts else [ask, logistics[0]]
        position = "middle" if with_context else "end"
    elif logistics and position == "end":
        if number % 2 and ask.endswith("."):
            parts = [*parts, ask[:-1] + ", " + logistics[1] + "."]
        else:
            parts = [*parts, ask, logistics[0]]
    else:
        parts = [*parts, ask]
    text = " ".join(p for p in [opening, *parts] if p)
    text, typo = _with_typo(text, number)
    return GeneratedMessage(
        id=f"gen-{number:03d}", text=text, field=field, form=form, opening=opening,
        logistics=logistics[0] if logistics else None, position=position, filler=filler,
        typo=typo, context=with_context, split="tune" if ask_index % 2 == 0 else "report")


def messages() -> list[GeneratedMessage]:
    """The corpus: every ask as a question and a statement, in four variations each (320)."""
    out: list[GeneratedMessage] = []
    number = 0
    for variant in range(4):
        for ask_index in range(len(ASKS)):
            first = "question" if (ask_index + variant) % 2 == 0 else "statement"
            for form in (first, "statement" if first == "question" else "question"):
                out.append(_compose(number, ask_index, form))
                number += 1
    seen: set[str] = set()
    unique = []
    for message in out:
        if message.text not in seen:
            seen.add(message.text)
            unique.append(message)
    return unique


def write(path: Path = JSONL) -> int:
    """Write the corpus as JSONL; the number of messages."""
    rows = messages()
    path.write_text("".join(json.dumps(asdict(m), ensure_ascii=False) + "\n" for m in rows),
                    encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    print(f"{write()} messages written to {JSONL}", file=sys.stderr)
