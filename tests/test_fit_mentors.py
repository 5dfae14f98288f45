"""Are the mentors right for the ask? (issue 7, session 6 read-through)

Each message is written as a mentee would write it (new wordings, not the eval sets' own), sent
through the real offline Conversation over the real demo index (all 3,305 demo mentors) and
model; a question is answered "skip". The first five mentors shown must include one a careful
person would send the mentee to, by headline or skills (for a few, the first mentor must be one), and must not lead with the wrong trade
the read-through saw for that kind of ask (a venture capitalist first for co-founders who argue; none of the five: oil pipelines for a data engineer, costume designers
for a product designer, production team leaders for a peer conflict between leads).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from finder.dialogue.conversation import Conversation

pytestmark = pytest.mark.slow

DATA = (r"data (engineer|warehouse|scien|analyst|quality)|big data|\betl\b|database|devops|"
        r"backend|python|data guy|chief data")
HR = (r"human resources|recruit|compensation|career guidance|payroll|\bhr\b|business coach|"
      r"life coach")
BOUNDARIES = (r"human resources|career guidance|business coach|life coach|psycholog|counsel|"
              r"\bhr\b")
LEADS = (r"business coach|life coach|mediator|human resources|leadership|engineering manager|"
         r"\bcto\b|people manager|corporate trainer")
COFOUNDERS = (r"mediator|business coach|entrepreneur|co-?founder|business consultant|\bceo\b|"
              r"life coach")
UX = (r"\bux\b|user experience|product design|user interface|\bui\b|interaction design|"
      r"frontend designer")
STUDIO = (r"fitness|pilates|personal trainer|leisure|sport|business coach|entrepreneur|"
          r"business consultant")
GROWTH = (r"business coach|entrepreneur|small business|business consultant|recruit|"
          r"human resources|\bhr\b|employment agent")
TALKS = (r"public speaking|\bspeech|presenter|communication|business coach|life coach|"
         r"\bactor\b|drama|\bvoice")


def _shown(finder: Any, message: str) -> list[str]:
    conversation = Conversation(finder)
    reply = conversation.send(message)
    if reply.kind == "question":
        reply = conversation.send("skip")
    shown = reply.matches or [m for s in reply.plan for m in s.matches]
    return [" | ".join([m.mentor.headline, *m.mentor.skills]).lower() for m in shown[:5]]


# The growth and hiring asks of an own small business (session 7, fits2), each seen failing.
OWN_TRADE_FILLS_THE_FIVE = pytest.mark.xfail(strict=True, reason=(
    "the bridge now names growing a business or a first hire (the message is also compared "
    "without the clause that says the trade), but the own trade's words still fill the five: "
    "no business or hiring person"))

CASES = [
    # The mentee's own trade, said with a verb or a noun, then a generic ask.
    pytest.param("I groom dogs from a van I converted myself. How should I price a full groom "
                 "compared with a quick wash and nail trim?", r"groom|pet|dog", None,
                 id="own-trade-dog-groomer-pricing"),
    pytest.param("I build custom furniture in my garage on evenings and weekends. Where do I "
                 "find clients who will actually pay for handmade work?",
                 r"furniture|carpent|cabinet|joiner|wood", None,
                 id="own-trade-furniture-clients"),
    pytest.param("I'm a florist with a small shop on the high street. Valentine's week nearly "
                 "broke me again this year. How do I stop running myself into the ground?",
                 r"flower|florist|garden", None, id="own-trade-florist-burnout"),
    pytest.param("I teach the violin to children after school. Parents keep asking for "
                 "sibling discounts. How do I set my rates?",
                 r"music (teacher|instructor)|violin|instrument", r"pricing specialist",
                 id="own-trade-violin-rates"),
    pytest.param("I repair watches in a tiny shop. How much should I charge for a battery "
                 "change compared with a full service?", r"^(?:watch|clock)", None,
                 id="own-trade-watch-repair-prices-first"),
    pytest.param("I design gardens for homeowners. How do I find my first clients without "
                 "paying for ads?", r"^(?:landscape|garden)", None,
                 id="own-trade-garden-design-clients-first"),
    # An ambiguous word read in the mentee's field.
    pytest.param("I'm a data engineer. Our Airflow pipelines run for hours and fail silently "
                 "half the time. How should I restructure them?", DATA, r"pipeline",
                 id="data-pipelines-not-oil"),
    # Situations the bridge had no entry for, or reached the wrong trade for.
    pytest.param("Got my first job offer out of university and they said the pay is "
                 "negotiable. I have no idea how to negotiate it. Any tips?", HR, r"negotiator",
                 id="salary-negotiation"),
    pytest.param("My boss expects me to answer messages while I'm on holiday. How do I draw a "
                 "line without it hurting my career?", BOUNDARIES, r"waiter|production",
                 id="boundaries-at-work"),
    pytest.param("I'm one of four team leads in our support department and one of the other "
                 "leads keeps overruling my decisions in our shared channel. How do I handle "
                 "a peer like that?", LEADS, r"production team leader",
                 id="conflict-with-a-peer-lead"),
    pytest.param("My cofounder and I have been fighting about the equity split for weeks and "
                 "it's poisoning everything else. How do we sort this out?", COFOUNDERS,
                 r"^venture capital", id="cofounder-clash"),
    pytest.param("I work as a product designer on a banking app and I'd like someone to tear "
                 "apart my case studies before I apply for new roles.", UX,
                 r"costume|make-up|fashion", id="product-designer"),
    pytest.param("I have a small yoga studio and I can't decide whether to start online "
                 "classes or put that money into a second teacher for mornings.", STUDIO, None,
                 id="yoga-studio-decision",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "'classes' and 'a second teacher' reach the bridge's career change into "
                     "or out of teaching (0.46) before growing a small business (0.41), so "
                     "the studio's own trade is never weighed in"))),
    pytest.param("I have to brief our board next week, and the part I always dread, honestly, "
                 "is when someone asks a question I can't answer and my face goes bright red.",
                 TALKS, r"rooms division|front of house|front-of-house",
                 id="fear-at-the-end-of-a-long-sentence"),
    pytest.param("I run the front desk team at a busy hotel and next month I have to present "
                 "our guest satisfaction numbers to the owners, and honestly what scares me "
                 "most is standing up in front of that many people and forgetting everything I "
                 "planned to say.", TALKS, r"^(?:hotel butler|rooms division|front of house)",
                 id="fear-after-a-long-first-clause-hotel"),
    pytest.param("Our hospital asked me to give a talk to the board about the new rota, and "
                 "although I know the numbers well, the thought of the Q&A with everyone "
                 "staring makes me feel sick.", TALKS, r"^(?:healthcare inspector|hospital)",
                 id="fear-after-a-long-first-clause-hospital"),
    # From the lead's last read-through (session 6): an indirect ask about being left out got
    # a zoo section leader and a sport facility manager; a mobile game's launch got a gambling
    # games designer and a gaming dealer. Written before the fixes.
    pytest.param("everyone on my team seems to get invited to the important meetings except me",
                 BOUNDARIES, r"^zoo|sport facility", id="left-out-of-meetings"),
    pytest.param("Lately my colleagues go for lunch together and plan things without me, and I "
                 "only hear about decisions afterwards. How do I get included again?",
                 BOUNDARIES, None, id="left-out-by-colleagues",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the new left-out-at-work situation does not fire on lunches and plans "
                     "made without me: a project support officer and construction "
                     "supervisors ('decisions'))"))),
    # Session 7: the person the mentee deals with ("my supervisor", "the other lead", "one of
    # my regulars") or the thing the ask is about (an offer, a budget) named the mentors'
    # trade: supervisors of every kind, budget managers, investment advisers. Written before
    # the fix, in new wordings of the four mentee dialogues that failed this way.
    pytest.param("Quick question about where my career goes next: a company wants me at a "
                 "higher salary, but the office would be an hour and a half away instead of "
                 "twenty minutes. Would you take it?", HR + r"|career coach",
                 r"software (engineer|developer)|devops", id="offer-with-a-long-commute",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "a human resources manager comes first now, but Coding Coach developers "
                     "who list 'career' as a skill stay in the five ('my career' and the "
                     "expertise's 'career coach' name that skill)"))),
    pytest.param("My shift supervisor texts me on my days off asking me to come in, and I always "
                 "say yes. How do I tell her no without it counting against me?", BOUNDARIES,
                 r"supervisor \|", id="boundaries-with-a-shift-supervisor"),
    pytest.param("I run the design team and the lead of the other team keeps taking most of the "
                 "budget we are supposed to split. We were friendly until this year. How do I "
                 "raise it without starting a war?", LEADS,
                 r"budget manager|resource manager", id="peer-lead-takes-the-budget",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "'the lead of the other team keeps taking most of the budget' is matched "
                     "to managing personal finances, not to a clash with a peer lead: budget "
                     "managers and analysts are shown"))),
    pytest.param("I run meditation classes out of a rented hall. A student of mine has money "
                 "and wants to invest so I can have my own studio space. Is that smart?",
                 STUDIO + r"|meditation|yoga|wellness",
                 r"venture capital|investment|lecturer", id="teacher-offered-an-investment",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the meditation classes are now read as the mentee's own work, but "
                     "'invest' still brings a venture capitalist and investment advisers "
                     "first and no studio or business person reaches the five"))),
    # Session 7 (fits2): the product's own example, a raise over a short phone call. "a raise"
    # brought a fundraising manager; with the call's filter (phone, 15 minutes) a benefits
    # advice worker and a resource manager came first, though a business coach offers it.
    pytest.param("Is it too early to bring up a raise with my team lead? I've only been there "
                 "eight months.", HR, r"fundrais|grants? manag", id="a-raise-is-pay"),
    pytest.param("My boss said raises are decided in March. How do I make my case for one? A "
                 "15 minute phone call would be perfect.", r"^(?:business coach|human resources"
                 r"|career|recruit|life coach|corporate training)",
                 r"benefits advice|fundrais|forklift",
                 id="a-raise-over-a-short-phone-call"),
    # Session 7 (fits2): an own small business that grows by a first employee. The trade's
    # words outweighed the growth and hiring situations (a dog groomer adding a second van
    # with an employee was shown a private chauffeur and a bus route supervisor).
    pytest.param("I cut hair from a mobile barber van and I'm thinking of adding a second chair "
                 "and taking on another barber. Where do I start?", GROWTH,
                 r"cutting machine|developer", id="barber-takes-on-a-second-barber",
                 marks=OWN_TRADE_FILLS_THE_FIVE),
    pytest.param("I clean houses on my own and I've got more work than I can handle. Should I "
                 "take on a helper, and how?", GROWTH, None, id="cleaner-takes-on-a-helper",
                 marks=OWN_TRADE_FILLS_THE_FIVE),
    pytest.param("I'm a self-employed electrician and I want to take on my first apprentice "
                 "next year. What do I need to sort out?", GROWTH + r"|apprentice|vocational",
                 None, id="electrician-takes-on-an-apprentice",
                 marks=OWN_TRADE_FILLS_THE_FIVE),
    pytest.param("We bake sourdough from a market stall at weekends and we'd like a second stall "
                 "with someone else running it. What should we think about first?", GROWTH,
                 None, id="bakers-add-a-second-stall",
                 marks=OWN_TRADE_FILLS_THE_FIVE),
    pytest.param("I do mobile car valeting and I'm thinking about a second car with someone to "
                 "drive it.", GROWTH, None, id="valeter-adds-a-second-car",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "written after the fix, not tuned on: growing a small business scores "
                     "0.43, under the bridge's 0.45, so the ask is searched as car valeting"))),
    pytest.param("I'm a wedding photographer and I'm wondering whether to hire an assistant for "
                 "next season.", GROWTH, None, id="photographer-hires-an-assistant",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "written after the fix, not tuned on: hiring a first employee scores "
                     "0.42, under the bridge's 0.45; photographers only"))),
    pytest.param("We are launching our first mobile game next month and, if possible over a "
                 "twenty minute video call sometime this week, I would love a second opinion "
                 "on our app store page.", r"mobile|game develop|games develop|app",
                 r"gambling|gaming dealer|casino", id="mobile-game-launch",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "a gambling games designer and a gaming dealer stay in the five: reading "
                     "'game' beside mobile/app words as video game development moved a games "
                     "development manager in but not them out, so that sense was not kept"))),
]


@pytest.mark.parametrize(("message", "wanted", "wrong"), CASES)
def test_the_first_five_include_someone_right_for_the_ask(
        demo_finder: Any, message: str, wanted: str, wrong: str | None) -> None:
    shown = _shown(demo_finder, message)
    # "^..." is about the first mentor shown; otherwise any of the five
    assert any(re.search(wanted, m) for m in (shown[:1] if wanted[0] == "^" else shown)), shown
    if wrong:  # likewise: "^..." must not come first; otherwise none of the five
        assert not any(re.search(wrong, m) for m in (shown[:1] if wrong[0] == "^" else shown)), shown


def test_a_job_title_is_searched_as_written_and_an_ask_in_its_sense(
        demo_finder: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Senses are read in asks, as the bridge is (4 words or more): "senior web designer"
    stays a job title; "our web designer keeps missing deadlines" is read in its sense."""
    import finder.search.service as service

    read: list[str] = []
    senses = service.bundled_senses()

    class Spy:
        def read(self, query: str) -> str:
            read.append(query)
            return senses.read(query)

    monkeypatch.setattr(service, "bundled_senses", lambda: Spy())
    demo_finder.search("senior web designer", k=5)
    assert read == []
    demo_finder.search("our web designer keeps missing every deadline we set", k=5)
    assert read == ["our web designer keeps missing every deadline we set"]


# Session 8 (fits): situations a mentee often brings that the bridge had no entry for, or whose
# everyday words named the wrong trade. New wordings in a mentee's voice, each seen failing
# before the change that made it pass.
TAX = r"\btax|accountant|accounting|bookkeep|\bvat\b|auditor|financial advis"
WORK_RELATIONS = (r"human resources|\bhr\b|career (?:guidance|coach)|business coach|life coach|"
                  r"mediat|counsel|psycholog|employee relations|workplace")
INVESTING = (r"financial (?:advis|planner)|investment advis|business consultant|accountant|"
             r"small business|entrepreneur|business coach")
SESSION_8 = [
    pytest.param("I've sent three talk submissions to a big Python conference and all were "
                 "turned down. What makes a proposal stand out?",
                 r"speak|conference|event (?:plan|manag)|developer advocate|devrel|evangelis|"
                 r"developer relations|community manag", r"^computer scientist",
                 id="s8-conference-talk-rejected"),
    pytest.param("My boss walked the board through my market research and never once said it was "
                 "mine. Do I confront him?", WORK_RELATIONS, r"mine supervisor",
                 id="s8-boss-presents-my-work-as-his"),
    pytest.param("I make jewellery and sell it at craft fairs. Do I have to tell the tax office "
                 "about the money?", TAX, None, id="s8-tax-on-craft-fair-sales"),
    pytest.param("I'm self-employed and have no pension at all. Where do I start?",
                 r"pension|financial (?:advis|planner)|accountant", r"developer|engineer",
                 id="s8-where-do-i-start-is-no-coding-ask"),
    pytest.param("My brother asked me to put money into his cafe. Should I?", INVESTING,
                 r"casino|lottery|waiter|pawnbroker", id="s8-investing-in-a-brothers-cafe"),
    pytest.param("A local animal shelter asked me to design their logo. What should I charge a "
                 "charity?", r"design|pricing|freelance|illustrat", r"^fundrais",
                 id="s8-pricing-work-for-a-charity"),
    pytest.param("My partner and I want to open a small climbing wall centre. How much cash "
                 "should we have ready before we speak to a bank?",
                 r"business consult|accountant|loan officer|small business|entrepreneur|"
                 r"financial plan", r"teller|cashier|casino|steeplejack",
                 id="s8-own-money-before-a-bank-loan"),
    pytest.param("Someone used my photos on their website without asking. What are my options?",
                 r"lawyer|legal|copyright|intellectual property|licens", r"imagesetter",
                 id="s8-my-photos-used-without-permission"),
    pytest.param("A parent sent an angry email to the head about my marking. How should I "
                 "respond?", r"teacher|head ?teacher|school|education|principal",
                 r"software|developer|engineer", id="s8-a-parent-complains-about-a-teacher"),
    pytest.param("My PhD supervisor hasn't read my chapter drafts in four months. What can I "
                 "do?", r"professor|academic|lecturer|researcher|doctoral",
                 r"drafter|draughts", id="s8-phd-supervisor-does-not-read-drafts"),
    pytest.param("My manager is in New York and I'm in London, and she keeps booking calls at "
                 "9pm my time. How do I push back?", BOUNDARIES + r"|career coach",
                 r"betting|tour operator|venue", id="s8-calls-late-across-time-zones",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the manager's New York and the calls she books now stay in what is "
                     "searched (they were logistics: a US East Coast filter) and the boundaries "
                     "entry fires, bringing a life coach, but a gambling manager ('keeps "
                     "booking') and a call centre analyst stay in the five"))),
]

SESSION_8 += [
    # The second round of the session's read-through, each seen failing first.
    pytest.param("I'm a security guard and I'm studying for my first cybersecurity certificate. "
                 "How do I pass it?", r"security (?:engineer|analyst|consultant|technician)|"
                 r"\bict security|cyber|penetration", r"police|lifeguard|armed forces",
                 id="s8-a-certificate-in-a-new-field",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the exam entry now names exam preparation and certified professionals "
                     "(police and armed forces trainers are gone, two ICT security people come "
                     "in), but a lifeguard instructor stays: 'certificate' and 'pass' reach "
                     "him even with the guard's job left out, which was tried and not kept"))),
    pytest.param("I run a mobile coffee van at events and want a second van with a barista. What "
                 "do I need to think about?", GROWTH + r"|coffee shop|caf[eé]|restaurant manager",
                 r"chauffeur|parking valet|delivery driver", id="s8-a-second-coffee-van"),
    pytest.param("I teach yoga from a small studio and want to offer classes online, but I have "
                 "never filmed anything. Where do I start?",
                 r"video|online|e-learning|digital|content|fitness|yoga|business",
                 r"stand-in|bootcamp", id="s8-taking-classes-online",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the new 'move my classes online' entry brings an e-learning developer, "
                     "a video artist and digital people, and the film stand-in is gone, but a "
                     "Coding Coach bootcamp instructor ('teaching') stays in the five"))),
    pytest.param("My paper was rejected for the third time. How do I decide which journal to "
                 "send it to next?", r"professor|academic|researcher|scientist|lecturer",
                 r"newspaper|magazine", id="s8-a-rejected-research-paper"),
    pytest.param("I'm a physiotherapist thinking of leaving the hospital to open my own clinic. "
                 "What should I think about first?", GROWTH + r"|practice manager",
                 r"porter", id="s8-opening-my-own-clinic", marks=OWN_TRADE_FILLS_THE_FIVE),
    pytest.param("I make wedding cakes and a bride is refusing to pay the balance because she "
                 "didn't like the colour.", r"lawyer|legal|debt|credit|small business|"
                 r"business coach|customer service|mediat", r"colour|press operator",
                 id="s8-a-customer-refuses-to-pay",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the new unpaid-invoice entry brings a debt collector and an insurance "
                     "collector (the cake press operator and colour samplers are gone), but a "
                     "textile colourist stays: 'she didn't like the colour'"))),
    pytest.param("I'm pregnant and worried about telling my manager. When should I do it?",
                 HR + r"|employment law|career", r"^(?:midwife|maternity support)",
                 id="s8-telling-my-manager-i-am-pregnant"),
    pytest.param("I was passed over for promotion again and they gave it to someone with less "
                 "experience.", HR + r"|career", r"promotion manager|promotions demonstrator",
                 id="s8-passed-over-for-promotion"),
    pytest.param("I'm on a fixed-term contract at a university and it ends in June. How do I find "
                 "the next position?", r"career|recruit|academic|lecturer|professor|researcher",
                 r"contract (?:manager|engineer)|leasing|tourism contract",
                 id="s8-a-fixed-term-contract-ending"),
]

@pytest.mark.parametrize(("message", "wanted", "wrong"), SESSION_8)
def test_common_situations_reach_someone_right_for_them(
        demo_finder: Any, message: str, wanted: str, wrong: str | None) -> None:
    test_the_first_five_include_someone_right_for_the_ask(demo_finder, message, wanted, wrong)
