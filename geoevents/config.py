"""The user's configuration file (TOML), read once per command.

Location: ``--config FILE``, else ``$GEOEVENTS_CONFIG``, else ``$GEOEVENTS_HOME/config.toml``,
else the platform's user config folder (``~/.config/geoevents/config.toml`` on Linux).

Example::

    [gazetteer]
    index = "~/geo/gazetteer.sqlite"   # where the index lives
    overlays = ["~/geo/my-places.yaml"] # the user's own places; their rows win
    focus = ["SY", "IQ"]                # default country focus for resolve

    [online]
    enabled = false                     # online fallback for names the offline gazetteer lacks

    [columns]                           # how to read spreadsheets (as --columns; see docs/tables.md)
    date = "Date"
    lat = "Y"
    lon = "X"

    [tables]
    dayfirst = true                     # slash dates are day-first (as --dayfirst)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError
from gazetteer import paths as gpaths

KNOWN = {
    "gazetteer": {"index", "overlays", "focus"},
    "online": {"enabled", "provider", "user_agent", "url", "timeout", "min_delay_seconds",
               "cache"},
    "columns": None,  # roles of maps.layouts.COLUMN_ROLES, checked when a table is read
    "tables": {"dayfirst"},
}


@dataclass(slots=True)
class Config:
    path: Path | None = None
    index: Path | None = None
    overlays: list[Path] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    online: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    dayfirst: bool | None = None


def load(path: str | Path | None = None) -> Config:
    """Read the configuration; a missing default file is an empty configuration."""
    explicit = path is not None
    p = Path(path).expanduser() if path is not None else gpaths.config_path()
    if not p.is_file():
        if explicit:
            raise InputError("no such configuration file", file=str(p))
        return Config()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"not valid TOML: {exc}", file=str(p), line=line) from None
    for section, values in data.items():
        if section not in KNOWN:
            raise InputError(f"unknown section [{section}]; known: {', '.join(sorted(KNOWN))}",
                             file=str(p))
        if not isinstance(values, dict):
            raise InputError(f"[{section}] must be a table", file=str(p))
        known = KNOWN[section]
        unknown = [] if known is None else sorted(set(values) - known)
        if unknown:
            raise InputError(f"unknown key(s) {', '.join(unknown)} in [{section}]", file=str(p),
                             field=unknown[0])
    g = data.get("gazetteer", {})
    base = p.parent

    def _path(v: Any, fld: str) -> Path:
        if not isinstance(v, str):
            raise InputError(f"expected a path (text), got {v!r}", file=str(p), field=fld)
        q = Path(v).expanduser()
        return q if q.is_absolute() else base / q

    overlays = g.get("overlays", [])
    if not isinstance(overlays, list):
        raise InputError("expected a list of files", file=str(p), field="overlays")
    focus = g.get("focus", [])
    if isinstance(focus, str):
        focus = [focus]
    return Config(
        path=p,
        index=_path(g["index"], "index") if "index" in g else None,
        overlays=[_path(o, "overlays") for o in overlays],
        focus=[str(f) for f in focus],
        online=dict(data.get("online", {})),
        columns={str(k): str(v) for k, v in data.get("columns", {}).items()},
        dayfirst=_bool(data.get("tables", {}).get("dayfirst"), p),
    )


def _bool(v: Any, p: Path) -> bool | None:
    if v is None or isinstance(v, bool):
        return v
    raise InputError(f"expected true or false, got {v!r}", file=str(p), field="dayfirst")
