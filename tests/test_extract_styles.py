"""The extractor on reporting it was not shaped on: a monitor statement, a wire brief with two
events, a second outlet's report of the same bombing, an outlet named like a town, Arabic
script, an HTML page, an article without a date.  (Test articles in tests/data/articles were
written for these tests: real places, fictional events.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geoevents.extract import extract_files, extract_text, load_meta

from .geo import km

ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.fixture(scope="module")
def meta():
    return load_meta(ARTICLES / "meta.yaml")


def _extract(gz, meta, *names: str, merge: bool = True):
    return extract_files([str(ARTICLES / n) for n in names], gz, meta=meta, merge=merge)


def test_monitor_statement(gz, meta):
    ex = _extract(gz, meta, "monitor_statement.txt")
    assert len(ex.incidents) == 1
    inc = ex.incidents[0]
    # "on Tuesday night" in a statement published on Wednesday 2019-03-06.
    assert inc.date.start == date(2019, 3, 5) and inc.date.precision == "day"
    assert km(inc.location.lat, inc.location.lon, 34.885, 38.871) < 5  # As Sukhnah
    assert inc.location.precision == 2  # "near Al-Sukhnah"
    assert inc.actor1 == "Islamic State" and inc.actor2 == "Syrian government forces"
    sides = inc.side_figures()
    assert sides["Syrian government forces"].best == 14
    assert sides["Islamic State"].best == 5  # "ISIS lost five members"
    assert inc.fatalities.best == 19
    assert all(c.source == "Syrian Observatory for Human Rights" for c in inc.casualties)
    # The tally since January and the Russian air strikes "in the Badia" are not incidents.
    reasons = [c.reason for c in ex.context if c.kind == "event"]
    assert any("tally" in r for r in reasons)


def test_wire_brief_two_events_and_a_dateline(gz, meta):
    ex = _extract(gz, meta, "wire_brief.txt")
    incs = sorted(ex.incidents, key=lambda i: i.date.start)
    assert len(incs) == 2
    drone, bomb = incs
    assert drone.date.start == date(2019, 4, 12)  # Friday before Sunday 14 April
    assert drone.sub_event_type == "Air/drone strike"
    assert "between Idlib and Saraqeb" in drone.location.written
    assert drone.location.precision >= 2
    assert drone.fatalities.best == 2
    assert bomb.date.start == date(2019, 4, 13)
    assert bomb.sub_event_type == "Remote explosive/landmine/IED"
    assert km(bomb.location.lat, bomb.location.lon, 36.587, 37.046) < 5  # Azaz, not Amman
    # "at least seven": low 7, and high either open or 7, never anything else
    assert bomb.fatalities.low == 7 and bomb.fatalities.high in (None, 7)
    assert bomb.wounded.best == 20
    assert any(c.reason.startswith("dateline") and c.text == "AMMAN" for c in ex.context)


def test_two_outlets_on_one_bombing_merge_and_keep_both_figures(gz, meta):
    ex = _extract(gz, meta, "wire_brief.txt", "second_report.txt")
    bombs = [i for i in ex.incidents if i.sub_event_type == "Remote explosive/landmine/IED"]
    assert len(bombs) == 1
    b = bombs[0]
    assert {s.outlet for s in b.sources} == {"Reuters", "The National"}
    assert (b.fatalities.low, b.fatalities.high) == (7, 8)
    assert {c.best for c in b.casualties if c.kind == "killed"} == {7, 8}
    assert (b.wounded.low, b.wounded.high) == (20, 23)
    assert b.actor1 == ""  # blamed by Turkey, denied by the SDF: no one is named as the attacker
    unmerged = _extract(gz, meta, "wire_brief.txt", "second_report.txt", merge=False)
    assert len(unmerged.incidents) == 3


def test_outlet_named_like_a_town_is_not_a_place(gz, meta):
    ex = _extract(gz, meta, "al_mayadeen_report.txt")
    assert len(ex.incidents) == 1
    inc = ex.incidents[0]
    assert km(inc.location.lat, inc.location.lon, 37.052, 41.231) < 5  # Qamishli
    assert inc.actor1 == "Turkish forces"
    assert inc.sub_event_type == "Air/drone strike"
    assert inc.figures_for("Syrian Democratic Forces").best == 4
    assert (inc.fatalities.low, inc.fatalities.high) == (4, 5)  # "put the toll at five"
    assert inc.date.start == date(2019, 10, 24)
    placed = {c.name for c in ex.context if c.kind == "place"}
    assert "Al Mayādīn" not in placed and inc.location.name != "Al Mayādīn"


def test_arabic_script_place(gz, meta):
    ex = _extract(gz, meta, "arabic_names.txt")
    assert len(ex.incidents) == 1
    inc = ex.incidents[0]
    assert inc.location.place_id == "geonames:173480"  # الميادين is Al Mayādīn
    assert inc.date.start == date(2019, 2, 10)
    assert inc.actor2 == "Civilians"
    assert inc.sub_event_type == "Shelling/artillery/missile attack"
    assert inc.fatalities.best == 2 and inc.wounded.best == 4
    # Raqqa is named for clashes the outlet does not date: not an incident.
    assert any("Raqqa" in c.text for c in ex.context if c.kind == "event")


def test_html_page(gz, meta):
    ex = _extract(gz, meta, "enab_baladi.html")
    assert len(ex.incidents) == 1
    inc = ex.incidents[0]
    assert inc.sources[0].outlet == "Enab Baladi"
    assert inc.sources[0].published == date(2019, 6, 13)  # from the page's metadata
    assert inc.sources[0].url.startswith("https://english.enabbaladi.net/")
    assert inc.date.start == date(2019, 6, 12)
    assert km(inc.location.lat, inc.location.lon, 35.614, 36.564) < 5  # Kafr Nabl
    assert inc.event_type == "Explosions/Remote violence"
    assert inc.fatalities.best == 3 and inc.wounded.best == 5
    # Scripts, navigation and the aside are not read; the photo caption is context.
    quotes = " ".join(c.quote for c in inc.casualties) + inc.notes
    assert "99" not in quotes and "alert" not in quotes
    caption = [c for c in ex.context if c.reason == "a photo caption"]
    assert caption and caption[0].name == "Ma‘arrat an Nu‘mān"
    assert not any("Raqqa" in (c.text + c.quote) for c in ex.context)


def test_no_publication_date_is_said_not_guessed(gz):
    ex = extract_files([str(ARTICLES / "undated.txt")], gz)
    assert len(ex.incidents) == 1
    inc = ex.incidents[0]
    assert inc.date.precision == "unknown" and inc.date.start is None
    assert any("no publication date" in m for m in ex.messages)
    # With a date, "on Wednesday" is resolved.
    ex2 = extract_files([str(ARTICLES / "undated.txt")], gz, published=date(2019, 1, 4))
    assert ex2.incidents[0].date.start == date(2019, 1, 2)


def test_relative_dates_against_the_publication_date(gz):
    text = ("Strike near Hajin\n\nAn air strike killed six civilians in Hajin earlier this week, "
            "residents said.")
    res = extract_text(text, gz, published=date(2018, 11, 22), outlet="Wire")
    inc = res.incidents[0]
    assert inc.date.precision == "week"
    assert (inc.date.start, inc.date.end) == (date(2018, 11, 19), date(2018, 11, 22))


def test_event_types_from_the_wording(gz):
    cases = {
        "Fighters clashed near Hajin on Monday, killing four, activists said.": "Battles",
        "Shelling hit Hajin on Monday, killing four civilians, activists said.":
            "Explosions/Remote violence",
        "An air strike hit Hajin on Monday, killing four, activists said.":
            "Explosions/Remote violence",
        "A helicopter crashed near Hajin on Monday, killing four crew members, officials said.":
            "Strategic developments",
        "Gunmen attacked a checkpoint in Hajin on Monday, killing four soldiers, activists said.":
            "Battles",
    }
    for text, et in cases.items():
        res = extract_text("Report\n\n" + text, gz, published=date(2019, 5, 8), outlet="W")
        assert [i.event_type for i in res.incidents] == [et], text


def test_html_saved_as_text_and_page_furniture(gz):
    from geoevents.extract.article import segment
    from geoevents.extract.reader import parse_document

    page = ("<!doctype html><html><head><title>T</title></head><body><nav>Home</nav>"
            "<h1>Clashes near Hajin</h1><p>Your support helps us tell the story. Donate now.</p>"
            "<p>Five fighters were killed in clashes near Hajin on Monday, activists said.</p>"
            "<footer>Copyright</footer></body></html>")
    doc = parse_document(page, "saved.txt")
    assert doc.html and doc.title == "Clashes near Hajin"
    kinds = {s.text: s.kind for s in segment(doc)}
    assert kinds["Your support helps us tell the story."] == "boilerplate"
    res = extract_text(page, gz, published=date(2019, 1, 9), outlet="W", name="saved.txt")
    assert [i.location.name for i in res.incidents] == ["Hajīn"]
    assert res.incidents[0].date.start == date(2019, 1, 7)


def test_a_name_the_story_calls_a_province_is_the_province(gz):
    """'in Homs' after 'the province of Homs' is the province; once the story also says 'Homs
    city', a bare 'in Homs' is the city again."""
    province = ("Attack in Homs\n\nGunmen attacked an army post in the province of Homs on "
                "Monday, activists said. A second attack killed three soldiers in Homs on "
                "Tuesday, the monitor said.")
    res = extract_text(province, gz, published=date(2018, 5, 24), outlet="W")
    tuesday = [i for i in res.incidents if i.date.start == date(2018, 5, 22)]
    assert len(tuesday) == 1 and tuesday[0].location.precision == 3
    city = province.replace("activists said.", "activists said, near Homs city.")
    res = extract_text(city, gz, published=date(2018, 5, 24), outlet="W")
    tuesday = [i for i in res.incidents if i.date.start == date(2018, 5, 22)]
    assert len(tuesday) == 1 and tuesday[0].location.precision == 1
    assert km(tuesday[0].location.lat, tuesday[0].location.lon, 34.727, 36.723) < 10
