"""Sentence analysis: what one sentence says - its event words, actors and their roles,
dates and their roles, places, figures, sources, claims."""


from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import lexicon
from ..article import Sentence
from ..dates import DateMention, find_dates
from ..figures import _ANY_CASUALTY, FigureMention, find_figures
from ..numbers import NUMBER
from ..places import PlaceFinder, PlaceMention
from ..sources import Attributor, SourceRef

if TYPE_CHECKING:
    pass
from ..fastre import fold, guard_namespace, literals, may_match
from .words import (
    _ANAPHOR_WORDS,
    _ATTRIBUTIVE,
    _BACKGROUND_GERUND,
    _CASUALTY_STEMS,
    _CLAIM,
    _CLAUSE_DATED,
    _CONFIRM,
    _CONTINUATION_WORDS,
    _INFINITIVE,
    _KILL_WORD,
    _NOT_CONFIRM,
    _NOT_TERRITORY,
    _PASSIVE,
    _PASSIVE_BY,
    _PEOPLE,
    _POSTNOMINAL,
    _PRIOR_PARTICIPLE,
    _REPORT_BEFORE,
    _REPORTING_WORDS,
    _TERRITORY,
    _TERRITORY_BEFORE,
    _TERRITORY_TYPES,
)


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
    #: "its units", "our forces": the side that issues the statement, named by the story
    #: (see ``issuer_of``); until then without a name.
    issuer: bool = False


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


#: "announced the capture of Raqqa": the event's noun, not a word describing a place.
_NOUN_OF = re.compile(r"(?:capture|recapture|liberation|fall|seizure|takeover)\s+of\b", re.I)
_NOT_YET = re.compile(r"\b(?:is|was|are|were|seemed|seems|appeared)\s+(?:now\s+|still\s+)?"
                      r"(?:imminent|near|close|expected|likely|possible|only\s+a\s+matter)\b|"
                      r"\b(?:will|would|could|may|might)\s+(?:soon\s+)?(?:be|come|happen)\b",
                      re.I)


_WORD = re.compile(r"[a-z’']+")


def _triggers(text: str, words: frozenset[str] | None = None,
              background: list[tuple[int, int]] | None = None) -> tuple[list[Trigger], bool]:
    found: list[Trigger] = []
    if words is None:
        words = frozenset(_WORD.findall(text.lower()))
    if not words & lexicon.TRIGGER_WORDS:
        return found, False
    hyp = 0
    prior: list[tuple[int, Trigger]] = []
    folded = fold(text)
    # Each rule is searched only when a word it begins with is in the sentence (no search
    # of the alternation of all rules first: trying thirty alternatives at every position
    # cost more than the rules' own searches).
    for rule, lits in zip(lexicon.TRIGGERS, _TRIGGER_LITERALS, strict=True):
        if not may_match(lits, text, folded):
            continue  # none of the words the rule begins with is in the sentence
        for m in rule.pattern.finditer(text):
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    _BACKGROUND_GERUND.search(text[max(0, m.start() - 20):m.start()]):
                continue  # "since taking Palmyra": what came before the event reported
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    not (_PASSIVE.search(text[max(0, m.start() - 20):m.start()]) and
                         _TERRITORY_BEFORE.search(text[max(0, m.start() - 90):m.start()])) and \
                    not (_POSTNOMINAL.search(text[max(0, m.start() - 40):m.start()]) and
                         re.match(r"\s+(?:from|by)\b", text[m.end():])) and \
                    (not _TERRITORY.match(text[m.end():]) or
                     _NOT_TERRITORY.match(text[m.end():]) or
                     (_ATTRIBUTIVE.search(text[max(0, m.start() - 30):m.start()]) and
                      not _NOUN_OF.match(text[m.start():]))):
                continue
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    _INFINITIVE.search(text[max(0, m.start() - 40):m.start()]) and \
                    not re.search(r"(?:ed|ing|s)$", m.group(0).split()[0], re.I):
                hyp += 1
                continue  # "to recapture the city", "trying to seize": not (yet) an event
            if any(m.start() < t.begin + len(t.text) and t.begin < m.end() for t in found):
                continue
            if _NOUN_OF.match(text[m.start():]) and _NOT_YET.search(text[m.end():m.end() + 140]):
                hyp += 1
                continue  # "the liberation of Raqqa ... is imminent"
            if lexicon.HYPOTHETICAL.search(text[max(0, m.start() - 60):m.start()]):
                hyp += 1
                continue
            if rule.sub_event_type in _TERRITORY_TYPES and \
                    re.match(r"\w+(?:ing|en|ed)\b", m.group(0), re.I) and \
                    _PRIOR_PARTICIPLE.search(text[max(0, m.start() - 20):m.start()]):
                comma = text.find(",", m.end())
                if comma > 0 and not _CLAUSE_DATED.search(text, m.start(), comma):
                    prior.append((comma, Trigger(rule, m.group(0), m.start())))
                    continue  # decided below, once the sentence's other events are known
            found.append(Trigger(rule, m.group(0), m.start()))
    # "After capturing X, the forces shelled Y": the clause is background when the sentence
    # reports another event after it; alone, it is the sentence's event.
    for comma, t in prior:
        if any(o.begin > comma for o in found):
            if background is not None:
                background.append((t.begin, comma))
        else:
            found.append(t)
    found.sort(key=lambda t: t.begin)
    if any(t.rule.event_type == lexicon.REMOTE for t in found):
        # "killed in a massacre" in a sentence of bombardment or air strikes: the word names
        # the killing, the strike is the event.
        found = [t for t in found if not re.fullmatch(r"massacre[sd]?", t.text, re.I)]
    return found, bool(hyp and not found)


@lru_cache(maxsize=8192)
def _triggers_cached(text: str) -> tuple[tuple[Trigger, ...], bool]:
    """:func:`_triggers` of a sentence (a pure function of its text), remembered: wire
    boilerplate and background sentences recur across articles."""
    found, hyp = _triggers(text)
    return tuple(found), hyp


@lru_cache(maxsize=1024)
def _prior_clauses(text: str) -> tuple[tuple[int, int], ...]:
    """The spans of the sentence's participle clauses of an earlier action ("After capturing
    X," before another event): background, their places are context."""
    low = text.lower()
    if not ("after " in low or "having " in low or "upon " in low):
        return ()
    background: list[tuple[int, int]] = []
    _triggers(text, background=background)
    return tuple(background)


@lru_cache(maxsize=8192)
def _figures_cached(text: str, possessor: str) -> tuple[FigureMention, ...]:
    """:func:`find_figures` (a pure function of its arguments), remembered; callers get
    copies (:func:`_figures`)."""
    return tuple(find_figures(text, possessor=possessor))


def _figures(text: str, possessor: str) -> list[FigureMention]:
    return [replace(f, flags=set(f.flags)) for f in _figures_cached(text, possessor)]


_GOV_WORDS = frozenset(["government", "regime", "assad", "assad’s", "assad's", "army", "loyalist",
                        "pro"])
_GENERIC_WORDS = frozenset(["attackers", "assailants", "militants", "rebel", "rebels", "jihadist", "jihadists", "jihadis", "jihadi", "terrorist", "terrorists", "insurgents", "insurgent", "gunmen", "armed", "opposition", "mobile", "militiamen", "extremists", "fighters", "militant"])
_CIVILIAN_WORDS = frozenset(["civilian", "civilians", "residents", "villagers", "children", "women", "passers", "passers-by", "passersby", "worshippers", "farmers", "shepherds", "displaced", "refugees", "aid", "journalists", "medics", "doctors", "students", "schoolstudents", "pupils", "families"])


def _actors(text: str, triggers: list[Trigger],
            words: frozenset[str] | None = None, *, roles: bool = True) -> list[ActorMention]:
    out: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    if words is None:
        words = frozenset(_WORD.findall(text.lower()))
    demonyms = lexicon.countries().by_demonym
    has_dem = any(w in demonyms or (w.endswith("s") and w[:-1] in demonyms) for w in words)

    def add(a: ActorMention, b: int, e: int) -> None:
        if any(b < te and tb < e for tb, te in taken):
            return
        taken.append((b, e))
        a.begin = b
        if roles:  # issuer_of reads only who is named, not their role
            a.role = _role(text, b, e, triggers)
        out.append(a)

    # "its units", "our forces", "units of the armed forces": the issuing side's own forces
    # (first: "our fighters" is not an unnamed group).
    if words & _SELF_WORDS:
        for m in _SELF.finditer(text):
            add(ActorMention("", "issuer", issuer=True), m.start(), m.end())
    first = lexicon.ACTOR_ANY.search(text) if words & lexicon.ACTOR_WORDS else None
    if first is not None:
        for a, m in lexicon.named_actor_matches(text, first.start()):
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


_SELF_WORDS = frozenset(["its", "our", "armed"])
_SELF = re.compile(rf"\b(?:(?:its|our)\s+(?:own\s+)?(?:heroic\s+|brave\s+|valiant\s+)?"
                   rf"(?:{lexicon.MILITARY_NOUN})|(?:units?|formations?|troops|forces)\s+of\s+"
                   rf"the\s+(?:national\s+)?armed\s+forces)\b", re.I)


def issuer_of(texts: list[str]) -> ActorMention | None:
    """The side that issues a statement, from its heading, opening or outlet ("Statement of
    the General Command of the Army", "Ministry of Defence", a named group's media office):
    the first side named there, or the host government for an army, ministry or military
    command that no country qualifies."""
    for text in texts:
        # In a sentence, only who speaks: the words before "its units" or "announces".
        m = _SELF.search(text) or _SPEAKS.search(text)
        text = text[:m.start()] if m else text
        for a in _actors(text, [], roles=False):
            if a.issuer or a.kind == "civilians" or a.generic:
                continue
            return ActorMention(a.name, a.kind, a.country, host=a.host, issuer=True)
        if _STATE_ISSUER.search(text):
            return ActorMention("government forces", "state", host=True, issuer=True)
    return None


_SPEAKS = re.compile(r"\b(?:announce[sd]?|said|says|stated|states|declared|declares|"
                     r"reported|reports|confirmed|confirms)\b", re.I)
_STATE_ISSUER = re.compile(r"\b(?:army|armed\s+forces|ministry|military|general\s+(?:command|staff)"
                           r"|defen[cs]e\s+(?:ministry|department)|government)\b", re.I)
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
    r"shelled|bombed|ambushed|raided|stormed)\s+by|"
    # A passive with its agent later: "were liberated during the past few hours by the army".
    r"\b(?:were|was|been|being)\s+(?:\w+ly\s+)?(?:[a-z]+ed|taken|retaken|shot|hit|struck)\b"
    r"[^.;:,]{0,50}?\s+by)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_ON = re.compile(r"\b(?:on|against|targeted|targeting|attacked|attacking|struck|hit|shelled|"
                 r"bombed|stormed|ambushed|raided|belonging\s+to|at|eliminat(?:ing|ed)|"
                 r"expell?(?:ing|ed)|oust(?:ing|ed)|driv(?:ing|en)\s+out|drove\s+out|rout(?:ing|ed)|"
                 r"defeat(?:ing|ed)|dislodg(?:ing|ed))\s+(?:a\s+|an\s+|the\s+)?"
                 r"(?:group\s+of\s+|number\s+of\s+)?(?:\w+\s+){0,3}$", re.I)
_ACTIVE = re.compile(r"^\s*(?:(?!were\b|was\b|been\b|being\b|is\b|are\b|and\b|or\b)"
                     r"[\w()’'-]+\s+){0,4}?"
                     r"(?:attacked|targeted|struck|hit|shelled|bombed|stormed|ambushed|raided|"
                     r"killed|seized|captured|fired|launched|mounted|crossed|carried\s+out|"
                     r"ramped\s+up|claimed\s+(?:responsibility|the\s+killing|killing|to\s+have|"
                     r"the\s+attack))\b", re.I)


#: The object of a killing, wounding or abduction: "killed an SDF fighter", "shot dead two
#: members of the", "abducted three".
_KILLED_WHO = re.compile(rf"\b(?:killed|killing|kills|shot\s+dead|shot\s+and\s+killed|"
                         rf"wounded|wounding|injured|injuring|executed|executing|abducted|"
                         rf"abducting|kidnapped|kidnapping)\s+(?:a\s+|an\s+|the\s+|(?:{NUMBER})\s+|"
                         rf"\d+\s+)?(?:[\w-]+\s+){{0,2}}$", re.I)


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
    if _KILLED_WHO.search(before):
        return "target"  # "gunmen killed an SDF fighter": whom the killing names is hit
    for t in triggers:
        # "its units, together with allied forces, have regained control of": the subject of
        # a change of control (an aside between commas allowed) is the side that gains.
        if t.rule.sub_event_type in _TERRITORY_TYPES and 0 <= t.begin - e <= 90 and \
                _GAINER_GAP.fullmatch(text[e:t.begin]):
            return "attacker"
    if re.search(r"\bfrom\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$", before, re.I) and any(
            t.rule.sub_event_type in _TERRITORY_TYPES for t in triggers):
        return "target"  # "recaptured the town from rebels": the party losing it
    if _ACTIVE.match(after):
        return "attacker"
    return ""


_GAINER_GAP = re.compile(r"(?:\s*,[^,.;:]*,)?\s*(?:(?:have|has|had|now|finally|fully|"
                         r"successfully|completely)\s+){0,3}", re.I)


#: A date inside a "since" clause (a list's commas allowed): "since the army launched its
#: campaign on Daraa, Suwayda and Quneitra on June 15".
_SINCE_CLAUSE = re.compile(r"\b[Ss]ince\s+[^\s,;.()“”\"](?:[^,;.()“”\"]|,\s+(?=[A-Z]))*$")


_TOLL_GAP = re.compile(r"\d|\b(?:lives|deaths|dead|people|civilians|casualties|victims)\b",
                      re.I)


def _date_role(text: str, d: DateMention) -> str:
    if d.since or _SINCE_CLAUSE.search(text, 0, d.begin):
        return "since"  # "since the army launched its campaign ... on June 15"
    if d.future:
        return "future"
    before = text[:d.begin]
    poss = "" if re.search(r"['’]s$", d.text) else r"(?:night)?['’]s"
    if re.search(r"\bthe\s+$", before, re.I):
        poss = r"(?:(?:night)?['’]s)?"  # "the Friday afternoon assault", "the Tuesday attack"
    if re.match(r"^\s*" + poss + r"\s+(?:\w+\s+)?(?:attacks?|strikes?|air\s*strikes?|raids?|"
                r"bombings?|blasts?|explosions?|clash(?:es)?|shelling|fighting|assault|ambush|"
                r"massacre|incident|battle)\b", text[d.stop:], re.I):
        return "event"  # "the officials said Tuesday's attack occurred in ..."
    if d.begin <= 3 and re.match(r"^\s*[;:|–—]", text[d.stop:]):
        return "report"  # "09 Dec 2019; MEMO: ...": the report's date line
    rb = _REPORT_BEFORE.search(before)
    # ... but not "raids claimed 17 lives overnight": a toll between the verb and the date
    # makes the verb the event's.
    if rb and not _TOLL_GAP.search(rb.group(0)):
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


_COMPARED_SINCE = re.compile(
    r"(\b(?:biggest|largest|deadliest|worst|heaviest|fiercest|bloodiest|most\s+\w+|first|"
    r"strongest|greatest|major)\b[^,;.]{0,60}?)\bsince\b[^,;.]*", re.I)


@lru_cache(maxsize=8192)
def _aggregate(text: str) -> bool:
    """Does the sentence give a tally (a pure function of its text, remembered)?"""
    # A relative clause describes the background of what the sentence reports ("retook the
    # complex from militants who have occupied the city since May").
    if "since" in text and _RELATIVE.search(text):
        text = _RELATIVE.sub(lambda m: m.group(0) if _KILL_WORD.search(m.group(0)) else " ",
                             text)

    # A comparison is not a tally: "its biggest attack since being defeated", "the deadliest
    # strike on the city since 2019".
    if "since" in text:
        text = _COMPARED_SINCE.sub(r"\1", text)
    return bool(lexicon.AGGREGATE.search(text) or re.search(
        r"\b(?:war|conflict)\s+(?:that|which)\s+has\s+killed\b|"
        r"-year(?:-old)?\s+(?:civil\s+)?war\b|\bthat\s+number\b", text, re.I))


def analyse(sent: Sentence, *, published: date | None, finder: PlaceFinder,
            attributor: Attributor) -> Analysis:
    text = sent.text
    low = text.lower()
    words = frozenset(_WORD.findall(low))
    a = Analysis(sent)
    a.places = finder.mentions(text, sent.kind)
    triggers, a.hypothetical = _triggers_cached(text)
    a.triggers = list(triggers)
    for b, e in _prior_clauses(text) if triggers else ():
        # "After capturing X, the forces shelled Y": X is where the earlier action was.
        a.places = [replace(p, role="context", why="a clause of an earlier action")
                    if p.role == "event" and b <= p.begin < e else p for p in a.places]
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
    prev_d: tuple[DateMention, str] | None = None
    for d in find_dates(text, published):
        role = _date_role(text, d)
        if prev_d is not None and re.fullmatch(r"\s*[(,]\s*", text[prev_d[0].stop:d.begin]):
            role = prev_d[1]  # "on Monday (October 9)": the same date, the same role
        prev_d = (d, role)
        if role == "event":
            a.dates.append(d)
        else:
            a.other_dates.append((d, role))
    a.refs = attributor.mentions(text)
    a.source = attributor.attribution(text, a.refs) if reporting or a.refs else None
    possessor = a.source.country if a.source else ""
    a.figures = _figures(text, possessor)
    a.actors = [replace(x) for x in _actors_cached(text)]
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


@lru_cache(maxsize=8192)
def _actors_cached(text: str) -> tuple[ActorMention, ...]:
    """:func:`_actors` of a sentence with its own triggers (a pure function of its text),
    remembered; :func:`analyse` hands out copies."""
    triggers, _hyp = _triggers_cached(text)
    return tuple(_actors(text, list(triggers), frozenset(_WORD.findall(text.lower()))))


def _subject(refs: list[SourceRef], pos: int, attributor: Attributor) -> str:
    before = [r for r in refs if r.end <= pos]
    if before:
        r = before[0]
        return r.affiliated_with if r.kind == "actor" else r.name
    if attributor.last is not None:
        return attributor.last.name
    return ""


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
#: The literal words each trigger rule begins with (fastre.literals; None: no such words).
_TRIGGER_LITERALS = tuple(literals(r.pattern) for r in lexicon.TRIGGERS)
