"""Dates as reports write them, resolved against the publication date.

"last Wednesday", "on Sunday", "Wednesday's attack", "between Saturday night and Sunday morning"
(a range), "on Wednesday and Thursday", "earlier this week" (a week), "last week", "in March" (a
month), "last May", "May 23", "23 May 2018", "November 2017", "2018-05-23", "yesterday",
"in 2015" (a year), "this morning" / "tonight" / "overnight", "in the last nine days" / "during
the past few hours" / "over the past two weeks" / "during 9 days of" (a range ending on the
publication date), "over the weekend" (its Saturday and Sunday).

Rules:

- a weekday alone or with "on" is the latest such day on or before the publication date;
  "last Wednesday" the latest one strictly before it; "next Wednesday" is in the future and is
  not an event date;
- a month without a year is the latest such month on or before the publication month ("last
  May" strictly before it); a day and month without a year likewise;
- "this week" is the publication date's week (Monday to the publication date), "last week" the
  week before (Monday to Sunday);
- without a publication date, anything relative is reported as a date of ``unknown`` precision
  with a message saying why: it is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .fastre import guard_namespace

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH_ABBR = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
               "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
_MONTH_NUM = {m: i for i, m in enumerate(MONTHS, 1)} | _MONTH_ABBR

_WD = "|".join(WEEKDAYS)
_MON = "|".join(MONTHS) + "|" + "|".join(rf"{a}\.?" for a in _MONTH_ABBR)
_PART = r"(?:\s+(?:night|morning|evening|afternoon|overnight))"
_WDX = rf"(?:(?:early|late)\s+)?(?P<{{n}}>{_WD})(?:['’]s)?{_PART}?"
_ORD = r"(?:st|nd|rd|th)?"


def _wd(name: str) -> str:
    return _WDX.replace("{n}", name)


PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("wd_range", re.compile(
        rf"\b(?:(?:between|from)\s+|(?:on\s+)?(?:the\s+)?night\s+(?:of|between)\s+|"
        rf"overnight\s+(?:from\s+)?|on\s+)?{_wd('w1')}\s+(?:and|to|until|till|into|-|–)\s+"
        rf"(?:(?:on|early|late)\s+)?{_wd('w2')}")),
    ("md_range", re.compile(
        rf"\b(?P<mon>{_MON})\s+(?P<d1>\d{{1,2}}){_ORD}\s*(?:-|–|to|and)\s*(?P<d2>\d{{1,2}}){_ORD}"
        rf"(?:,?\s+(?P<y>\d{{4}}))?\b")),
    ("dm_range", re.compile(
        rf"\b(?P<d1>\d{{1,2}}){_ORD}\s*(?:-|–|to|and)\s*(?P<d2>\d{{1,2}}){_ORD}\s+(?:of\s+)?"
        rf"(?P<mon>{_MON})(?:,?\s+(?P<y>\d{{4}}))?\b")),
    ("md", re.compile(
        rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?!\d){_ORD}(?:,?\s+(?P<y>\d{{4}}))?(?![\d,]*\s*(?:%|per\b))")),
    ("dm", re.compile(
        rf"\b(?P<d>\d{{1,2}})(?!\d){_ORD}\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>\d{{4}}))?\b")),
    ("my", re.compile(
        rf"\b(?:(?:early|late|mid)[\s-]+)?(?P<mon>{_MON})\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}})\b")),
    ("m", re.compile(
        rf"\b(?:(?P<rel>last|this|in|during|since|early|late|mid|earlier in|until|by)[\s-]+)"
        rf"(?P<mon>{_MON})\b(?!\s+\d)")),
    ("wd", re.compile(
        rf"\b(?:(?P<rel>last|this past|on|this|next|since|until|by|early|late|from)\s+)?"
        rf"(?:(?:early|late)\s+)?(?P<w>{_WD})(?P<poss>['’]s)?{_PART}?\b|\((?P<wp>{_WD})\)")),
    ("span", re.compile(
        r"\b(?:in|over|during|within|for)\s+(?:the\s+)?(?:(?P<last>past|last|previous|first)\s+)?"
        r"(?P<n>\d+|a\s+few|few|a\s+couple\s+of|couple\s+of|two|three|four|five|six|seven|eight|"
        r"nine|ten|twelve|24|48|72)\s+(?P<u>days?|hours|weeks)(?P<of>\s+of\b)?", re.I)),
    ("weekend", re.compile(
        r"\b(?:(?P<rel>over|during|on|at|this|last|this past|the)\s+)+weekend\b", re.I)),
    ("rel", re.compile(
        r"\b(?P<r>the day before yesterday|yesterday|today|tonight|last night|overnight|"
        r"this morning|this afternoon|this evening|earlier today|currently|(?:earlier|later|early|late) this week|this week|"
        r"last week|the previous week|past week|this month|last month|earlier this month|"
        r"this year|last year|earlier this year|in recent days|in the past few days|"
        r"(?P<n>\d+|two|three|four|five|six|seven|ten) days? (?:ago|earlier)|a week ago)"
        r"(?:['’]s)?\b", re.I)),
    ("year", re.compile(r"\b(?P<rel>in|since|during|of|by|until|throughout)\s+(?P<y>(?:19|20)\d{2})\b")),
]

_ANY_DATE = re.compile(rf"\d|{_WD}|{_MON}|yesterday|today|tonight|overnight|night|week|month|"
                       r"year|days|day\s+(?:ago|earlier)|morning|afternoon|evening|hours|weekend|currently", re.I)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "twelve": 12}


@dataclass(slots=True)
class DateMention:
    start: date | None
    end: date | None
    precision: str  # day | week | month | year | range | unknown
    text: str
    begin: int  # character offsets in the sentence
    stop: int
    relative: bool = False
    since: bool = False  # "since September 2015": a cumulative period, not an event date
    future: bool = False  # after the publication date ("next Wednesday")
    problem: str = ""  # why it could not be resolved
    # A period ending on the publication date ("in the past 36 hours", "over the weekend"):
    # what happened in it may be told day by day; a day the report gives is finer.
    period: bool = False

    @property
    def resolved(self) -> bool:
        return self.start is not None and self.precision != "unknown"


def _latest_weekday(pub: date, wd: int, strictly_before: bool = False) -> date:
    back = (pub.weekday() - wd) % 7
    if strictly_before and back == 0:
        back = 7
    return pub - timedelta(days=back)


def _month_end(y: int, m: int) -> date:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _latest_month(pub: date, m: int, strictly_before: bool = False) -> int:
    if m < pub.month or (m == pub.month and not strictly_before):
        return pub.year
    return pub.year - 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published`` (longest first,
    non-overlapping), in order of appearance."""
    if not _ANY_DATE.search(text):
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            b, e = m.span()
            if any(b < te and tb < e for tb, te in taken):
                continue
            dm = _resolve(kind, m, published)
            if dm is None:
                continue
            before = text[max(0, b - 12):b].lower()
            if (re.search(r"\bsince\s*$", before) or
                    (m.groupdict().get("rel") or "").lower() == "since") and not (
                    dm.precision == "day" and published is not None and dm.start == published):
                dm.since = True  # (not "since this morning": the day itself)
            taken.append((b, e))
            out.append(dm)
    out.sort(key=lambda d: d.begin)
    return out


def _no_pub(text: str, b: int, e: int) -> DateMention:
    return DateMention(None, None, "unknown", text, b, e, relative=True,
                       problem=f"relative date {text!r} cannot be resolved without the "
                       "publication date (give --published or --meta)")


def _resolve(kind: str, m: re.Match[str], pub: date | None) -> DateMention | None:
    text = m.group(0)
    b, e = m.span()
    g = m.groupdict()
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return None if d is None else DateMention(d, d, "day", text, b, e)
    if kind == "wd_range":
        if pub is None:
            return _no_pub(text, b, e)
        d1 = _latest_weekday(pub, WEEKDAYS.index(g["w1"]))
        d2 = _latest_weekday(pub, WEEKDAYS.index(g["w2"]))
        if d1 > d2:
            d1 -= timedelta(days=7)
        return DateMention(d1, d2, "range", text, b, e, relative=True)
    if kind in ("md_range", "dm_range"):
        mon = _MONTH_NUM[g["mon"].rstrip(".")]
        d1, d2 = int(g["d1"]), int(g["d2"])
        if g.get("y"):
            y = int(g["y"])
        elif pub is None:
            return _no_pub(text, b, e)
        else:
            y = pub.year if (mon, d1) <= (pub.month, pub.day) else pub.year - 1
        s, t = _safe_date(y, mon, d1), _safe_date(y, mon, d2)
        if s is None or t is None or s > t:
            return None
        return DateMention(s, t, "range", text, b, e, relative=not g.get("y"))
    if kind in ("md", "dm"):
        mon = _MONTH_NUM[g["mon"].rstrip(".")]
        day = int(g["d"])
        if g.get("y"):
            y = int(g["y"])
        elif pub is None:
            return _no_pub(text, b, e)
        else:
            y = pub.year if (mon, day) <= (pub.month, pub.day) else pub.year - 1
        d = _safe_date(y, mon, day)
        return None if d is None else DateMention(d, d, "day", text, b, e,
                                                  relative=not g.get("y"))
    if kind == "my":
        mon = _MONTH_NUM[g["mon"].rstrip(".")]
        y = int(g["y"])
        return DateMention(date(y, mon, 1), _month_end(y, mon), "month", text, b, e)
    if kind == "m":
        if g["mon"] == "May" and (g.get("rel") or "") in ("", "by", "until"):
            return None  # the verb "may"
        mon = _MONTH_NUM[g["mon"].rstrip(".")]
        if pub is None:
            return _no_pub(text, b, e)
        rel = (g.get("rel") or "").lower()
        y = _latest_month(pub, mon, strictly_before=(rel == "last"))
        return DateMention(date(y, mon, 1), _month_end(y, mon), "month", text, b, e,
                           relative=True)
    if kind == "wd":
        name = g.get("w") or g.get("wp")
        rel = (g.get("rel") or "").lower()
        if pub is None:
            return _no_pub(text, b, e)
        wd = WEEKDAYS.index(name)
        if rel == "next":
            nxt = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
            return DateMention(nxt, nxt, "day", text, b, e, relative=True, future=True)
        d = _latest_weekday(pub, wd, strictly_before=rel in ("last", "this past"))
        return DateMention(d, d, "day", text, b, e, relative=True)
    if kind == "rel":
        r = " ".join(g["r"].lower().split())
        if pub is None:
            return _no_pub(text, b, e)
        monday = pub - timedelta(days=pub.weekday())
        if r in ("today", "tonight", "this morning", "this afternoon", "this evening",
                 "earlier today", "currently"):  # "is currently shelling": as it is written
            return DateMention(pub, pub, "day", text, b, e, relative=True)
        if r in ("yesterday", "last night"):
            d = pub - timedelta(days=1)
            return DateMention(d, d, "day", text, b, e, relative=True)
        if r == "overnight":
            return DateMention(pub - timedelta(days=1), pub, "range", text, b, e, relative=True)
        if r == "the day before yesterday":
            d = pub - timedelta(days=2)
            return DateMention(d, d, "day", text, b, e, relative=True)
        if r.endswith("this week") or r in ("past week", "in recent days",
                                            "in the past few days"):
            start = monday if r.endswith("this week") else pub - timedelta(days=6)
            return DateMention(start, pub, "week", text, b, e, relative=True)
        if r in ("last week", "the previous week"):
            return DateMention(monday - timedelta(days=7), monday - timedelta(days=1), "week",
                               text, b, e, relative=True)
        if r in ("this month", "earlier this month"):
            return DateMention(pub.replace(day=1), pub, "month", text, b, e, relative=True)
        if r == "last month":
            last = pub.replace(day=1) - timedelta(days=1)
            return DateMention(last.replace(day=1), last, "month", text, b, e, relative=True)
        if r in ("this year", "earlier this year"):
            return DateMention(date(pub.year, 1, 1), pub, "year", text, b, e, relative=True)
        if r == "last year":
            return DateMention(date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), "year",
                               text, b, e, relative=True)
        if r == "a week ago":
            d = pub - timedelta(days=7)
            return DateMention(d, d, "day", text, b, e, relative=True)
        n = g.get("n")
        if n:
            k = int(n) if n.isdigit() else _SMALL[n.lower()]
            d = pub - timedelta(days=k)
            return DateMention(d, d, "day", text, b, e, relative=True)
        return None
    if kind == "span":
        return _span(g, text, b, e, pub)
    if kind == "weekend":
        rels = [w.lower() for w in re.findall(r"\w+", text)[:-1]]
        if pub is None:
            return _no_pub(text, b, e)
        wd = pub.weekday()
        on_weekend = wd >= 5
        if on_weekend and "last" not in rels:  # the weekend the report is written in
            sat = pub - timedelta(days=wd - 5)
            return DateMention(sat, pub, "range" if sat != pub else "day", text, b, e,
                               relative=True, period=sat != pub)
        # the weekend before the report's (or before this one: "last weekend" on a Sunday)
        sat = pub - timedelta(days=wd - 5 + 7) if on_weekend else pub - timedelta(days=wd + 2)
        return DateMention(sat, sat + timedelta(days=1), "range", text, b, e, relative=True,
                           period=True)
    if kind == "year":
        y = int(g["y"])
        return DateMention(date(y, 1, 1), date(y, 12, 31), "year", text, b, e)
    return None


def _span(g: dict[str, str | None], text: str, b: int, e: int,
          pub: date | None) -> DateMention | None:
    """ "in the last nine days", "during the past few hours", "over the past two weeks",
    "during 9 days of (the operation)": a period ending on the publication date (a range; it
    starts N days before it, so that both readings, with and without the publication day, are
    inside).  "the first N days" and a bare "for N days" without "of" tell a duration, not
    when: no date."""
    last = (g.get("last") or "").lower()
    if last == "first" or (not last and not g.get("of")):
        return None  # "in the first two days", "for three days", "within 24 hours"
    n = " ".join((g.get("n") or "").lower().split())
    unit = (g.get("u") or "").lower()
    if n.isdigit():
        k = int(n)
    elif n in _SMALL:
        k = _SMALL[n]
    elif "couple" in n:
        k = 2
    else:  # "a few": up to a week's worth of days, a day's worth of hours
        k = {"hours": 24, "weeks": 3}.get(unit, 6)
    if pub is None:
        return _no_pub(text, b, e)
    if unit == "hours":
        days = max(1, -(-k // 24))
    elif unit.startswith("week"):
        days = 7 * k
    else:
        days = k
    if days > 62:
        return None
    # "in the past few days" is the week ending on the publication date, as "in recent days".
    prec = "week" if days == 6 and not n[:1].isdigit() and n not in _SMALL else "range"
    return DateMention(pub - timedelta(days=days), pub, prec, text, b, e, relative=True,
                       period=True)


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
