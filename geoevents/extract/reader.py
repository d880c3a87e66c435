"""Articles as files: plain text or an HTML page, turned into blocks of text.

HTML is read with the standard library's parser: scripts, styles, navigation, forms and asides
are left out, block elements become blocks, ``<figcaption>`` and caption-classed elements are
marked as captions, and the page's metadata (``article:published_time``, ``og:site_name``,
canonical address, ``<time datetime>``) is kept so that an HTML page needs no ``--meta``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from ..textio import read_text

#: Articles are text: anything larger is refused with a message (it is not an article).
MAX_ARTICLE_BYTES = 5_000_000


@dataclass(slots=True)
class Block:
    text: str
    kind: str  # title | text | caption
    line: int  # 1-based line in the file (HTML: the element's line)


@dataclass(slots=True)
class Document:
    path: str
    blocks: list[Block]
    html: bool = False
    meta: dict[str, str] = field(default_factory=dict)  # published, outlet, url, title
    warnings: list[str] = field(default_factory=list)
    stories: list[int] = field(default_factory=list)  # block index where each story starts

    @property
    def title(self) -> str:
        for b in self.blocks:
            if b.kind == "title":
                return b.text
        return self.meta.get("title", "")


_SKIP = frozenset({"script", "style", "noscript", "nav", "footer", "aside", "form", "svg",
                   "template", "button", "select", "iframe", "object", "canvas", "head"})
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "td", "th",
                    "section", "article", "figcaption", "caption", "blockquote", "pre", "dd",
                    "dt", "figure", "header", "main", "ul", "ol", "table", "hr", "time"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base",
                   "col", "embed", "param", "track"})
_META_DATE = ("article:published_time", "datepublished", "date", "pubdate", "publishdate",
              "dc.date", "dc.date.issued", "citation_publication_date", "og:published_time",
              "sailthru.date", "parsely-pub-date")


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self._buf: list[str] = []
        self._line = 1
        self._skip = 0
        self._stack: list[tuple[str, str]] = []  # (tag, kind)
        self._in_title = False
        self._doc_title: list[str] = []
        self._articles = 0
        self.story_starts: list[int] = []

    def _kind(self) -> str:
        for _tag, kind in reversed(self._stack):
            if kind in ("caption", "title"):
                return kind
        return "text"

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.blocks.append(Block(text, self._kind(), self._line))
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = a.get("content", "").strip()
            if content:
                if name in _META_DATE and "published" not in self.meta:
                    self.meta["published"] = content
                elif name == "og:site_name":
                    self.meta.setdefault("outlet", content)
                elif name == "og:url":
                    self.meta.setdefault("url", content)
                elif name == "og:title":
                    self.meta.setdefault("title", content)
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.meta["url"] = a["href"]
            return
        if tag == "title":
            self._in_title = True
            return
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._flush()
            return
        if tag in _SKIP:
            self._skip += 1
            self._stack.append((tag, "skip"))
            return
        if tag == "time" and a.get("datetime") and "time" not in self.meta:
            self.meta["time"] = a["datetime"]
        if tag in _BLOCK:
            self._flush()
            self._line = self.getpos()[0]
        if tag == "article":
            self._articles += 1
            self.story_starts.append(len(self.blocks))
        cls = (a.get("class", "") + " " + a.get("id", "")).lower()
        kind = "text"
        if tag in ("figcaption", "caption") or re.search(r"caption|credit", cls):
            kind = "caption"
        elif tag == "h1":
            kind = "title"
        self._stack.append((tag, kind))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if tag in _VOID:
            return
        # Close up to the matching tag (HTML in the wild is not always well formed).
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                closing = self._stack[i:]
                if (tag in _BLOCK or any(k == "skip" for _, k in closing)) and not self._skip:
                    self._flush()  # while the element is still open: its kind applies
                del self._stack[i:]
                self._skip -= sum(1 for _, k in closing if k == "skip")
                if tag in _BLOCK and not self._skip:
                    self._line = self.getpos()[0]
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._doc_title.append(data)
            return
        if self._skip:
            return
        if not self._buf:
            self._line = self.getpos()[0]
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        title = " ".join("".join(self._doc_title).split())
        if title:
            self.meta.setdefault("title", title)


def looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:20000].lower():
        return True
    return bool(head.startswith("<") and re.search(r"<(p|div|body|article|h1|span)\b", head))


def parse_html(text: str, path: str = "<html>") -> Document:
    parser = _Html()
    parser.feed(text)
    parser.close()
    blocks = parser.blocks
    if not any(b.kind == "title" for b in blocks) and blocks and parser.meta.get("title"):
        blocks.insert(0, Block(parser.meta["title"], "title", 1))
    meta = dict(parser.meta)
    if "published" not in meta and "time" in meta:
        meta["published"] = meta["time"]
    meta.pop("time", None)
    starts = parser.story_starts if len(parser.story_starts) > 1 else []
    return Document(path, blocks, html=True, meta=meta, stories=starts)


def parse_text(text: str, path: str = "<text>") -> Document:
    blocks: list[Block] = []
    for i, line in enumerate(text.splitlines(), 1):
        s = " ".join(line.replace("\u00a0", " ").split())
        if s:
            blocks.append(Block(s, "title" if not blocks else "text", i))
    return Document(path, blocks)


def parse_document(text: str, path: str = "<text>", *, html: bool | None = None) -> Document:
    if html is None:
        html = Path(path).suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(text)
    return parse_html(text, path) if html else parse_text(text, path)


def read_article(path: str | Path) -> Document:
    """Read an article file (text or HTML).  Raises InputError when it cannot be an article:
    missing, empty, binary, larger than :data:`MAX_ARTICLE_BYTES`."""
    from gazetteer import InputError

    text, warnings = read_text(path, max_bytes=MAX_ARTICLE_BYTES, what="article")
    doc = parse_document(text, str(path))
    doc.warnings.extend(warnings)
    if not doc.blocks:
        raise InputError("no text in this file" + (" (an HTML page with no readable text)"
                                                    if doc.html else ""), file=str(path))
    return doc


def meta_date(value: str) -> date | None:
    """The date of an HTML meta value such as '2018-05-27T10:33:00+03:00'."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
