"""Opt-in online fallback: names the offline gazetteer cannot answer go to a geopy geocoder.

Off by default: nothing here runs, and no request leaves the machine, unless the user enables it
(``geoevents resolve --online`` or ``[online] enabled = true`` in the configuration file) and
builds an :class:`OnlineFallback`.  Then:

- the geocoder is geopy's ``Nominatim`` (the default ``provider``), with the user agent Nominatim's
  usage policy requires (``user_agent``), at most one request per second through geopy's
  ``RateLimiter`` (``min_delay_seconds``), and the server given by ``url`` (default
  https://nominatim.openstreetmap.org);
- every answer, including "no result", is cached on disk (SQLite, ``cache``; default
  ``<GEOEVENTS_HOME or user cache>/online-cache.sqlite``) so that the same name is never asked
  twice; failures (time-outs, HTTP 429, 5xx, an unreachable server) are not cached;
- failures come back as clear messages, never tracebacks;
- answers are marked (match ``online``, source ``online:nominatim``), capped in confidence and
  only used when the offline gazetteer has no answer: they never outrank an offline answer.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths
from .errors import GazetteerError
from .model import Place

DEFAULT_URL = "https://nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = "geoevents (offline-first gazetteer; https://pypi.org/project/geopy/)"
MAX_CONFIDENCE = 0.6


@dataclass(slots=True)
class OnlineSettings:
    enabled: bool = False
    provider: str = "nominatim"
    user_agent: str = DEFAULT_USER_AGENT
    url: str = DEFAULT_URL
    timeout: float = 10.0
    min_delay_seconds: float = 1.0
    cache: Path | None = None

    @classmethod
    def from_config(cls, section: dict[str, Any], *, enabled: bool | None = None
                    ) -> OnlineSettings:
        """From the ``[online]`` section of the configuration file (a dict)."""
        s = cls()
        for key, value in section.items():
            if key == "cache":
                s.cache = Path(str(value)).expanduser()
            elif key in ("timeout", "min_delay_seconds"):
                try:
                    setattr(s, key, float(value))
                except (TypeError, ValueError):
                    raise GazetteerError(f"[online] {key} must be a number, not {value!r}"
                                         ) from None
            elif key == "enabled":
                s.enabled = bool(value)
            else:
                setattr(s, key, str(value))
        if enabled is not None:
            s.enabled = enabled
        if s.provider != "nominatim":
            raise GazetteerError(f"[online] provider {s.provider!r} is not supported; "
                                 "supported: nominatim")
        if s.min_delay_seconds < 0 or s.timeout <= 0:
            raise GazetteerError("[online] timeout must be > 0 and min_delay_seconds >= 0")
        return s


@dataclass(slots=True)
class OnlineAnswer:
    status: str  # found | none | error
    place: Place | None = None
    message: str = ""
    cached: bool = False
    raw: dict[str, Any] | None = None


_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    provider TEXT NOT NULL, endpoint TEXT NOT NULL, query TEXT NOT NULL, countries TEXT NOT NULL,
    status TEXT NOT NULL, raw TEXT, fetched TEXT NOT NULL,
    PRIMARY KEY (provider, endpoint, query, countries)
)"""


class OnlineFallback:
    """A geocoder behind a rate limiter and a disk cache.  Built only when the user asks."""

    def __init__(self, settings: OnlineSettings) -> None:
        self.settings = settings
        self.cache_path = settings.cache or (paths.cache_dir() / "online-cache.sqlite")
        self._geocode = None
        self._con: sqlite3.Connection | None = None
        self.requests = 0  # requests actually sent (not answered by the cache)

    # ---------------------------------------------------------------- cache
    def _cache(self) -> sqlite3.Connection:
        if self._con is None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._con = sqlite3.connect(self.cache_path, check_same_thread=False)
                self._con.execute(_CACHE_SCHEMA)
                self._con.commit()
            except sqlite3.Error as exc:
                raise GazetteerError(f"{self.cache_path}: cannot use the online cache ({exc})"
                                     ) from None
        return self._con

    def _key(self, query: str, countries: tuple[str, ...]) -> tuple[str, str, str, str]:
        from .normalize import fold

        return (self.settings.provider, self.settings.url.rstrip("/"), fold(query),
                ",".join(sorted(c.lower() for c in countries)))

    def cached(self, query: str, countries: tuple[str, ...] = ()) -> OnlineAnswer | None:
        row = self._cache().execute(
            "SELECT status, raw FROM answers WHERE provider=? AND endpoint=? AND query=? AND "
            "countries=?", self._key(query, countries)).fetchone()
        if row is None:
            return None
        status, raw = row
        if status == "none":
            return OnlineAnswer("none", message=self._none_message(query), cached=True)
        data = json.loads(raw)
        return OnlineAnswer("found", place=self._place(data), cached=True, raw=data)

    def _store(self, query: str, countries: tuple[str, ...], status: str,
               raw: dict[str, Any] | None) -> None:
        con = self._cache()
        con.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?,?)",
                    (*self._key(query, countries), status,
                     json.dumps(raw, ensure_ascii=False) if raw is not None else None,
                     time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        con.commit()

    # ---------------------------------------------------------------- geocoder
    def _geocoder(self):
        if self._geocode is None:
            from urllib.parse import urlsplit

            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            u = urlsplit(self.settings.url if "://" in self.settings.url
                         else f"https://{self.settings.url}")
            if u.scheme not in ("http", "https") or not u.netloc:
                raise GazetteerError(f"[online] url {self.settings.url!r} is not an http(s) "
                                     "address")
            geocoder = Nominatim(user_agent=self.settings.user_agent,
                                 domain=(u.netloc + u.path).rstrip("/"), scheme=u.scheme,
                                 timeout=self.settings.timeout)
            self._geocode = RateLimiter(geocoder.geocode,
                                        min_delay_seconds=self.settings.min_delay_seconds,
                                        max_retries=0, swallow_exceptions=False)
        return self._geocode

    def _where(self) -> str:
        return f"{self.settings.provider} at {self.settings.url}"

    def _none_message(self, query: str) -> str:
        return f"no result online for {query!r} ({self._where()})"

    def lookup(self, query: str, countries: tuple[str, ...] = ()) -> OnlineAnswer:
        """The online answer for a name (from the cache when it was asked before)."""
        hit = self.cached(query, countries)
        if hit is not None:
            return hit
        from geopy import exc as gexc

        geocode = self._geocoder()
        self.requests += 1
        try:
            loc = geocode(query, exactly_one=True, addressdetails=True,
                          country_codes=[c.lower() for c in countries] or None)
        except gexc.GeocoderTimedOut:
            return self._timed_out()
        except gexc.GeocoderRateLimited as e:
            return OnlineAnswer("error", message=(
                f"the online geocoder ({self._where()}) refused: too many requests (HTTP 429)"
                + (f"; retry after {e.retry_after} s" if getattr(e, "retry_after", None) else "")
                + "; wait before asking again"))
        except gexc.GeocoderQuotaExceeded:
            return OnlineAnswer("error", message=(
                f"the online geocoder ({self._where()}) says the quota is exceeded"))
        except gexc.GeocoderInsufficientPrivileges:
            return OnlineAnswer("error", message=(
                f"the online geocoder ({self._where()}) refused the request (HTTP 401/403); "
                "check [online] user_agent (Nominatim requires one that identifies you)"))
        except gexc.GeocoderUnavailable as e:
            if "timed out" in str(e).lower() or "timeout" in str(e).lower():
                return self._timed_out()  # urllib3 retried the read, then gave up
            return OnlineAnswer("error", message=(
                f"the online geocoder ({self._where()}) is unavailable: {_short(e)}"))
        except gexc.GeocoderServiceError as e:
            return OnlineAnswer("error", message=(
                f"the online geocoder ({self._where()}) failed: {_short(e)}"))
        except (gexc.GeopyError, OSError, ValueError) as e:
            return OnlineAnswer("error", message=(
                f"the online geocoder ({self._where()}) failed: {_short(e)}"))
        if loc is None:
            self._store(query, countries, "none", None)
            return OnlineAnswer("none", message=self._none_message(query))
        raw = dict(loc.raw) if isinstance(loc.raw, dict) else {}
        raw.setdefault("lat", loc.latitude)
        raw.setdefault("lon", loc.longitude)
        raw.setdefault("display_name", loc.address)
        self._store(query, countries, "found", raw)
        return OnlineAnswer("found", place=self._place(raw), raw=raw)

    def _timed_out(self) -> OnlineAnswer:
        return OnlineAnswer("error", message=(
            f"the online geocoder ({self._where()}) did not answer within "
            f"{self.settings.timeout:g} s; try again later or raise [online] timeout"))

    def _place(self, raw: dict[str, Any]) -> Place:
        addr = raw.get("address") or {}
        display = str(raw.get("display_name") or raw.get("name") or "")
        name = str(raw.get("name") or display.split(",")[0]).strip() or display
        cls, typ = str(raw.get("class") or raw.get("category") or ""), str(raw.get("type") or "")
        try:
            rank = int(raw.get("place_rank") or 30)
        except (TypeError, ValueError):
            rank = 30
        if typ in ("country",) or rank <= 4:
            kind, precision = "country", 3
        elif cls == "boundary" or typ in ("state", "region", "province", "county") or rank <= 12:
            kind, precision = "region", 3
        elif cls == "place":
            kind, precision = "populated_place", 1
        else:
            kind, precision = "site", 1
        osm = f"{str(raw.get('osm_type') or '')[:1]}{raw.get('osm_id') or raw.get('place_id') or ''}"
        return Place(
            uid=f"online:{self.settings.provider}:{osm or name}", name=name,
            country=str(addr.get("country_code") or "").upper()[:2], admin1=None,
            lat=float(raw["lat"]), lon=float(raw["lon"]), kind=kind, precision=precision,
            population=0, feature_code=None, source=f"online:{self.settings.provider}",
            note=f"{display} (answered by {self._where()})")

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] or type(e).__name__
