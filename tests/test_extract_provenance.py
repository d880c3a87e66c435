"""Publication dates and outlets read from the report when --published / --meta do not say."""

from __future__ import annotations

from datetime import date

from geoevents.extract import extract_text
from geoevents.extract.provenance import byline_outlet, date_in, infer_published


def test_header_dates():
    assert date_in("Sunday, July 3, 2016") == date(2016, 7, 3)
    assert date_in("28 November 2016 14:04") == date(2016, 11, 28)
    assert date_in("2020-05-02 08:06:01") == date(2020, 5, 2)
    assert date_in("29.06.2017 - Update : 30.06.2017") == date(2017, 6, 29)
    assert date_in("22-Feb-2018") == date(2018, 2, 22)
    assert date_in("no date here, 2019") is None


def test_infer_published_prefers_the_header_then_the_address():
    d, how = infer_published(["Two killed in shelling", "11th May 2020, 15:26:08 UTC", "text"])
    assert d == date(2020, 5, 11) and "head of the report" in how
    d, how = infer_published(["Headline", "Body text without a date."],
                             "https://example.org/news/2015/05/24/some-story/")
    assert d == date(2015, 5, 24) and "address" in how
    # A dateline gives the day; the year comes from the address.
    d, _ = infer_published(["Headline", "BEIRUT, May 24 (Reuters) - Shelling killed two."],
                           "https://example.org/2015/05/story")
    assert d == date(2015, 5, 24)
    # A headline's date is the event's, not the publication's.
    assert infer_published(["The daily death toll of civilian victims in Syria on December 15, "
                            "2023", "Text."])[0] is None


def test_byline_outlets():
    assert byline_outlet(["Headline", "By AFP", "Text"]) == "AFP"
    assert byline_outlet(["KABUL, Afghanistan (AP) — A senior police official says"]) == "AP"
    assert byline_outlet(["BEIRUT (Reuters) - Syrian forces seized"]) == "Reuters"
    assert byline_outlet(["Text", "Source: SANA"]) == "SANA"
    assert byline_outlet(["Nothing here names an agency."]) == ""


def test_yesterday_without_a_publication_date_is_kept(gz):
    text = ("Two killed in shelling on Idlib town\n\nGovernment shelling killed two civilians in "
            "the town of Saraqeb yesterday, the Syrian Observatory for Human Rights said.\n")
    res = extract_text(text, gz, name="yesterday.txt")
    assert len(res.incidents) == 1
    inc = res.incidents[0]
    assert inc.date.precision == "unknown" and inc.fatalities.best == 2
    assert any("no publication date" in m for m in res.messages)


def test_inferred_date_and_byline_outlet_are_used_and_marked(gz):
    text = ("Two killed in shelling on Idlib town\n\nSunday, July 3, 2016\n\nBy AFP\n\n"
            "Government shelling killed two civilians in the town of Saraqeb yesterday, a "
            "monitor said.\n")
    res = extract_text(text, gz, name="shelling.txt")
    inc = res.incidents[0]
    assert inc.date.start == date(2016, 7, 2) and inc.date.precision == "day"
    assert "inferred" in inc.notes
    assert inc.sources[0].outlet == "AFP"
    # An explicit date wins.
    res = extract_text(text, gz, name="shelling.txt", published=date(2016, 7, 5))
    assert res.incidents[0].date.start == date(2016, 7, 4)


def test_an_address_dating_the_report_to_a_month_dates_its_undated_events(gz):
    # /2015/07/ and no day: "on Friday" cannot be resolved, but the event is within July 2015
    # or the week before it (the report may be of the first days of July).
    text = ("Villages retaken\n\nKurdish fighters captured the village of Tell Tamr from "
            "Islamic State on Friday, local sources said.\n")
    res = extract_text(text, gz, name="month.txt",
                       url="http://example.org/files/2015/07/kurds-retake-villages/")
    (inc,) = res.incidents
    assert (inc.date.start, inc.date.end) == (date(2015, 6, 25), date(2015, 7, 31))
    assert inc.date.known and not inc.date.given and inc.date.acled_time_precision == 3
    assert any("dates it to 2015-07" in m for m in res.messages)
    # Without the address: unknown, as before.
    (inc,) = extract_text(text, gz, name="month.txt").incidents
    assert inc.date.precision == "unknown"
