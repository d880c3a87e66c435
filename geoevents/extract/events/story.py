"""Story reading: sentences into drafts, drafts into incidents (splitting roundups,
folding totals, dating and placing, superseded figures)."""


from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ...model import Casualty, Claim, EventDate, Incident, Location, Source
from .. import lexicon
from ..article import Sentence
from ..dates import DateMention
from ..figures import FigureMention
from ..places import PlaceFinder, PlaceMention
from ..sources import Attributor, SourceRef

if TYPE_CHECKING:
    from gazetteer import Resolution
from ..fastre import guard_namespace
from .actors import _actor_kind, _actors_of, _event_type, _host_label, _label_key, _side
from .analysis import ActorMention, Analysis, analyse, issuer_of
from .drafts import (
    Draft,
    FigRec,
    _actors_compatible,
    _clause,
    _dates_compatible,
    _km,
    _n,
    _places_compatible,
    _plus,
    _precision,
    _same_attacker,
    _same_place,
    _summary_of,
    _types_compatible,
)
from .words import (
    _ANOTHER,
    _AREA_KINDS,
    _ENCLOSED_BY,
    _PAIR,
    _PLACE_ANAPHOR,
    _PLURAL_TRIGGER,
    _PREC_ORDER,
    _REVISED,
    _REVISED_AFTER,
    _SUPERSEDED,
    _TERRITORY_TYPES,
    NO_DATE_NOTE,
    REMOTE,
    UNKNOWN_PLACE,
)

_AIR_WORDS = re.compile(r"\b(?:war\s*planes?|jets|air\s*strikes?|air\s*raids?|aircraft|"
                        r"helicopters?|bombers)\b", re.I)
_SEPARATE = re.compile(r"^\s*(?:earlier|later|separately|elsewhere|in\s+a\s+separate\s+\w+|"
                       r"in\s+another\s+\w+)\b(?!\s+(?:reports?|tolls?|figures?)\b)"
                       r"(?!\s+(?:this|last|in|that)\s+(?:year|month|week|\w+ber|january|"
                       r"february|march|april|may|june|july|august)\b)", re.I)
#: A paragraph framed by its place: "In Idlib countryside, ...", "Elsewhere in Hama, ...".
_FRAME = re.compile(r"^(?:(?:Meanwhile|Elsewhere|Separately|Further\s+\w+|Also),?\s+)?"
                    r"(?:in|at|near|around)\s+[^,;.]{2,60},\s", re.I)


_HEAD_KILLED = re.compile(r"\b(?:dead|killed|died|lives)\b", re.I)
_CLAUSE_END = re.compile(r",\s+and\s+|;\s+|,\s+which\s+|\s+[-–—]\s+", re.I)


def _event_head(text: str) -> str:
    """The clause of a long sentence up to its first toll, when what follows it is the
    running total (a monitor's "..., and the toll rises to 801 ... since June")."""
    from .. import lexicon

    k = _HEAD_KILLED.search(text)
    if k is None:
        return ""
    end = _CLAUSE_END.search(text, k.end())
    if end is None:
        return ""
    agg = lexicon.AGGREGATE.search(text)
    if agg is None or agg.start() < end.start():
        return ""
    return text[:end.start()].rstrip(" ,") + "."


#: A figure with its own verb ("3 others were killed"), then where or how ("in bombardment").
_OWN_CLAUSE = re.compile(r"\b(?:were|was|have\s+been|died|perished)\b", re.I)
_ELSEWHERE_AFTER = re.compile(r"\s*(?:in|on|at|near|by)\b", re.I)
_PART_FLAGS = frozenset({"subset", "including"})  # a figure that is a part of the one before
_NOT_OWN = frozenset({"subset", "including", "total", "more", "others", "remaining", "per-place"})


def _own_toll_elsewhere(d: Draft, a: Analysis) -> bool:
    """Whether an undated sentence gives a toll of its own at a place of its own: not the
    draft's figures (nor a part, a total or more of them; one larger than the draft's toll, so
    not a part of it), not at the draft's place."""
    mine = {r.best for r in d.figs if r.kind == "killed" and r.best is not None and
            r.breakdown_of is None}
    own = [f for f in a.counted if f.kind == "killed" and f.qty.value is not None and
           not (f.flags & _NOT_OWN)]
    if not mine or not own or any(f.qty.value in mine for f in own):
        return False
    if all(f.qty.value <= max(mine) for f in own):
        return False  # they may be its parts (a roundup's places after its total)
    places = [p for p in a.event_places if not p.is_country]
    return bool(places) and not _same_place(d, a) and d.main_place() is not None and \
        any(p.unknown or p.place is not None for p in places)


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
    no_place: list[Incident]  # the unplaced ones as incidents, marked (unknown place)


#: A site, not a place the gazetteer knows: "the site of the landmark mosque", "the city's
#: hospital", "the airport", "the radio building".
_SITE = re.compile(r"\b(?:taken|took|regained|retook|retaken|captured|seized|liberated|recaptured|"
                   r"stormed)\s+(?:full\s+)?(?:control\s+(?:of|over)\s+)?the\s+(?:site|building|"
                   r"compound|complex|headquarters|airport|hospital|mosque|bridge|base|"
                   r"(?:[\w’'-]+\s+){1,4}(?:mosque|hospital|building|compound|complex|bridge|"
                   r"airport|base|square|headquarters))\b", re.I)


# "also" of the event ("one strike also destroyed"), not of the telling ("activists also
# reported that ...", which says nothing of when).
_ALSO = re.compile(r"\balso\s+(?!(?:reported|reports|said|says|stated|announced|told|confirmed|"
                   r"documented|noted|added|claimed|published|monitored)\b)\w", re.I)


#: "The attack took place in", "The latest incident occurred in or around": where the event
#: told before happened.
_OCCURRED = re.compile(r"^\s*(?:The|This|That)\s+(?:(?:latest|last|first|second|third|deadly|"
                       r"same)\s+)?(?:incident|attack|assault|blast|explosion|bombing|strike|"
                       r"raid|clash(?:es)?|ambush|shooting|shelling|fighting)\s+(?:occurred|"
                       r"took\s+place|happened|was\s+carried\s+out|unfolded)\s+(?=(?:in|at|near|"
                       r"around|outside|on|inside)\b)", re.I)
_AFTER_PLACE = re.compile(r"\s[–—-]\s|,\s*(?:where|which|not\s+far|close\s+to|when|as|after)\b|"
                          r"\bnot\s+far\s+from\b|;", re.I)


#: Fighting told as going on now ("continues in", "are ongoing", "is raging"), not what
#: someone will or vowed to continue.
_ONGOING = re.compile(r"(?<!\bto\s)(?<!\bwill\s)(?<!\bwould\s)(?<!\bmay\s)"
                      r"\b(?:continues|continue|(?:is|are)\s+(?:still\s+)?(?:continuing|ongoing|"
                      r"raging|going\s+on|under\s+way|underway)|rages|still\s+rage)\b"
                      r"(?!\s+to\b)", re.I)


def _control_elsewhere(d: Draft, a: Analysis) -> bool:
    """A change of control at places of its own after fighting at another place ("Fighting
    continues in the village of A. ... fighters liberated the villages of B and C to the east
    of the town"): another event - the places taken are where it is - not more of the
    fighting."""
    if not d.triggers or a.hypothetical or any(
            t.rule.sub_event_type in _TERRITORY_TYPES for t in d.triggers):
        return False
    if not any(t.rule.sub_event_type in _TERRITORY_TYPES for t in a.triggers):
        return False
    taken = [p for p in a.event_places if not p.is_country and (
        p.unknown or (p.place is not None and p.place.kind == "populated_place"))]
    return bool(taken) and d.main_place() is not None and not _same_place(d, a)


def _undated(d: Draft) -> bool:
    """No date, or only a period ending on the publication date ("in the past 36 hours"),
    which the sentences that follow may date day by day."""
    return d.date is None or d.date.period


def _elsewhere(d: Draft, a: Analysis, km: float = 30.0) -> bool:
    """None of the sentence's places is the draft's place, in its first-level area, or
    within ``km`` of it."""
    mp = d.main_place()
    p0 = mp[1].place if mp and mp[1] else None
    if p0 is None:
        return False
    for pm in a.fine_places:
        p = pm.place
        if p is None:
            continue
        if p.uid == p0.uid or (p.admin1 and p.admin1 == p0.admin1 and p.country == p0.country):
            return False
        if _km((p.lat, p.lon), (p0.lat, p0.lon)) <= km:
            return False
    return True


def _distinct_kind_elsewhere(d: Draft, a: Analysis, km: float = 3.0) -> bool:
    """A battle and a bombardment at different places are two events: the draft's events are
    all of one of the two kinds ("clashed in X"), the sentence's all of the other ("artillery
    shelled Y"), and none of the sentence's places is the draft's place or within ``km`` of it
    (a sentence referring back, "the shelling", goes on with the draft)."""
    if a.anaphor or a.continuation or not a.fine_places:
        return False
    mine = {t.rule.event_type for t in d.triggers}
    theirs = {t.rule.event_type for t in a.triggers}
    if {frozenset(mine), frozenset(theirs)} != {frozenset({"Battles"}), frozenset({REMOTE})}:
        return False
    mp = d.main_place()
    p0 = mp[1].place if mp and mp[1] else None
    if p0 is None:
        return False
    for pm in a.fine_places:
        p = pm.place
        if p is None or p.uid == p0.uid or _km((p.lat, p.lon), (p0.lat, p0.lon)) <= km:
            return False
    return True


class StoryReader:
    """Reads the sentences of one story into drafts, then incidents."""

    def __init__(self, *, finder: PlaceFinder, attributor: Attributor, published: date | None,
                 outlet: str, url: str, file: str, month: tuple[int, int] | None = None) -> None:
        self.month = month  # the publication's month when only it is known (an address)
        self.finder = finder
        self.attr = attributor
        self.published = published
        self.outlet = outlet
        self.url = url
        self.file = file
        self.drafts: list[Draft] = []
        self.context: list[ContextItem] = []
        self.used_places: set[tuple[int, int]] = set()  # (sentence index, begin)
        self.issuer: ActorMention | None = None
        self.air = False  # the story reports air strikes
        self.section = 0  # roundup sections: a heading or an "In <place>, ..." paragraph
        self.section_of: dict[int, int] = {}  # id(draft) -> its section

    # ------------------------------------------------------------------ reading
    def read(self, sentences: list[Sentence]) -> None:
        cur: Draft | None = None
        last_target: Draft | None = None
        prev_linked: Draft | None = None
        prev_aggregate = False
        prev_old = False
        # Who speaks when a statement says "its units", "our forces": its heading, its
        # opening sentence, else its outlet.
        # "Russian raids claimed 17 lives" in a report of air strikes: the raids are air raids.
        self.air = any(_AIR_WORDS.search(s.text) for s in sentences if s.kind in ("title", "body"))
        self._first_of_block: dict[tuple[int, int], int] = {}
        for s in sentences:
            if s.kind == "body":
                self._first_of_block.setdefault((s.story, s.block), s.index)
        heads = [s.text for s in sentences if s.kind == "title"][:2]
        heads += [*[s.text for s in sentences if s.kind == "body"][:1], self.outlet]
        self.issuer = issuer_of(heads)
        for s in sentences:
            if s.kind not in ("body", "caption"):
                continue
            a = analyse(s, published=self.published, finder=self.finder, attributor=self.attr)
            self._context_places(a)
            if s.kind == "caption":
                continue
            if self._opens_section(a, cur):
                # A roundup's section ("Aleppo" as a heading; "In Idlib countryside, ..."):
                # what follows is another event unless it names the same place.
                self.section += 1
                cur = prev_linked = None
                if not (a.triggers or a.figures):
                    continue
            if a.aggregate and len(s.text) > 250:
                # A monitor's long sentence: the event, then the running total ("... 12 of
                # them were confirmed dead, and the toll ... raise to 801 ... from the 5th of
                # June to the 24th of August"): the event's clause is read on its own.
                head = _event_head(s.text)
                if head:
                    a2 = analyse(replace(s, text=head), published=self.published,
                                 finder=self.finder, attributor=self.attr)
                    if not a2.aggregate and a2.triggers and a2.counted:
                        self._note_event(a, "a running total after the event, not an incident")
                        a = a2
            if a.aggregate or (prev_aggregate and a.figures and not a.triggers and not a.dates
                               and not a.fine_places and not a.anaphor and re.search(
                                   r"^(?:another|also|in\s+addition)\b|\balso\b|\bas\s+have\b",
                                   s.text, re.I)):
                prev_aggregate = True
                self._note_event(a, "a tally over time, not one incident")
                prev_linked = None
                continue
            prev_aggregate = False
            # Background: what a sentence dated weeks before the report tells, and the undated
            # sentence that goes on with it ("... in early Feb. 2016. The YPG also moved
            # eastwards, capturing ...").
            old = self._old(a)
            if old is None and prev_old and re.search(r"\b(?:also|then|later|meanwhile)\b",
                                                      s.text, re.I):
                self._note_event(a, "background: goes on with an earlier, dated event")
                prev_linked = None
                continue
            prev_old = bool(old)
            if not a.figures and cur is not None and _REVISED_AFTER.search(s.text):
                # "On July 7, the ministry put the toll at 292. But it has risen since ...".
                for r in cur.figs:
                    if r.sentence == s.index - 1 and r.breakdown_of is None:
                        r.superseded = True
            if cur is not None and prev_linked is cur and cur.main_place() is None and \
                    self._places_event_before(cur, a):
                # "... three ISIS members were killed in the east. The latest incident occurred
                # in or around the town of X in Y province - not far from where ...": where the
                # event before happened; the rest of the sentence is background (kept as
                # context, not dropped).
                self._note_event(a, "background: the rest of a sentence that says where the "
                                 "event before happened", skip_used=True)
                continue
            target = self._link(a, cur, prev_linked)
            if target is None:
                self._note_event(a, "a sentence that reports no incident")
                prev_linked = None
                continue
            # (an item of a list goes on with the account even past a section's frame)
            before = cur if cur is not None or not s.item else last_target
            if before is not None and target is not before and not target.sentences and \
                    target.date is None and not any(x.resolved for x in a.dates) and \
                    before.date is not None and before.date.resolved and \
                    not before.date.period and (_ALSO.search(s.text) or s.item) and \
                    _types_compatible(before, a):
                # "One strike near Kirkuk also destroyed ...", or an item of a list ("The
                # other strikes included: - Near Bayji, one strike destroyed ..."): another
                # place of the same account, on the day of the one before.
                target.date = before.date
            self._add(target, a, adjacent=(target is prev_linked))
            cur = last_target = target
            prev_linked = target

    def _places_event_before(self, d: Draft, a: Analysis) -> bool:
        """A sentence that only says where the event before happened ("The attack took place
        in X", "The latest incident occurred in or around the town of X"): its places up to
        the clause after them ("- not far from where ...", ", where ...") are the event's."""
        m = _OCCURRED.match(a.sent.text)
        if m is None:
            return False
        rest = a.sent.text[m.end():]
        cut = _AFTER_PLACE.search(rest)
        stop = m.end() + (cut.start() if cut else len(rest))
        places = [pm for pm in a.event_places if m.end() - 12 <= pm.phrase_begin < stop and
                  not pm.is_country]
        if not places:
            return False
        for pm in places:
            r, note = self.finder.resolve_event_place(pm)
            d.places.append((pm, r, note, False))
            self.used_places.add((a.sent.index, pm.begin))
        d.notes.append("placed by the sentence after it (" + a.sent.text[:m.end()].strip() + " ...)")
        return True

    def _opens_section(self, a: Analysis, cur: Draft | None) -> bool:
        text = a.sent.text.strip()
        if len(text.split()) <= 4 and not re.search(r"[.!?;,]$", text) and not a.triggers \
                and not a.figures and self.finder.known(text.rstrip(":")) is not None:
            return True  # a heading that is a place name
        fine = [p for p in a.fine_places if p.place is not None]
        if not fine:
            return False
        m = _FRAME.match(text)
        if m is None or cur is None or _same_place(cur, a) or _ANOTHER.search(text):
            return False
        return any(p.begin < m.end() for p in fine) and cur.main_place() is not None

    def _old(self, a: Analysis) -> bool | None:
        """Whether the sentence's event dates all end weeks before the report (None: the
        sentence has no resolved date)."""
        ds = [x for x in a.dates if x.resolved]
        if not ds or self.published is None:
            return None
        return all(x.end is not None and (self.published - x.end).days > 21 for x in ds)

    def _link(self, a: Analysis, cur: Draft | None, prev: Draft | None) -> Draft | None:
        trig = bool(a.triggers)
        figs = bool([f for f in a.figures if f.qty is not None])
        talk = bool(a.claimant or a.confirmed_by or a.not_confirmed_by)
        if not (trig or figs or talk or (a.continuation and a.fine_places)):
            return None
        if a.hypothetical and not figs:
            return None
        if figs and cur is not None and not a.anaphor and a.event_places and \
                _SEPARATE.match(a.sent.text) and (not _same_place(cur, a) or not (
                    {f.qty.value for f in a.counted} & {r.best for r in cur.figs})) and \
                not _SUPERSEDED.search(a.sent.text):
            # "Earlier on Sunday, gunmen killed a fighter in the town of X", "Separately, ...",
            # "Elsewhere, ...": another event, on the day of the one before unless it says.
            d = self._new(a)
            if not any(x.resolved for x in a.dates) and cur.date is not None:
                d.date = cur.date
            return d
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
            if _control_elsewhere(d, a):
                return 0
            if not _places_compatible(d, a):
                return 0
            if _distinct_kind_elsewhere(d, a):
                return 0
            return dc

        if a.dates and any(d.resolved for d in a.dates):
            scored = [(ok(d), d is cur, i, d) for i, d in enumerate(self._open(a))]
            scored = [t for t in scored if t[0]]
            # A dated sentence with its own toll is its own event, not an undated one's that
            # has a toll already ("On Wednesday, the army killed 17 ..." after "killed five").
            if a.counted and not a.anaphor:
                mine = {(f.kind, f.figure()[1]) for f in a.counted}
                kinds = {k for k, _n in mine}
                scored = [t for t in scored if not _undated(t[3]) or not any(
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
            # Nor one with a larger toll at another place ("Also today, a cell killed six on
            # the highway ..." after one killed in a town).
            if not a.anaphor:
                scored = [t for t in scored if not _own_toll_elsewhere(t[3], a)]
            # A draft without a date is joined only when the sentence refers to it.
            scored = [t for t in scored if t[0] == 2 or a.anaphor or t[3] is prev or
                      (_undated(t[3]) and (_same_place(t[3], a) or _same_attacker(t[3], a)
                                              or _summary_of(t[3], a)))]
            if scored:
                return max(scored, key=lambda t: (t[0], t[1], t[2]))[3]
            return self._new(a) if trig or figs else None
        if cur is not None and (trig or figs) and not a.anaphor and _own_toll_elsewhere(cur, a):
            # "Air strikes killed 12 in Aleppo ... the highest number were in Qaterji, where
            # raids claimed 17 lives overnight": another place with its own toll.
            return self._new(a)
        if a.fine_places and cur is not None and trig and not figs and not a.anaphor and \
                not a.continuation and self._opens_paragraph(a, cur) and \
                _elsewhere(cur, a) and not any(_same_place(d, a) for d in self._open(a)):
            # A statement's paragraph that opens with its own action at places of its own
            # ("An army unit targeted ... east of Salamiyeh" after "... in the eastern
            # countryside of Homs"): another event, not more of the one before.
            return self._new(a)
        if a.fine_places:
            scored = [(d is cur, d is prev, i, d) for i, d in enumerate(self._open(a)) if ok(d)]
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
        if cur is not None and trig and not a.hypothetical and not figs and \
                any(t.rule.sub_event_type in _TERRITORY_TYPES for t in a.triggers) and \
                not any(t.rule.sub_event_type in _TERRITORY_TYPES for t in cur.triggers) and \
                cur.main_place() is not None and _SITE.search(a.sent.text):
            # "It also said security forces had taken control of the site of the landmark
            # mosque": a change of control at a site of the story's place, on its day.
            d = self._new(a)
            d.date = cur.date
            pm, r, note = cur.main_place()
            d.places.append((pm, r, note, False))
            d.notes.append("a site of the story's place; placed there")
            return d
        if trig and a.event_places and not a.hypothetical:
            return self._new(a)  # provisional: placed in a country only, for now
        if figs and a.sent.lead and not self.drafts:
            return self._new(a)
        return None

    def _opens_paragraph(self, a: Analysis, cur: Draft) -> bool:
        """The sentence is the first of its paragraph, and the paragraph is not the current
        event's."""
        s = a.sent
        last = cur.sentences[-1] if cur.sentences else None
        return last is not None and last.block != s.block and self._first_of_block.get(
            (s.story, s.block)) == s.index

    def _new(self, a: Analysis) -> Draft:
        d = Draft(a.sent.story, a.sent.index, a.sent.lead)
        self.drafts.append(d)
        self.section_of[id(d)] = self.section
        return d

    def _open(self, a: Analysis) -> list[Draft]:
        """The drafts a sentence may go on with: those of its section, and those of earlier
        sections at the place it names."""
        return [d for d in self.drafts
                if self.section_of.get(id(d), 0) == self.section or _same_place(d, a)]

    # ------------------------------------------------------------------ adding
    def _add(self, d: Draft, a: Analysis, *, adjacent: bool) -> None:
        s = a.sent
        d.sentences.append(s)
        d.triggers.extend(a.triggers)
        for dm, role in a.other_dates:
            if role == "report" and dm.resolved and dm.precision == "day" and not dm.future and (
                    d.said_by is None or dm.end < d.said_by):
                d.said_by = dm.end
        for dm in a.dates:
            if not dm.resolved:
                if dm.problem and dm.problem not in d.date_problems:
                    d.date_problems.append(dm.problem)
                continue
            if d.date is None or (_PREC_ORDER[d.date.precision] >= _PREC_ORDER["week"] and
                                  _PREC_ORDER[dm.precision] < _PREC_ORDER[d.date.precision]) or (
                    d.date.period and not dm.period and dm.precision == "day" and
                    d.date.start <= dm.start <= d.date.end):
                d.date = dm
        if d.date is None and not a.dates and self.published is not None:
            m = _ONGOING.search(s.text)
            if m is not None:
                # "Fighting ... continues in the village of X": going on as the report is
                # written - the day of its publication, as "currently".
                d.date = DateMention(self.published, self.published, "day", m.group(0),
                                     m.start(), m.end(), relative=True)
        # Places: a sentence that only breaks figures down by place gives sub-places.
        counted = a.counted
        sub = bool(counted) and all("subset" in f.flags for f in counted)
        for pm in a.event_places:
            r, note = self.finder.resolve_event_place(pm)
            d.places.append((pm, r, note, sub))
            self.used_places.add((s.index, pm.begin))
        if not d.places and not a.event_places and a.triggers:
            self._place_referred_back(d, a)
        for x in a.actors:
            if x.issuer and self.issuer is not None:
                i = self.issuer
                x = ActorMention(i.name, i.kind, i.country, x.generic, i.host, x.role, x.begin,
                                 x.sentence, issuer=True)
            d.actors.append(x)
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

    def _place_referred_back(self, d: Draft, a: Analysis) -> None:
        """"attacked the positions near the dam" after an event at the Mosul Dam: a place named
        only by its kind is the place of the event just before, when that place is of the kind
        (its name or phrase says so: "the Mosul Dam", "the town of Saraqeb")."""
        m = _PLACE_ANAPHOR.search(a.sent.text)
        if m is None:
            return
        # the latest event with a place (a sentence with none between does not count)
        before = [(x.last_index, mp) for x in self.drafts
                  if x is not d and x.last_index >= 0 and (mp := x.main_place()) is not None]
        if not before:
            return
        mp = max(before, key=lambda t: t[0])[1]
        pm, r, note = mp
        kind = re.sub(r"\s+", " ", m.group(1).lower())
        if not re.search(r"\b" + re.escape(kind).replace(r"\ ", r"\s*") + r"\b",
                         f"{pm.name} {pm.phrase}", re.I):
            return
        if r is not None and not m.group(0).lower().startswith(("in ", "at ", "inside ", "into ")):
            # "near the dam", "outside the town": around the place (ACLED precision 2)
            r = replace(r, precision=max(r.precision or 1, 2))
        note = f"{note}; " if note else ""
        d.places.append((pm, r, f"{note}{m.group(0)!r} refers back to {pm.name!r}", False))

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
                # ("five other terrorists": others of their own group, named)
                group = (last[-1].group if last else None) if group is None or \
                    group.label in ("soldiers", "people") else group
                if group is None and d.figs:
                    group = d.figs[-1].group
            rec = FigRec(f.kind, group, low, best, high, f.qty.vague, name, text,
                         claimed="claimed" in f.flags)
            rec.where = self._where(a, f)
            rec.where_pm = self._where_pm(a, f)
            rec.sentence = a.sent.index
            rec.clause = _clause(text, f)
            # "8 ... were killed in A, and 3 others were killed in B" with B not a place of its
            # own: three more, added to the figure before (not another count of the same dead).
            before_me = [r for r in sentence_recs if r.kind == rec.kind and not r.part_of]
            # (at no place of their own, or at the one place the figures before share: "five
            # soldiers and three others in the town of X")
            others_more = "others" in f.flags and bool(before_me) and (
                rec.where_pm is None or all(r.where_pm is None for r in before_me))
            if others_more and _OWN_CLAUSE.search(text[f.begin:f.end]) and \
                    _ELSEWHERE_AFTER.match(text[f.end:]):
                # ... unless they have a clause of their own, told apart from the place before
                # ("8 were killed in a massacre in A, and 3 others were killed in bombardment
                # by warplanes"): the dead of another event, whose place is not read - noted,
                # not counted here nor added.
                d.notes.append(f"{_n(rec)} {rec.kind} in a clause of their own ("
                               f"{_clause(text, f)}): not counted here")
                continue
            if "more" in f.flags or others_more:
                if breakdown:
                    breakdown.append(rec)
                    continue
                target = (same_src or prev)
                if others_more:
                    target = before_me
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
                # The part of the figure before it ("8 at least, including 5 women and 3
                # children": every part of the list is a part of the 8, who are civilians when
                # the figure gave no group and the parts are civilians).
                whole = next((r for r in reversed(sentence_recs) if not r.part_of), None) or \
                    sentence_recs[-1]
                if whole.group is None and rec.group is not None and \
                        rec.group.kind == "civilians":
                    whole.group = rec.group
                rec.part_of = _label_key(whole.group)
                rec.whole = whole
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
        eight in Belyun") - not counting its own parts ("8 citizens including 5 women and 3
        children, they were killed in Dael"), which are in its clause."""
        text = a.sent.text
        if f.flags & _PART_FLAGS and any(g.begin < f.begin and not g.flags & _PART_FLAGS
                                         for g in a.figures):
            return None  # a part of the figure before: at its place, not one of its own
        nxt = min((g.begin for g in a.figures if g.begin > f.begin and not (
            g.flags & _PART_FLAGS and not f.flags & _PART_FLAGS)), default=len(text))
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

    def _note_event(self, a: Analysis, reason: str, *, skip_used: bool = False) -> None:
        """The sentence's event and places as context (``skip_used``: not the places a draft
        took from it)."""
        if (a.triggers or a.figures) and reason != "a sentence that reports no incident":
            self.context.append(ContextItem(self.file, a.sent.line, "event", a.sent.text[:200],
                                            reason=reason, quote=a.sent.text))
        for pm in a.event_places:
            if skip_used and (a.sent.index, pm.begin) in self.used_places:
                continue
            p = pm.place
            self.context.append(ContextItem(
                self.file, a.sent.line, "place", pm.phrase or pm.name, p.name if p else "",
                p.country if p else "", p.lat if p else None, p.lon if p else None,
                "in " + reason, a.sent.text))

    # ------------------------------------------------------------------ finishing
    def finish(self) -> StoryResult:
        incidents: list[tuple[Incident, int]] = []
        unplaced: list[tuple[str, int, str]] = []
        no_place: list[Incident] = []
        messages: list[str] = []
        drafts: list[Draft] = []
        for d in self.drafts:
            drafts.extend(self._split_roundup(d))
        for d in drafts:
            inc, why, fatal = self._incident(d)
            line = d.sentences[0].line if d.sentences else 0
            quote = d.sentences[0].text if d.sentences else ""
            if inc is not None and not inc.location.placed:
                no_place.append(inc)
            elif inc is not None:
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
        return StoryResult(incidents, self.context, unplaced, messages, no_place)

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
            bound = self.published
            if d.said_by is not None and (bound is None or d.said_by < bound):
                bound = d.said_by  # "rebels took the town, activists said yesterday"
            edate = EventDate.report_week(bound) if bound is not None or self.month is None \
                else EventDate.report_month(*self.month)
        # Where.
        mp = d.main_place()
        unknown_pm = None
        if mp is None:
            mp, unknown_pm = self._enclosing(d)
        if mp is None:
            cs = sorted({r.place.name for _pm, r, _n, _s in d.places
                         if r is not None and r.place is not None})
            why = ("placed only in " + ", ".join(cs)) if cs else "no place named"
            loss = bool(exact) and edate.given and edate.precision in ("day", "range", "week")
            if not loss:
                return None, why, False
            # A dated incident with its toll and no place: kept, marked (unknown place), and
            # reported as a loss.
            why += " - the incident could not be placed"
            inside = next((r.place for _pm, r, _n, _s in d.places
                           if r is not None and r.place is not None), None)
            loc = Location(written=UNKNOWN_PLACE, country=inside.country if inside else "",
                           note=why)
            return self._finish(d, edate, loc, []), why, True
        pm, r, note = mp
        place = r.place
        named_villages = any(x.unknown for x, _rx, _nx, _s in d.places)
        if not edate.given and not exact and unknown_pm is None and \
                not named_villages and (place.kind in _AREA_KINDS or (
                    _precision(r, pm, note) >= 3 and place.kind != "populated_place")):
            # Undated, without a figure, in a whole region: a pattern of events ("factions
            # have executed civilians in northeast Syria"), not one an analyst can place -
            # unless it names the villages ("regaining control over the villages of ...").
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
        subs = []
        for x, rx, nx, sub in d.places:
            if sub and rx is not None and rx.place is not None and rx.place.uid != place.uid:
                subs.append(f"{x.phrase or x.name} ({rx.place.name}, {rx.place.lat:.4f}, "
                            f"{rx.place.lon:.4f}{'; ' + nx if nx else ''})")
        return self._finish(d, edate, loc, subs), "", False

    def _finish(self, d: Draft, edate: EventDate, loc: Location, subs: list[str]) -> Incident:
        """What, who, figures, claims and notes of a draft placed at ``loc``."""
        host = loc.country
        # What.
        event_type, sub_type = _event_type(d)
        if self.air and event_type != REMOTE and d.triggers and all(
                t.rule.generic and re.fullmatch(r"(?i)raids?", t.text) for t in d.triggers):
            event_type, sub_type = REMOTE, "Air/drone strike"
        # Who.
        actor1, actor2, assoc, assoc_side = _actors_of(d, host)
        if event_type == "Battles" and actor2 == "Civilians" and sub_type == "Armed clash":
            event_type, sub_type = "Violence against civilians", "Attack"
        a1_kind = _actor_kind(d, actor1)
        if sub_type in _TERRITORY_TYPES and actor1 and actor1 != "unidentified armed group":
            # Who gains decides (docs/architecture.md): a state's forces regain, anyone else overtakes.
            sub_type = "Government regains territory" if a1_kind == "state" else \
                "Non-state actor overtakes territory"
        elif sub_type in _TERRITORY_TYPES and actor2 and _actor_kind(d, actor2) == "state":
            # "rebels have retaken a town from Assad's forces": taken from a state, by others.
            sub_type = "Non-state actor overtakes territory"
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
        if not edate.given:
            told = f"; told on {edate.end}" if edate.end is not None and \
                edate.end != self.published else ""
            week = f"; dated within the week up to {edate.end} (ACLED time precision 2)" \
                if edate.precision == "week" else (
                    f"; dated within the month of its publication or the week before it "
                    f"({edate.start}..{edate.end})" if edate.known else "")
            notes.append(NO_DATE_NOTE + told + (
                f"; reported on {self.published}" if self.published else
                "; no publication date was given either") + week)
        src = Source(self.outlet, self.url, self.published, d.sentences[0].text if d.sentences
                     else "", self.file)
        inc = Incident(date=edate, location=loc, event_type=event_type, sub_event_type=sub_type,
                       actor1=actor1, actor2=actor2, assoc_actors=assoc, assoc_side=assoc_side,
                       casualties=casualties, claims=claims, sources=[src],
                       notes="; ".join(notes))
        return inc.ensure_id()


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
        for recs in by.values():  # the parts of a figure go with it ("including 5 women")
            recs.extend(r for r in d.figs if r.whole is not None and
                        any(r.whole is x for x in recs))
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
        area = self.finder.area()  # never in another country than the report's area

        def inside(r: Resolution | None) -> bool:
            return r is not None and r.place is not None and (
                not area or r.place.country in area)

        own = [(pm, r, n) for pm, r, n, _s in d.places
               if inside(r) and r.place.kind != "country"]
        if own:
            return own[0], unknown[0]
        for other in self.drafts:
            if other is d:
                continue
            mp = other.main_place()
            if mp is not None and inside(mp[1]):
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


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
