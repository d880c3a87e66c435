"""Official statements: "its units", "our forces" are the issuing side; the side a statement
says its forces eliminated or drove out is the side losing the ground."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from geoevents.extract import extract_files, extract_text, load_meta

from .geo import km

REPORTS = Path(__file__).resolve().parents[1] / "data" / "examples" / "reports"


def test_our_forces_in_a_ministry_statement_regain_ground(gz):
    text = ("Statement of the Ministry of Defence\n\n"
            "Our forces, backed by allied fighters, have recaptured the town of Al-Qaryatayn in "
            "Homs province on Sunday after driving out Islamic State militants.\n")
    res = extract_text(text, gz, published=date(2016, 4, 4), outlet="Ministry of Defence")
    assert len(res.incidents) == 1
    inc = res.incidents[0]
    assert inc.sub_event_type == "Government regains territory"
    assert inc.actor1 == "Syrian government forces"
    assert inc.actor2 == "Islamic State"
    assert km(inc.location.lat, inc.location.lon, 34.229, 37.240) < 10


def test_a_groups_statement_is_that_groups_gain(gz):
    # The issuer is named in the heading: "our fighters" are that group's, not a government's.
    text = ("Statement of the Syrian Democratic Forces\n\n"
            "Our fighters took control of the town of Al-Qaryatayn in Homs province on Sunday "
            "after expelling Islamic State militants.\n")
    res = extract_text(text, gz, published=date(2016, 4, 4), outlet="press office")
    assert len(res.incidents) == 1
    inc = res.incidents[0]
    assert inc.sub_event_type == "Non-state actor overtakes territory"
    assert inc.actor1 == "Syrian Democratic Forces"
    assert inc.actor2 == "Islamic State"


def test_army_statement_example(gz):
    # "its units ... have regained control of the whole of Deir ez-Zor city ... after
    # eliminating the last gatherings of ISIS": the army gains, the Islamic State loses.
    meta = load_meta(REPORTS / "meta.yaml")
    ex = extract_files([str(REPORTS / "statement_deir_ez_zor.txt")], gz, meta=meta)
    assert len(ex.incidents) == 1
    inc = ex.incidents[0]
    assert inc.sub_event_type == "Government regains territory"
    assert inc.actor1 == "Syrian government forces"
    assert inc.actor2 == "Islamic State"
    assert inc.date.start == date(2017, 11, 3)
    assert km(inc.location.lat, inc.location.lon, 35.336, 40.141) < 10
