"""The text-property checker flags every garbled text from issue 7 and no natural sentence."""

from __future__ import annotations

import pytest

from eval.textcheck import KINDS, problems

# (text, kind): every text here was shown by the chat (issue 7) or is built the same way.
BAD: list[tuple[str, str]] = [
    ("What's the specific part of would like a on strategy and pitfalls you're stuck on? One "
     "concrete question makes a short session worth it.", "question"),
    ("How should I ask my manager for a raise? I'd prefer a quick; 15-minute phone call",
     "summary"),
    ("Question on asking my manager for a raise? I'd prefer", "subject"),
    ("Hi Sam,\n\nI'd love your advice on asking my manager for a raise? I'd prefer a quick.\n\n"
     "Would you be open to a 15-minute phone call? If now isn't a good time, no worries at all.",
     "body"),
    ("What would you avoid saying when asking my manager for a raise? I'd prefer?",
     "suggested_question"),
    ("I'd prefer?", "suggested_question"),
    ("asking my manager for a raise? I'd prefer", "summary"),
    ("Question on show me", "subject"),
    ("Question on .", "subject"),
    ("Show me mentors", "subject"),
    ("Hi Ana,\n\nI'm reaching out because of your experience as a Full Stack Cloud Developer at "
     "at IBM.", "body"),
    ("I'm reaching out because of your experience as a Full Stack Cloud Developer at @IBM.",
     "body"),
    ("I'm reaching out because your profile lists use e-mail and oversee execution of digital.",
     "body"),
    ("Here are 5 mentors for: <script>alert(1)</script> pricing my app.", "summary"),
    ("Here are 5 mentors for: **pricing** my app.", "summary"),
    ("Here are 5 mentors for: pricing my app (freelance.", "summary"),
    ('I\'d love your advice on "pricing my app.', "body"),
    ("Got it: . What's your role and experience level?", "question"),
    ("Question on ", "subject"),
    ("What is the best way to negotiate a a salary offer?", "suggested_question"),
    ("Advice on negotiating my salary as a junior analyst at a large bank in London next month",
     "subject"),
    ("Negotiating my first salary offer with", "subject"),
    ("Pricing my freelance work for the", "subject"),
    ("Can you help me", "subject"),
    ("I'd love your advice on pricing my.", "body"),
    ("Here are 5 mentors for: planning a launch for our; 30-minute video call.", "summary"),
    ("What should I learn first for {dest}, and in what order?", "suggested_question"),
    ("1. What does day-to-day work in would like really look like? (30-minute video call)",
     "plan"),
    ("What would you do differently when pricing my app", "suggested_question"),
    ("What's the specific part of improve my skills you're stuck on?", "question"),
    ("1. Which experiences matter most on the path to? (30-minute video call)", "plan"),
    ("How do I run my first user interviews for the app idea? Happy to do; 30-minute video "
     "call.", "summary"),
    ("First year . How do I keep a class engaged?", "summary"),
    ("Question on became charge nurse. on would be perfect. How do", "subject"),
    ("Advice on my situation: Our hotel's online reviews have", "subject"),
    ("Thanks, noted: you're a. Here are 5 mentors for: pricing.", "summary"),
]

GOOD: list[tuple[str, str]] = [
    ("What's the specific part of social media marketing you're stuck on? One concrete "
     "question makes a short session worth it.", "question"),
    ("What would you like help with? One specific question works best, like a decision you're "
     "facing or something you're stuck on.", "question"),
    ("How would you like to meet, and for how long?", "question"),
    ("Got it: negotiating my first salary offer. What's your role and experience level? It "
     "helps me find someone who has been where you are.", "question"),
    ("Asking my manager for a raise; 15-minute phone call", "summary"),
    ("How should I ask my manager for a raise?", "summary"),
    ("How should I ask my manager for a raise? I'm new to the team.", "summary"),
    ("Here are 5 mentors from different backgrounds for: pricing my freelance design work; "
     "30-minute video call.", "summary"),
    ("Launching a social media campaign for our new skincare line; in English", "summary"),
    ("Asking my manager for a raise", "subject"),
    ("Question about asking for a raise", "subject"),
    ("Pricing my freelance design work", "subject"),
    ("A 15-minute call about your pricing work", "subject"),
    ("Quick question about investor pitch decks", "subject"),
    ("Advice on my first salary negotiation", "subject"),
    ("Hi Lena,\n\nI'm a junior analyst, and I'd love your advice on negotiating my first salary "
     "offer.\n\nI'm reaching out because of your experience as a front-end developer, "
     "including freelance work.\n\nWould you be open to a 15-minute phone call? If now isn't a "
     "good time, no worries at all.\n\nThank you for considering it.", "body"),
    ("Hi Sam,\n\nMy question is: how should I ask my manager for a raise?\n\nWould you be open "
     "to a 15-minute phone call? If now isn't a good time, no worries at all.", "body"),
    ("Hi Vera,\n\nI'd like to come away with a clear plan for the conversation.\n\nWould you be "
     "open to an email exchange? Thank you for considering it.", "body"),
    ("What would you avoid saying when asking your manager for a raise?", "suggested_question"),
    ("Which numbers should I bring to the conversation?", "suggested_question"),
    ("Who else should I talk to?", "suggested_question"),
    ("What did you wish you had known at first?", "suggested_question"),
    ("Is it better to ask in person or by email?", "suggested_question"),
    ("Any tips on pricing a first client project?", "suggested_question"),
    ("How do you decide what to charge, and when do you raise it?", "suggested_question"),
    ("Micro-mentoring works best for focused questions, so a goal this big won't be solved in "
     "one call. Here is a plan of short sessions, each with a specific question and mentors who "
     "fit it; together they move you forward.\n\n1. Which experiences matter most on the path "
     "to becoming a CTO? (30-minute video call)\n2. Where are my biggest gaps for becoming a "
     "CTO, and what should I work on this year? (30-minute video call)\n3. Can you review my CV "
     "for a first role in UX design? (email exchange)", "plan"),
    ("¿Cómo puedo negociar mi primer salario como analista junior?", "summary"),
    ("Comment préparer mon premier entretien d'embauche en marketing ?", "summary"),
    ("Wie bereite ich mich auf mein erstes Gehaltsgespräch vor?", "summary"),
    ("I'm reaching out because your profile says: \"I help early-stage founders shape their "
     "first pitch deck.\"", "body"),
    ("Thanks, noted: you're a junior nurse. Here are 5 mentors for: running my first team "
     "meeting.", "summary"),
    ("Sure, let's start over. What would you like help with?", "question"),
    ("What is the one thing you would do first?", "suggested_question"),
    # A mentee's own sentence: nouns the tagger may read as adjectives (session 5).
    ("I run a small choir and our numbers have dropped by half since the pandemic.", "body"),
    ("How have you handled a client who kept asking for more than was agreed?",
     "suggested_question"),
    ("Could you share how you priced your first project?", "suggested_question"),
    ("Which part of the launch should I test first, the offer or the channel?",
     "suggested_question"),
    ("Here are 5 mentors for: how to prepare for a job interview; in German.", "summary"),
    ("What's the specific part of improving my skills you're stuck on?", "question"),
    ("Is it worth switching part of it to organic?", "summary"),
    ("How do I run my first user interviews? I'd be happy to do a 30-minute video call.",
     "summary"),
    ("Which numbers should show me that my business is ready to expand? What do I need to do?",
     "plan"),
    ("Here are 5 mentors for: Hola, quiero abrir una pastelería pequeña. ¿Cómo calculo el "
     "precio de mis tartas?", "summary"),
    ("What is one mistake people make when they ask for a raise, and how can I avoid it?",
     "suggested_question"),
    ("Hi Ana,\n\nI am preparing to ask my manager for a raise, and I would value your "
     "perspective as a business coach.\n\nWould you be open to a 15-minute phone call?", "body"),
    ("Preparing a keynote talk", "subject"),
    ("Your advice on a seed pitch deck", "subject"),
    ("Basically how do I choose a warehouse management system for a growing e-shop?",
     "summary"),
    ("Ok so what should I charge for a first wedding?", "suggested_question"),
    ("Nobody matched every filter, so I relaxed: language, format.", "summary"),
    ("I'm hoping to talk before Friday, if that suits you.", "body"),
    # A hyphenated compound is one word, not "our" followed by "on".
    ("How do we move our on-premise servers to the cloud without downtime?", "summary"),
    ("Question on a by-the-book audit", "subject"),
    # A reciprocal pronoun, and a particle after its object, end a phrase naturally.
    ("How would you weigh the options against each other?", "suggested_question"),
    ("Our hotel's online reviews have dropped and I need to turn that around.", "summary"),
    ("I can't figure it out.", "summary"),
    # A time glued to its number is not a word of its own, and "on empty" is an idiom
    # (session 6, the mentee's own sentences).
    ("My phone rings at 6am on Saturdays and I'm the one who answers it.", "summary"),
    ("Since the move I've been running on empty.", "summary"),
    ("We used to get along fine.", "summary"),
    ("It all worked out fine in the end, mostly.", "summary"),
    ("What do people who get there have in common?", "suggested_question"),
]


@pytest.mark.parametrize(("text", "kind"), BAD, ids=[f"bad-{i}" for i in range(len(BAD))])
def test_garbled_texts_are_flagged(text: str, kind: str) -> None:
    assert problems(text, kind), f"not flagged: {text!r}"


@pytest.mark.parametrize(("text", "kind"), GOOD, ids=[f"good-{i}" for i in range(len(GOOD))])
def test_natural_texts_pass(text: str, kind: str) -> None:
    assert problems(text, kind) == []


def test_the_raise_example_is_flagged_for_the_right_reasons() -> None:
    subject = problems("Question on asking my manager for a raise? I'd prefer", "subject")
    assert any('"?" inside' in p for p in subject)
    assert any("ends in" in p or "object" in p for p in subject)
    body = problems("I'd love your advice on asking my manager for a raise? I'd prefer a quick.",
                    "body")
    assert any("statement ending" in p for p in body)
    assert any("determiner without its noun" in p for p in body)
    question = problems("What's the specific part of would like a on strategy?", "question")
    assert problems("How do we move our on premise servers?", "summary"), "no hyphen: flagged"
    assert problems("Which experiences matter most on the path to?", "plan")
    assert problems("I'd love to talk about the?", "summary")
    assert any("'of' followed by 'would'" in p for p in question)
    assert any("'a' followed by 'on'" in p for p in question)


def test_long_subject_lines_are_counted() -> None:
    eleven = "Advice on pricing my very first freelance design project for a client"
    assert len(eleven.split()) == 12
    assert any("words" in p for p in problems(eleven, "subject"))
    assert not any("words" in p for p in problems("Advice on pricing my design work", "subject"))


def test_every_kind_is_known_and_others_are_refused() -> None:
    assert set(KINDS) == {"question", "summary", "plan", "subject", "body",
                          "suggested_question"}
    with pytest.raises(ValueError, match="kind must be one of"):
        problems("Hello", "headline")
