"""Rivers by name: "Euphrates" is the whole river, whatever each source segment is called.

The name table is ``data/rivers.yaml`` (see the comments there): for each river its aliases, the
names its segments carry in the reference layer (Natural Earth calls the Euphrates ``Firat`` in
Turkey, ``Al Furat`` in Syria and ``Euphrates`` in Iraq), the box it lies in and a point near its
mouth.  :func:`river` reads the segments (Natural Earth's installed ``rivers`` layer, or any line
file with a ``name`` column), joins them where their ends meet and returns one merged line
directed from upstream to downstream:

- ends closer than :data:`SNAP_KM` are one junction (sources leave small gaps, e.g. where a river
  enters a lake centreline);
- the downstream end is the junction nearest the table's ``mouth``; the river is the longest
  path through the joined segments ending there (its main stem), so side branches and
  disconnected bits are left out (their length is reported in :attr:`River.left_out_km`);
- each segment is reversed where it was digitised against the flow.

Public API: :func:`river`, :func:`lookup`, :func:`names`, :class:`River`, :class:`RiverInfo`,
:class:`UnknownRiver`.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths
from .errors import GazetteerError, InputError

SNAP_KM = 2.0
RIVERS_FILE = "rivers.yaml"
_NOISE = re.compile(r"\b(the|river|r|nahr|nehri|nehir|rud|wadi)\b")


class UnknownRiver(InputError):
    """A river name that is not in the table (the message suggests names)."""


@dataclass(frozen=True, slots=True)
class RiverInfo:
    """One entry of ``data/rivers.yaml``."""

    name: str
    aliases: tuple[str, ...]
    segments: tuple[str, ...]
    bbox: tuple[float, float, float, float]  # west, south, east, north
    mouth: tuple[float, float]  # lat, lon
    note: str = ""


@dataclass(frozen=True, slots=True)
class River:
    """A merged, directed river: ``geometry`` is a shapely LineString in lon/lat (EPSG:4326)
    running from upstream to downstream."""

    name: str
    geometry: Any  # shapely LineString
    segments: tuple[str, ...]  # source names that were used ("Firat", "Al Furat", ...)
    source: str  # where the geometry comes from, for attribution
    length_km: float
    left_out_km: float = 0.0  # side branches and disconnected segments not on the main stem
    info: RiverInfo | None = field(default=None, compare=False)


def _match_key(name: str) -> str:
    from .normalize import fold, key

    folded = _NOISE.sub(" ", fold(name))
    return key(folded) or key(name)


@lru_cache(maxsize=4)
def _table(path: str) -> dict[str, RiverInfo]:
    import yaml

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"{path}: cannot read the river table: {exc}") from None
    table: dict[str, RiverInfo] = {}
    for name, entry in raw.items():
        try:
            mouth = entry["mouth"]
            table[str(name)] = RiverInfo(
                name=str(name), aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                segments=tuple(str(s) for s in entry["segments"]),
                bbox=tuple(float(v) for v in entry["bbox"]),  # type: ignore[arg-type]
                mouth=(float(mouth["lat"]), float(mouth["lon"])),
                note=" ".join(str(entry.get("note") or "").split()))
        except (KeyError, TypeError, ValueError) as exc:
            raise GazetteerError(f"{path}: river '{name}': bad or missing field {exc}") from None
    return table


def table() -> dict[str, RiverInfo]:
    """The river table, keyed by the river's English name."""
    return _table(str(paths.shipped_data(RIVERS_FILE)))


def names() -> list[str]:
    return sorted(table())


def lookup(name: str) -> RiverInfo:
    """The table entry for a river name or alias ("Euphrates", "al-Furat", "Firat", "الفرات").
    Raises :class:`UnknownRiver` with suggestions."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownRiver("empty river name")
    k = _match_key(name)
    keys: dict[str, str] = {}
    for info in table().values():
        for n in (info.name, *info.aliases, *info.segments):
            keys.setdefault(_match_key(n), info.name)
    if k in keys:
        return table()[keys[k]]
    from rapidfuzz import fuzz, process

    best = process.extract(k, list(keys), scorer=fuzz.WRatio, limit=6, score_cutoff=70)
    suggestions: list[str] = []
    for match, _score, _ in best:
        if keys[match] not in suggestions:
            suggestions.append(keys[match])
    hint = f"; did you mean {' or '.join(suggestions[:3])}?" if suggestions else ""
    raise UnknownRiver(f"unknown river '{name}'{hint} Known rivers: {', '.join(names())}. "
                       "For another river or a line that is not a river, draw it as a GeoJSON "
                       "line.")


def river(name: str, *, source: str | Path | None = None) -> River:
    """The merged, directed line of a river, from the installed Natural Earth rivers layer or
    from ``source`` (any line file with a ``name`` column).  Raises :class:`UnknownRiver`,
    :class:`gazetteer.naturalearth.NotInstalled`, or GazetteerError when the source holds no
    segment of the river."""
    info = lookup(name)
    if source is None:
        from . import naturalearth

        path = naturalearth.require("rivers", "control lines along rivers")
        label = f"Natural Earth {naturalearth.LAYERS['rivers']['stem']}"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("no such rivers file", file=str(path))
        label = path.name
    stat = path.stat()
    return _river(info, str(path), stat.st_mtime_ns, stat.st_size, label)


@lru_cache(maxsize=16)
def _river(info: RiverInfo, path: str, _mtime: int, _size: int, label: str) -> River:
    import pyogrio
    import shapely

    try:
        frame = pyogrio.read_dataframe(path, bbox=info.bbox)
    except Exception as exc:  # GDAL: not a vector file
        raise GazetteerError(f"{path}: cannot read rivers: {exc}") from None
    cols = {c.lower(): c for c in frame.columns}
    if "name" not in cols:
        raise GazetteerError(f"{path}: a rivers file needs a 'name' column")
    wanted = {_match_key(s) for s in info.segments}
    mask = None
    for col in ("name", "name_en", "name_alt"):
        if col in cols:
            m = frame[cols[col]].fillna("").astype(str).map(_match_key).isin(wanted)
            mask = m if mask is None else (mask | m)
    picked = frame[mask] if mask is not None else frame.iloc[:0]
    parts = []
    used: list[str] = []
    for name_value, geom in zip(picked[cols["name"]], picked.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type not in ("LineString", "MultiLineString"):
            continue
        parts.extend(shapely.get_parts(geom))
        if str(name_value) not in used:
            used.append(str(name_value))
    if not parts:
        raise GazetteerError(
            f"the {label} layer holds no segment of the {info.name} (looked for "
            f"{', '.join(info.segments)} within {list(info.bbox)}). {info.note}".strip())
    line, left_out = _main_stem(parts, info.mouth)
    from pyproj import Geod

    length = Geod(ellps="WGS84").geometry_length(line) / 1000.0
    order = [s for s in info.segments if s in used] + [s for s in used if s not in info.segments]
    return River(name=info.name, geometry=line, segments=tuple(order),
                 source=f"{label} ({', '.join(order)})", length_km=length,
                 left_out_km=left_out, info=info)


def _main_stem(parts: list, mouth: tuple[float, float]) -> tuple[Any, float]:
    """Join line parts at shared ends and return (the longest path ending at the end nearest
    ``mouth``, directed towards it; km of parts left out)."""
    import numpy as np
    from pyproj import Geod
    from shapely.geometry import LineString

    geod = Geod(ellps="WGS84")
    coords = [np.asarray(p.coords)[:, :2] for p in parts if len(p.coords) >= 2]
    ends = np.array([c[i] for c in coords for i in (0, -1)])  # 2 per part, lon/lat
    # Cluster ends closer than SNAP_KM (few dozen ends: pairwise is fine).
    n = len(ends)
    lon1 = np.repeat(ends[:, 0], n)
    lat1 = np.repeat(ends[:, 1], n)
    lon2 = np.tile(ends[:, 0], n)
    lat2 = np.tile(ends[:, 1], n)
    _, _, dist = geod.inv(lon1, lat1, lon2, lat2)
    close = (np.asarray(dist).reshape(n, n) / 1000.0) <= SNAP_KM
    node = list(range(n))

    def find(i: int) -> int:
        while node[i] != i:
            node[i] = node[node[i]]
            i = node[i]
        return i

    for i, j in zip(*np.nonzero(close), strict=True):
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            node[max(ri, rj)] = min(ri, rj)
    root = [find(i) for i in range(n)]
    members: dict[int, list[int]] = {}
    for i, r in enumerate(root):
        members.setdefault(r, []).append(i)
    where = {r: ends[m].mean(axis=0) for r, m in members.items()}
    lengths = [geod.line_length(c[:, 0], c[:, 1]) / 1000.0 for c in coords]
    graph: dict[int, list[tuple[int, int, float]]] = {r: [] for r in members}
    for k in range(len(coords)):
        a, b = root[2 * k], root[2 * k + 1]
        if a == b:  # a closed loop at a junction: not part of any path
            continue
        graph[a].append((b, k, lengths[k]))
        graph[b].append((a, k, lengths[k]))
    nodes = list(members)
    _, _, to_mouth = geod.inv([where[r][0] for r in nodes], [where[r][1] for r in nodes],
                              [mouth[1]] * len(nodes), [mouth[0]] * len(nodes))
    outlet = nodes[int(np.argmin(to_mouth))]
    # Dijkstra from the outlet; the farthest reachable junction is the source of the main stem.
    best: dict[int, float] = {outlet: 0.0}
    back: dict[int, tuple[int, int]] = {}
    heap = [(0.0, outlet)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > best.get(u, float("inf")):
            continue
        for v, k, w in graph[u]:
            if d + w < best.get(v, float("inf")):
                best[v] = d + w
                back[v] = (u, k)
                heapq.heappush(heap, (d + w, v))
    source = max(best, key=lambda r: (best[r], -r))
    # Walk from the source to the outlet, orienting each part along the flow.
    out: list[np.ndarray] = []
    used = set()
    cur = source
    while cur != outlet:
        nxt, k = back[cur]
        c = coords[k].copy()
        if root[2 * k] != cur:
            c = c[::-1]
        c[0], c[-1] = where[cur], where[nxt]  # one coordinate per junction
        out.append(c if not out else c[1:])
        used.add(k)
        cur = nxt
    if not out:
        raise GazetteerError("the river's segments do not form a line")
    line = LineString(np.concatenate(out))
    left_out = sum(lengths[k] for k in range(len(coords)) if k not in used)
    return line, left_out
