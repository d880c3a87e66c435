"""Casualty figures in a sentence: how many, who, killed or wounded, and how sure.

Read: "35 pro-government forces killed, including at least nine Russians" (the second is part
of the first), "At least nine Russians and 26 Syrian soldiers have died" (two figures, one verb),
"four of its servicemen were killed", "left 43 militants dead", "killing all 39 people on board",
"claimed the killing of five Russian troops", "Five other personnel were wounded ..., where two
later died from their wounds" (wounded, then two more killed), "Three others were wounded",
"The remaining 26 were all Syrian forces", "the adviser ... died".

Each figure carries flags for the event assembly: ``more`` (adds to an earlier figure: "two
more", "another two", "later died"), ``subset`` (a breakdown of an earlier one: "Two were",
"Four of the Russian soldiers"), ``others`` (the same group as the figure before: "Three
others"), ``including`` (part of the figure before it in the sentence), ``remaining`` (the rest
of an earlier total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon
from .fastre import guard_namespace
from .numbers import NUMBER, QUALIFIER, QUALIFIERS, Quantity, parse_quantity

_HEADS_PL = (r"soldiers|troops|servicemen|service\s*members|(?:military\s+)?personnel|fighters|"
             r"militants|rebels|attackers|assailants|jihadists|jihadis|terrorists|insurgents|"
             r"gunmen|members|civilians|people|persons|children|women|men|residents|villagers|"
             r"passengers|advis[eo]rs|officers|policemen|police\s+officers|guards|forces|"
             r"militiamen|mercenaries|contractors|nationals|recruits|commanders|leaders|others|"
             r"individuals|workers|journalists|crew(?:\s+members)?|pilots|conscripts|"
             r"combatants|defenders|operatives|agents|staff|medics|doctors|students|pupils|"
             r"worshippers|farmers|shepherds|migrants|refugees|prisoners|detainees|"
             r"(?-i:[A-Z][a-z]+(?:ians|ans|ese|is|ites|ons|ards|ks|ds))")
_HEADS_SG = (r"soldier|serviceman|service\s*member|fighter|militant|rebel|attacker|civilian|"
             r"person|child|woman|man|resident|villager|passenger|advis[eo]r|officer|policeman|"
             r"guard|militiaman|mercenary|contractor|national|recruit|commander|leader|"
             r"journalist|pilot|driver|boy|girl|worker|medic|doctor|student|shepherd|farmer")
_ADJ = r"(?:(?!(?:and|or|including|as|were|was|have|had|in|at|on|during|after|who)\b)[\w’'-]+\s+){0,6}?"
_NP = (rf"(?:(?:of\s+)?(?:its|their|his|our|the|these|those)\s+)?{_ADJ}(?:{_HEADS_PL}|{_HEADS_SG})\b"
       rf"(?:\s+(?:of|from)\s+(?:the\s+)?{_ADJ}(?:army|forces|group|militia|militias|troops|"
       rf"Hezbollah|(?-i:[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)))?"
       rf"(?:\s+on\s+board|\s+aboard)?")
_KILLED = (r"killed|dead|died|slain|lost\s+their\s+lives|perished|executed|shot\s+dead|"
           r"beheaded|murdered|fatalities|deaths")
_WOUNDED = r"wounded|injured|hurt|injuries"
_AUX = (r"(?:(?:were|was|have\s+been|had\s+been|has\s+been|are|is|being|have|had|has|"
        r"would\s+have\s+been|could\s+have\s+been|may\s+have\s+been|might\s+have\s+been|"
        r"are\s+thought\s+to\s+have\s+been|are\s+believed\s+to\s+have|were\s+reported|"
        r"were\s+reportedly)\s+)?")
_ADV = (r"(?:(?:also|reportedly|later|all|allegedly|initially|subsequently|since|then|confirmed|"
        r"seriously|critically|severely|badly|lightly|slightly|fatally|mortally)\s+){0,2}")
_Q = rf"(?:(?P<q>{QUALIFIER})\s+)?"
_CHUNK = rf"{_Q}(?P<n>{NUMBER})(?:\s+(?P<more>more|other|others|additional|further))?" \
         rf"(?:\s+(?P<np>{_NP}|(?-i:[A-Z][\w’'-]+)(?=\s+and\s)))?"
_REL = (r"(?:\s+of\s+them)?(?:\s*[-–—]\s*(?:including|among\s+them)\s+[^-–—.;]{0,80}?[-–—])?"
        r"(?:\s*,?\s+(?:who|which|that)\s+[^.;]{0,80}?|\s+(?:it|he|she|they|officials|the\s+ministry)"
        r"\s+(?:said|says|reported)|\s+whose\s+[^.;]{0,80}?|"
        # "At least 14 fighters, including two suicide bombers were killed"
        r"\s*,\s*(?:including|among\s+them|among\s+whom)\s+[^.;]{0,80}?"
        r"(?=,?\s+(?:were|was|have|had|are)\s))?")

# "N NP ... (and N NP) ... VERB" - subject figures.
SUBJECT = re.compile(
    rf"(?<![\w,.])(?P<all>(?P<c1>{_CHUNK.replace('(?P<', '(?P<a_')})"
    rf"(?:\s*(?:,|and|as\s+well\s+as|plus|along\s+with)\s+(?P<c2>{_CHUNK.replace('(?P<', '(?P<b_')}))?)"
    rf"{_REL}\s+(?:,\s*)?{_AUX}{_ADV}(?:(?P<k>{_KILLED})|(?P<w>{_WOUNDED}))\b", re.I)
#: A date between the verb and its object: "shot dead on Sunday six fighters".
_WHEN = (r"(?:(?:on\s+|early\s+|late\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
         r"(?:\s+(?:night|morning|evening|afternoon))?\s+|(?:today|yesterday|overnight)\s+)?")
# "killing N NP", "left N NP dead", "claimed the killing of N NP" - object figures.
OBJECT = re.compile(
    rf"\b(?P<verb>killing|killed|kill|kills|left|leaving|leave|leaves|claimed\s+(?:the\s+)?"
    rf"killing\s+of|the\s+(?:killing|deaths?)\s+of|wounding|injuring|wounded|injured|"
    rf"executed|executing|shot\s+dead|gunned\s+down)\s+{_WHEN}(?:all\s+|a\s+total\s+of\s+)?"
    rf"(?P<all>(?P<c1>{_CHUNK.replace('(?P<', '(?P<a_')})"
    rf"(?:\s*(?:,|and|as\s+well\s+as|plus|along\s+with)\s+(?P<c2>{_CHUNK.replace('(?P<', '(?P<b_')}))?)"
    rf"(?:\s+(?P<after>dead|wounded|injured))?", re.I)
# "put the total of fighters killed at 35", "death toll rose to 12".
TOTAL = re.compile(
    rf"\b(?:put|puts|putting)\s+the\s+(?:total|toll|number)\s+(?:of\s+(?P<np>{_NP})\s+)?"
    rf"(?:(?P<k>{_KILLED})|(?P<w>{_WOUNDED}))\s+at\s+(?P<n>{NUMBER})|"
    rf"\b(?:(?P<k2>death|casualty)\s+)?toll\s+(?:[\w-]+\s+){{0,14}}?(?:to|at|of|reached|hit)\s+{_Q.replace('(?P<q>', '(?P<q2>')}(?P<n2>{NUMBER})",
    re.I)
# "Two were military advisers ... and died", "The remaining 26 were all Syrian forces".
BARE = re.compile(
    rf"(?:^|[,;]\s*|\band\s+|\bwhile\s+|\bwhere\s+)(?P<pre>the\s+remaining\s+|another\s+|"
    rf"a\s+further\s+)?(?P<n>{NUMBER})(?:\s+(?P<more>more|others?))?\s+"
    rf"(?P<rest>(?:were|was|had|have)\s+(?:all\s+)?(?P<np>{_NP})|(?:later\s+|also\s+|then\s+)?"
    rf"(?:(?P<k>died|were\s+killed|was\s+killed)|(?P<w>were\s+wounded|were\s+injured)))", re.I)
# "the adviser ... died", "a soldier was killed".
SINGLE = re.compile(
    rf"\b(?P<det>a|an|one|the)\s+(?P<np>(?:[\w’'-]+\s+){{0,3}}?(?:{_HEADS_SG}))\b"
    rf"(?P<gap>[^.;]{{0,90}}?)\s+(?:(?P<k>was\s+killed|died|was\s+shot\s+dead|was\s+slain)|"
    rf"(?P<w>was\s+wounded|was\s+injured))\b", re.I)
# "killing a man and injuring nine", "gunmen killed an SDF fighter": one person, as an object.
OBJECT_SINGLE = re.compile(
    rf"\b(?P<verb>killing|killed|kills|kill|wounding|injuring|wounded|injured|shot\s+dead|"
    rf"executed|executing)\s+(?P<det>a|an|one)\s+"
    rf"(?P<np>(?:(?!(?:and|or|in|at|on|of|who)\b)[\w’'-]+\s+){{0,3}}?(?:{_HEADS_SG}))\b", re.I)
# One person by title and name: "killed police chief Mira Jan", "killing the district
# governor Ahmad Khan".
OBJECT_NAMED = re.compile(
    r"\b(?P<verb>killing|killed|kills|kill|wounding|injuring|wounded|injured|shot\s+dead|"
    r"assassinated|assassinating)\s+(?:the\s+)?(?P<np>(?:(?:local|district|provincial|police|"
    r"army|military|security|deputy|senior|former|top|regional|tribal|religious)\s+){0,3}"
    r"(?:chief|commander|governor|mayor|official|leader|head|officer|general|colonel|imam|"
    r"judge|journalist|activist|sheikh|spokesman|spokeswoman|lawmaker|cleric))\s+"
    r"(?-i:[A-Z][\w’'-]+)", re.I)
# "raids claimed 17 lives", "claimed the lives of 12 civilians", "took the lives of five".
LIVES = re.compile(
    rf"\b(?:claim(?:ed|ing|s)?|took|taking|takes|cost|costing|costs)\s+(?:the\s+lives\s+of\s+"
    rf"{_Q}(?P<n>{NUMBER})(?:\s+(?P<np>{_NP}))?|{_Q.replace('(?P<q>', '(?P<q2>')}"
    rf"(?P<n2>{NUMBER})\s+(?:more\s+|other\s+)?(?:civilian\s+)?lives)\b", re.I)
# "ISIS lost five members": the subject's own dead.
LOST = re.compile(rf"\b(?P<who>(?-i:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){{0,4}}))\s+(?:has\s+|have\s+|"
                  rf"had\s+)?lost\s+{_Q}(?P<n>{NUMBER})\s+(?P<np>{_NP})", re.I)
INCLUDING = re.compile(rf",?\s*(?:including|among\s+them|of\s+whom|among\s+whom)\s+{_Q}"
                       rf"(?P<n>{NUMBER})\s+(?P<np>{_NP})", re.I)
_INCLUDING_MORE = re.compile(rf"\s*(?:,\s*(?:and\s+)?|and\s+)(?P<n>{NUMBER})\s+(?P<np>{_NP})", re.I)


@dataclass(frozen=True, slots=True)
class Group:
    label: str  # "Russian", "pro-government forces", "civilians", "militants", "Islamic State"
    kind: str  # state | nonstate | civilians | umbrella | unknown
    country: str = ""  # ISO code of a national group
    generic: bool = False  # militants, rebels, attackers
    host: bool = False  # the host country's government forces ("regime forces")


@dataclass(slots=True)
class FigureMention:
    kind: str  # killed | wounded
    qty: Quantity
    qualifier: str  # low | high | more | less | about | ""
    np: str
    group: Group | None
    begin: int
    end: int
    flags: set[str] = field(default_factory=set)
    text: str = ""

    def figure(self) -> tuple[int | None, int | None, int | None]:
        v = self.qty.value
        if v is None:
            return (None, None, None)
        q = self.qualifier
        if q in ("low", "more"):
            return (v, v, None)
        if q in ("high", "less"):
            return (None, None, v)
        if q == "about":
            return (None, v, None)
        return (v, v, v)


def classify_group(np: str, *, possessor: str = "") -> Group | None:
    """Who a noun phrase names.  ``possessor`` is the country of "its"/"our" (the source)."""
    t = " ".join(np.split())
    if not t:
        return None
    low = t.lower()
    for a in lexicon.NAMED_ACTORS:
        if a.pattern.search(t):
            return Group(a.name, "nonstate" if a.kind != "external" else "state")
    if re.search(r"\bpro-(?:government|regime|assad)\b|\bgovernment\s+forces\s+and\s+allies\b",
                 low):
        return Group("pro-government forces", "umbrella")
    if lexicon.CIVILIANS.search(t):
        return Group("civilians", "civilians")
    dem = None
    for m in lexicon.countries().demonym_re.finditer(t):
        if m.group(0)[0].isupper():
            dem = lexicon.demonym_of(m.group(0))
            break
    if re.search(r"\b(?:regime|government|assad['’]s)\b", low) or (re.search(
            r"\bthe\s+(?:\w+\s+)?army\b", low) and not dem):
        return Group("government forces", "state", dem or "", host=True)
    if dem:
        if re.search(r"\barmy\b", low):
            return Group("government forces", "state", dem, host=True)
        return Group(lexicon.countries().demonym[dem], "state", dem)
    if re.search(r"\b(?:its|our|their)\b", low) and possessor:
        return Group(lexicon.countries().demonym.get(possessor, possessor), "state", possessor)
    if lexicon.GENERIC_NONSTATE.search(t) and not re.search(
            r"\b(?:government|pro-|regime|army)\b", low):
        if re.fullmatch(r"(?:\w+\s+)*fighters", low) and not re.search(
                r"\b(?:rebel|opposition|militant|jihadi)", low):
            return Group("fighters", "unknown")
        return Group("militants", "nonstate", generic=True)
    if re.search(r"\b(?:soldiers?|troops|servicemen|service\s*members?|personnel|officers?|"
                 r"advis[eo]rs?|guards?|recruits|conscripts|policemen|police)\b", low):
        return Group("soldiers", "state")
    if re.search(r"\b(?:people|persons|individuals)\b", low):
        if "board" in low:
            return Group("people on board", "unknown")
        return Group("people", "unknown")
    if re.search(r"\bothers?\b", low):
        return None  # the group of the figure before
    return Group(t, "unknown")


def _more_flags(word: str | None, before: str) -> set[str]:
    """'two more' / 'another two' add to an earlier figure; 'three others' are the group of
    the figure before."""
    w = (word or "").lower()
    flags: set[str] = set()
    if w in ("more", "additional", "further") or re.search(r"\b(?:another|a\s+further)\s*$",
                                                          before, re.I):
        flags.add("more")
    if w in ("other", "others"):
        flags.add("others")
    return flags


def _kind(k: str | None, w: str | None) -> str:
    return "wounded" if w and not k else "killed"


def _chunk(m: re.Match[str], prefix: str) -> tuple[Quantity | None, str, str, bool]:
    g = {k[len(prefix):]: v for k, v in m.groupdict().items() if k.startswith(prefix)}
    n = g.get("n")
    if not n:
        return None, "", "", False
    qty = parse_quantity(n)
    qual = QUALIFIERS.get(" ".join((g.get("q") or "").lower().split()), "")
    return qty, qual, g.get("np") or "", bool(g.get("more"))


_ANY_CASUALTY = re.compile(r"kill|dead|died|death|slain|lives|perish|execut|wound|injur|hurt|"
                           r"toll|lost|murder|behead|fatalit|remaining", re.I)


_HEAD_RX = re.compile(rf"\b(?:{_HEADS_PL})\b", re.I)
_HEAD_TAIL_RX = re.compile(rf"\b(?:{_HEADS_PL})\b.*$", re.I)
_KILLED_OR_WOUNDED_RX = re.compile(rf"\b(?:{_KILLED})\b|\b(?:{_WOUNDED})\b", re.I)
_QUOTES_RX = re.compile(r"[“”\"]")


def find_figures(text: str, *, possessor: str = "") -> list[FigureMention]:
    """Every casualty figure in a sentence, in order of appearance."""
    if not _ANY_CASUALTY.search(text):
        return []
    clean = _QUOTES_RX.sub(" ", text)
    out: list[FigureMention] = []
    taken: list[tuple[int, int]] = []

    def free(b: int, e: int) -> bool:
        return not any(b < te and tb < e for tb, te in taken)

    def add(kind: str, qty: Quantity | None, qual: str, np: str, b: int, e: int,
            flags: set[str], mtext: str) -> FigureMention | None:
        if qty is None:
            return None
        # "one of the Russians", "four of its servicemen": a part of a group.
        if re.match(r"^of\s+(?:the|these|those)\b", np.strip(), re.I):
            flags.add("subset")
        grp = classify_group(np, possessor=possessor) if np else None
        if grp is not None and grp.label == "fighters" and re.search(r"\btotal\b", mtext, re.I):
            grp = Group("fighters", "unknown")
        fm = FigureMention(kind, qty, qual, np, grp, b, e, flags, mtext)
        out.append(fm)
        taken.append((b, e))
        return fm

    for m in TOTAL.finditer(clean):
        if m.group("n"):
            add(_kind(m.group("k"), m.group("w")), parse_quantity(m.group("n")), "",
                m.group("np") or "", m.start(), m.end(), {"total"}, m.group(0))
        elif m.group("n2"):
            qual = QUALIFIERS.get((m.group("q2") or "").lower(), "")
            add("killed", parse_quantity(m.group("n2")), qual, "", m.start(), m.end(),
                {"total"}, m.group(0))
    for m in SUBJECT.finditer(clean):
        if not free(m.start(), m.end()):
            continue
        kind = _kind(m.group("k"), m.group("w"))
        if re.match(r"died\s+(?:of|from)\s+(?:their|his|her)\s+wounds", clean[m.start("k"):]
                    if m.group("k") else ""):
            kind = "killed"
        q1, qual1, np1, more1 = _chunk(m, "a_")
        q2, qual2, np2, more2 = _chunk(m, "b_")
        if q1 is not None and q1.value is None and not np1:
            continue
        # "26 Syrian and nine Russian soldiers": the first borrows the second's head noun.
        if q2 is not None and np1 and np2 and not _HEAD_RX.search(np1):
            head = _HEAD_TAIL_RX.search(np2)
            if head:
                np1 = f"{np1} {head.group(0)}"
        later = bool(re.search(r"\blater\b", m.group(0), re.I))
        f1 = _more_flags(m.group("a_more"), clean[:m.start()])
        if later and not np1:
            f1.add("more")
        b1 = m.start("a_n")
        add(kind, q1, qual1, np1, b1, m.end(), f1, m.group(0))
        if q2 is not None:
            # "At least 26 Syrian and nine Russian soldiers": the qualifier covers both.
            add(kind, q2, qual2 or qual1, np2, m.start("b_n"), m.end(),
                _more_flags(m.group("b_more"), ""), m.group(0))
    for m in OBJECT.finditer(clean):
        if not free(m.start("all"), m.end()):
            continue
        verb = m.group("verb").lower()
        after = (m.group("after") or "").lower()
        if verb.startswith(("left", "leav")) and not after:
            continue
        kind = "wounded" if (verb.startswith(("wound", "injur")) or after in ("wounded",
                                                                              "injured")) \
            else "killed"
        q1, qual1, np1, more1 = _chunk(m, "a_")
        q2, qual2, np2, more2 = _chunk(m, "b_")
        if not np1 and (q1 is None or q1.value is None):
            continue
        flags = {"claimed"} if "claimed" in verb else set()
        if q1 is not None and not np1 and not more1 and not re.search(r"\bkill|\bdeaths?\b", verb):
            # "killing two civilians and wounding four": the same people.
            if not (out and re.match(r"wound|injur", verb)):
                continue
            flags.add("others")
        add(kind, q1, qual1, np1, m.start("a_n"), m.end(),
            flags | _more_flags(m.group("a_more"), ""), m.group(0))
        if q2 is not None and (np2 or more2):
            add(kind, q2, qual2, np2, m.start("b_n"), m.end(),
                flags | _more_flags(m.group("b_more"), ""), m.group(0))
    for m in BARE.finditer(clean):
        if not free(m.start("n"), m.end()):
            continue
        qty = parse_quantity(m.group("n"))
        pre = (m.group("pre") or "").lower().strip()
        flags: set[str] = set()
        np = m.group("np") or ""
        if pre == "the remaining":
            flags.add("remaining")
        elif (m.group("more") or "").lower().startswith("other"):
            flags.add("others")
        elif pre in ("another", "a further") or m.group("more") or (m.group("k") and re.search(r"\blater\b", m.group("rest"), re.I)):
            flags.add("more")
        else:
            flags.add("subset")
        if np:
            # "Two were military advisers ... and died immediately": killed if said so.
            tail = clean[m.end():m.end() + 120]
            km = _KILLED_OR_WOUNDED_RX.search(tail)
            kind = "killed" if not km or not re.match(_WOUNDED, km.group(0), re.I) else "wounded"
            if not km and "remaining" not in flags:
                continue
        else:
            kind = _kind(m.group("k"), m.group("w"))
        add(kind, qty, "", np, m.start("n"), m.end(), flags, m.group(0))
    for m in LOST.finditer(clean):
        if not free(m.start("n"), m.end()):
            continue
        qual = QUALIFIERS.get(" ".join((m.group("q") or "").lower().split()), "")
        add("killed", parse_quantity(m.group("n")), qual, f"{m.group('who')} {m.group('np')}",
            m.start("n"), m.end(), set(), m.group(0))
    for m in SINGLE.finditer(clean):
        if not free(m.start(), m.end()) or re.search(r"\b(?:killed|died|dead)\b",
                                                     m.group("gap") or "", re.I):
            continue
        det = m.group("det").lower()
        flags = {"subset"} if det == "the" else set()
        add(_kind(m.group("k"), m.group("w")), Quantity(1, False, det), "", m.group("np"),
            m.start(), m.end(), flags, m.group(0))
    for m in LIVES.finditer(clean):
        n, q = (m.group("n"), m.group("q")) if m.group("n") else (m.group("n2"), m.group("q2"))
        b = m.start("n") if m.group("n") else m.start("n2")
        if not free(b, m.end()):
            continue
        qual = QUALIFIERS.get(" ".join((q or "").lower().split()), "")
        add("killed", parse_quantity(n), qual, m.group("np") or "", b, m.end(), set(), m.group(0))
    for m in OBJECT_SINGLE.finditer(clean):
        if not free(m.start("det"), m.end()):
            continue
        verb = m.group("verb").lower()
        kind = "wounded" if verb.startswith(("wound", "injur")) else "killed"
        add(kind, Quantity(1, False, m.group("det").lower()), "", m.group("np"),
            m.start("det"), m.end(), set(), m.group(0))
    for m in OBJECT_NAMED.finditer(clean):
        if not free(m.start("np"), m.end()):
            continue
        verb = m.group("verb").lower()
        kind = "wounded" if verb.startswith(("wound", "injur")) else "killed"
        add(kind, Quantity(1, False, "one"), "", m.group("np"), m.start("np"), m.end(), set(),
            m.group(0))
    # "..., including at least nine Russians": part of the figure before.
    for m in INCLUDING.finditer(clean):
        prev = [f for f in out if f.end <= m.start() + 2 and "including" not in f.flags]
        if not prev:
            continue
        parent = max(prev, key=lambda f: f.end)
        qual = QUALIFIERS.get(" ".join((m.group("q") or "").lower().split()), "")
        fm = FigureMention(parent.kind, parse_quantity(m.group("n")) or Quantity(None), qual,
                           m.group("np"), classify_group(m.group("np"), possessor=possessor),
                           m.start("n"), m.end(), {"including"}, m.group(0))
        if fm.qty is not None and fm.group is not None:
            out.append(fm)
            # "including 5 women and 3 children": every part of the list is a part.
            pos = m.end()
            while (c := _INCLUDING_MORE.match(clean, pos)) is not None:
                pos = c.end()
                same = [f for f in out if f.begin == c.start("n")]
                if same:
                    same[0].flags.add("including")
                    continue
                q = parse_quantity(c.group("n"))
                g = classify_group(c.group("np"), possessor=possessor)
                if q is None or g is None:
                    break
                out.append(FigureMention(parent.kind, q, "", c.group("np"), g, c.start("n"),
                                         c.end(), {"including"}, c.group(0)))
    # "killed four civilians in Al-Bara and eight in the marketplace of Belyun", "one dead in
    # X, five others dead in Y": a figure per place, the kind and group of the one before.
    for m in ELLIPTIC.finditer(clean):
        b = m.start("n")
        if not free(b, m.end("n")):
            continue
        prev = [f for f in out if f.end <= b and b - f.end <= 140 and "including" not in f.flags]
        if not prev:
            continue
        parent = max(prev, key=lambda f: f.end)
        qty = parse_quantity(m.group("n"))
        if qty is None or qty.value is None:
            continue
        fm = FigureMention(parent.kind, qty, "", parent.np, parent.group, b, m.end("n"),
                           {"per-place"}, m.group(0))
        out.append(fm)
        taken.append((b, m.end("n")))
    out.sort(key=lambda f: f.begin)
    return out


#: A bare number after a figure, followed by where: "and eight in the marketplace".
ELLIPTIC = re.compile(
    rf"(?:,\s*(?:and\s+|while\s+)?|\s+and\s+|;\s*)(?P<n>{NUMBER})(?:\s+(?:others?|more))?"
    rf"(?:\s+(?:dead|killed|wounded|injured|people|civilians))?\s+(?:in|at|on)\s+", re.I)


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
