"""Every input row is accounted for, whatever the file's size and whatever its cells: a
generated 200,000-row ACLED file (over 16 MB) holding each kind of bad cell and an unclosed
quote; rows in = rows out + rejections, each rejection with file, line, field and reason."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from geoevents.tables import read_table

HEAD = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,"
        "country,iso,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities")

#: (column, bad value, field named, words of the reason); None: the row is kept.
BAD = [
    ("fatalities", "2.5", "fatalities", "not a whole number"),
    ("fatalities", "99999999999999999999", "fatalities", "larger than any recorded"),
    ("fatalities", "9223372036854775808", "fatalities", "larger than any recorded"),
    ("fatalities", "3000000000", "fatalities", "larger than any recorded"),
    ("fatalities", "-3", "fatalities", "negative"),
    ("fatalities", "a dozen", "fatalities", "not a number"),
    ("fatalities", "inf", "fatalities", "not a number"),
    ("latitude", "abc", "latitude", "'abc' is not a number"),
    ("latitude", "95", "latitude", "outside -90..90"),
    ("latitude", "", "latitude", "no latitude"),
    ("longitude", "nan", "longitude", "'nan' is not a number"),
    ("event_date", "31/02/2018x", "event_date", "not a date"),
    ("event_date", "2099-01-05", "date_start", "in the future"),
    ("geo_precision", "7", "geo_precision", "not 1, 2 or 3"),
    ("event_type", "Picnic", "event_type", "not an ACLED event type"),
]
COLS = HEAD.split(",")


def _row(i: int) -> list[str]:
    return [f"SYR{i}", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", "2021", "1", "Battles",
            "Armed clash", "Islamic State", "Military Forces of Syria", "Syria", "760",
            "Deir ez-Zor", f"Place {i % 997}", f"{35 + (i % 1000) / 1000:.3f}",
            f"{40 + (i % 700) / 1000:.3f}", str(1 + i % 3), "SOHR; AFP",
            "Clashes near the river; several killed", str(i % 7)]


def _make(path: Path, n: int, seed: int = 12) -> dict[int, tuple[str, str]]:
    """Write the file; returns {line: (field, reason words)} of the rows that must be
    rejected."""
    rnd = random.Random(seed)
    bad_at = sorted(rnd.sample(range(100, n - 10), 300))
    quote_line = bad_at.pop(len(bad_at) // 2)  # an unclosed quote in the middle of the file
    expect: dict[int, tuple[str, str]] = {}
    lines = [HEAD]
    kinds = {}
    for k, i in enumerate(bad_at):
        kinds[i] = BAD[k % len(BAD)]
    for i in range(n):
        line = i + 2
        r = _row(i)
        if i in kinds:
            col, value, fld, words = kinds[i]
            r[COLS.index(col)] = value
            expect[line] = (fld, words)
        text = ",".join(r)
        if i == quote_line:
            text = text.replace("Clashes near", '"Clashes near', 1)
            expect[line] = ("", "broken quote")
        lines.append(text)
    # the same id twice (the later row is rejected)
    dup = n - 5
    lines[dup + 1] = lines[dup + 1].replace(f"SYR{dup},", "SYR7,", 1)
    expect[dup + 2] = ("id", "duplicate id acled-SYR7")
    # a row with a missing field
    short = n - 3
    lines[short + 1] = lines[short + 1].rsplit(",", 1)[0]
    expect[short + 2] = ("", "field(s) where the header has")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return expect


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    p = tmp_path_factory.mktemp("bad") / "acled_200k.csv"
    expect = _make(p, 200_000)
    return p, expect


def test_every_row_is_read_or_rejected_in_a_large_file(big):
    p, expect = big
    assert p.stat().st_size > 16 * 2**20
    res = read_table(p)
    assert res.rows == 200_000
    assert len(res.frame) + len(res.rejections) == 200_000
    got = {r.line: r for r in res.rejections}
    assert set(got) == set(expect)
    for line, (fld, words) in expect.items():
        r = got[line]
        assert r.file == str(p)
        assert (r.field or "") == fld, (line, r)
        assert words in r.reason, (line, r)
    # the rows right after the quote are read, with their own ids
    kept = set(res.frame["id"])
    quote = next(ln for ln, (f, w) in expect.items() if w == "broken quote")
    assert f"acled-SYR{quote - 1}" in kept and f"acled-SYR{quote + 2}" not in got


def test_bad_cells_reject_their_row_in_every_command(big, tmp_path, cli):
    """No traceback and no refused file: export writes the good rows, names the rest."""
    p, expect = big
    out = tmp_path / "out.csv"
    proc = cli("export", str(p), "-o", str(out), timeout=600)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    n = 200_000 - len(expect)
    assert f"{n:,} of 200,000 rows read; {len(expect)} rejected" in proc.stderr
    assert sum(1 for _ in out.open(encoding="utf-8")) == n + 1
    assert proc.stderr.count("not exported:") == 5


@pytest.mark.parametrize("encoding", ["latin-1", "cp1256"])
def test_legacy_encodings_are_read_with_a_warning(tmp_path, encoding, capsys):
    from geoevents.cli import main

    place = "Alep près de la citadelle" if encoding == "latin-1" else "حلب"
    text = HEAD + "\n" + ",".join([*_row(1)[:11], place, *_row(1)[12:]]) + "\n"
    p = tmp_path / "legacy.csv"
    p.write_bytes(text.encode(encoding))
    res = read_table(p)
    assert res.frame["place"].iloc[0] == place
    assert res.warnings and "not UTF-8" in res.warnings[0]
    assert main(["export", str(p), "-o", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "not UTF-8" in err and str(p) in err
