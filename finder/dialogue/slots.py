"""Rules that read the concrete constraints out of a message: format, length, language, place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finder.core.goal import LANGUAGE_NAMES, Level, MenteeContext, Urgency

_LANGUAGE_CODES = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
_LANGUAGE_CODES.update({"mandarin": "zh", "cantonese": "zh", "farsi": "fa", "persian": "fa"})
_LANG = "|".join(sorted(_LANGUAGE_CODES, key=len, reverse=True))

# Words that make "email" or "video" the subject of the question rather than the format.
_TOPICAL = (r"(?!\s*(?:marketing|campaigns?|lists?|newsletters?|sequences?|deliverability|"
            r"automation|copy|templates?|outreach|flows?|funnels?|editing|production|content|"
            r"ads?|strategy|games?|scripts?|series|apps?|platform|startups?)\b)")

_FORMAT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("video", re.compile(r"\b(?:video(?:[- ]?call|[- ]?chat)?|zoom|google meet|teams call|"
                         r"facetime|webcam)\b" + _TOPICAL, re.IGNORECASE)),
    ("phone", re.compile(r"\b(?:phone(?:[- ]?call)?|by phone|over the phone|telephone)\b"
                         + _TOPICAL, re.IGNORECASE)),
    ("email", re.compile(r"(?<!cold )\b(?:e-?mails?(?:[- ]exchange)?|in writing|by mail)\b"
                         + _TOPICAL, re.IGNORECASE)),
    # "a quick chat" is a text chat, as people say it; a "quick call" is a call.
    ("chat", re.compile(r"\b(?:slack|whatsapp|telegram|text(?:ing)? chat|by text|messaging|"
                        r"(?:via|over|by|on) chat|chat only|only chat|dms?|(?:quick|short|"
                        r"brief) (?:text )?chat(?! (?:app|bot|gpt|support|widget)s?\b))\b",
                        re.IGNORECASE)),
    # Coffee or lunch only as a way to meet: "over coffee", not "my coffee roastery".
    ("in_person", re.compile(r"\b(?:in[- ]person|face[- ]to[- ]face|meet(?:ing)? up|irl|"
                             r"(?:over|for|grab(?:bing)?|a|quick) (?:coffee|lunch)(?! (?:shop|"
                             r"roast\w*|business|bean|brand|cart|chain|compan\w*|farm|truck))|"
                             r"coffee (?:chat|meeting|meetup))\b", re.IGNORECASE)),
]
# A "call" with no kind named could be video or phone.
_PLAIN_CALL = re.compile(r"\b(?:quick |short |brief )?calls?\b", re.IGNORECASE)
_ANY_FORMAT = re.compile(r"\b(?:any format|no (?:format )?preference|any way|either is fine|"
                         r"doesn'?t matter|don'?t mind)\b", re.IGNORECASE)

_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:-|\s)?\s*(?:min(?:ute)?s?|mins?)\b", re.IGNORECASE)
_HOURS = re.compile(r"\b(?:(an?|one|1|two|2)\s*(?:-|\s)?\s*(?:hours?|hrs?)|(?:half an hour|"
                    r"half[- ]hour|30m)|(\d(?:\.5)?)\s*h\b)", re.IGNORECASE)
_QUICK = re.compile(r"\b(?:quick|short|brief)(?: (?:phone|video|zoom))? (?:call|question|"
                    r"session|sync)\b", re.IGNORECASE)
_SHORTER = re.compile(r"\bshorter\b", re.IGNORECASE)

_LANGUAGE_RULES = [
    re.compile(rf"\b(?:in|speaks?|speaking|speaker of)\s+({_LANG})\b(?!\s+(?:market|company|"
               rf"companies|startup|customers|users|law|tax|culture))", re.IGNORECASE),
    re.compile(rf"\b({_LANG})[- ](?:speaker|speaking|native|language)\b", re.IGNORECASE),
    re.compile(rf"\bnative ({_LANG})\b", re.IGNORECASE),
]
_ANY_LANGUAGE = re.compile(r"\bany language\b", re.IGNORECASE)

_REGION_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("US East Coast", re.compile(r"\b(?:east coast|eastern time|EST|EDT|new york)\b",
                                 re.IGNORECASE)),
    ("US West Coast", re.compile(r"\b(?:west coast|pacific time|PST|PDT|california|bay area)\b",
                                 re.IGNORECASE)),
    ("US", re.compile(r"\b(?:US|U\.S\.|american|usa)(?:[- ]based)?\s+(?:time ?zones?|hours)\b",
                      re.IGNORECASE)),
    ("North America", re.compile(r"\bnorth america\b", re.IGNORECASE)),
    ("Latin America", re.compile(r"\b(?:latin america|latam|south america)\b", re.IGNORECASE)),
    ("Southeast Asia", re.compile(r"\bsouth[- ]?east asia\b", re.IGNORECASE)),
    ("East Asia", re.compile(r"\beast asia\b", re.IGNORECASE)),
    ("Asia-Pacific", re.compile(r"\b(?:apac|asia[- ]pacific)\b", re.IGNORECASE)),
    ("Asia", re.compile(r"\basia(?:n time ?zones?)?\b", re.IGNORECASE)),
    ("Europe", re.compile(r"\b(?:europe|european|eu|cet|cest|emea)\b(?:\s+time ?zones?)?",
                          re.IGNORECASE)),
    ("UK", re.compile(r"\b(?:uk|united kingdom|london|gmt|british time)\b", re.IGNORECASE)),
    ("Africa", re.compile(r"\bafrica\b", re.IGNORECASE)),
    ("Middle East", re.compile(r"\bmiddle east\b", re.IGNORECASE)),
    ("Australia", re.compile(r"\b(?:australia|aussie|sydney|melbourne)\b", re.IGNORECASE)),
]
_COUNTRIES = {
    "germany": "DE", "france": "FR", "spain": "ES", "italy": "IT", "the netherlands": "NL",
    "netherlands": "NL", "poland": "PL", "india": "IN", "japan": "JP", "brazil": "BR",
    "canada": "CA", "the us": "US", "the usa": "US", "the states": "US", "mexico": "MX",
    "nigeria": "NG", "kenya": "KE", "singapore": "SG", "ireland": "IE", "sweden": "SE",
    "switzerland": "CH", "austria": "AT", "portugal": "PT", "south africa": "ZA",
}
_COUNTRY = re.compile(r"\b(?:in|from|based in)\s+(" + "|".join(
    re.escape(c) for c in sorted(_COUNTRIES, key=len, reverse=True)) + r")\b", re.IGNORECASE)

# A country that follows one of these words (in the same clause) is where the mentor should be.
_FOR_MENTOR = re.compile(r"\b(?:someone|somebody|anyone|anybody|mentors?|people|person|"
                         r"experts?|advis[eo]rs?|coach(?:es)?|who(?:'s| is| are)?|ideally|"
                         r"preferably|only)\b[^.?!,;]{0,20}$", re.IGNORECASE)

_MORE_SENIOR = re.compile(r"\bmore (?:senior|experienced|seasoned)\b|\bolder hands?\b",
                          re.IGNORECASE)
_YEARS = re.compile(r"\b(?:at least |over |more than )?(\d{1,2})\+?\s*(?:\+\s*)?years?"
                    r"(?: of)?(?: experience)?\b", re.IGNORECASE)
_SENIOR_WISH = re.compile(r"\b(?:someone|somebody|a mentor|mentors?|people|person|expert)\s+"
                          r"(?:who is |who's |that is |that's )?(?:very |really )?(?:senior|"
                          r"experienced|seasoned)\b|\b(?:senior|seasoned|veteran|very "
                          r"experienced) (?:mentor|person|expert|people|someone|leader)s?\b",
                          re.IGNORECASE)

_URGENT = re.compile(r"\b(?:asap|urgent(?:ly)?|today|tonight|tomorrow|right away|"
                     r"as soon as possible)\b", re.IGNORECASE)
_SOON = re.compile(r"\b(?:this week|next week|this month|in the next (?:few|couple of) days|"
                   r"(?:before|by) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                   r"the end of the (?:week|month)|next week|the weekend|[a-z]+ \d{1,2}(?:st|nd|"
                   r"rd|th)?))\b", re.IGNORECASE)

_DIVERSITY = re.compile(r"\b(?:different (?:perspectives?|backgrounds?|people|options|angles?|"
                        r"views?|kinds?)|other (?:people|options|mentors|perspectives?)|more "
                        r"variety|mix it up|someone else|diverse)\b", re.IGNORECASE)
_MORE = re.compile(r"^\s*(?:show )?(?:me )?(?:some )?more(?: (?:mentors|results|options|"
                   r"people))?\s*[.!]?\s*$", re.IGNORECASE)

_LEVELS: list[tuple[Level, re.Pattern[str]]] = [
    ("student", re.compile(r"\b(?:student|studying|undergrad|bootcamp|intern|new grad|"
                           r"graduate)\b", re.IGNORECASE)),
    ("junior", re.compile(r"\b(?:junior|entry[- ]level|first job|early[- ]career|"
                          r"just started)\b", re.IGNORECASE)),
    ("founder", re.compile(r"\b(?:co-?founder|founder|own (?:a|my) (?:small )?business|"
                           r"(?:run|own) (?:a|my) (?:small |tiny |local )?[a-z]+|business owner|"
                           r"solopreneur|"
                           r"my (?:startup|company|shop|bakery|studio|agency))\b", re.IGNORECASE)),
    ("executive", re.compile(r"\b(?:ceo|cto|cfo|coo|vp|vice president|c-level|executive)\b",
                             re.IGNORECASE)),
    ("manager", re.compile(r"\b(?:manager|team lead|head of|director|managing (?:a|my) team)\b",
                           re.IGNORECASE)),
    ("senior", re.compile(r"\bi'?m (?:a )?senior\b|\bi am (?:a )?senior\b|\bsenior (?!mentor|"
                          r"person|expert|people|someone)[a-z]+er\b|\bstaff\b", re.IGNORECASE)),
    ("mid", re.compile(r"\bmid[- ]?(?:level|career)\b|\b\d+ years (?:in|as)\b", re.IGNORECASE)),
]
_SELF = re.compile(r"\b(?:i'?m|i am|i work|i've been|i have been|i just|i run|i own|i lead|"
                   r"i manage|as an?|my (?:startup|company|shop|business|team|agency|studio)|"
                   r"i'?m (?:a |an )?(?:student|studying))\b[^.,;!?]{0,60}", re.IGNORECASE)
_ROLE = re.compile(r"\b(?:i'?m|i am|i work as|working as|as)\s+(?:an?|the)\s+((?:[a-z&/-]+\s?)"
                   r"{1,5}?)(?=\s*(?:$|[,.;!?]|\band\b|\bat\b|\bin\b|\bfor\b|\bwho\b|\bwith\b|"
                   r"\bwho\b|\blooking\b|\btrying\b|\bwanting\b))", re.IGNORECASE)
_FIELD = re.compile(r"\b(?:in|at) (?:the |a |an )?([a-z&/ -]{3,30}?) (?:industry|sector|space|"
                    r"field)\b", re.IGNORECASE)


@dataclass
class SlotReading:
    """Constraints found in one message, and where in the text they were found."""

    formats: list[str] = field(default_factory=list)
    any_format: bool = False
    minutes: int | None = None
    shorter: bool = False
    language: str | None = None
    any_language: bool = False
    region: str | None = None
    countries: list[str] = field(default_factory=list)
    min_years: int | None = None
    more_senior: bool = False
    urgency: Urgency | None = None
    deadline: str | None = None
    context: MenteeContext = field(default_factory=MenteeContext)
    diversity: bool = False
    more: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    logistics: list[tuple[int, int]] = field(
        default_factory=list, metadata={"doc": "spans about how, when and where to meet"})

    def constraint_count(self) -> int:
        """How many search constraints the message sets or changes."""
        return sum([
            bool(self.formats), self.any_format, self.minutes is not None, self.shorter,
            self.language is not None, self.any_language, self.region is not None,
            bool(self.countries), self.min_years is not None, self.more_senior,
            self.diversity, self.more])


def meeting_update(slots: SlotReading) -> dict[str, object]:
    """The goal fields a message sets about how to meet: format, length and language."""
    update: dict[str, object] = {}
    if slots.formats:
        update["formats"] = slots.formats
    elif slots.any_format:
        update["formats"] = []
    if slots.minutes is not None:
        update["minutes"] = slots.minutes
    if slots.language:
        update["language"] = slots.language
    elif slots.any_language:
        update["language"] = None
    return update


def read_slots(text: str) -> SlotReading:
    """Everything concrete in ``text``: the rules behind the dialogue's slot filling."""
    found = SlotReading()
    match: re.Match[str] | None

    def hit(match: re.Match[str], logistics: bool = True) -> None:
        found.spans.append(match.span())
        if logistics:
            found.logistics.append(match.span())

    for kind, pattern in _FORMAT_RULES:
        for match in pattern.finditer(text):
            if kind not in found.formats:
                found.formats.append(kind)
            hit(match)
    for match in _PLAIN_CALL.finditer(text):
        hit(match)
        if not {"video", "phone"} & set(found.formats):
            found.formats += [f for f in ("video", "phone") if f not in found.formats]
    if match := _ANY_FORMAT.search(text):
        found.any_format = True
        hit(match)

    if match := _MINUTES.search(text):
        found.minutes = max(5, min(240, int(match.group(1))))
        hit(match)
    elif match := _HOURS.search(text):
        hit(match)
        word = (match.group(1) or "").lower()
        if match.group(2):
            found.minutes = int(float(match.group(2)) * 60)
        elif word in ("two", "2"):
            found.minutes = 120
        elif word:
            found.minutes = 60
        else:
            found.minutes = 30
    elif match := _QUICK.search(text):
        found.minutes = 15
        hit(match)
    if _SHORTER.search(text) and found.minutes is None:
        found.shorter = True

    for pattern in _LANGUAGE_RULES:
        if match := pattern.search(text):
            found.language = _LANGUAGE_CODES[match.group(1).lower()]
            hit(match)
            break
    found.any_language = bool(_ANY_LANGUAGE.search(text))

    for name, pattern in _REGION_RULES:
        if match := pattern.search(text):
            found.region = name
            hit(match)
            break
    for match in _COUNTRY.finditer(text):
        # "someone in Germany" asks for a mentor there; "importing ceramics from Portugal" or
        # "I'm in Germany" is about the mentee and their goal, not a filter.
        if not (_FOR_MENTOR.search(text[:match.start()]) or len(text.split()) <= 6):
            continue
        code = _COUNTRIES[match.group(1).lower()]
        if code not in found.countries:
            found.countries.append(code)
        hit(match)

    if match := _MORE_SENIOR.search(text):
        found.more_senior = True
        hit(match)
    years = _YEARS.search(text)
    if years and re.search(r"\b(?:mentor|someone|at least|\+|experience|who has)\b",
                           text[max(0, years.start() - 40):years.end() + 5],
                           re.IGNORECASE) and not \
            re.search(r"\bin (?:\w+ )?\d{1,2} years\b|\bi(?:'ve| have)\b",
                      text[max(0, years.start() - 30):years.end()], re.IGNORECASE):
        found.min_years = int(years.group(1))
        hit(years)
    elif match := _SENIOR_WISH.search(text):
        found.min_years = 10
        hit(match)

    if match := _URGENT.search(text):
        found.urgency, found.deadline = "urgent", match.group(0)
        hit(match)
    elif match := _SOON.search(text):
        found.urgency, found.deadline = "soon", match.group(0)
        hit(match)

    if match := _DIVERSITY.search(text):
        found.diversity = True
        hit(match, logistics=False)
    found.more = bool(_MORE.match(text))
    found.context = read_context(text)
    for pattern in (_ROLE, _FIELD):
        if found.context.role or found.context.field:
            for match in pattern.finditer(text):
                hit(match, logistics=False)
    return found


def read_context(text: str) -> MenteeContext:
    """The mentee's role, field and level, from phrases like "I'm a junior designer"."""
    about_me = " ".join(m.group(0) for m in _SELF.finditer(text))
    level: Level | None = None
    for name, pattern in _LEVELS:
        if pattern.search(about_me):
            level = name
            break
    role = None
    if match := _ROLE.search(text):
        candidate = " ".join(match.group(1).split()).strip(" -")
        if candidate and not re.match(r"(?:bit|little|lot|few|way|mentor|call)\b", candidate):
            role = candidate
    fld = None
    if match := _FIELD.search(text):
        fld = match.group(1).strip()
    return MenteeContext(role=role, field=fld, level=level)


_FILLER = re.compile(
    r"^(?:hi|hello|hey|so|ok(?:ay)?|well|please|thanks|actually|now|next|what about|"
    r"new question|different topic|(?:i )?(?:want|would like|'d like) to know|(?:i'?m )?wondering|"
    r"i'?m|i am|i(?:'d| would) (?:really )?(?:like|love)|"
    r"i (?:really )?(?:want|need)|i'?m (?:looking|searching|hoping) (?:for|to)|looking for|"
    r"can (?:someone|anyone|you)|could (?:someone|anyone|you)|help(?: me)?|advice|guidance|"
    r"to|talk|chat|get|have|find|book|some|a|an|the|one|someone|somebody|mentor|expert|"
    r"session|call|exchange|about|on|with|regarding|around|re|for|who|that|can|could|knows?|"
    r"is|are|good|at|discuss|me|my|only|just|in|over|via|by|and|also|instead|then)\b[\s,:;.!-]*",
    re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:.!?-]+$|\s+(?:please|thanks|thank you|and|or|with|from|by|"
                       r"for|in|a|an|the|via|over|on|who|that|is|only|just|instead)$",
                       re.IGNORECASE)


def strip_to_topic(text: str, spans: list[tuple[int, int]]) -> str:
    """The subject of a message once constraints and polite filler are taken out."""
    keep = list(text)
    for start, end in spans:
        for i in range(start, end):
            keep[i] = " "
    rest = " ".join("".join(keep).split())
    previous = None
    while previous != rest:
        previous = rest
        rest = _FILLER.sub("", rest).strip().lstrip(",.;:!?- ")
        rest = _TRAILING.sub("", rest).strip()
    return rest


_ANCHOR = re.compile(
    r"\b(?:advice|help|guidance|input|feedback|tips|thoughts|perspective|mentoring|questions?|"
    r"talk|chat|call|session|support)\s+(?:on|with|about|regarding|for|around|re)\s+(.+)$",
    re.IGNORECASE)
_CLAUSE = re.compile(r"^(?:i'?m|i am|i run|i own|i work|i've been|i have|i lead|i manage|we'?re|"
                     r"we are|we run|our)\b[^,;]*?(?:,|;|\band\b|\bso\b)\s+", re.IGNORECASE)


_ASKING = re.compile(r"\b(?:how|what|should|want|need|looking|help|advice|feedback|trying|hoping|"
                     r"wondering|question|stuck)\b", re.IGNORECASE)


def after_self_description(text: str) -> str:
    """``text`` without a leading "I'm a nurse with 5 years on a ward;" clause, when the rest
    still asks something."""
    match = _CLAUSE.match(text)
    if not match or _ASKING.search(match.group(0)):
        return text
    tail = text[match.end():].strip()
    return tail if len(tail.split()) >= 3 else text


def topic_phrase(text: str) -> str:
    """The short subject of a stripped message: what comes after 'help with', 'advice on'..."""
    text = _CLAUSE.sub("", text).strip()
    if match := _ANCHOR.search(text):
        text = match.group(1)
    previous = None
    while previous != text:
        previous = text
        text = _FILLER.sub("", text).strip().lstrip(",.;:!?- ")
        text = _TRAILING.sub("", text).strip()
    return text
