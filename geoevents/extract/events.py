"""From sentences to incidents: which sentences speak of which event, and what each adds.

A story is read sentence by sentence.  A sentence with an event word (attack, clash, shelling,
air strike, crash, ...) or a casualty figure either opens a new event or adds to one already
open: the one whose date and place it fits (its own date and place decide), the one it refers
to ("the attack", "Wednesday's attack"), or the one the sentence before it was about.  Tallies
("since 2015", "a total of", "a wave of attacks") and hypotheticals ("to prevent ... clashing")
are not events.  A source named in one sentence carries to the next sentences about the same
event ("Five other personnel were wounded" after "..., citing a defence ministry statement").

An event becomes an incident when it has a place finer than a country and a date the text
supports (a day, a range, a week; a month only with a figure; no date at all only for a story's
main event with a figure).  The rest is kept as context with the reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import Casualty, Claim, EventDate, Incident, Location, Source
from . import lexicon
from .article import Sentence
from .dates import DateMention, find_dates
from .figures import _ANY_CASUALTY, FigureMention, Group, find_figures
from .numbers import NUMBER
from .places import PlaceFinder, PlaceMention
from .sources import Attributor, SourceRef

if TYPE_CHECKING:
    from gazetteer import Resolution

NO_DATE_NOTE = "the report gives no date"
_PREC_ORDER = {"day": 0, "range": 1, "week": 2, "month": 3, "year": 4, "unknown": 5}
_KILL_WORD = re.compile(r"\b(?:killed|died|dead|slain|killing|wounded|injured)\b", re.I)
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|reported|reports|announced|told\s+(?:\w+\s+){0,2}|confirmed|stated|added|"
    r"claimed|briefing|statement|conference|interview|published|released|acknowledged|"
    r"admitted|tweeted|posted)\s+(?:\w+\s+){0,2}(?:on\s+)?$", re.I)
_CLAIM = re.compile(r"\b(?:has\s+|have\s+|had\s+)?claim(?:ed|s|ing)\b(?!\s+of\s+(?:the|hitting))|"
                    r"\b(?:carried|made|issued|published)\s+a\s+(?:similar\s+)?claim\b", re.I)
_NOT_CONFIRM = re.compile(
    r"\b(?:could\s+not|couldn['’]t|did\s+not|didn['’]t|has\s+not|hasn['’]t|have\s+not|"
    r"cannot|can['’]t|was\s+unable\s+to|were\s+unable\s+to|declined\s+to|refused\s+to|"
    r"would\s+not|not\s+(?:been\s+)?independently)\s+(?:independently\s+|yet\s+|either\s+)?"
    r"(?:confirm|verify|verified|confirmed)", re.I)
_CONFIRM = re.compile(r"\bconfirm(?:ed|s)\b", re.I)
_PEOPLE = re.compile(r"\b(?:head|chief|director|spokes\w+|founder|official|commander|leader|"
                     r"representative|he|she|it|they)\b")
_CASUALTY_STEMS = ("kill", "dead", "died", "death", "slain", "lives", "perish", "execut", "wound",
                   "injur", "hurt", "toll", "lost", "murder", "behead", "fatalit", "remaining")
_ANAPHOR_WORDS = frozenset(["attack", "incident", "assault", "raid", "fighting", "battle", "clash",
                            "clashes", "strike", "blast", "explosion", "bombing", "ambush",
                            "crash", "shelling", "violence", "operation", "killed", "remaining",
                            "victim", "victims", "dead", "target"])
_CONTINUATION_WORDS = frozenset(["target", "targets", "targeted", "took", "happened", "occurred",
                                 "struck", "hit", "location"])
_REPORTING_WORDS = frozenset(["said", "says", "say", "told", "tells", "reported", "reports", "announced", "announces", "stated", "states", "claimed", "claims", "confirmed", "confirms", "added", "adds", "put", "estimated", "estimates", "quoted", "cited", "citing", "according", "acknowledged", "noted", "wrote", "tweeted", "posted", "published", "carried", "documented", "recorded", "monitored", "counted", "verified", "blamed", "accused"])
_PASSIVE_BY = re.compile(r"\b(?:was|were|been)\s+(?:\w+\s+){0,3}confirmed\s+(?:\w+\s+){0,3}by\s+",
                         re.I)
_AREA_WORDS = re.compile(r"\b(?:province|governorate|region|countryside|desert|district|areas?|"
                         r"valley|badiya|plain|the\s+(?:east|west|north|south)\s+of)\b", re.I)
_NEAR_WORDS = re.compile(r"\b(?:near|nearby|outside|around|close\s+to|outskirts|vicinity|between|"
                         r"edge|km|kilomet\w+|miles?|(?:north|south|east|west)\w*\s+of)\b", re.I)
_TERRITORY_NOUN = (r"(?:towns?|villages?|city|cities|areas?|districts?|neighbou?rhoods?|bases?|"
                   r"airports?|air\s*bases?|airdromes?|hills?|mountains?|mount|regions?|"
                   r"provinces?|countryside|site|complex|cent(?:er|re)|dams?|mosques?|"
                   r"crossings?|islands?|oil\s*fields?|fields|quarters?|suburbs?|camps?|farms?|"
                   r"localit(?:y|ies)|zones?|territory|territories|strongholds?|bastions?|parts?|"
                   r"settlements?|hamlets?|control)")
_TERRITORY_BEFORE = re.compile(r"\b" + _TERRITORY_NOUN + r"\b", re.I)
#: What a territory word takes: a place ("the strategic northern town of Ariha", "four more
#: villages", "control of Kallaseh"), not people or arms ("captured 600 troops").
_TERRITORY = re.compile(
    r"^\s*(?:,\s*)?(?:on\s+(?:\w+\s+){1,2}|(?:early\s+)?(?:this|last|yesterday)\s+\w+\s+|"
    r"today\s+|yesterday\s+)?(?:of\s+|over\s+)?(?:(?:the|a|an)\s+)?"
    r"(?:(?:(?:[\w’'-]+,?\s+){0,4}?" + _TERRITORY_NOUN + r"\b)|(?-i:[A-Z])(?!\w*\s+(?:\w+\s+)?"
    r"(?:fighters|militants|members|soldiers|troops|terrorists|jihadists|commanders?|leaders?)\b))",
    re.I)
_TERRITORY_TYPES = ("Non-state actor overtakes territory", "Government regains territory")
_BACKGROUND_GERUND = re.compile(r"\b(?:since|before|until)\s+$", re.I)
#: "The villages of X and Y were cleared": the territory is the subject.
_PASSIVE = re.compile(r"\b(?:was|were|been|is|are|fully|completely)\s+$", re.I)
#: "the liberated villages", "newly captured areas": the word describes, it does not report.
_ATTRIBUTIVE = re.compile(r"\b(?:the|a|an|its|their|his|her|newly|recently|already|previously)\s+$",
                          re.I)
#: "to recapture", "in a bid to seize", "trying to retake": a purpose, not an event.
_INFINITIVE = re.compile(r"(?<!managed\s)(?<!able\s)(?<!went\s)\bto\s+(?:(?:try|help|attempt)\s+"
                         r"(?:to\s+)?)?$", re.I)
_NOT_TERRITORY = re.compile(
    r"^\s*(?:off|place|part|office|refuge|shelter|aim|responsibility|care|note|advantage|measures|"
    r"steps|action|charge|power|hostages?|prisoners?|captives?)\b|^\s*(?:(?:the|a|an)\s+)?(?:[\w’'-]+\s+){0,3}?(?:war|conflict|fray|talks|negotiations|"
    r"deal|agreement|country|dialogue|battle\s+for)\b", re.I)
_PAIR = re.compile(r"\b(?:a\s+pair\s+of|two|twin|double)\s+(?:\w+\s+)?(?:attacks|assaults|"
                   r"raids|bombings|blasts|explosions|strikes)\b", re.I)
_ANOTHER = re.compile(r"\b(?:(?:the|a)\s+(?:second|third|fourth|separate|further|new)|another)\s+"
                      r"(?:[\w-]+\s+)?(?:attacks?|bombings?|blasts?|explosions?|strikes?|"
                      r"air\s*strikes?|raids?|incidents?|ambush(?:es)?|clash(?:es)?|shelling)\b",
                      re.I)
REMOTE = "Explosions/Remote violence"
_SUPERSEDED = re.compile(r"\b(?:previously|earlier|initially|at\s+first|first)\s+(?:\w+\s+){0,3}?"
                         r"(?:gave|put|reported|said|counted|announced|stood)\b|"
                         r"\bhad\s+(?:earlier\s+|previously\s+|initially\s+)?(?:put|given|reported)\s+"
                         r"(?:the\s+|a\s+)?(?:toll|number|figure)|\b(?:earlier|previous|initial)\s+"
                         r"(?:death\s+)?toll\b", re.I)
_REVISED = re.compile(r"\b(?:later|since|now|has|have|had|was|were)\s+(?:been\s+)?(?:raised|risen|"
                      r"rose|climbed|increased|jumped|revised)\b|\bnew\s+toll\b|\btoll\s+(?:has\s+|had\s+)?"
                      r"(?:risen|rose|climbed|increased|jumped|reached)\b|^\s*but\s+it\s+has\s+"
                      r"(?:risen|climbed|increased)", re.I)
_REVISED_AFTER = re.compile(r"^\s*(?:but|however,?)\s+(?:it|the\s+toll|the\s+figure|that)\s+(?:has|had)\s+"
                            r"(?:since\s+)?(?:risen|climbed|increased|gone\s+up)|\bhas\s+since\s+"
                            r"(?:risen|climbed|increased)", re.I)
_ENCLOSED_BY = re.compile(r"\s*,?\s*(?:in|near|outside|of|on\s+the\s+outskirts\s+of|(?:\d+\s*km\s+)?"
                          r"(?:north|south|east|west)\w*\s+of|in\s+the\s+\w+\s+of)?\s*", re.I)
_UNNAMED = re.compile(r"^(?:(?:a|an|one)\s+)?(?:[\w-]+\s+)?(?:village|town|area|city|"
                      r"neighbou?rhood|district|locality)\b(?!\s+of\b)", re.I)
_ANAPHOR_TYPE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+)?(strikes?|raids?|"
                           r"air\s*strikes?|shelling|bombardment|bombings?|blasts?|explosions?)\b",
                           re.I)
_AREA_KINDS = frozenset({"admin1", "admin2", "region", "desert", "valley", "plain"})
_PLURAL_TRIGGER = re.compile(r"\b(?:attacks|assaults|raids|strikes|bombings|clashes|battles|"
                             r"operations|air\s*strikes|air\s*raids|booby[\s-]?traps|"
                             r"(?:roadside\s+|car\s+)?bombs|IEDs|(?:land\s*)?mines|"
                             r"explosive\s+devices|rockets|missiles|mortars|shells|explosions|"
                             r"blasts)\b", re.I)


# ----------------------------------------------------------------------------------- analysis
@dataclass(slots=True)
class Trigger:
    rule: lexicon.TriggerRule
    text: str
    begin: int


@dataclass(slots=True)
class ActorMention:
    name: str  # canonical, or a placeholder resolved with the host country
    kind: str  # state | nonstate | civilians | external
    country: str = ""
    generic: bool = False
    host: bool = False  # "regime forces": the host country's government
    role: str = ""  # attacker | target | ""
    begin: int = 0
    sentence: int = -1


@dataclass(slots=True)
class Analysis:
    sent: Sentence
    triggers: list[Trigger] = field(default_factory=list)
    hypothetical: bool = False
    aggregate: bool = False
    anaphor: bool = False
    continuation: bool = False
    dates: list[DateMention] = field(default_factory=list)  # event dates
    other_dates: list[tuple[DateMention, str]] = field(default_factory=list)  # (date, role)
    places: list[PlaceMention] = field(default_factory=list)
    figures: list[FigureMention] = field(default_factory=list)
    source: SourceRef | None = None
    refs: list[SourceRef] = field(default_factory=list)
    claimant: str = ""
    confirmed_by: list[str] = field(default_factory=list)
    not_confirmed_by: list[str] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)

    @property
    def event_places(self) -> list[PlaceMention]:
        return [p for p in self.places if p.role == "event"]

    @property
    def fine_places(self) -> list[PlaceMention]:
        return [p for p in self.event_places if not p.is_country and not p.unknown]

    @property
    def counted(self) -> list[FigureMention]:
        return [f for f in self.figures if f.qty is not None]


def _triggers(text: str, words: frozenset[str] | None = None) -> tuple[list[Trigger], bool]:
    found: list[Trigger] = []
    if words is None:
        words = frozenset(re.findall(r"[a-z’']+", text.lower()))
    if not (words & lexicon.TRIGGER_WORDS) or not lexicon.TRIGGER_ANY.search(text):
        return found, False
    hyp = 0
    for rule in lexicon.TRIGGERS:
        for m in rule.pattern.finditer(text):
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    _BACKGROUND_GERUND.search(text[max(0, m.start() - 20):m.start()]):
                continue  # "since taking Palmyra": what came before the event reported
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    not (_PASSIVE.search(text[max(0, m.start() - 20):m.start()]) and
                         _TERRITORY_BEFORE.search(text[max(0, m.start() - 90):m.start()])) and \
                    (not _TERRITORY.match(text[m.end():]) or
                     _NOT_TERRITORY.match(text[m.end():]) or
                     _ATTRIBUTIVE.search(text[max(0, m.start() - 30):m.start()])):
                continue
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    _INFINITIVE.search(text[max(0, m.start() - 40):m.start()]) and \
                    not re.search(r"(?:ed|ing|s)$", m.group(0).split()[0], re.I):
                hyp += 1
                continue  # "to recapture the city", "trying to seize": not (yet) an event
            if any(m.start() < t.begin + len(t.text) and t.begin < m.end() for t in found):
                continue
            if lexicon.HYPOTHETICAL.search(text[max(0, m.start() - 60):m.start()]):
                hyp += 1
                continue
            found.append(Trigger(rule, m.group(0), m.start()))
    found.sort(key=lambda t: t.begin)
    return found, bool(hyp and not found)


_GOV_WORDS = frozenset(["government", "regime", "assad", "assad’s", "assad's", "army", "loyalist",
                        "pro"])
_GENERIC_WORDS = frozenset(["attackers", "assailants", "militants", "rebel", "rebels", "jihadist", "jihadists", "jihadis", "jihadi", "terrorist", "terrorists", "insurgents", "insurgent", "gunmen", "armed", "opposition", "mobile", "militiamen", "extremists", "fighters", "militant"])
_CIVILIAN_WORDS = frozenset(["civilian", "civilians", "residents", "villagers", "children", "women", "passers", "passers-by", "passersby", "worshippers", "farmers", "shepherds", "displaced", "refugees", "aid", "journalists", "medics", "doctors", "students", "schoolstudents", "pupils", "families"])


def _actors(text: str, triggers: list[Trigger],
            words: frozenset[str] | None = None) -> list[ActorMention]:
    out: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    if words is None:
        words = frozenset(re.findall(r"[a-z’']+", text.lower()))
    demonyms = lexicon.countries().by_demonym
    has_dem = any(w in demonyms or (w.endswith("s") and w[:-1] in demonyms) for w in words)

    def add(a: ActorMention, b: int, e: int) -> None:
        if any(b < te and tb < e for tb, te in taken):
            return
        taken.append((b, e))
        a.begin = b
        a.role = _role(text, b, e, triggers)
        out.append(a)

    if words & lexicon.ACTOR_WORDS and lexicon.ACTOR_ANY.search(text):
        for a in lexicon.NAMED_ACTORS:
            for m in a.pattern.finditer(text):
                add(ActorMention(a.name, "nonstate" if a.kind == "nonstate" else "state"),
                    m.start(), m.end())
    if words & _GOV_WORDS or "pro-" in text:
        for m in lexicon.GOVERNMENT.finditer(text):
            if m.group(0).lower().startswith("pro-"):
                add(ActorMention("pro-government forces", "state", host=True), m.start(),
                    m.end())
            else:
                add(ActorMention("government forces", "state", host=True), m.start(), m.end())
    if has_dem:
        for m in _DEM_FORCES.finditer(text):
            cc = lexicon.demonym_of(m.group("dem"))
            if cc:
                add(ActorMention("", "state", cc), m.start(), m.end())
        for m in _DEM_AND_FORCES.finditer(text):
            cc2 = lexicon.demonym_of(m.group("dem2"))
            if cc2:
                add(ActorMention("", "state", cc2), m.start("dem2"), m.end())
    if words & _GENERIC_WORDS:
        for m in lexicon.GENERIC_NONSTATE.finditer(text):
            if re.search(r"(?:pro-|government|regime)\s*$", text[:m.start()], re.I):
                continue
            add(ActorMention("unidentified armed group", "nonstate", generic=True), m.start(),
                m.end())
        for m in _GENERIC_TARGETS.finditer(text):
            add(ActorMention("unidentified armed group", "nonstate", generic=True), m.start(),
                m.end())
    if words & _CIVILIAN_WORDS:
        for m in lexicon.CIVILIANS.finditer(text):
            add(ActorMention("civilians", "civilians"), m.start(), m.end())
    # "Moscow's airforce", "Russia's army": a state's forces named through the state.
    if "’s" in text or "'s" in text:
        for m in _STATE_POSSESSIVE.finditer(text):
            cc = lexicon.country_of(m.group("c"))
            if cc:
                add(ActorMention("", "state", cc), m.start(), m.end())
    # A demonym right before a trigger noun: "Iraqi planes", "rebel shelling", "Daesh attack".
    if has_dem:
        for t in triggers:
            m = _DEM_BEFORE.search(text[:t.begin])
            if m:
                cc = lexicon.demonym_of(m.group("dem"))
                if cc:
                    add(ActorMention("", "state", cc), m.start(), m.end())
    out.sort(key=lambda a: a.begin)
    return out


_DEM_FORCES = re.compile(rf"\b(?P<dem>[A-Z][a-z]+)(?:\s+(?:and\s+)?(?:allied\s+)?"
                         rf"(?:[A-Z][a-z]+\s+)?)?\s*(?:{lexicon.MILITARY_NOUN})\b")
_DEM_AND_FORCES = re.compile(r"\b(?P<dem>[A-Z][a-z]+)\s+(?:and\s+(?:allied\s+)?"
                             r"(?P<dem2>[A-Z][a-z]+)\s+)(?:fighters|forces|troops|soldiers)\b")
_GENERIC_TARGETS = re.compile(r"\b(?:jihadi|jihadist|militant|rebel|terrorist|insurgent)\s+"
                              r"(?:targets?|positions?|hideouts?|groups?)\b", re.I)
_STATE_POSSESSIVE = re.compile(r"\b(?P<c>[A-Z][a-z]+)['’]s\s+(?:\w+\s+)?(?:air\s*force|airforce|"
                               r"army|military|forces|troops|navy|warplanes|jets|aircraft)\b")
_DEM_BEFORE = re.compile(r"\b(?P<dem>[A-Z][a-z]+)\s+(?:\w+\s+)?$")


_BY = re.compile(
    r"\b(?:(?:attacks?|assaults?|raids?|strikes?|shelling|bombardment|offensive|ambush(?:es)?|"
    r"bombings?|air\s*strikes?|incursions?|operations?)\s+(?:\w+\s+){0,2}(?:by|from)|"
    r"(?:killed|wounded|carried\s+out|mounted|launched|claimed|targeted|attacked|hit|struck|"
    r"shelled|bombed|ambushed|raided|stormed)\s+by)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_ON = re.compile(r"\b(?:on|against|targeted|targeting|attacked|attacking|struck|hit|shelled|"
                 r"bombed|stormed|ambushed|raided|belonging\s+to|at)\s+(?:a\s+|an\s+|the\s+)?"
                 r"(?:group\s+of\s+|number\s+of\s+)?(?:\w+\s+){0,3}$", re.I)
_ACTIVE = re.compile(r"^\s*(?:(?!were\b|was\b|been\b|being\b|is\b|are\b|and\b|or\b)"
                     r"[\w()’'-]+\s+){0,4}?"
                     r"(?:attacked|targeted|struck|hit|shelled|bombed|stormed|ambushed|raided|"
                     r"killed|seized|captured|fired|launched|mounted|crossed|carried\s+out|"
                     r"ramped\s+up|claimed\s+(?:responsibility|the\s+killing|killing|to\s+have|"
                     r"the\s+attack))\b", re.I)


_COUNTED = re.compile(rf"(?:\b(?:{NUMBER})|\d)\s+(?:[\w-]+\s+){{0,2}}$", re.I)


def _role(text: str, b: int, e: int, triggers: list[Trigger]) -> str:
    before = text[:b]
    after = text[e:]
    if _COUNTED.search(before) and re.match(
            r"^\s*(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+|are\s+)?(?:\w+\s+){0,2}?"
            r"(?:killed|dead|died|wounded|injured|slain)\b", after, re.I):
        return ""  # "35 pro-government forces killed": counted victims, not an actor's act
    if _BY.search(before):
        return "attacker"
    for t in triggers:
        # "Daesh attack", "rebel shelling", "Iraqi planes ... hit": the actor names the
        # trigger noun (at most one word between, no preposition).
        gap = text[e:t.begin]
        if 0 <= t.begin - e <= 14 and re.fullmatch(
                r"(?:['’]s)?\s*(?:(?!in\b|on\b|at\b|of\b|during\b|by\b|after\b|and\b|from\b)"
                r"[\w-]+\s+)?", gap):
            return "attacker"
    if _ON.search(before) and triggers:
        return "target"
    if re.search(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$", before, re.I) and any(
            t.rule.sub_event_type in _TERRITORY_TYPES for t in triggers):
        return "target"  # "recaptured the town from rebels": the party losing it
    if _ACTIVE.match(after):
        return "attacker"
    return ""


def _date_role(text: str, d: DateMention) -> str:
    if d.since:
        return "since"
    if d.future:
        return "future"
    before = text[:d.begin]
    if re.match(r"^\s*(?:night)?['’]s\s+(?:\w+\s+)?(?:attacks?|strikes?|air\s*strikes?|raids?|"
                r"bombings?|blasts?|explosions?|clash(?:es)?|shelling|fighting|assault|ambush|"
                r"massacre|incident|battle)\b", text[d.stop:], re.I):
        return "event"  # "the officials said Tuesday's attack occurred in ..."
    if d.begin <= 3 and re.match(r"^\s*[;:|–—]", text[d.stop:]):
        return "report"  # "09 Dec 2019; MEMO: ...": the report's date line
    if _REPORT_BEFORE.search(before):
        return "report"
    if re.match(r"^\s*(?:,\s*)?(?:that|when)\b", text[d.stop:]) and \
            lexicon.REPORTING.search(before[-30:]):
        return "report"
    # "Abdel Rahman said Sunday"
    if re.search(r"\b(?:said|says|told\s+\w+|reported|announced)\s*$", before, re.I):
        return "report"
    # "On Sunday, a local newspaper ... reported on ... killed": reported before the event word.
    if d.begin <= 3:
        rest = text[d.stop:]
        rep = lexicon.REPORTING.search(rest)
        ev = _KILL_WORD.search(rest)
        trig = min((m.start() for r in lexicon.TRIGGERS for m in [r.pattern.search(rest)] if m),
                   default=None)
        first_event = min([x for x in (ev.start() if ev else None, trig) if x is not None],
                          default=None)
        if rep and (first_event is None or rep.start() < first_event):
            return "report"
    return "event"


_RELATIVE = re.compile(r"\b(?:who|which|that|whose)\s+(?:have|has|had|were|was)\b[^,;.()]*", re.I)


def _aggregate(text: str) -> bool:
    # A relative clause describes the background of what the sentence reports ("retook the
    # complex from militants who have occupied the city since May").
    if "since" in text and _RELATIVE.search(text):
        text = _RELATIVE.sub(lambda m: m.group(0) if _KILL_WORD.search(m.group(0)) else " ",
                             text)
    return bool(lexicon.AGGREGATE.search(text) or re.search(
        r"\b(?:war|conflict)\s+(?:that|which)\s+has\s+killed\b|"
        r"-year(?:-old)?\s+(?:civil\s+)?war\b|\bthat\s+number\b", text, re.I))


def analyse(sent: Sentence, *, published: date | None, finder: PlaceFinder,
            attributor: Attributor) -> Analysis:
    text = sent.text
    low = text.lower()
    words = frozenset(re.findall(r"[a-z’']+", low))
    a = Analysis(sent)
    a.places = finder.mentions(text, sent.kind)
    a.triggers, a.hypothetical = _triggers(text, words)
    a.anaphor = bool(words & _ANAPHOR_WORDS) and bool(lexicon.ANAPHOR.search(text))
    a.continuation = bool(words & _CONTINUATION_WORDS) and \
        bool(lexicon.PLACE_CONTINUATION.search(text))
    casualty = any(w in low for w in _CASUALTY_STEMS) and bool(_ANY_CASUALTY.search(text))
    talk = "claim" in low or "confirm" in low or "verif" in low
    reporting = bool(words & _REPORTING_WORDS) and bool(lexicon.REPORTING.search(text))
    if not (a.triggers or casualty or talk or a.continuation):
        # Background: it cannot open or join an event; only who is speaking matters (for
        # "he said" later) and its places are context.
        if reporting or _PEOPLE.search(text):
            a.refs = attributor.mentions(text)
            a.source = attributor.attribution(text, a.refs) if reporting else None
        return a
    a.aggregate = _aggregate(text)
    for d in find_dates(text, published):
        role = _date_role(text, d)
        if role == "event":
            a.dates.append(d)
        else:
            a.other_dates.append((d, role))
    a.refs = attributor.mentions(text)
    a.source = attributor.attribution(text, a.refs) if reporting or a.refs else None
    possessor = a.source.country if a.source else ""
    a.figures = find_figures(text, possessor=possessor)
    a.actors = _actors(text, a.triggers, words)
    for x in a.actors:
        x.sentence = sent.index
    # Claims and (non-)confirmations.
    m = _CLAIM.search(text)
    if m and not re.search(r"\b(?:denied|deny|denies|confirm)\b[^.]*$", text[:m.start()], re.I):
        before = [r for r in a.refs if r.end <= m.start()]
        after = [r for r in a.refs if r.begin >= m.end() and r.begin - m.end() < 4]
        who = before[-1] if before else (after[0] if after else None)
        if who is None and re.search(r"\b(?:the|this)\s+(?:\w+\s+)?group\b", text[:m.start()],
                                     re.I):
            a.claimant = "the group"
        elif who is not None:
            a.claimant = who.affiliated_with if who.kind == "actor" else who.name
        elif re.search(r"[”\"]\s*,?\s*$", text[:m.start()]) and a.source:
            a.claimant = a.source.name
    for m in _NOT_CONFIRM.finditer(text):
        who = _subject(a.refs, m.start(), attributor)
        if who:
            a.not_confirmed_by.append(who)
    for m in _CONFIRM.finditer(text):
        if _NOT_CONFIRM.search(text[max(0, m.start() - 40):m.end()]):
            continue
        pb = _PASSIVE_BY.search(text[:m.end() + 40])
        if pb:
            after = [r for r in a.refs if r.begin >= pb.end() - 1]
            if after:
                a.confirmed_by.append(after[0].name)
                continue
        who = _subject(a.refs, m.start(), attributor)
        if who:
            a.confirmed_by.append(who)
    return a


def _subject(refs: list[SourceRef], pos: int, attributor: Attributor) -> str:
    before = [r for r in refs if r.end <= pos]
    if before:
        r = before[0]
        return r.affiliated_with if r.kind == "actor" else r.name
    if attributor.last is not None:
        return attributor.last.name
    return ""


# ------------------------------------------------------------------------------------ drafts
@dataclass(slots=True)
class FigRec:
    kind: str
    group: Group | None
    low: int | None
    best: int | None
    high: int | None
    vague: bool
    source: str
    quote: str
    part_of: str = ""  # label of the group this figure is part of ("including")
    breakdown_of: FigRec | None = None
    where: str = ""
    notes: list[str] = field(default_factory=list)
    claimed: bool = False
    clause: str = ""
    where_pm: PlaceMention | None = None
    sentence: int = -1
    superseded: bool = False  # an earlier figure the report has revised since


@dataclass(slots=True)
class Draft:
    story: int
    first: int  # sentence index
    lead: bool
    triggers: list[Trigger] = field(default_factory=list)
    date: DateMention | None = None
    places: list[tuple[PlaceMention, Resolution | None, str, bool]] = field(default_factory=list)
    figs: list[FigRec] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)  # (claimant, sentence)
    confirmed_by: list[str] = field(default_factory=list)
    not_confirmed_by: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    last_source: SourceRef | None = None
    last_index: int = -1
    last_index_before: int = -1
    notes: list[str] = field(default_factory=list)
    date_problems: list[str] = field(default_factory=list)

    # -------------------------------------------------------------- properties
    @property
    def specific_type(self) -> str:
        ts = [t for t in self.triggers if not t.rule.generic]
        return max(ts, key=lambda t: t.rule.priority).rule.event_type if ts else ""

    def main_place(self) -> tuple[PlaceMention, Resolution | None, str] | None:
        """The place of the event: the first one named, replaced by a later one only when
        that is finer and inside it (the province, then the town) or next to it."""
        fine = [(pm, r, note) for pm, r, note, sub in self.places
                if not sub and r is not None and r.place is not None and r.place.kind != "country"]
        if not fine:
            return None
        cur = fine[0]
        for cand in fine[1:]:
            pc, pn = _precision(cur[1], cur[0], cur[2]), _precision(cand[1], cand[0], cand[2])
            a, b = cur[1].place, cand[1].place
            if a.uid == b.uid:
                if not cand[2] and cur[2]:
                    cur = cand  # the same place, read from its phrase this time
                continue
            if _UNNAMED.match(cur[0].phrase or "") and not _UNNAMED.match(cand[0].phrase or "") \
                    and _km((a.lat, a.lon), (b.lat, b.lon)) <= 150 and pn <= max(pc, 2):
                cur = cand  # "a village northeast of Baghdad" gives way to the village named
                continue
            if pn >= pc:
                continue
            near = _km((a.lat, a.lon), (b.lat, b.lon)) <= 25
            inside = pc >= 3 and ((a.admin1 and a.admin1 == b.admin1) or (
                a.kind in ("region", "desert", "valley") and
                _km((a.lat, a.lon), (b.lat, b.lon)) <= 200))
            if near or inside:
                cur = cand
        return cur

    def country(self) -> str:
        mp = self.main_place()
        if mp and mp[1] and mp[1].place:
            return mp[1].place.country
        for _pm, r, _n, _s in self.places:
            if r is not None and r.place is not None:
                return r.place.country
        return ""


def _precision(r: Resolution | None, pm: PlaceMention, note: str) -> int:
    """The precision of a resolved mention; when the gazetteer could not read the phrase and the
    name stands in for it, the phrase's words lower the precision (ACLED: a province's capital
    stands for the province at precision 3, a town for its surroundings at 2)."""
    p = (r.precision if r is not None and r.precision else 1) or 1
    if note:
        rest = pm.phrase.replace(pm.name, " ")
        if _AREA_WORDS.search(rest):
            p = max(p, 3)
        elif _NEAR_WORDS.search(rest):
            p = max(p, 2)
    return p


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from math import asin, cos, radians, sin, sqrt

    la1, lo1, la2, lo2 = map(radians, (*a, *b))
    h = sin((la2 - la1) / 2) ** 2 + cos(la1) * cos(la2) * sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * asin(sqrt(h))


def _places_compatible(draft: Draft, a: Analysis, km: float = 60.0) -> bool:
    mine = draft.main_place()
    theirs = [p for p in a.fine_places]
    if not mine or not theirs:
        # Countries: the same country or no country.
        cs = {p.place.country for p in a.event_places if p.place is not None}
        dc = draft.country()
        return not cs or not dc or dc in cs
    p0 = mine[1].place if mine[1] else None
    if p0 is None:
        return True
    for pm in theirs:
        p = pm.place
        if p is None:
            continue
        if p.uid == p0.uid:
            return True
        if p.admin1 and p.admin1 == p0.admin1 and p.country == p0.country:
            return True
        if _km((p.lat, p.lon), (p0.lat, p0.lon)) <= km:
            return True
        if (p.kind in ("region", "desert", "admin1", "valley") or p0.kind in (
                "region", "desert", "admin1", "valley")) and \
                _km((p.lat, p.lon), (p0.lat, p0.lon)) <= 200:
            return True
    return False


def _dates_compatible(draft: Draft, a: Analysis) -> int:
    """0 incompatible, 1 compatible because the draft has no date, 2 the dates overlap."""
    if not a.dates or draft.date is None or not draft.date.resolved:
        return 1
    for d in a.dates:
        if not d.resolved:
            return 1
        if d.start <= draft.date.end and draft.date.start <= d.end:
            return 2
    return 0


def _types_compatible(draft: Draft, a: Analysis) -> bool:
    mine = draft.specific_type
    theirs = {t.rule.event_type for t in a.triggers if not t.rule.generic}
    return not mine or not theirs or mine in theirs


def _actors_compatible(draft: Draft, a: Analysis) -> bool:
    mine = {(x.name, x.country) for x in draft.actors if x.role == "attacker" and not x.generic}
    theirs = {(x.name, x.country) for x in a.actors if x.role == "attacker" and not x.generic}
    return not mine or not theirs or bool(mine & theirs)


# ---------------------------------------------------------------------------------- assembly
@dataclass(slots=True)
class ContextItem:
    file: str
    line: int
    kind: str  # place | event
    text: str  # as written
    name: str = ""  # the gazetteer's name
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    reason: str = ""
    quote: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "kind": self.kind, "text": self.text,
                "name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "reason": self.reason, "quote": self.quote}


@dataclass(slots=True)
class StoryResult:
    incidents: list[tuple[Incident, int]]  # (incident, line)
    context: list[ContextItem]
    unplaced: list[tuple[str, int, str]]  # (reason, line, sentence)
    messages: list[str]


class StoryReader:
    """Reads the sentences of one story into drafts, then incidents."""

    def __init__(self, *, finder: PlaceFinder, attributor: Attributor, published: date | None,
                 outlet: str, url: str, file: str) -> None:
        self.finder = finder
        self.attr = attributor
        self.published = published
        self.outlet = outlet
        self.url = url
        self.file = file
        self.drafts: list[Draft] = []
        self.context: list[ContextItem] = []
        self.used_places: set[tuple[int, int]] = set()  # (sentence index, begin)

    # ------------------------------------------------------------------ reading
    def read(self, sentences: list[Sentence]) -> None:
        cur: Draft | None = None
        prev_linked: Draft | None = None
        prev_aggregate = False
        for s in sentences:
            if s.kind not in ("body", "caption"):
                continue
            a = analyse(s, published=self.published, finder=self.finder, attributor=self.attr)
            self._context_places(a)
            if s.kind == "caption":
                continue
            if a.aggregate or (prev_aggregate and a.figures and not a.triggers and not a.dates
                               and not a.fine_places and not a.anaphor and re.search(
                                   r"^(?:another|also|in\s+addition)\b|\balso\b|\bas\s+have\b",
                                   s.text, re.I)):
                prev_aggregate = True
                self._note_event(a, "a tally over time, not one incident")
                prev_linked = None
                continue
            prev_aggregate = False
            if not a.figures and cur is not None and _REVISED_AFTER.search(s.text):
                # "On July 7, the ministry put the toll at 292. But it has risen since ...".
                for r in cur.figs:
                    if r.sentence == s.index - 1 and r.breakdown_of is None:
                        r.superseded = True
            target = self._link(a, cur, prev_linked)
            if target is None:
                self._note_event(a, "a sentence that reports no incident")
                prev_linked = None
                continue
            self._add(target, a, adjacent=(target is prev_linked))
            cur = target
            prev_linked = target

    def _link(self, a: Analysis, cur: Draft | None, prev: Draft | None) -> Draft | None:
        trig = bool(a.triggers)
        figs = bool([f for f in a.figures if f.qty is not None])
        talk = bool(a.claimant or a.confirmed_by or a.not_confirmed_by)
        if not (trig or figs or talk or (a.continuation and a.fine_places)):
            return None
        if a.hypothetical and not figs:
            return None
        if trig and _ANOTHER.search(a.sent.text):
            # "In the second bombing ...", "In a separate attack ...": another event, on the
            # day of the one before unless the sentence says otherwise.
            d = self._new(a)
            if not any(x.resolved for x in a.dates) and cur is not None and cur.date is not None:
                d.date = cur.date
            return d

        def ok(d: Draft) -> int:
            dc = _dates_compatible(d, a)
            if not dc or not _types_compatible(d, a) or not _actors_compatible(d, a):
                return 0
            if not _places_compatible(d, a):
                return 0
            return dc

        if a.dates and any(d.resolved for d in a.dates):
            scored = [(ok(d), d is cur, i, d) for i, d in enumerate(self.drafts)]
            scored = [t for t in scored if t[0]]
            # A dated sentence with its own toll is its own event, not an undated one's that
            # has a toll already ("On Wednesday, the army killed 17 ..." after "killed five").
            if a.counted and not a.anaphor:
                mine = {(f.kind, f.figure()[1]) for f in a.counted}
                kinds = {k for k, _n in mine}
                scored = [t for t in scored if t[3].date is not None or not any(
                    r.kind in kinds and r.breakdown_of is None for r in t[3].figs) or any(
                    (r.kind, r.best) in mine for r in t[3].figs)]
            # "Earlier this month, ..." after a day's event is another event.
            coarse = all(x.precision in ("month", "year") for x in a.dates if x.resolved)
            if coarse:
                # ... and a month well before the report's is background to an undated event
                # the report is about ("ISIS seized Palmyra last May").
                old = self.published is not None and all(
                    x.end is not None and (self.published - x.end).days > 14
                    for x in a.dates if x.resolved)
                scored = [t for t in scored if (t[3].date is None and not old) or (
                    t[3].date is not None and t[3].date.precision in ("month", "year")) or
                    a.anaphor]
            # A draft without a date is joined only when the sentence refers to it.
            scored = [t for t in scored if t[0] == 2 or a.anaphor or t[3] is prev or
                      (t[3].date is None and (_same_place(t[3], a) or _same_attacker(t[3], a)
                                              or _summary_of(t[3], a)))]
            if scored:
                return max(scored, key=lambda t: (t[0], t[1], t[2]))[3]
            return self._new(a) if trig or figs else None
        if a.fine_places:
            scored = [(d is cur, d is prev, i, d) for i, d in enumerate(self.drafts) if ok(d)]
            if a.anaphor or (scored and any(t[1] for t in scored)):
                pass
            scored = [t for t in scored if (t[0] or t[1] or _same_place(t[3], a)) and (
                t[3].main_place() is not None or a.anaphor or a.continuation or not a.triggers)]
            if scored:
                return max(scored, key=lambda t: (t[1], t[0], t[2]))[3]
            if trig or figs:
                return self._new(a)
            return None
        # Neither a date nor a place: the event the text is on.
        if cur is not None and (cur is prev or a.anaphor) and ok(cur):
            return cur
        if trig and a.event_places and not a.hypothetical:
            return self._new(a)  # provisional: placed in a country only, for now
        if figs and a.sent.lead and not self.drafts:
            return self._new(a)
        return None

    def _new(self, a: Analysis) -> Draft:
        d = Draft(a.sent.story, a.sent.index, a.sent.lead)
        self.drafts.append(d)
        return d

    # ------------------------------------------------------------------ adding
    def _add(self, d: Draft, a: Analysis, *, adjacent: bool) -> None:
        s = a.sent
        d.sentences.append(s)
        d.triggers.extend(a.triggers)
        for dm in a.dates:
            if not dm.resolved:
                if dm.problem and dm.problem not in d.date_problems:
                    d.date_problems.append(dm.problem)
                continue
            if d.date is None or (_PREC_ORDER[d.date.precision] >= _PREC_ORDER["week"] and
                                  _PREC_ORDER[dm.precision] < _PREC_ORDER[d.date.precision]):
                d.date = dm
        # Places: a sentence that only breaks figures down by place gives sub-places.
        counted = a.counted
        sub = bool(counted) and all("subset" in f.flags for f in counted)
        for pm in a.event_places:
            r, note = self.finder.resolve_event_place(pm)
            d.places.append((pm, r, note, sub))
            self.used_places.add((s.index, pm.begin))
        d.actors.extend(a.actors)
        if a.claimant:
            d.claims.append((a.claimant, s.text))
        d.confirmed_by.extend(a.confirmed_by)
        d.not_confirmed_by.extend(a.not_confirmed_by)
        if _PAIR.search(s.text):
            d.notes.append(f"{_PAIR.search(s.text).group(0)} (several events reported as one)")
        # Figures, with the source of the sentence or the one before it about this event.
        src = a.source
        if src is None and (adjacent or a.anaphor) and d.last_source is not None:
            src = d.last_source
        if a.source is not None:
            d.last_source = a.source
        n_before = len(d.figs)
        self._figures(d, a, src)
        self._revisions(d, a, n_before)
        d.last_index_before = d.last_index
        d.last_index = s.index

    def _figures(self, d: Draft, a: Analysis, src: SourceRef | None) -> None:
        text = a.sent.text
        name = src.name if src else ""
        if src is not None and src.kind == "actor":
            name = src.affiliated_with or src.name
        sentence_recs: list[FigRec] = []
        breakdown: list[FigRec] = []
        for f in a.figures:
            low, best, high = f.figure()
            group = f.group
            prev = [r for r in d.figs if r.kind == f.kind and r.breakdown_of is None]
            same_src = [r for r in prev if r.source == name]
            if (group is None and "total" not in f.flags) or "others" in f.flags:
                last = (sentence_recs or d.figs)
                group = (last[-1].group if last else None) if group is None or \
                    group.label in ("soldiers", "people") or "others" in f.flags else group
                if group is None and d.figs:
                    group = d.figs[-1].group
            rec = FigRec(f.kind, group, low, best, high, f.qty.vague, name, text,
                         claimed="claimed" in f.flags)
            rec.where = self._where(a, f)
            rec.where_pm = self._where_pm(a, f)
            rec.sentence = a.sent.index
            rec.clause = _clause(text, f)
            if "more" in f.flags:
                if breakdown:
                    breakdown.append(rec)
                    continue
                target = (same_src or prev)
                target = [r for r in target if r.group is None or rec.group is None or
                          r.group.label == rec.group.label or rec.group.label in ("soldiers",)]
                if target:
                    t = target[-1]
                    t.notes.append(f"{_n(t)} + {_n(rec)} ({rec.clause})")
                    t.low, t.best, t.high = _plus(t, rec)
                    if sentence_recs and sentence_recs[-1].kind == "wounded" and \
                            rec.kind == "killed":
                        sentence_recs[-1].notes.append(f"{_n(rec)} of them later died")
                    continue
            if "subset" in f.flags:
                parent = [r for r in (same_src or prev)
                          if (r.best or r.high or 0) >= (rec.best or 0)]
                if rec.group is not None and rec.group.label not in ("soldiers", "people"):
                    same_group = [r for r in (same_src + prev) if r.group is not None and
                                  r.group.label == rec.group.label and
                                  (r.best or r.high or 0) >= (rec.best or 0)]
                    parent = same_group or parent
                if parent:
                    p = parent[-1]
                    rec.breakdown_of = p
                    if rec.group is None or rec.group.label in ("soldiers", "people"):
                        rec.group = p.group
                    breakdown.append(rec)
                    continue
            if "including" in f.flags and sentence_recs:
                rec.part_of = _label_key(sentence_recs[-1].group)
            if "remaining" in f.flags:
                umb = [r for r in d.figs if r.group and r.group.kind == "umbrella"]
                if umb:
                    rec.part_of = _label_key(umb[-1].group)
            d.figs.append(rec)
            sentence_recs.append(rec)
        if breakdown:
            parent = breakdown[0].breakdown_of
            if parent is None:
                return
            parts = "; ".join(f"{_n(r)}: {r.clause}" + (f" (in {r.where})" if r.where else "")
                              for r in breakdown)
            parent.notes.append(parts)
            if any(r.where for r in breakdown):
                # Figures per place within the incident are kept as entries of their own.
                for r in breakdown:
                    r.breakdown_of = parent
                    d.figs.append(r)

    def _revisions(self, d: Draft, a: Analysis, n_before: int) -> None:
        """The latest figure when a report revises it: "the toll was later raised to 34" makes
        the earlier figures superseded; "The monitor previously gave a toll of 34" is one; "But
        it has risen since" makes the sentence before it one."""
        text = a.sent.text
        new = d.figs[n_before:]
        if _SUPERSEDED.search(text):
            for r in new:
                r.superseded = True
            return
        if not _REVISED.search(text):
            return
        kinds = {r.kind for r in new}
        for r in d.figs[:n_before]:
            if r.breakdown_of is not None or r.part_of:
                continue
            if (new and r.kind in kinds) or (not new and r.sentence == d.last_index_before):
                r.superseded = True

    def _where_pm(self, a: Analysis, f: FigureMention) -> PlaceMention | None:
        """The place of a figure's own clause, before the next figure ("four in Al-Bara and
        eight in Belyun")."""
        text = a.sent.text
        nxt = min((g.begin for g in a.figures if g.begin > f.begin), default=len(text))
        m = re.search(r";|,\s*(?:while|whereas|but)\b", text[f.end:nxt])
        stop = f.end + m.start() if m else nxt
        for pm in a.event_places:
            if f.end <= pm.phrase_begin < stop and not pm.is_country:
                return pm
        return None

    def _where(self, a: Analysis, f: FigureMention) -> str:
        text = a.sent.text
        stop = len(text)
        m = re.search(r",\s*(?:while|whereas|and\s+another|but)\b|;", text[f.end:])
        if m:
            stop = f.end + m.start()
        for pm in a.event_places:
            if f.begin <= pm.phrase_begin < stop and not pm.is_country:
                return pm.phrase or pm.name
        return ""

    # ------------------------------------------------------------------ context
    def _context_places(self, a: Analysis) -> None:
        for pm in a.places:
            if pm.role == "event":
                continue
            p = pm.place
            self.context.append(ContextItem(
                self.file, a.sent.line, "place", pm.phrase or pm.name,
                p.name if p else "", p.country if p else "", p.lat if p else None,
                p.lon if p else None, pm.why, a.sent.text))

    def _note_event(self, a: Analysis, reason: str) -> None:
        if (a.triggers or a.figures) and reason != "a sentence that reports no incident":
            self.context.append(ContextItem(self.file, a.sent.line, "event", a.sent.text[:200],
                                            reason=reason, quote=a.sent.text))
        for pm in a.event_places:
            p = pm.place
            self.context.append(ContextItem(
                self.file, a.sent.line, "place", pm.phrase or pm.name, p.name if p else "",
                p.country if p else "", p.lat if p else None, p.lon if p else None,
                "in " + reason, a.sent.text))

    # ------------------------------------------------------------------ finishing
    def finish(self) -> StoryResult:
        incidents: list[tuple[Incident, int]] = []
        unplaced: list[tuple[str, int, str]] = []
        messages: list[str] = []
        drafts: list[Draft] = []
        for d in self.drafts:
            drafts.extend(self._split_roundup(d))
        for d in drafts:
            inc, why, fatal = self._incident(d)
            line = d.sentences[0].line if d.sentences else 0
            quote = d.sentences[0].text if d.sentences else ""
            if inc is not None:
                incidents.append((inc, line))
                for pm, rx, _n, _s in d.places:
                    same = rx is not None and rx.place is not None and \
                        rx.place.uid == inc.location.place_id
                    if not same and inc.location.written not in (pm.phrase, pm.name):
                        p = pm.place
                        self.context.append(ContextItem(
                            self.file, line, "place", pm.phrase or pm.name,
                            p.name if p else "", p.country if p else "",
                            p.lat if p else None, p.lon if p else None,
                            "named with the incident, not where it is placed", quote))
                continue
            if fatal:
                unplaced.append((why, line, quote))
            else:
                self.context.append(ContextItem(self.file, line, "event", quote[:200],
                                                reason=why, quote=quote))
            for m in d.date_problems:
                if m not in messages:
                    messages.append(m)
        incidents = self._drop_totals(incidents)
        return StoryResult(incidents, self.context, unplaced, messages)

    def _drop_totals(self, incidents: list[tuple[Incident, int]]) -> list[tuple[Incident, int]]:
        """A story's total over its own incidents ("leaving at least 19 dead" over the five
        villages' 4, 8, 1, 5 and 1) is not another incident: it is dropped, and noted."""
        if len(incidents) < 3:
            return incidents
        out = []
        for inc, line in incidents:
            f = inc.fatalities.best
            others = [o for o, _l in incidents if o is not inc]
            parts = [o.fatalities.best or 0 for o in others
                     if o.event_type == inc.event_type and o.date.overlaps(inc.date)]
            if f and len([p for p in parts if p]) >= 2 and sum(parts) == f:
                self.context.append(ContextItem(
                    self.file, line, "event", inc.sources[0].quote[:200] if inc.sources else "",
                    reason=f"the total ({f}) of the report's incidents at several places",
                    quote=inc.sources[0].quote if inc.sources else ""))
                continue
            out.append((inc, line))
        return out

    def _incident(self, d: Draft) -> tuple[Incident | None, str, bool]:
        """The incident of a draft, or why it is not one and whether that is a loss (an
        incident that could not be placed) rather than background."""
        exact = [r for r in d.figs if r.best is not None and not r.vague and r.breakdown_of is None]
        has_fig = bool([r for r in d.figs if r.breakdown_of is None])
        if not d.triggers and not has_fig:
            return None, "no event word and no casualty figure", False
        # When.
        if d.date is not None and d.date.resolved:
            dm = d.date
            edate = EventDate(dm.start, dm.end, dm.precision, dm.text)
            if dm.precision == "year":
                return None, f"only the year is given ({dm.text})", False
            if dm.precision == "month" and not exact:
                return None, f"only the month is given ({dm.text}) and no figure", False
        else:
            if not (exact and (d.lead or d.first == min(x.first for x in self.drafts))):
                why = "no date" + (" (no publication date to resolve "
                                   f"{d.date_problems[0].split(chr(39))[1]!r})"
                                   if d.date_problems else "")
                plural = all(_PLURAL_TRIGGER.fullmatch(t.text) for t in d.triggers) and \
                    d.triggers
                # An event the report does not date is kept with an unknown date (and a
                # note) - unless it is only a plural ("attacks", "clashes") without a figure:
                # a pattern of events, not one.
                if (plural or not d.triggers) and not exact:
                    return None, why + " and not the story's main event", False
            edate = EventDate.unknown(self.published)
        # Where.
        mp = d.main_place()
        unknown_pm = None
        if mp is None:
            mp, unknown_pm = self._enclosing(d)
        if mp is None:
            cs = sorted({r.place.name for _pm, r, _n, _s in d.places
                         if r is not None and r.place is not None})
            why = ("placed only in " + ", ".join(cs)) if cs else "no place named"
            loss = bool(exact) and edate.precision in ("day", "range", "week")
            return None, why + (" - the incident could not be placed" if loss else ""), loss
        pm, r, note = mp
        place = r.place
        if edate.precision == "unknown" and not exact and unknown_pm is None and (
                place.kind in _AREA_KINDS or _precision(r, pm, note) >= 3):
            # Undated, without a figure, in a whole region: a pattern of events ("factions
            # have executed civilians in northeast Syria"), not one an analyst can place.
            return None, f"no date and only a region ({pm.phrase or pm.name})", False
        same = [(x, rx, nx) for x, rx, nx, _s in d.places
                if rx is not None and rx.place is not None and rx.place.uid == place.uid]
        precision = max([_precision(rx, x, nx) for x, rx, nx in same] or [1])
        if unknown_pm is None:
            # "the village of X in the Y countryside": X is where, Y the place it is put at.
            for x, _rx, _nx, _s in d.places:
                if x.unknown and x.text and x.text == pm.text and \
                        x.phrase_end <= pm.phrase_begin and \
                        _ENCLOSED_BY.fullmatch(x.text[x.phrase_end:pm.phrase_begin]):
                    unknown_pm = x
                    pm = PlaceMention(pm.name, pm.begin, pm.end, r, phrase=x.text[
                        x.phrase_begin:pm.phrase_end], role="event")
                    break
        if unknown_pm is not None:
            # A village the gazetteer lacks, at the place the report names around it.
            precision = 3 if (place.kind in _AREA_KINDS or _precision(r, pm, "") >= 3) else 2
            note = (f"{unknown_pm.name!r} is not in the gazetteer; placed at {place.name}, "
                    f"which the report names ({pm.phrase or pm.name})")
            if not (pm.phrase or "").startswith(unknown_pm.phrase or unknown_pm.name):
                pm = unknown_pm
        loc = Location(
            written=pm.phrase or pm.name, name=place.name, place_id=place.uid,
            country=place.country, admin1=place.admin1_name or place.admin1 or "",
            lat=place.lat, lon=place.lon, precision=min(max(precision, 1), 3), kind=place.kind,
            note="; ".join(x for x in (note, r.reason or "") if x))
        host = place.country
        subs = []
        for x, rx, nx, sub in d.places:
            if sub and rx is not None and rx.place is not None and rx.place.uid != place.uid:
                subs.append(f"{x.phrase or x.name} ({rx.place.name}, {rx.place.lat:.4f}, "
                            f"{rx.place.lon:.4f}{'; ' + nx if nx else ''})")
        # What.
        event_type, sub_type = _event_type(d)
        # Who.
        actor1, actor2, assoc, assoc_side = _actors_of(d, host)
        if event_type == "Battles" and actor2 == "Civilians" and sub_type == "Armed clash":
            event_type, sub_type = "Violence against civilians", "Attack"
        a1_kind = _actor_kind(d, actor1)
        if sub_type in _TERRITORY_TYPES and actor1 and actor1 != "unidentified armed group":
            # Who gains decides (SCHEMAS.md): a state's forces regain, anyone else overtakes.
            sub_type = "Government regains territory" if a1_kind == "state" else \
                "Non-state actor overtakes territory"
        casualties = [self._casualty(r, host, actor1, a1_kind) for r in d.figs
                      if not r.superseded]
        old_figs = [f"{_n(r)} {r.kind} ({r.clause or r.quote[:60]})" for r in d.figs
                    if r.superseded]
        if old_figs:
            d.notes.append("superseded figures, revised since: " + "; ".join(old_figs))
        claims = self._claims(d, actor1)
        notes = list(dict.fromkeys(d.notes))
        if subs:
            notes.append("places within the incident: " + "; ".join(dict.fromkeys(subs)))
        if not claims and (d.confirmed_by or d.not_confirmed_by):
            if d.confirmed_by:
                notes.append("confirmed by " + ", ".join(dict.fromkeys(d.confirmed_by)))
            if d.not_confirmed_by:
                notes.append("not confirmed by " + ", ".join(dict.fromkeys(d.not_confirmed_by)))
        if edate.precision == "unknown":
            notes.append(NO_DATE_NOTE + (
                f"; reported on {self.published}" if self.published else
                "; no publication date was given either"))
        src = Source(self.outlet, self.url, self.published, d.sentences[0].text if d.sentences
                     else "", self.file)
        inc = Incident(date=edate, location=loc, event_type=event_type, sub_event_type=sub_type,
                       actor1=actor1, actor2=actor2, assoc_actors=assoc, assoc_side=assoc_side,
                       casualties=casualties, claims=claims, sources=[src],
                       notes="; ".join(notes))
        return inc.ensure_id(), "", False

    def _split_roundup(self, d: Draft) -> list[Draft]:
        """A roundup ("killed four civilians in Al-Bara and eight in Belyun; one in Bicgas,
        five in Bdeite"): one incident per place with its own figures.  The draft's total over
        those places is not another incident's toll."""
        by: dict[tuple[int, int], list[FigRec]] = {}
        pms: dict[tuple[int, int], PlaceMention] = {}
        for r in d.figs:
            if r.where_pm is not None and r.breakdown_of is None and r.best is not None and \
                    not r.part_of:
                k = (r.sentence, r.where_pm.begin)
                by.setdefault(k, []).append(r)
                pms[k] = r.where_pm
        names = {(pm.phrase or pm.name).lower() for pm in pms.values()}
        per_sentence = Counter(k[0] for k in by)
        if len(by) < 2 or len(names) < 2 or max(per_sentence.values()) < 2:
            return [d]  # a roundup names several places with their figures in one sentence
        parts: list[Draft] = []
        resolved = [(pm, r, n, True) for pm, r, n, _s in d.places
                    if r is not None and r.place is not None and r.place.kind != "country"]
        for k, recs in by.items():
            pm = pms[k]
            r, note = self.finder.resolve_event_place(pm) if not pm.unknown else (None, "")
            sub = Draft(d.story, d.first, d.lead, triggers=list(d.triggers), date=d.date,
                        places=[(pm, r, note, False), *resolved], figs=list(recs),
                        actors=list(d.actors), sentences=list(d.sentences),
                        notes=["one of several places of a roundup"])
            parts.append(sub)
        located = {id(r) for recs in by.values() for r in recs}
        rest = [r for r in d.figs if id(r) not in located and r.breakdown_of is None]
        parts_sum = sum(r.best or 0 for recs in by.values() for r in recs if r.kind == "killed")
        if any(not (r.kind == "killed" and (r.best or 0) >= parts_sum) and r.kind == "killed"
               for r in rest):
            d.figs = rest
            return [d, *parts]
        return parts

    def _enclosing(self, d: Draft) -> tuple[tuple[PlaceMention, Resolution, str] | None,
                                             PlaceMention | None]:
        """For an event placed only at villages the gazetteer lacks: the nearest enclosing
        place the report names - in the draft's own sentences (the countryside, district or
        town named with the village), else the place of the story's other events."""
        unknown = [pm for pm, _r, _n, _s in d.places if pm.unknown]
        if not unknown:
            return None, None
        own = [(pm, r, n) for pm, r, n, _s in d.places
               if r is not None and r.place is not None and r.place.kind != "country"]
        if own:
            return own[0], unknown[0]
        for other in self.drafts:
            if other is d:
                continue
            mp = other.main_place()
            if mp is not None and mp[1] is not None:
                return mp, unknown[0]
        return None, None

    def _casualty(self, r: FigRec, host: str, actor1: str, a1_kind: str) -> Casualty:
        label, party = _side(r.group, host, actor1, a1_kind)
        part_of = r.part_of
        if part_of == "host-government":
            part_of = _host_label(host)
        if r.breakdown_of is not None:
            part_of = _side(r.breakdown_of.group, host, actor1, a1_kind)[0]
            label = part_of
        note = "; ".join(r.notes)
        if r.claimed:
            note = "; ".join(x for x in ("claimed", note) if x)
        return Casualty(kind=r.kind, side=label, low=r.low, best=r.best, high=r.high,
                        source=r.source, quote=r.quote, party=party, part_of=part_of,
                        via=self.outlet, where=r.where, note=note, vague=r.vague)

    def _claims(self, d: Draft, actor1: str) -> list[Claim]:
        out: list[Claim] = []
        seen: dict[str, Claim] = {}
        for claimant, text in d.claims:
            who = actor1 if claimant == "the group" else claimant
            if not who:
                continue
            if who in seen:
                continue
            aff = {who} | {s.name for s in lexicon.KNOWN_SOURCES if s.affiliated_with == who} | \
                {s.affiliated_with for s in lexicon.KNOWN_SOURCES if s.name == who}
            conf = [c for c in dict.fromkeys(d.confirmed_by) if c not in aff]
            notc = [c for c in dict.fromkeys(d.not_confirmed_by) if c not in aff]
            c = Claim(who, text, conf, notc, independent=bool(conf), source=self.outlet,
                      quote=text)
            seen[who] = c
            out.append(c)
        return out


def _summary_of(d: Draft, a: Analysis) -> bool:
    """A lead-paragraph sentence placed only in a country ("Iraqi planes crossed into Syria to
    hit jihadi targets") summarises the body's event of the same specific type."""
    if not d.lead or d.main_place() is not None:
        return False
    mine = d.specific_type
    theirs = {t.rule.event_type for t in a.triggers if not t.rule.generic}
    return bool(mine) and mine in theirs


def _same_attacker(d: Draft, a: Analysis) -> bool:
    mine = {(x.name, x.country) for x in d.actors if x.role == "attacker" and not x.generic}
    theirs = {(x.name, x.country) for x in a.actors if x.role == "attacker" and not x.generic}
    return bool(mine & theirs)


def _same_place(d: Draft, a: Analysis) -> bool:
    mp = d.main_place()
    if not mp or not mp[1] or not mp[1].place:
        return False
    return any(p.place is not None and p.place.uid == mp[1].place.uid for p in a.fine_places)


def _n(r: FigRec) -> str:
    if r.best is not None:
        return str(r.best)
    if r.high is not None:
        return f"up to {r.high}"
    return "?"


def _plus(a: FigRec, b: FigRec) -> tuple[int | None, int | None, int | None]:
    def s(x: int | None, y: int | None) -> int | None:
        return None if x is None or y is None else x + y

    return s(a.low, b.best), s(a.best, b.best), s(a.high, b.best)


def _clause(text: str, f: FigureMention | None, r: FigRec | None = None) -> str:
    if f is not None:
        seg = text[f.begin:f.begin + 90]
    elif r is not None and r.where:
        return f"in {r.where}"
    else:
        return ""
    seg = re.split(r"[,;.]", seg)[0]
    return " ".join(seg.split())


def _label_key(g: Group | None) -> str:
    if g is None:
        return ""
    if g.host:
        return "host-government"
    return g.label


def _host_label(host: str) -> str:
    dem = lexicon.countries().demonym.get(host, "")
    return f"{dem} government forces" if dem else "government forces"


def _side(g: Group | None, host: str, actor1: str, a1_kind: str) -> tuple[str, str]:
    """The side label and party of a group in an incident whose side A is ``actor1``."""
    if g is None:
        return "", ""
    if g.kind == "civilians":
        return "civilians", "civilians"
    if g.host or (g.kind == "state" and g.country and g.country == host):
        label = _host_label(host)
        return label, ("A" if a1_kind == "state" and _host_label(host) == actor1 else "B")
    if g.kind == "umbrella":
        return g.label, ("A" if a1_kind == "state" else "B")
    if g.kind == "state":
        label = g.label
        if a1_kind == "state":
            dem = lexicon.countries().demonym.get(g.country, "")
            return label, ("A" if dem and actor1.startswith(dem) else "B")
        return label, "B" if a1_kind == "nonstate" else ""
    if g.kind == "nonstate":
        if g.generic:
            if a1_kind == "nonstate":
                return "attackers", "A"
            return "militants", ("B" if a1_kind == "state" else "")
        if g.label == actor1:
            return g.label, "A"
        return g.label, ("B" if actor1 else "")
    return g.label, ""


def _event_type(d: Draft) -> tuple[str, str]:
    ts = d.triggers
    if not ts:
        # No event word but the one it refers back to ("As a result of the strike, ..."), or
        # only a casualty figure: violence, against civilians when they are the dead.
        text = " ".join(x.text for x in d.sentences)
        m = _ANAPHOR_TYPE.search(text)
        if m:
            w = m.group(1).lower()
            if w.startswith(("strike", "raid", "air")):
                return REMOTE, "Air/drone strike"
            if w.startswith(("shell", "bombard")):
                return REMOTE, "Shelling/artillery/missile attack"
            return REMOTE, "Remote explosive/landmine/IED"
        civ = any(r.group is not None and r.group.kind == "civilians" for r in d.figs)
        return ("Violence against civilians", "Attack") if civ else ("Battles", "Armed clash")
    # Arrests and protests are the event only when nothing violent is reported with them.
    violent = any(t.rule.priority >= 35 for t in ts)
    specific = [t for t in ts if not t.rule.generic and not (violent and t.rule.priority <= 30)]
    pool = specific or ts
    best = max(pool, key=lambda t: t.rule.priority)
    et, sub = best.rule.event_type, best.rule.sub_event_type
    if sub == "Abduction/forced disappearance" and any(
            r.kind == "killed" and r.breakdown_of is None for r in d.figs):
        # People killed: the attack is the event, the abduction part of its story.
        et, sub = "Violence against civilians", "Attack"
    # A ground attack that used shelling is a battle ("killed by rebel shelling during a joint
    # attack"): shelling outranks the attack only when no attack word is there.
    ground = [t for t in ts if t.rule.generic and
              re.match(r"(?i)attack|assault|raid|offensive|storm|ambush", t.text)]
    if sub == "Shelling/artillery/missile attack" and ground and best.rule.priority < 50:
        et, sub = "Battles", "Armed clash"
    if not sub:
        subs = [t.rule.sub_event_type for t in pool if t.rule.event_type == et and
                t.rule.sub_event_type]
        sub = subs[0] if subs else ""
    return et, sub


def _name_of(a: ActorMention, host: str) -> str:
    if a.host:
        return "pro-government forces" if a.name == "pro-government forces" else _host_label(host)
    if a.name:
        return a.name
    if a.country:
        if a.country == host:
            return _host_label(host)
        dem = lexicon.countries().demonym.get(a.country, a.country)
        return f"{dem} forces"
    return ""


def _actors_of(d: Draft, host: str) -> tuple[str, str, list[str], dict[str, int]]:
    att: Counter[str] = Counter()
    tgt: Counter[str] = Counter()
    named: dict[str, ActorMention] = {}
    for a in d.actors:
        n = _name_of(a, host)
        if not n:
            continue
        named.setdefault(n, a)
        if a.role == "attacker":
            att[n] += 1 if a.generic else 3
        elif a.role == "target":
            tgt[n] += 1 if a.generic else 3
    # Figures tell who was hit when the words did not.
    for r in d.figs:
        g = r.group
        if g is not None and g.kind in ("state", "umbrella", "civilians") and \
                r.breakdown_of is None and (g.country or g.host or g.kind != "state"):
            lbl = _host_label(host) if (g.host or g.country == host) else (
                "Civilians" if g.kind == "civilians" else
                (f"{g.label} forces" if g.kind == "state" and g.country else g.label))
            tgt[lbl] += 1
    actor1 = ""
    if att:
        ranked = sorted(att.items(), key=lambda kv: (-kv[1], kv[0]))
        non_generic = [n for n, _ in ranked if n != "unidentified armed group"]
        actor1 = non_generic[0] if non_generic else ranked[0][0]
    # No one named as attacker: a named group in the sentence that opened the event.
    first = d.sentences[0].index if d.sentences else -1
    opening = {_name_of(a, host) for a in d.actors if a.kind == "nonstate" and not a.generic
               and a.sentence == first}
    if not actor1 or actor1 == "unidentified armed group":
        nonstate = [n for n, a in named.items() if n in opening and n not in tgt]
        if nonstate:
            actor1 = nonstate[0]
    for n in list(tgt):
        if n == actor1 or n == "civilians":
            if n == "civilians":
                tgt["Civilians"] += tgt.pop(n)
            else:
                tgt.pop(n)
    actor2 = ""
    if tgt:
        ranked = sorted(tgt.items(), key=lambda kv: (-kv[1], kv[0]))
        hostl = _host_label(host)
        # The host country's forces are side B when they are among the targets.
        names = [n for n, _ in ranked]
        actor2 = hostl if hostl in names else names[0]
        if actor2 == "pro-government forces" and hostl in names:
            actor2 = hostl
    with_2 = {n for n in tgt if n not in (actor1, actor2, "pro-government forces",
                                          "unidentified armed group")}
    with_1 = {n for n in att if n not in (actor1, actor2, "unidentified armed group")}
    # The other attackers are with side A, the other targets with side B.
    side = {n: 1 for n in with_1} | {n: 2 for n in with_2 - with_1}
    return actor1, actor2, sorted(with_1 | with_2), side


def _actor_kind(d: Draft, actor1: str) -> str:
    if not actor1:
        return ""
    if actor1 == "unidentified armed group":
        return "nonstate"
    for a in lexicon.NAMED_ACTORS:
        if a.name == actor1:
            return "nonstate" if a.kind == "nonstate" else "state"
    if actor1 == "Civilians":
        return "civilians"
    return "state"
