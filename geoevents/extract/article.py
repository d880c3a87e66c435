"""An article's structure: its stories, its sentences, and what each sentence is.

A news page carries more than the story: photo captions, "Updated ..." lines, donation appeals,
comment prompts, datelines ("BEIRUT:"), and sometimes a second, unrelated story.  Captions and
datelines are kept (their places are *context*: where a photo was taken, where the reporter
was), page furniture is dropped, and a second story is read as a story of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fastre import guard_namespace
from .reader import Document

CAPTION_CREDIT = re.compile(
    r"[(\[][^()\[\]]{0,80}\b(?:AFP|Reuters|AP|Getty|EPA|Anadolu|SANA|File|Photo|Courtesy|"
    r"Handout|Images?|Pool|Xinhua|TASS|Sputnik|Shutterstock)\b[^()\[\]]{0,80}[)\]]\s*\.?$",
    re.I)
#: "... June 26, 2018. /VCG Photo", "... from ISIS militants. Photo: ARA News".
CAPTION_TAIL = re.compile(r"(?:/\s*[\w .-]{1,30}\s+Photo|\bPhoto\s*:\s*[\w .-]{2,40}|"
                          r"\((?:Photo|File\s+Photo|Image)[^()]{0,60}\))\s*\.?\s*$", re.I)
GALLERY = re.compile(r"^\d+\s*/\s*\d+$")
#: A photo's description: one sentence whose subject is shown doing something, in the present
#: ("A Syrian youth walks near a vehicle in a damaged street following an airstrike ...,
#: yesterday.", "Members of the SDF stand guard at ... on Sunday.") - not a report.
CAPTION_SCENE = re.compile(
    r"^(?:(?:An?|The|Two|Three|Several|Some|Members|Residents|Civilians|Children|People|"
    r"[A-Z][a-z]+(?:s|ns|is))\b[\w’'(),. -]{0,70}?\s)?(?:walks?|stands?(?:\s+guard)?|sits?|"
    r"looks?|carr(?:y|ies)|rides?|inspects?|gestures?|mourns?|cr(?:y|ies)|flees?|"
    r"waits?|gathers?|prays?|poses?|reacts?|lies|lie|"
    r"hugs?|queues?|attends?)\s[^.!?]*[.!?]?\s*$")
META_LINE = re.compile(
    r"^(?:updated|published|last updated|posted|first published|modified)\b.{0,40}$|"
    r"^(?:by|source|sources|photo|image|picture|video|file photo|credit|read more|related|"
    r"watch|listen|advertisement|share|comments?|tags?)\s*(?::|$|\s[A-Z])", re.I)
BOILERPLATE = re.compile(
    r"\b(?:your (?:support|donation|contribution)|donat(?:e|ion)|subscri(?:be|ption)|newsletter|"
    r"sign up|log in|login|register now|cookies?|advertis(?:ement|ing)|paywalls?|"
    r"commenting forum|join (?:our|the) (?:conversation|commenting|community)|"
    r"(?:follow|like) us|share this|read more|related (?:articles|stories|topics)|"
    r"all rights reserved|copyright|click here|download (?:the|our) app|most (?:read|popular)|"
    r"thought-provoking conversations|see their replies|independent readers|"
    r"quality journalism|keep sending journalists|support (?:us|our journalism))\b", re.I)
_FIRST_PERSON_PROMO = re.compile(
    r"\b(?:we|our|us)\b.*\b(?:journalis\w*|reporting|reporters|readers|paywalls?|stories|"
    r"newsroom|subscribers|analysis|documentary)\b|\bis trusted by\b", re.I)
DATELINE = re.compile(
    r"^(?P<place>(?:[A-Z][A-Za-z'’.\-]+|al|el|ad|as|ar|az|de)(?:\s+(?:[A-Z][A-Za-z'’.\-]+|al|el|"
    r"ad|as|ar|az|de)){0,3})(?:,\s*[A-Z][A-Za-z]+)?\s*(?:\((?P<agency>[^)]{1,60})\))?"
    r"\s*(?:(?::|–|—|-{1,2})\s+|(?<=\))\s+)(?=\S)")
_ABBREV = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "sgt", "capt", "cpl", "pvt", "rev", "prof", "jr", "sr", "no", "vol", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "vs", "a.m", "p.m", "approx", "est", "dept", "govt", "inc", "ltd", "co", "corp", "fig", "brig", "adm", "cmdr", "gov", "sen", "rep", "hon"])
_DATE_LINE = re.compile(r"^(?:[A-Z][a-z]+day,?\s+)?(?:[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+"
                        r"[A-Z][a-z]+\s+\d{4}|\d{4}-\d{2}-\d{2})\b.{0,40}$")
_BULLET = re.compile(r"^\s*(?:[•·▪◦‣●*–-]|\d{1,2}[.)])\s+")
_BOUNDARY = re.compile(r"[.!?][”’\"')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0600-\u06FF])|"
                       r"(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")


@dataclass(slots=True)
class Sentence:
    text: str
    kind: str  # title | body | caption | meta | boilerplate
    story: int
    block: int
    line: int
    index: int = 0
    dateline: str = ""  # "BEIRUT", "Damascus" (context: where the report was filed)
    lead: bool = False  # first body paragraph of its story
    item: bool = False  # an item of a bulleted or numbered list

    @property
    def usable(self) -> bool:
        return self.kind == "body"


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


_SAYS = re.compile(r"\b(?:said|says|told|reported|according)\b", re.I)


def _headline_like(text: str) -> bool:
    words = text.split()
    return 3 <= len(words) <= 22 and not text.rstrip().endswith((".", ":", ";", ",", "?"))


def classify_block(text: str, kind: str) -> str:
    if kind == "caption" or CAPTION_CREDIT.search(text) or GALLERY.match(text) or \
            CAPTION_TAIL.search(text):
        return "caption"
    if kind in ("body", "text") and len(text) <= 300 and not _SAYS.search(text) and \
            CAPTION_SCENE.match(text) and len(split_sentences(text)) == 1:
        return "caption"
    if kind == "title":
        return "title"
    if META_LINE.match(text) and len(text.split()) <= 12:
        return "meta"
    return "body"


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, not splitting inside an open quotation nor after
    abbreviations or initials; glued sentences ("difference.At least") are split."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        cut = m.start() + 1
        # Closing quotes and brackets belong to the sentence they end.
        while cut < len(text) and text[cut] in "”’\"')]":
            cut += 1
        piece = text[start:cut]
        word = re.search(r"([\w.]+)[.!?]$", text[start:m.start() + 1])
        if word:
            w = word.group(1).lower().rstrip(".")
            if w in _ABBREV or (len(w) == 1 and w.isalpha() and text[m.start() - 1].isupper()):
                continue
        if _open_quote(piece) and _closes_later(text, cut):
            continue
        if piece.strip():
            out.append(piece.strip())
        start = cut
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def _open_quote(s: str) -> bool:
    if s.count("“") > s.count("”"):
        return True
    return s.count('"') % 2 == 1


def _closes_later(text: str, pos: int) -> bool:
    rest = text[pos:]
    return "”" in rest or '"' in rest


def segment(doc: Document) -> list[Sentence]:
    """The document's sentences, each with its kind and story number."""
    blocks = doc.blocks
    kinds = [classify_block(b.text, b.kind) for b in blocks]
    # A text file's first line is its headline only when it reads like one: a lead paragraph
    # ("SANAA (AP) - At least 200 fighters were killed ...", "Russian air strikes on Monday
    # killed 53 civilians ... a monitor said.") is the story's first paragraph.
    if blocks and kinds[0] == "title" and not doc.html and (
            (not _headline_like(blocks[0].text) and len(blocks[0].text.split()) > 12) or
            ((m0 := DATELINE.match(blocks[0].text)) and _is_dateline(m0) and
             (m0.group("agency") or m0.group("place").isupper()))):
        kinds[0] = "body"
    # A text file's headline may follow a header line (a date, an outlet's name): a short line
    # without final punctuation before any body paragraph is a headline too.
    if not doc.html:
        for i in range(1, min(3, len(blocks))):
            if kinds[i] == "body" and _headline_like(blocks[i].text) and \
                    all(k != "body" or _headline_like(blocks[j].text) or
                        META_LINE.match(blocks[j].text) or _DATE_LINE.match(blocks[j].text)
                        for j, k in enumerate(kinds[:i])) and \
                    not DATELINE.match(blocks[i].text):
                kinds[i] = "title"
            else:
                break
    title = _norm(doc.title)
    # A headline repeated close to itself after the body started opens a new story (pages that
    # carry a second story); the document's own title repeated is not one.
    story_at: set[int] = set(doc.stories)
    seen_body = 0
    norms = [_norm(b.text) for b in blocks]
    for i, b in enumerate(blocks):
        if kinds[i] == "body" and not _headline_like(b.text):
            seen_body += 1
        if seen_body >= 3 and _headline_like(b.text) and norms[i] != title and any(
                norms[j] == norms[i] for j in range(i + 1, min(len(blocks), i + 4))):
            story_at.add(i)
            kinds[i] = "title"
            for j in range(i + 1, min(len(blocks), i + 4)):
                if norms[j] == norms[i]:
                    kinds[j] = "meta"
        if norms[i] == title and i > 0 and kinds[i] == "body":
            kinds[i] = "meta"  # the headline repeated under a photo gallery
    out: list[Sentence] = []
    story = 0
    lead_done: set[int] = set()
    for i, b in enumerate(blocks):
        if i in story_at and i > 0:
            story += 1
        kind = kinds[i]
        text = _BULLET.sub("", b.text)
        item = text != b.text
        dateline = ""
        if kind == "body":
            m = DATELINE.match(text)
            if m and _is_dateline(m):
                dateline = m.group("place")
                text = text[m.end():]
        lead = kind == "body" and story not in lead_done
        if lead:
            lead_done.add(story)
        parts = split_sentences(text) if kind in ("body", "caption") else [text]
        for part in parts:
            k = kind
            if k == "body" and (BOILERPLATE.search(part) or (
                    _FIRST_PERSON_PROMO.search(part) and "“" not in part and '"' not in part)):
                k = "boilerplate"
            out.append(Sentence(part, k, story, i, b.line, len(out), dateline, lead, item))
            dateline = ""
        mine = [s for s in out if s.block == i]
        if kind == "body" and len(mine) > 1 and 2 * sum(
                s.kind == "boilerplate" for s in mine) >= len(mine):
            for s in mine:
                if re.search(r"\b(?:we|our|us|you|your)\b", s.text, re.I):
                    s.kind = "boilerplate"  # a paragraph of page furniture
    return out


def _is_dateline(m: re.Match[str]) -> bool:
    place = m.group("place")
    words = place.split()
    if m.group("agency"):
        return True
    if place.isupper() and len(place) >= 3:
        return True
    # "Beirut: ..." - one or two capitalised words and a colon.
    return m.group(0).rstrip().endswith(":") and len(words) <= 2 and all(
        w[0].isupper() for w in words if w not in ("al", "el", "ad", "as", "ar", "az", "de"))


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
