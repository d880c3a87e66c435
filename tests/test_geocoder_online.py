"""The geopy interface (offline) and the opt-in online fallback, against a real HTTP server on
127.0.0.1 that speaks Nominatim's search JSON (geopy pointed at it by its domain/scheme; nothing
of geopy is patched)."""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from gazetteer import Context, Gazetteer
from gazetteer.geocoder import OfflineGeocoder
from gazetteer.online import OnlineFallback, OnlineSettings

from .geo import km

ZZYZX = {"place_id": 4242, "osm_type": "node", "osm_id": 99887766, "lat": "35.1234",
         "lon": "40.5678", "class": "place", "type": "village", "place_rank": 19,
         "name": "Zzyzx Qaryah", "display_name": "Zzyzx Qaryah, Deir ez-Zor, Syria",
         "address": {"village": "Zzyzx Qaryah", "state": "Deir ez-Zor", "country": "Syria",
                     "country_code": "sy"}}


class FakeNominatim:
    """A Nominatim look-alike: /search?q=...&format=json; records every request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, list[str]]] = []
        self.user_agents: list[str] = []
        self.times: list[float] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                u = urlsplit(self.path)
                qs = parse_qs(u.query)
                outer.requests.append(qs)
                outer.user_agents.append(self.headers.get("User-Agent", ""))
                outer.times.append(time.monotonic())
                q = (qs.get("q") or [""])[0]
                if u.path != "/search":
                    self.send_error(404)
                    return
                if q.startswith("Slow"):
                    time.sleep(0.8)
                    body: object = []
                elif q.startswith("Busy"):
                    self.send_response(429)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error": "Too many requests"}')
                    return
                elif q.startswith("Broken"):
                    self.send_response(502)
                    self.end_headers()
                    self.wfile.write(b"bad gateway")
                    return
                elif q.startswith("Zzyzx"):
                    body = [ZZYZX]
                else:
                    body = []
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (time-out test)
                    self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def queries(self) -> list[str]:
        return [(r.get("q") or [""])[0] for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def nominatim():
    srv = FakeNominatim()
    yield srv
    srv.close()


def _online(url: str, tmp_path, delay: float = 0.0, timeout: float = 5.0) -> OnlineFallback:
    return OnlineFallback(OnlineSettings(enabled=True, url=url, user_agent="geoevents-tests/1",
                                         min_delay_seconds=delay, timeout=timeout,
                                         cache=tmp_path / "online-cache.sqlite"))


# ------------------------------------------------------------------ geopy / geopandas


def test_geopandas_geocode_works_offline_with_our_geocoder(gz, monkeypatch):
    import geopandas

    guard: list[tuple] = []

    def no_network(self, address, *a, **k):
        guard.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    names = ["Mayadeen", "Deir ez-Zor province", "20 km west of Palmyra", "Xqzwvbnm Kjhg"]
    frame = geopandas.tools.geocode(names, provider=OfflineGeocoder, focus=["SY"],
                                    gazetteer=gz)
    assert guard == []  # no request left the machine
    assert len(frame) == 4 and frame.crs.to_epsg() == 4326
    p = frame.geometry.iloc[0]
    assert km(p.y, p.x, 35.01982, 40.45154) < 5
    assert "Al Mayādīn" in frame["address"].iloc[0]
    assert frame.geometry.iloc[3].is_empty  # unknown: an empty point, not a guess


def test_geocoder_interface_and_raw_fields(gz):
    from geopy.location import Location

    g = OfflineGeocoder(gazetteer=gz)
    loc = g.geocode("Hajin", country_codes="SY")
    assert isinstance(loc, Location)
    assert loc.raw["id"] == "geonames:174506" and loc.raw["precision"] == 1
    assert loc.raw["match"] in ("exact", "alias", "normalised") and 0 < loc.raw["confidence"] <= 1
    assert km(loc.latitude, loc.longitude, 34.69508, 40.83088) < 5
    many = g.geocode("Palmyra", exactly_one=False)
    assert isinstance(many, list) and len(many) >= 2
    assert {m.raw["status"] for m in many} == {"ambiguous"}
    assert OfflineGeocoder(gazetteer=gz, strict=True).geocode("Palmyra") is None
    assert g.geocode("Xqzwvbnm Kjhg") is None


# ------------------------------------------------------------------ online fallback


def test_offline_by_default_no_request_leaves_the_machine(gz, nominatim, monkeypatch):
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(self, address, *a, **k):
        attempts.append(address)
        return real_connect(self, address, *a, **k)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for name in ["Zzyzx Qaryah", "Xqzwvbnm Kjhg", "Mayadeen"]:
        gz.resolve(name, Context(countries=("SY",)))
    gz.resolve_many(["Zzyzx Qaryah", "Qwerty Uiop"])
    gz.resolve_document(["Zzyzx Qaryah", "Hajin"])
    assert attempts == [] and nominatim.requests == []


def test_online_answers_are_marked_cached_and_never_outrank_offline(gz, nominatim, tmp_path):
    online = _online(nominatim.url, tmp_path)
    g = Gazetteer(gz.index_path, online=online, verbose=False)
    r = g.resolve("Zzyzx Qaryah", Context(countries=("SY",)))
    assert r.status == "resolved" and r.match == "online"
    assert r.place.source == "online:nominatim" and r.confidence <= 0.6
    assert (r.lat, r.lon) == (35.1234, 40.5678) and r.place.country == "SY"
    assert "online" in r.reason
    req = nominatim.requests[0]
    assert req["countrycodes"] == ["sy"] and req["format"] == ["json"]
    assert nominatim.user_agents[0] == "geoevents-tests/1"
    # the same name again, and in a new Gazetteer: from the disk cache, never asked twice
    r2 = g.resolve("Zzyzx Qaryah", Context(countries=("SY",)))
    g2 = Gazetteer(gz.index_path, online=_online(nominatim.url, tmp_path), verbose=False)
    r3 = g2.resolve("Zzyzx Qaryah", Context(countries=("SY",)))
    assert r2.match == r3.match == "online" and "cache" in r3.reason
    assert nominatim.queries().count("Zzyzx Qaryah") == 1
    # "no result" is cached too
    assert g.resolve("Nothing Here Qq").status == "unresolved"
    assert g2.resolve("Nothing Here Qq").status == "unresolved"
    assert nominatim.queries().count("Nothing Here Qq") == 1
    # names the offline gazetteer answers never go online
    for name in ["Mayadeen", "Deir ez-Zor province", "20 km west of Palmyra"]:
        assert g.resolve(name, Context(countries=("SY",))).match != "online"
    assert not {"Mayadeen", "Deir ez-Zor province"} & set(nominatim.queries())
    g.close()
    g2.close()


def test_rate_limit_one_request_per_second(gz, nominatim, tmp_path):
    online = _online(nominatim.url, tmp_path, delay=1.0)
    g = Gazetteer(gz.index_path, online=online, verbose=False)
    for name in ["Qqzxw Aaa", "Qqzxw Bbb", "Qqzxw Ccc"]:
        g.resolve(name)
    t = nominatim.times
    assert len(t) == 3
    assert min(b - a for a, b in itertools.pairwise(t)) >= 0.95
    g.close()


def test_failures_are_clear_messages_not_tracebacks(gz, nominatim, tmp_path):
    online = _online(nominatim.url, tmp_path, timeout=0.5)
    g = Gazetteer(gz.index_path, online=online, verbose=False)
    slow = g.resolve("Slow Qaryah")
    assert slow.status == "unresolved" and "did not answer within 0.5 s" in slow.reason
    busy = g.resolve("Busy Qaryah")
    assert busy.status == "unresolved" and "429" in busy.reason
    broken = g.resolve("Broken Qaryah")
    assert broken.status == "unresolved" and "failed" in broken.reason and "502" in broken.reason
    none = g.resolve("Empty Qaryah")
    assert "no result online" in none.reason
    # failures are not cached: asked again next time
    g.resolve("Busy Qaryah")
    assert nominatim.queries().count("Busy Qaryah") == 2
    g.close()
    down = Gazetteer(gz.index_path, online=_online("http://127.0.0.1:9", tmp_path),
                     verbose=False)
    r = down.resolve("Zzyzx Qaryah")
    assert r.status == "unresolved" and "unavailable" in r.reason
    down.close()


def test_cli_online_flag_and_config(cli, nominatim, tmp_path):
    cfg = tmp_path / "config.toml"
    cache = tmp_path / "cache.sqlite"
    cfg.write_text(f'[online]\nenabled = false\nurl = "{nominatim.url}"\n'
                   f'user_agent = "geoevents-cli-test"\ncache = "{cache}"\n'
                   "min_delay_seconds = 0\n", encoding="utf-8")
    r = cli("resolve", "Zzyzx Qaryah", "--focus", "SY", "--json", "--config", str(cfg))
    assert r.returncode == 1 and nominatim.requests == []  # off: nothing asked
    r = cli("resolve", "Zzyzx Qaryah", "--focus", "SY", "--json", "--online", "--config",
            str(cfg))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)[0]
    assert d["match"] == "online" and d["source"] == "online:nominatim"
    assert len(nominatim.requests) == 1
    cfg.write_text(cfg.read_text().replace("enabled = false", "enabled = true"))
    r = cli("resolve", "Zzyzx Qaryah", "Busy Town", "--focus", "SY", "--separately",
            "--config", str(cfg))
    assert r.returncode == 1
    assert "429" in r.stdout and "Traceback" not in r.stderr
    assert nominatim.queries().count("Zzyzx Qaryah") == 1  # cached from the last run
    r = cli("resolve", "Zzyzx Qaryah", "--offline", "--config", str(cfg))
    assert r.returncode == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[online]\nenabled = true\nprovider = "bing"\n', encoding="utf-8")
    r = cli("resolve", "Qqq Www", "--config", str(bad))
    assert r.returncode == 2 and "provider" in r.stderr and "Traceback" not in r.stderr
