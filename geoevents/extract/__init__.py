"""Incidents from news articles and monitor statements.

Public API:

- :func:`extract_files` - read article files (text or HTML), extract their incidents, merge
  reports of the same event, and return everything with the context and what went wrong;
- :func:`extract_document` / :func:`extract_text` - one article;
- :func:`load_meta` - the ``--meta`` YAML (file name -> outlet, published, url);
- :class:`ArticleResult`, :class:`Extraction`, :class:`ContextItem`.

See :mod:`geoevents.extract.events` for how sentences become incidents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer import InputError

from ..model import Incident, Rejection
from .article import segment
from .events import ContextItem, StoryReader
from .provenance import byline_outlet, infer_published, published_month
from .reader import Document, meta_date, parse_document, read_article

if TYPE_CHECKING:
    from gazetteer import Gazetteer

__all__ = ["ArticleResult", "ContextItem", "Extraction", "extract_document", "extract_files",
           "extract_text", "load_meta", "parse_date_arg"]


@dataclass(slots=True)
class ArticleResult:
    file: str
    outlet: str
    published: date | None
    incidents: list[Incident] = field(default_factory=list)
    context: list[ContextItem] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    # Incidents that could not be placed (also in ``rejections``): kept, their place
    # "(unknown place)", without coordinates; not merged.
    unplaced: list[Incident] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    incidents: list[Incident]  # merged across articles
    articles: list[ArticleResult]
    rejections: list[Rejection]  # unreadable files, incidents that could not be placed
    context: list[ContextItem]
    messages: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"incidents": [i.to_dict() for i in self.incidents],
                "context": [c.to_dict() for c in self.context],
                "rejections": [{"file": r.file, "line": r.line, "field": r.field,
                                "reason": r.reason, "text": r.text} for r in self.rejections],
                "messages": list(self.messages)}


def parse_date_arg(value: str, what: str = "--published") -> date:
    from datetime import timedelta

    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None
    # After tomorrow (any time zone's today) is a typing error, as in the table readers.
    if d > date.today() + timedelta(days=1):
        raise InputError(f"{what} {value.strip()} is in the future")
    return d


def load_meta(path: str | Path) -> dict[str, dict[str, Any]]:
    """The --meta file: YAML mapping an article's file name to ``outlet``, ``published``
    (YYYY-MM-DD), ``url`` and ``region`` (the country the report is about).  Errors name the
    file, line and field."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise InputError("no such metadata file", file=str(p))
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=str(p)) from None
    try:
        node = yaml.compose(text)
        # Every value as text: dates are read here, with the line of a bad one.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(p),
                         line=mark.line + 1 if mark else None) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping of article file names to their outlet, published "
                         "date and url", file=str(p), line=1)
    lines: dict[str, int] = {}
    value_lines: dict[tuple[str, str], int] = {}
    if node is not None and isinstance(node.value, list):
        for k, v in node.value:
            lines[str(k.value)] = k.start_mark.line + 1
            if isinstance(v.value, list):
                for kk, vv in v.value:
                    if hasattr(kk, "value"):
                        value_lines[(str(k.value), str(kk.value))] = vv.start_mark.line + 1
    out: dict[str, dict[str, Any]] = {}
    for name, entry in data.items():
        line = lines.get(str(name))
        if not isinstance(entry, dict):
            raise InputError("expected outlet, published and url under the file name",
                             file=str(p), line=line, field=str(name))
        pub = entry.get("published")
        if pub not in (None, ""):
            try:
                pub = date.fromisoformat(str(pub).strip())
            except ValueError:
                raise InputError(f"{pub!r} is not a date (YYYY-MM-DD)", file=str(p),
                                 line=value_lines.get((str(name), "published"), line),
                                 field="published") from None
        else:
            pub = None
        out[str(name)] = {"outlet": str(entry.get("outlet") or ""),
                          "url": str(entry.get("url") or ""), "published": pub,
                          "region": str(entry.get("region") or "")}
    return out


def _meta_for(meta: dict[str, dict[str, Any]] | None, path: str) -> dict[str, Any]:
    if not meta:
        return {}
    p = Path(path)
    return meta.get(p.name) or meta.get(str(p)) or meta.get(p.stem) or {}


def extract_document(doc: Document, gz: Gazetteer, *, published: date | None = None,
                     outlet: str = "", url: str = "", region: str = "") -> ArticleResult:
    """The incidents of one article (not merged with other articles)."""
    from . import lexicon
    from .places import PlaceFinder
    from .sources import Attributor

    file = Path(doc.path).name
    messages = list(doc.warnings)
    if published is None and doc.meta.get("published"):
        published = meta_date(doc.meta["published"])
    outlet = outlet or doc.meta.get("outlet", "")
    url = url or doc.meta.get("url", "")
    region = region or doc.meta.get("region", "")
    lines = [b.text for b in doc.blocks[:10]]
    inferred = ""
    if published is None:
        # Not given: the report's own header date, dated address or dateline (marked).
        published, how = infer_published(lines, url)
        if published is not None:
            inferred = f"publication date {published} inferred from {how}"
            messages.append(f"{doc.path}: {inferred}")
    if not outlet:
        outlet = byline_outlet(lines + [b.text for b in doc.blocks[10:][-4:]])
        if outlet:
            messages.append(f"{doc.path}: outlet {outlet!r} read from the byline")
    res = ArticleResult(file=doc.path, outlet=outlet, published=published, messages=messages)
    month = published_month(url) if published is None else None
    if month is not None:
        messages.append(f"{doc.path}: no publication date (give --published or --meta); its "
                        f"address dates it to {month[0]:04d}-{month[1]:02d}: relative dates "
                        "such as 'last Wednesday' are not resolved and those incidents are "
                        "dated within that month or the week before it")
    elif published is None:
        messages.append(f"{doc.path}: no publication date (give --published or --meta): "
                        "relative dates such as 'last Wednesday' are not resolved and those "
                        "incidents get an unknown date")
    sentences = segment(doc)
    usable = [s for s in sentences if s.kind in ("title", "body", "caption")]
    all_text = " ".join(s.text for s in usable)
    # The countries the report is about: those it names (not by a demonym) most and any it
    # names twice or more (a monitor "based in Britain", named once, is not where the events
    # are), after the region the --meta file gives.
    both, named = lexicon.country_mentions(all_text)  # named: "Turkish jets" is not where
    # The gazetteer's focus: countries the text names, most mentioned first.  A country seen
    # only through a demonym or adjective ("Russian jets", "the Turkish border") is an actor or
    # a neighbour, not where the events are: its places would be supported by the focus and
    # outvote the report's own (a village answered by a namesake's alias abroad).  Only a text
    # that names no country at all is read in the countries of its demonyms.
    named_set = {cc for cc, _k in named}
    cues = [cc for cc, _k in both if cc in named_set] if named_set else [cc for cc, _k in both]
    sure = [cc for cc, k in named if k >= min(2, named[0][1])]
    region_cc = lexicon.country_of(region) if region else None
    if region and region_cc is None:
        messages.append(f"{doc.path}: region {region!r} is not a country name; not used")
    if region_cc:
        cues = [region_cc, *(c for c in cues if c != region_cc)]
        sure = [region_cc, *(c for c in sure if c != region_cc)]
    finder = PlaceFinder(gz, cues, outlets=(outlet,), area_cues=sure)
    finder.scan([s.text for s in usable if s.kind != "title"],
                body=[s.text for s in usable if s.kind == "body"])
    attributor = Attributor(all_text)
    for story in sorted({s.story for s in sentences}):
        reader = StoryReader(finder=finder, attributor=attributor, published=published,
                             outlet=outlet or file, url=url, file=file, month=month)
        reader.read([s for s in sentences if s.story == story])
        out = reader.finish()
        for inc, _line in out.incidents:
            res.incidents.append(inc)
        res.context.extend(out.context)
        for why, line, quote in out.unplaced:
            res.rejections.append(Rejection(doc.path, line, "place", why, quote[:300]))
        res.unplaced.extend(out.no_place)
        for m in out.messages:
            if m not in res.messages:
                res.messages.append(f"{doc.path}: {m}")
    if inferred:
        for inc in res.incidents + res.unplaced:
            inc.notes = "; ".join(x for x in (inc.notes, inferred) if x)
    # Later sentences that only restate an event are the event (same place, no date of their
    # own): one incident.
    from ..merge import consolidate

    before = len(res.incidents)
    res.incidents = [i.ensure_id() for i in consolidate(res.incidents)]
    if len(res.incidents) != before:
        res.messages.append(f"{doc.path}: {before - len(res.incidents)} restatement(s) of an "
                            "event folded into it")
    # Datelines are context too.
    for s in sentences:
        if s.dateline:
            res.context.append(ContextItem(file, s.line, "place", s.dateline,
                                           reason="dateline: where the report was filed",
                                           quote=s.text[:200]))
    return res


def extract_text(text: str, gz: Gazetteer, *, published: date | None = None, outlet: str = "",
                 url: str = "", name: str = "<text>", html: bool | None = None,
                 region: str = "") -> ArticleResult:
    doc = parse_document(text, name, html=html)
    return extract_document(doc, gz, published=published, outlet=outlet, url=url, region=region)


def extract_files(paths: list[str | Path], gz: Gazetteer, *, published: date | None = None,
                  meta: dict[str, dict[str, Any]] | None = None, merge: bool = True,
                  progress: Any = None) -> Extraction:
    """Extract every article; unreadable files are rejections, the rest is processed."""
    from ..merge import merge_incidents

    articles: list[ArticleResult] = []
    rejections: list[Rejection] = []
    messages: list[str] = []
    items = list(paths)
    it = progress(items) if progress else items
    for p in it:
        path = str(p)
        try:
            doc = read_article(path)
        except InputError as exc:
            rejections.append(Rejection(path, exc.line, exc.field, _reason(exc)))
            continue
        m = _meta_for(meta, path)
        if meta is not None and not m:
            messages.append(f"{path}: not in the --meta file")
        art = extract_document(doc, gz, published=published or m.get("published"),
                               outlet=m.get("outlet", ""), url=m.get("url", ""),
                               region=m.get("region", ""))
        articles.append(art)
        rejections.extend(art.rejections)
        messages.extend(art.messages)
    incidents = [i for a in articles for i in a.incidents]
    if merge:
        incidents = merge_incidents(incidents)
    # Nothing is lost: an incident without a place is written, marked, after the others.
    incidents += [i.ensure_id() for a in articles for i in a.unplaced]
    context = [c for a in articles for c in a.context]
    return Extraction(incidents, articles, rejections, context, messages)


def _reason(exc: InputError) -> str:
    s = str(exc)
    # InputError's message starts with "file:line: "; the Rejection carries those apart.
    return re.sub(r"^[^:]*(?::\d+)?: (?:field '[^']*': )?", "", s, count=1) if exc.file else s
