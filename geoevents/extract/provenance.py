"""Where a report comes from and when it was published, read from the report itself.

Used when ``--published`` / ``--meta`` do not say:

- :func:`infer_published`: a date line in the page header ("Sunday, July 3, 2016",
  "28 November 2016 14:04", "2020-05-02 08:06:01", "29.06.2017 - Update : 30.06.2017"), a dated
  address (``/2015/05/24/``, ``2015-05-25``), a wire dateline with the year known from the
  header or the address ("BEIRUT, May 24 (Reuters) -").  The result says what it was read from;
  the caller marks the date as inferred.
- :func:`byline_outlet`: the agency of a byline or dateline ("By AFP", "(Reuters)",
  "KABUL, Afghanistan (AP)") or a source line ("Source: SANA"), when no outlet is given.

An explicit date (``--published``, the ``--meta`` file, an HTML page's metadata) always wins.
"""

from __future__ import annotations

import re
from datetime import date

from .fastre import guard_namespace

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
_MON = {k[:3]: v for k, v in _MONTHS.items()} | {"sept": 9}
_MONTH_RX = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
             r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Whole-date forms a page header uses.
_DATE_FORMS = (
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RX},?\s+(?P<y>(?:19|20)\d{{2}})\b",
               re.I),
    re.compile(rf"\b{_MONTH_RX}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b",
               re.I),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d{2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})-{_MONTH_RX}-(?P<y>(?:19|20)\d{{2}})\b", re.I),
)
_URL_DAY = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[/_-](?P<m>\d{1,2})[/_-](?P<d>\d{1,2})(?!\d)")
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/")
_DATELINE = re.compile(rf"^[A-Z][A-Z .'’-]{{2,40}}(?:,\s*[A-Z][\w .]+)?,\s*{_MONTH_RX}\s+"
                       rf"(?P<d>\d{{1,2}})\s*\(", re.I)
#: A header line: short, mostly a date ("Published October 19, 2017", "11th May 2020, 15:26
#: UTC", "Sunday, July 3, 2016").
_HEADER_WORDS = re.compile(r"^(?:published|updated|posted|last\s+updated|date|on)?\s*:?\s*", re.I)


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(g: dict[str, str | None]) -> int | None:
    if g.get("m"):
        return int(g["m"])
    mon = (g.get("mon") or "").lower().rstrip(".")
    return _MONTHS.get(mon) or _MON.get(mon[:4]) or _MON.get(mon[:3])


def date_in(text: str) -> date | None:
    """The first whole date (day, month and year) written in ``text``."""
    best: tuple[int, date] | None = None
    for rx in _DATE_FORMS:
        m = rx.search(text)
        if m:
            mo = _month(m.groupdict())
            d = _mk(int(m.group("y")), mo, int(m.group("d"))) if mo else None
            if d is not None and (best is None or m.start() < best[0]):
                best = (m.start(), d)
    return best[1] if best else None


def infer_published(lines: list[str], url: str = "") -> tuple[date | None, str]:
    """(date, what it was read from) for a report without a given publication date.

    ``lines`` are the report's first lines (headline, header, first paragraphs)."""
    header_year: int | None = None
    for line in lines[:6]:
        s = _HEADER_WORDS.sub("", line.strip())
        d = date_in(s)
        # A header line is short and mostly the date; a date inside a paragraph is an event's.
        if d is not None and (len(s.split()) <= 10 or
                              re.match(r"^\s*\d{1,2}\s+\w+\s+\d{4}\s*[;:|]", s)):
            return d, f"the date at the head of the report ({line.strip()[:40]!r})"
    m = _URL_DAY.search(url or "")
    if m:
        d = _mk(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d is not None:
            return d, f"the date in the report's address ({url})"
    m = _URL_MONTH.search(url or "")
    if m:
        header_year = int(m.group("y"))
    for line in lines[:8]:
        m = _DATELINE.match(line.strip())
        if m and header_year:
            mo = _month(m.groupdict())
            d = _mk(header_year, mo, int(m.group("d"))) if mo else None
            if d is not None:
                return d, f"the dateline ({line.strip()[:30]!r}) and the year in the address"
    return None, ""


def published_month(url: str) -> tuple[int, int] | None:
    """(year, month) of a report's address that dates it only to the month (/2015/07/)."""
    m = _URL_MONTH.search(url or "")
    if m is None or not 1 <= int(m.group("m")) <= 12:
        return None
    return int(m.group("y")), int(m.group("m"))


_AGENCIES = ("Reuters", "AFP", "AP", "Associated Press", "UPI", "Xinhua", "Anadolu Agency",
             "Anadolu", "ANF", "ANHA", "Hawar News", "North Press", "SANA", "Kurdistan 24",
             "Rudaw", "Shafaq News", "dpa", "EFE", "IRNA", "TASS", "Sputnik", "ARA News", "NRT")
_AGENCY_RX = "|".join(re.escape(a) for a in sorted(_AGENCIES, key=len, reverse=True))
_BYLINE = (
    re.compile(rf"^\s*By\s+(?:[A-Z][\w.'-]+\s+){{0,3}}?(?:for\s+|of\s+)?(?P<a>{_AGENCY_RX}|"
               r"The\s+Associated\s+Press)\b"),
    re.compile(rf"^[A-Z][\w .,'’-]{{1,60}}\((?P<a>{_AGENCY_RX})\)\s*(?:[-–—:]|\w)"),
    re.compile(rf"^\s*Source\s*:\s*(?P<a>{_AGENCY_RX}|[A-Z][\w .-]{{1,40}}?)\s*$"),
    re.compile(rf"^\s*(?P<a>{_AGENCY_RX})\s*[–—/:-]\s+\S"),
    re.compile(rf"^\s*(?P<a>{_AGENCY_RX})\s*$"),
)


def byline_outlet(lines: list[str]) -> str:
    """The agency or outlet the report names as its own, or ""."""
    for line in lines:
        for rx in _BYLINE:
            m = rx.search(line)
            if m:
                a = " ".join(m.group("a").split())
                return "AP" if a in ("The Associated Press", "Associated Press") else a
    return ""


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
