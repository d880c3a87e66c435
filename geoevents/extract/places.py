"""Place mentions in an article, found with the gazetteer (not a list of names).

1. Candidate spans: capitalised sequences with the Arabic article and particles ("Deir ez-Zor",
   "Qasr al-Halabat", "al-Bukamal"), Arabic-script sequences; possessives and "-based"/"-backed"
   suffixes are read past.  Sentence-initial words, titles, actors, monitors and media names are
   not candidates.
2. The gazetteer decides which spans are places: the article's names are resolved together
   (``Gazetteer.resolve_document``) with the countries the article is about as context; fuzzy
   answers are not places.
3. Media names that collide with places are not places: "Al-Mayadeen correspondent",
   "Al Jazeera", "Arab News" (a list of outlets and the words that follow outlet names).
4. Each mention gets a *role*: the place of an event ("near the town of Mayadeen", "in Hajin"),
   or context (a funeral in Chita, a statement in Moscow, the origin of fighters, a dateline, a
   photo caption) with the reason.
5. For event places, the whole phrase ("near the town of Mayadeen", "Deir Ezzor province",
   "Qasr al-Halabat west of Palmyra", "20 km west of Palmyra", "the Dawa area") goes to
   ``Gazetteer.resolve`` in :func:`resolve_phrase` - the only call that reads place phrases, so
   that province and relative-location grammar lives in the gazetteer alone.
"""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from . import lexicon
from .fastre import fold, guard_namespace, literals, may_match

if TYPE_CHECKING:
    from gazetteer import Context, Gazetteer, Resolution

_PART = r"(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|ez|en|adh|ul|bin|ibn|bint|de|du|la|le|Al|El)"
_TOK = r"(?:[A-Z][\w’'\-]*\w|[A-Z])"
SPAN_RE = re.compile(
    rf"(?<![\w’'-])(?:{_PART}[-\s])?{_TOK}(?:(?:\s+|-)(?:{_PART}[-\s])?{_TOK}|\s+{_PART}[-\s]{_TOK})*"
    r"|[\u0600-\u06FF]+(?:\s+[\u0600-\u06FF]+)*")
_SUFFIX = re.compile(r"(?:['’]s|['’]|-(?:based|backed|led|held|run|operated|affiliated|linked|"
                     r"controlled|born|made|style|era|bound|allied|supported))$")

#: Capitalised words that do not begin or make a place name (data/extract/stop_words.txt).
STOP: frozenset[str] = lexicon.word_list("stop_words.txt")
TITLES = re.compile(
    r"\b(?:President|Prime\s+Minister|Minister|King|Prince|Gen\.?|General|Col\.?|Colonel|"
    r"Lt\.?|Major|Maj\.?|Sgt\.?|Capt\.?|Captain|Sheikh|Emir|Ayatollah|Pope|Premier|Chancellor|"
    r"Senator|Governor|Mayor|spokes(?:man|woman|person)|head|chief|leader|commander|director|"
    r"founder|envoy|ambassador|secretary|minister|official|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+$")
PERSON_AFTER = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|warned|stressed|"
                          r"congratulated|praised|ordered|named|thanked|announced)\b")
AREA_WORDS = (r"province|governorate|city|town|village|area|areas|region|district|countryside|"
              r"desert|valley|plain|camp|air\s+base|airbase|military\s+base|base|airport|"
              r"neighbou?rhood|suburbs?|dam|oil\s+field|gas\s+field|crossing|border\s+crossing|"
              r"river|mountains?|hills?|outskirts|old\s+city|refugee\s+camp|prison|checkpoint")
_DIRS = (r"north|south|east|west|north-?east|north-?west|south-?east|south-?west|northern|"
         r"southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|"
         r"south-?western|northeastern|northwestern|southeastern|southwestern")
_LEFT_OK = frozenset(["the", "a", "an", "of", "near", "nearby", "outside", "around", "close", "next", "to", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "mi", "town", "village", "city", "province", "governorate", "region", "area", "areas", "district", "countryside", "desert", "outskirts", "suburbs", "vicinity", "edge", "camp", "neighbouring", "neighboring", "ancient", "border", "villages", "towns", "part", "parts", "rural", "surrounding", "southern", "northern", "eastern", "western", "central", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "north-east", "north-west", "south-east", "south-west", "north-eastern", "north-western", "south-eastern", "south-western", "northeastern", "northwestern", "southeastern", "southwestern", "eastern-most", "outskirt", "heart", "centre", "center", "far", "deep", "besieged", "rebel-held", "government-held", "regime-held", "opposition-held", "jihadist-held"])
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|nearby|around|outside|on|across|inside|into|over|throughout|within|"
    r"towards?|from|of|between|by|west|east|north|south|targeting|targeted|hit|struck|"
    r"attacked|shelled|bombed|raided|stormed|reached|entered|captured|seized|recaptured)\s+"
    r"(?:[\w’'-]+\s+){0,8}$)", re.I)
# Context cues: (pattern over the text before the mention, reason).
_TAIL = r"(?:the\s+)?(?:[\w’'-]+\s+){0,6}$"
_BEFORE_CONTEXT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.I), why) for rx, why in (
        (r"\b(?:funerals?|buried|burial|mourn\w*|memorial)\b(?:\s+[\w’'-]+){0,4}?\s+(?:in|at)\s+"
         + _TAIL, "a funeral or burial place"),
        (r"\bfunerals?\b[^.;]{0,60}?\b(?:took\s+place|was\s+held|were\s+held|held)\s+(?:in|at)\s+"
         + _TAIL, "a funeral or burial place"),
        (r"\b(?:newspaper|daily|outlet|agency|television|channel|broadcaster)\s+(?:\w+\s+){0,3}"
         r"(?:in|of)\s+" + _TAIL, "where a news outlet is"),
        (r"\b(?:sources?|officials?|reporters|journalists|correspondents?|activists|diplomats|"
         r"spokes\w+|monitor)\s+(?:\w+\s+){0,2}(?:in|from)\s+" + _TAIL, "where a source is"),
        (r"\b(?:told\s+(?:\w+\s+){0,2}|briefing\s+|conference\s+|statement\s+|speaking\s+)"
         r"(?:in|from)\s+" + _TAIL, "where a statement was made"),
        (r"\b(?:took\s+off|taking\s+off|flew|flying|departed|operating|launched|based)\s+"
         r"(?:[\w’'-]+\s+){0,3}?from\s+" + _TAIL, "where aircraft or forces came from"),
        (r"\b(?:bombers|jets|planes|warplanes|aircraft|helicopters|drones)\s+(?:\w+\s+){0,2}"
         r"from\s+" + _TAIL, "where aircraft came from"),
        (r"\b(?:expelled|bussed|bused|evacuated|withdrew|withdrawn|fled|driven|pushed|ousted|"
         r"transferred|came|originat\w+|hailing|native|returned)\b[^.;]{0,80}?\b"
         r"(?:from|out\s+of)\s+" + _TAIL, "where fighters or people came from"),
        (r"\b(?:headed|heading|moved|moving|travel\w*|went|going|fled|bound|sent|deployed|"
         r"redeployed|relocated|bussed|bused|transferred)\s+(?:\w+\s+){0,3}(?:to|towards?|"
         r"for|into)\s+" + _TAIL, "a destination"),
        (r"\b(?:visit(?:ed|ing)?|trip|talks|meetings?|summit|conference|negotiations?|"
         r"ceasefire|truce|agreement|deal)\s+(?:\w+\s+){0,3}(?:to|in|at|with)\s+" + _TAIL,
         "a diplomatic or political mention"),
        (r"\bleaflets?\b[^.;]*?" + _TAIL, "leaflets dropped on it"),
        # "The rebel assault coincided with a two-week-old offensive further west in ...":
        # another event the one reported is compared with.
        (r"\b(?:coincid(?:ed|es|ing)|came\s+as|comes\s+as|follow(?:ed|s|ing)?\s+(?:on\s+)?"
         r"from|parallel\s+to|alongside)\b\s+(?:[\w’'-]+\s+){0,12}?(?:further|farther)\s+"
         r"(?:\w+\s+){0,2}(?:in|at|near)\s+" + _TAIL, "another event it is compared with"),

        (r"\b(?:based|headquartered|stationed)\s+in\s+" + _TAIL, "where an organisation is based"),
        (r"\b(?:capital|president|government|leader|embassy|envoy|ally|allies)\s+of\s+"
         r"(?:the\s+)?$|\bcapital\s+$", "stands for a state"),
    ))
_AFTER_CONTEXT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*(?:and\s+(?:[\w’'-]+\s+){0,3})?(?:said|says|told|reported|announced|"
                r"confirmed|denied|claimed|accused|warned|helped|backs|backed|backing|"
                r"supports?|has\s+denied|has\s+helped|did\s+not|does\s+not)\b|"
                r"^\s*(?:remains?|is\s+the|was\s+the|control|controls|and\s+its\s+allies)\b", re.I),
     "names a government or a speaker"),
    (re.compile(r"^['’]s?\s+(?!(?:eastern|western|northern|southern|central|north|south|east|"
                r"west|desert|countryside|outskirts|border|province|countryside|oil|coast|"
                r"[A-Z]))"), "stands for a state or its people"),
)


@dataclass(slots=True)
class PlaceMention:
    name: str  # as written ("Mayadeen")
    begin: int  # offsets in the sentence
    end: int
    resolution: Resolution | None = None
    phrase: str = ""  # the place phrase around it ("near the town of Mayadeen")
    phrase_begin: int = 0
    phrase_end: int = 0
    role: str = "context"  # event | context
    why: str = ""  # why it is context
    media: bool = False
    unknown: bool = False  # a settlement the gazetteer does not know, kept as written
    text: str = ""  # the sentence it is in

    @property
    def place(self):  # gazetteer Place or None
        return None if self.resolution is None else self.resolution.place

    @property
    def is_country(self) -> bool:
        p = self.place
        return p is not None and p.kind == "country"


_SETTLEMENT = (r"(?:villages?|towns?|hamlets?|settlements?|neighbou?rhoods?|districts?|"
               r"localit(?:y|ies)|farms?|camps?)")
_SETTLEMENT_BEFORE = re.compile(rf"\b{_SETTLEMENT}\s+of\s+(?:the\s+)?$|"
                                rf"\b(?:village|town|hamlet)s?\s+(?:[A-Z][\w’'-]+,?\s+(?:and\s+)?)+$",
                                re.I)
#: A road named by its ends: "the highway linking X and Y", "the road which connects X and Y",
#: "the road from X to Y".
_ROAD_BEFORE = re.compile(
    r"(?:\bthe\s+)?(?:(?:(?-i:[A-Z])|(?:al|el|ad|as|ar)-)[\w’'-]*\s+|(?:main|strategic|key|vital|"
    r"international|supply|old|new|desert)\s+){0,3}(?:road|highway|motorway|route)s?\s*,?\s*"
    r"(?:(?:which|that)"
    r"\s+)?(?:link(?:s|ing)?|connect(?:s|ing)?|runs?\s+(?:from|between)|between|from)\s+"
    r"(?:between\s+)?(?:the\s+(?:towns?|cities|city|villages?)\s+of\s+)?$", re.I)
_ROAD_AND = re.compile(r"\s+(?:and|to|with)\s+(?:the\s+(?:[\w-]+\s+){0,2}?(?:town|city|village)\s+"
                       r"of\s+)?", re.I)
_SETTLEMENT_AFTER = re.compile(rf"^\s+{_SETTLEMENT}\b", re.I)
#: "... were in Qaterji, where raids killed 17": a place by the way it is written.
_IN_BEFORE = re.compile(r"\b(?:in|at)\s+$")
_WHERE_AFTER = re.compile(r"^\s*,\s*where\b")

_HYPHEN_SUFFIX = re.compile(r"^(?P<name>.+?)-(?P<suffix>based|backed|led|held|run|operated|"
                            r"affiliated|linked|controlled|born|made|style|era|bound|allied|"
                            r"supported)$")


@dataclass(frozen=True, slots=True)
class Span:
    begin: int
    end: int
    name: str
    suffix: str = ""  # "based" for "UK-based"


_NONSPACE = re.compile(r"\S+")
_POSSESSIVE_WORD = re.compile(r"^(?P<name>.+?)['’]s$")
_LEFT_TOKEN = re.compile(r"[\w’'-]+|\S")
_CAP_POSSESSIVE = re.compile(r"([A-Z][\w-]+)['’]s")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def _split_suffixes(text: str, b: int, e: int) -> list[Span]:
    """'US-backed Kurdish' -> [US (backed), Kurdish]."""
    out: list[Span] = []
    start = b
    for w in _NONSPACE.finditer(text[b:e]):
        m = _HYPHEN_SUFFIX.match(w.group(0))
        pm = _POSSESSIVE_WORD.match(w.group(0)) if w.end() < e - b else None
        if pm:  # "Syria’s Deir Az Zor" -> "Syria’s" | "Deir Az Zor"
            wb = b + w.start()
            if wb > start:
                out.append(Span(start, wb, text[start:wb].rstrip()))
            out.append(Span(wb, wb + len(pm.group("name")), pm.group("name")))
            start = b + w.end()
            while start < e and text[start] == " ":
                start += 1
            continue
        if m:
            wb = b + w.start()
            if wb > start:
                out.append(Span(start, wb, text[start:wb].rstrip()))
            out.append(Span(wb, wb + len(m.group("name")), m.group("name"), m.group("suffix")))
            start = b + w.end()
            while start < e and text[start] == " ":
                start += 1
    if start < e:
        out.append(Span(start, e, text[start:e]))
    return [sp for sp in out if sp.name.strip()]


_POSSESSIVE_END = re.compile(r"(?:['’]s|['’])$")
_PLURAL_AREA_END = re.compile(r"\s+(?:Governorates|Provinces|Districts|Regions|Cities|Towns)$")
_LOWER_WORD = re.compile(r"\b[a-z][a-z]+\b")
_AL_PREFIX = re.compile(r"^(?:al|el)[-\s]", re.I)
_OPEN_PAREN = re.compile(r"\([^()]*$")
_CREDIT_REST = re.compile(r"[^()]*/[^()]*\)")
_SLASH_BEFORE = re.compile(r"/\s*$")


def _clean_span(text: str, sp: Span) -> Span | None:
    b, e = sp.begin, sp.end
    s = text[b:e]
    m = _POSSESSIVE_END.search(s)
    if m:
        e -= len(m.group(0))
        s = text[b:e]
    # "Deir ez-Zor and Hasakah Governorates": a plural area word ends two names, not one.
    m = _PLURAL_AREA_END.search(s)
    if m:
        e -= len(m.group(0))
        s = text[b:e]
    if not s:
        return None
    if "\u0600" <= s[0] <= "\u06ff":
        return Span(b, e, s, sp.suffix)
    words = s.split()
    # Drop leading stop words ("The Russian Defense Ministry" -> "Russian Defense Ministry").
    while words and (words[0].lower().strip("’'") in STOP or
                     (len(words) > 1 and lexicon.demonym_of(words[0]))):
        b = text.index(words[0], b) + len(words[0])
        while b < e and text[b] in " \t":
            b += 1
        words = words[1:]
    if not words:
        return None
    s = text[b:e]
    if s.lower().strip("’'") in STOP:
        return None
    return Span(b, e, s, sp.suffix)


def find_spans(text: str) -> list[Span]:
    """Capitalised (or Arabic-script) sequences that might name places."""
    return list(_find_spans(text))


@functools.lru_cache(maxsize=8192)
def _find_spans(text: str) -> tuple[Span, ...]:
    """:func:`find_spans` (a pure function of the text; spans are frozen), remembered."""
    out: list[Span] = []
    for m in SPAN_RE.finditer(text):
        for sp in _split_suffixes(text, m.start(), m.end()):
            c = _clean_span(text, sp)
            if c is not None:
                out.append(c)
    return tuple(out)


_ORG = re.compile(r"\b(?:Ministry|Observatory|Agency|News|Times|Post|Council|Committee|Army|"
                  r"Front|Party|Group|Team|University|Coalition|Brigades?|Division|Forces|"
                  r"Organi[sz]ation|Network|Institute|Centre|Center|Commission|Office|Police|"
                  r"Guard|Corps|Movement|Union|Association|Foundation|Company|Airlines|"
                  r"Cup|World\s+Cup|League|Prize|Award)\b")


@functools.lru_cache(maxsize=100_000)
def _name_is_not_a_place(name: str) -> str:
    """What a name is when it cannot be a place whatever its sentence (cached)."""
    if lexicon.ACTOR_ANY.search(name):
        for a in lexicon.NAMED_ACTORS:
            if a.pattern.fullmatch(name):
                return "an armed group"
    if lexicon.SOURCE_ANY.search(name):
        for s in lexicon.KNOWN_SOURCES:
            if s.pattern.fullmatch(name):
                return "a source"
    if lexicon.MEDIA.fullmatch(name):
        return "a media outlet"
    if _ORG.search(name):
        return "an organisation"
    dem = lexicon.countries().by_demonym
    low = name.lower()
    if low in dem or (low.endswith("s") and low[:-1] in dem):
        return "a nationality"
    return ""


def _is_known_non_place(name: str, text: str, b: int, e: int) -> str:
    """Why a span is not a place candidate ("" if it may be one)."""
    why = _name_is_not_a_place(name)
    if why:
        return why
    before = text[max(0, b - 40):b]
    if TITLES.search(before):
        return "a person"
    if PERSON_AFTER.match(text[e:e + 30]) and len(name.split()) >= 2:
        return "a person"
    return ""


def resolve_phrase(gz: Gazetteer, phrase: str, context: Context) -> Resolution | None:
    """Ask the gazetteer about a whole place phrase ("Deir ez-Zor province", "20 km west of
    Palmyra", "near the town of Mayadeen").  The one call through which geoevents reads place
    phrases: provinces, regions and relative locations are the gazetteer's business."""
    from gazetteer import InputError

    try:
        return gz.resolve(phrase, context, suggestions=False)
    except InputError:
        return None


#: Per gazetteer: name -> does the gazetteer know it (without fuzzy matching)?  Shared by all
#: documents: names repeat across a corpus, and the answer does not depend on the document.
_KNOWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Per gazetteer: (name, countries) -> resolution of a name only mentioned in background.
_BACKGROUND: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Per gazetteer: (phrase, countries, anchor) -> resolution; the same for every document.
_PHRASES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_AREA_BEFORE = re.compile(rf"\b(province|governorate)\s+of\s+({_TOK}(?:[\s-](?:{_PART}[-\s])?{_TOK})*)")
_AREA_AFTER = re.compile(rf"({_TOK}(?:[\s-](?:{_PART}[-\s])?{_TOK})*)\s+(province|governorate)\b")
_CITY_OF = re.compile(rf"\b(?:city|town)\s+of\s+({_TOK}(?:[\s-](?:{_PART}[-\s])?{_TOK})*)")
_X_CITY = re.compile(rf"({_TOK}(?:[\s-](?:{_PART}[-\s])?{_TOK})*)\s+(?:city|town)\b")


def areas_named(body: list[str]) -> dict[str, str]:
    """Names the story's body calls a province ("the province of Deir Ezzor", "Homs
    province") and never a city or town: {lowercased name: "province"}."""
    areas: dict[str, str] = {}
    cities: set[str] = set()
    for t in body:
        for m in _AREA_BEFORE.finditer(t):
            areas.setdefault(m.group(2).lower(), m.group(1).lower())
        for m in _AREA_AFTER.finditer(t):
            areas.setdefault(m.group(1).lower(), m.group(2).lower())
        cities.update(m.group(1).lower() for m in _CITY_OF.finditer(t))
        cities.update(m.group(1).lower() for m in _X_CITY.finditer(t))
    return {n: w for n, w in areas.items() if n not in cities}


def _known_names(gz: Gazetteer, names: list[str]) -> dict[str, bool]:
    cache: dict[str, bool] = _KNOWN.setdefault(gz, {})
    todo = [n for n in dict.fromkeys(names) if n not in cache]
    if todo:
        if len(cache) > 200_000:
            cache.clear()
        known = gz.known(todo)
        for n in todo:
            cache[n] = n in known
    return {n: cache[n] for n in names}


_CASUALTY_STEMS = ("kill", "dead", "died", "death", "slain", "lives", "perish", "execut", "wound",
                   "injur", "hurt", "toll", "lost", "murder", "behead", "fatalit", "remaining",
                   "claim",
                   "confirm", "took place", "happened", "occurred", "target")


def _eventish(text: str) -> bool:
    """Could this sentence report an incident (an event word or a casualty word)?"""
    low = text.lower()
    if any(s in low for s in _CASUALTY_STEMS):
        return True
    return bool(frozenset(re.findall(r"[a-z’']+", low)) & lexicon.TRIGGER_WORDS)


def _as_written(name: str, r: Resolution) -> Resolution:
    """Of namesakes the gazetteer cannot tell apart (ambiguous, near-equal scores), the one
    with a name spelt exactly as written ("Sloviansk") before one equal only once apostrophes
    and accents are dropped ("Slov'iansk")."""
    if r.status != "ambiguous" or not r.candidates or r.matched_name == name:
        return r
    top = r.candidates[0].score
    exact = [c for c in r.candidates if c.matched_name.casefold() == name.casefold() and
             c.score >= top - 0.05]
    if len(exact) != 1 or r.matched_name is None or \
            r.matched_name.casefold() == name.casefold():
        return r
    from dataclasses import replace

    c = exact[0]
    return replace(r, place=c.place, match=c.match, matched_name=c.matched_name)


_VILLAGE_BEFORE = re.compile(r"\b(?:villages?|hamlets?)\s+of\s+(?:the\s+)?$", re.I)
_VILLAGE_AFTER = re.compile(r"\s+(?:villages?|hamlets?)\b", re.I)


_LOCAL_BEFORE = re.compile(
    r"\b(?:[Vv]illages?|[Hh]amlets?|[Tt]owns?)\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*){0,2},?\s(?:and\s)?){0,4}$")
_LOCAL_AFTER = re.compile(
    r"(?:,?\s(?:and\s)?[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*){0,2}){0,4},?\s+(?i:villages?\b|"
    r"(?:in|of)\s+the\s+(?:(?:north|south|east|west)[a-z-]*\s+)?(?:countryside|outskirts|"
    r"suburbs?|north|south|east|west)\b)")


def _written_local(text: str, sp: Span) -> bool:
    """Is the name written as a village or as inside another place ("the villages of A, B
    and C", "A village", "A in the eastern countryside of Homs")?"""
    return bool(_LOCAL_BEFORE.search(text, 0, sp.begin) or _LOCAL_AFTER.match(text, sp.end))


def _village_not_city(text: str, sp: Span, r: Resolution) -> bool:
    """A name written as a village's ("the village of X", "X village") that the gazetteer
    answers with a city (100,000 people or more) by another of the city's names (an old name,
    a spelling variant): the village is not the city."""
    from gazetteer.normalize import key

    p = r.place
    if p is None or (p.population or 0) < 100_000 or not r.matched_name or \
            key(r.matched_name) == key(p.name):
        return False
    return bool(_VILLAGE_BEFORE.search(text, 0, sp.begin) or _VILLAGE_AFTER.match(text, sp.end))


#: The subject of a change of control: "The Mosul Dam, northwest of the city, is among the
#: positions retaken from ...", "Tal Afar was liberated".
_TAKEN_AFTER = re.compile(
    r"(?:\s*,[^,.;]{0,50},)?\s+(?:is|was|were|are|has\s+been|have\s+been|had\s+been)\s+"
    r"(?:now\s+|also\s+|fully\s+|completely\s+)?(?:among\s+the\s+(?:[\w-]+\s+){0,2}"
    r"(?:areas|positions|villages|towns|sites|places|locations|points)\s+)?(?:retaken|"
    r"recaptured|captured|liberated|seized|taken|cleared|regained|overrun)\b", re.I)

# The place phrase's right side (PlaceFinder._phrase), compiled once.
_AREA_WORD_AFTER = re.compile(rf"^\s+(?:{AREA_WORDS})\b", re.I)
_DIR_OF_AFTER = re.compile(rf"^\s*,?\s+(?:\d+(?:\.\d+)?\s*(?:km|kilomet(?:re|er)s?|miles?)\s+)?"
                           rf"(?:{_DIRS})\s+of\s+(?:the\s+)?{_TOK}(?:[\s-](?:{_PART}[-\s])?{_TOK})*")
_TOK_START = re.compile(rf"^{_TOK}")
_COMMA_AREA_AFTER = re.compile(rf"^,\s+{_TOK}(?:\s+{_TOK})*\s+(?:province|governorate|region)\b")
_AND_NAME_AFTER = re.compile(rf"^\s+and\s+{_TOK}(?:[\s-](?:{_PART}[-\s])?{_TOK})*")


class PlaceFinder:
    """Finds and resolves the place mentions of one document (all its stories)."""

    def __init__(self, gz: Gazetteer, countries: list[str], outlets: tuple[str, ...] = (),
                 area_cues: list[str] | None = None):
        self.gz = gz
        self.countries = tuple(countries[:4])
        # The countries the report is about for sure (its region, the country it names most
        # or more than once); None: all of ``countries``.
        self.area_cues = tuple(countries[:4] if area_cues is None else area_cues)
        self.outlets = tuple(o for o in outlets if o)
        self.names: dict[str, Resolution] = {}
        self.persons: set[str] = set()
        self._spans: dict[str, list[Span]] = {}
        # Why a span is not a place, once per (text, span): scan() and mentions() both ask.
        self._why: dict[tuple[str, int, int, str], str] = {}
        self.area_names: dict[str, str] = {}
        self._area: set[str] | None = None

    def area(self) -> set[str]:
        """The countries the report is about: those it names, that of most of the place
        mentions, and those of at least two resolved mentions."""
        if self._area is None:
            from collections import Counter

            from gazetteer.normalize import key

            # Every mention counts ("Hasakah" three times outweighs one namesake abroad); a
            # name answered by another of a place's names (an alias or spelling variant) in a
            # country the text does not name is no evidence of where the report is: it is the
            # very namesake the area is there to refuse.
            sure = set(self.area_cues)
            n: Counter[str] = Counter()
            for text, spans in self._spans.items():
                for sp in spans:
                    r = self.names.get(sp.name)
                    if r is None or r.place is None or r.place.kind == "country":
                        continue
                    # Nor one the text writes as a village ("the villages of Nasiriyah and
                    # Dukan in the west of Jandaris").
                    if sure and r.place.country not in sure and (
                            (r.matched_name and key(r.matched_name) != key(r.place.name)) or
                            _written_local(text, sp)):
                        continue
                    n[r.place.country] += 2 if r.status == "resolved" else 1
            ranked = n.most_common(2)
            top = {ranked[0][0]} if ranked and (len(ranked) == 1 or
                                                ranked[0][1] > ranked[1][1]) else set()
            if self.area_cues and ranked and ranked[0][1] < 4:
                top = set()  # one mention does not add a country to those the text names
            most = ranked[0][1] if ranked else 0
            self._area = set(self.area_cues) | top | {
                c for c, k in n.items() if k >= max(4, most / 2)}
        return self._area

    def _abroad(self, r: Resolution, local: bool = False) -> bool:
        p = r.place
        if p is None or p.kind == "country":
            return False
        from gazetteer.normalize import key

        # A big city abroad named by its own name (Moscow, Ankara) is a city abroad; a
        # namesake by another of its names ("Heya" for The Hague) is not, nor one the text
        # writes as a village or as inside another place ("the villages of Nasiriyah and
        # Dukan", "Arak in the eastern countryside of Homs").
        alias = bool(r.matched_name) and key(r.matched_name) != key(p.name)
        if (p.population or 0) >= 100_000 and not alias and not local:
            return False
        area = self.area()
        return bool(area) and p.country not in area

    # ------------------------------------------------------------------ document level
    def scan(self, texts: list[str], body: list[str] | None = None) -> None:
        """Read a document's sentences once: note who is a person, which names the story uses
        for a province, and resolve every candidate name together in the document's
        context."""
        self.area_names = areas_named(body if body is not None else texts)
        for t in texts:
            if t not in self._spans:
                self._spans[t] = find_spans(t)
        spans = [(t, sp) for t in texts for sp in self._spans[t]]
        for t, sp in spans:
            if _is_known_non_place(sp.name, t, sp.begin, sp.end) == "a person":
                words = sp.name.split()
                self.persons.add(sp.name)
                if len(words) >= 2:
                    last = words[-1]
                    self.persons.update({last, re.sub(r"^(?:al|el|ad|as|ash)-", "", last,
                                                      flags=re.I), " ".join(words[-2:])})
        self._why.clear()  # the persons changed
        lower = {w for t in texts for w in _LOWER_WORD.findall(t)}
        names, background = [], []
        eventish = {t: _eventish(t) for t in texts}
        for t, sp in spans:
            if self._why_not(t, sp):
                continue
            if " " not in sp.name and sp.name.lower() in lower and sp.begin == 0:
                continue  # a sentence-initial word the text also writes in lower case
            (names if eventish[t] else background).append(sp.name)
        self.resolve_names(names)
        self.resolve_background([n for n in background if n not in self.names])

    def _why_not(self, text: str, sp: Span) -> str:
        key = (text, sp.begin, sp.end, sp.name)
        why = self._why.get(key)
        if why is not None:
            return why
        why = _is_known_non_place(sp.name, text, sp.begin, sp.end)
        if not why and (sp.name in self.persons or _AL_PREFIX.sub("", sp.name) in self.persons):
            why = "a person"
        if not why and self._is_media(text, sp.begin, sp.end, sp.name):
            why = "a media outlet"
        self._why[key] = why
        return why

    def _is_media(self, text: str, b: int, e: int, name: str) -> bool:
        if lexicon.MEDIA.fullmatch(name):
            return True
        low = name.lower()
        for o in self.outlets:
            i = o.lower().find(low)
            while i >= 0:  # the name as a whole word of the outlet's name (no regex to build)
                j = i + len(low)
                if (i == 0 or not o[i - 1].isalnum()) and (j >= len(o) or not o[j].isalnum()):
                    return True
                i = o.lower().find(low, i + 1)
        if lexicon.MEDIA_FOLLOWERS.match(text[e:e + 40]):
            return True
        # Inside a credit "(AsiaNews/Agencies)".
        return bool((_OPEN_PAREN.search(text, 0, b) and _CREDIT_REST.match(text, e))
                    or _SLASH_BEFORE.search(text, 0, b))

    def resolve_names(self, names: list[str]) -> None:
        """Resolve the document's candidate names together, in the article's context; names the
        gazetteer does not know at all (no match but a fuzzy one) are left out first."""
        from gazetteer import Context

        todo = sorted({n for n in names if n not in self.names})
        if not todo:
            return
        # Country abbreviations ("UK", "US") are read as the country they stand for.
        c = lexicon.countries()
        query = {n: (c.short[c.by_name[n.lower()]] if n.isupper() and len(n) <= 4 and
                     n.lower() in c.by_name else n) for n in todo}
        known = _known_names(self.gz, [query[n] for n in todo])
        places = [n for n in todo if known[query[n]]]
        if places:
            res = self.gz.resolve_document([query[n] for n in places],
                                           Context(countries=self.countries))
            for n, r in zip(places, res, strict=True):
                self.names[n] = _as_written(query[n], r)

    def resolve_background(self, names: list[str]) -> None:
        """Names only in sentences that cannot report an incident are context: each is resolved
        on its own in the article's countries (cached across documents), not together with the
        event places."""
        from gazetteer import Context

        todo = sorted(set(names))
        if not todo:
            return
        c = lexicon.countries()
        query = {n: (c.short[c.by_name[n.lower()]] if n.isupper() and len(n) <= 4 and
                     n.lower() in c.by_name else n) for n in todo}
        known = _known_names(self.gz, [query[n] for n in todo])
        cache: dict = _BACKGROUND.setdefault(self.gz, {})
        ask = [n for n in todo if known[query[n]] and (query[n], self.countries) not in cache]
        if ask:
            res = self.gz.resolve_many([query[n] for n in ask], Context(countries=self.countries),
                                       suggestions=False)
            if len(cache) > 200_000:
                cache.clear()
            for n, r in zip(ask, res, strict=True):
                cache[(query[n], self.countries)] = r
        for n in todo:
            if known[query[n]]:
                self.names[n] = cache[(query[n], self.countries)]

    def known(self, name: str) -> Resolution | None:
        r = self.names.get(name)
        if r is None or r.place is None or r.status == "unresolved":
            return None
        if r.match == "fuzzy":
            return None
        return r

    # ------------------------------------------------------------------ sentence level
    def mentions(self, text: str, kind: str = "body") -> list[PlaceMention]:
        out: list[PlaceMention] = []
        spans = self._spans.get(text)
        if spans is None:
            spans = find_spans(text)
        for sp in spans:
            why = self._why_not(text, sp)
            r = self.known(sp.name)
            refused = r is not None and (self._abroad(r, _written_local(text, sp)) or
                                         _village_not_city(text, sp, r))
            if refused:
                # A small namesake outside the report's countries ("Heya" in a Hasakah
                # report is not The Hague), or a city answering "the village of X" by another
                # of its names: a place the gazetteer lacks, as written.
                r = None
            if why:
                if why == "a media outlet" and r is not None:
                    out.append(PlaceMention(sp.name, sp.begin, sp.end, r, role="context",
                                            why="a media outlet named like a place", media=True))
                continue
            if r is None:
                # A village the gazetteer lacks, named as one ("the village of Bicgas", "Heya
                # village"): kept as written, placed later at the place the report names
                # around it.
                if kind == "body" and (_SETTLEMENT_BEFORE.search(text[:sp.begin]) or
                                       _SETTLEMENT_AFTER.match(text[sp.end:]) or
                                       (refused and _written_local(text, sp)) or
                                       (_IN_BEFORE.search(text[:sp.begin]) and
                                        _WHERE_AFTER.match(text[sp.end:]))) and \
                        sp.name not in self.persons:
                    pm = PlaceMention(sp.name, sp.begin, sp.end, None, unknown=True)
                    self._phrase(text, pm)
                    pm.role, pm.why = self._role(text, pm)
                    if pm.role == "event":
                        out.append(pm)
                continue
            pm = PlaceMention(sp.name, sp.begin, sp.end, r)
            self._phrase(text, pm)
            if kind == "caption":
                pm.role, pm.why = "context", "a photo caption"
            elif sp.suffix:
                pm.role, pm.why = "context", f"in '{sp.name}-{sp.suffix}'"
            else:
                pm.role, pm.why = self._role(text, pm)
            out.append(pm)
        for pm in out:
            pm.text = text
        self._roads(text, out)
        # A name inside another's phrase ("Palmyra" in "Qasr al-Halabat west of Palmyra") is
        # that phrase's anchor, not a place of its own.
        for pm in out:
            for other in out:
                if other is not pm and other.role == "event" and pm.role == "event" and \
                        not other.unknown and \
                        other.phrase_begin <= pm.begin and pm.end <= other.phrase_end and \
                        not (other.begin <= pm.begin and pm.end <= other.end):
                    pm.role, pm.why = "context", f"the reference point of {other.phrase!r}"
        return out

    def _times_named(self, pm: PlaceMention) -> int:
        """How many mentions of the document are of ``pm``'s place (any spelling)."""
        uid = pm.place.uid if pm.place is not None else None
        n = 0
        for sps in self._spans.values():
            for sp in sps:
                r = self.names.get(sp.name)
                n += r is not None and r.place is not None and r.place.uid == uid
        return n

    def _roads(self, text: str, out: list[PlaceMention]) -> None:
        """"on the Al-Kherafi highway linking Al-Hasakah and Deir Ezzor": the road is where;
        it is placed at the end the document names more (the story's place), precision 2 by
        its words, the other end is context."""
        for p, q in pairwise(out):
            if p.unknown or q.unknown or p.place is None or q.place is None:
                continue
            if not _ROAD_AND.fullmatch(text[p.end:q.begin]):
                continue
            road = _ROAD_BEFORE.search(text[max(0, p.begin - 90):p.begin])
            if road is None:
                continue
            begin = max(0, p.begin - 90) + road.start()
            lead = re.match(r"(?:on|along|at|in|near|of|by)\s+", text[begin:], re.I)
            if lead:
                begin += lead.end()
            cp, cq = (self._times_named(x) for x in (p, q))
            keep, other = (q, p) if cq > cp else (p, q)
            keep.phrase, keep.phrase_begin, keep.phrase_end = text[begin:q.end], begin, q.end
            keep.role, keep.why = "event", ""
            other.role, other.why = "context", f"the other end of {keep.phrase!r}"

    def _phrase(self, text: str, pm: PlaceMention) -> None:
        """Extend the name to its place phrase: words before ("near the town of", "20 km west
        of", "eastern", "desert areas of the neighbouring province of") and after ("province",
        "area", "west of Palmyra", "(Deir Ezzor)")."""
        b, e = pm.begin, pm.end
        # Left: walk back over the words a place phrase is made of.
        left = text[:b]
        words = list(_LEFT_TOKEN.finditer(left))
        start = b
        taken = 0
        for w in reversed(words):
            tok = w.group(0).lower()
            poss = _CAP_POSSESSIVE.fullmatch(w.group(0))
            if tok in _LEFT_OK or _DECIMAL.fullmatch(tok) or (
                    w.group(0)[0].isupper() and lexicon.demonym_of(w.group(0))) or (
                    poss and lexicon.country_of(poss.group(1))):  # "near Syria's Deir Ezzor"
                if tok == "to" and not re.search(r"\b(?:close|next)\s*$", left[:w.start()],
                                                 re.I):
                    break
                start = w.start()
                taken += 1
                if taken >= 9:
                    break
                continue
            break
        phrase_left = text[start:b]
        bare_the = bool(re.fullmatch(r"the\s+", phrase_left, re.I))
        # Do not begin with connecting words.
        m = re.match(r"^(?:(?:of|to|the|a|an)\s+)+", phrase_left, re.I)
        if m and not re.match(r"^the\s+\w", phrase_left, re.I):
            start += m.end()
        if re.match(r"^(?:of|to)\s", text[start:b], re.I):
            start = b
        # Right: area word, "west of Y", "(Y)", ", Y province".
        right = text[e:]
        end = e
        m = _AREA_WORD_AFTER.match(right)
        if m:
            end = e + m.end()
        m2 = _DIR_OF_AFTER.match(text[end:])
        if m2:
            end += m2.end()
        else:
            m3 = re.match(r"^\s*\(([^()]{2,40})\)", text[end:])
            if m3 and _TOK_START.match(m3.group(1)):
                end += m3.end()
            else:
                m4 = _COMMA_AREA_AFTER.match(text[end:])
                if m4:
                    end += m4.end()
        if bare_the and end > e:
            start = b - len(phrase_left)  # "the Dawa area": "the" belongs with "area"
        # "between Idlib and Saraqeb": the gazetteer reads the pair.
        mb = re.search(r"\bbetween\s+(?:the\s+)?(?:(?:town|village|city|towns|villages)\s+of\s+)?$",
                       text[:b], re.I)
        if mb and end == e:
            ma = _AND_NAME_AFTER.match(text[e:])
            if ma:
                start, end = mb.start(), e + ma.end()
        phrase = text[start:end].strip(" ,")
        # "X west of Y": the phrase is for X; Y is an anchor mentioned separately.
        pm.phrase, pm.phrase_begin, pm.phrase_end = phrase, start, end

    def _role(self, text: str, pm: PlaceMention) -> tuple[str, str]:
        before = text[:pm.phrase_begin]
        after = text[pm.end:]
        folded = fold(before)
        for (rx, why), lits in zip(_BEFORE_CONTEXT, _BEFORE_LITERALS, strict=True):
            # The words a context pattern begins with ("funeral", "based") tested first.
            if may_match(lits, before, folded) and rx.search(before):
                return "context", why
        for rx, why in _AFTER_CONTEXT:
            if rx.search(after):
                # "Syria's eastern desert" is a place; "Moscow's Defense Ministry" is not.
                return "context", why
        if pm.phrase != pm.name:
            return "event", ""
        if _LOCATIVE.search(before) or _TAKEN_AFTER.match(text, pm.phrase_end or pm.end):
            return "event", ""
        return "context", "mentioned, not as where something happened"

    # ------------------------------------------------------------------ phrases
    def resolve_event_place(self, pm: PlaceMention) -> tuple[Resolution | None, str]:
        """The event place of a mention: its phrase as the gazetteer reads it, else the name
        itself (with a note saying so)."""
        from gazetteer import Context

        r0 = pm.resolution
        area = self.area()  # empty: the report's countries cannot be told, nothing is refused
        if r0 is not None and r0.place is not None and area and r0.place.country not in area:
            # Never in another country than the report's area: a namesake abroad ("Wiran",
            # a district of Hasakah, is not a village in Germany).
            return None, (f"{pm.name!r} resolves to {r0.place.name} ({r0.place.country}), "
                          "outside the countries the report is about")
        if r0 is not None and (not pm.phrase or pm.phrase == pm.name):
            word = self.area_names.get(pm.name.lower())
            if word is None:
                return r0, ""
            # The story names this place as a province and never as a city: a bare "in Deir
            # Ezzor" is the province (the journalistic convention), placed as an area.
            pm = PlaceMention(pm.name, pm.begin, pm.end, r0, role=pm.role, why=pm.why)
            pm.phrase = f"{pm.name} {word}"
        if not pm.phrase or pm.phrase == pm.name or r0 is None:
            return r0, ""
        anchors: tuple[tuple[float, float], ...] = ()
        if r0.place is not None and r0.place.kind != "country":
            anchors = ((r0.place.lat, r0.place.lon),)
        ctx = Context(countries=self.countries, near=anchors)
        cache: dict = _PHRASES.setdefault(self.gz, {})
        key = (pm.phrase, self.countries, anchors)
        if key in cache:
            r = cache[key]
        else:
            r = resolve_phrase(self.gz, pm.phrase, ctx)
            if len(cache) > 50_000:
                cache.clear()
            cache[key] = r
        if r is not None and r.status == "resolved" and r.place is not None and r.match != "fuzzy":
            if area and r.place.country not in area and r.place.kind != "country":
                return None, (f"{pm.phrase!r} resolves to {r.place.name} ({r.place.country}), "
                              "outside the countries the report is about")
            return r, ""
        return r0, (f"the gazetteer does not read {pm.phrase!r}; placed at {pm.name!r} "
                    f"({r0.place.name if r0.place else '?'})")


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
#: The literal words each context pattern begins with (fastre.literals): a pattern none of
#: whose words is in the text before a place is not searched.
_BEFORE_LITERALS = tuple(literals(rx) for rx, _why in _BEFORE_CONTEXT)
