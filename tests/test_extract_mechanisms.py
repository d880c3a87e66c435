"""The extractor's mechanisms on short articles written for these tests (real places, fictional
events): territorial change, roundups, revised and background figures, villages the gazetteer
lacks, purpose and background clauses, restatements."""

from __future__ import annotations

from datetime import date

import pytest

from geoevents.extract import extract_text

from .geo import km

PUB = date(2019, 3, 6)  # a Wednesday


def _incidents(gz, text: str, published: date | None = PUB):
    return extract_text(text, gz, published=published, name="test.txt").incidents


def test_territorial_change_in_the_schemas_form(gz):
    text = ("Army retakes town\n\nSyrian government forces recaptured the town of Saraqeb from "
            "rebels on Tuesday after two days of fighting, a monitor said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.event_type == "Battles" and inc.sub_event_type == "Government regains territory"
    assert inc.actor1 == "Syrian government forces" and inc.actor2
    assert inc.date.start == date(2019, 3, 5)
    assert km(inc.location.lat, inc.location.lon, 35.8645, 36.8059) < 5


def test_non_state_gains_and_villages_taken_without_casualties(gz):
    text = ("Kurdish fighters advance\n\nThe Syrian Democratic Forces took control of the "
            "villages of Abu Hamam and Kishma near Hajin on Monday, the group said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.sub_event_type == "Non-state actor overtakes territory"
    assert inc.actor1 == "Syrian Democratic Forces"
    assert inc.fatalities.best is None


def test_capture_of_people_and_purpose_are_not_territory(gz):
    text = ("Report\n\nThe militants captured 40 soldiers during the fighting in Palmyra on "
            "Tuesday. The army launched a campaign to recapture the city of Mosul.\n")
    incs = _incidents(gz, text)
    assert all(i.sub_event_type not in ("Government regains territory",
                                        "Non-state actor overtakes territory") for i in incs)


def test_roundup_one_incident_per_place_and_no_total_incident(gz):
    text = ("Strikes kill 9 in Idlib\n\nWarplanes on Tuesday struck villages in Idlib province, "
            "leaving at least 9 civilians dead, rescuers said. Russian jets killed four "
            "civilians in the town of Saraqeb and five in the town of Maarat al-Numan.\n")
    incs = _incidents(gz, text)
    figs = sorted(i.fatalities.best for i in incs)
    assert figs == [4, 5]
    assert all(i.date.start == date(2019, 3, 5) for i in incs)


def test_latest_figure_when_revised(gz):
    text = ("Toll rises\n\nAir strikes on Tuesday killed at least 21 civilians in the town of "
            "Saraqeb, a monitor said. The toll was later raised to 34 as rescuers pulled more "
            "bodies from the rubble.\n")
    (inc,) = _incidents(gz, text)
    assert inc.fatalities.best == 34
    assert "superseded" in inc.notes

    text2 = ("Toll\n\nAir strikes on Tuesday killed at least 53 civilians in the town of "
             "Saraqeb, a monitor said in a new toll. The monitor previously gave a toll of 34.\n")
    (inc2,) = _incidents(gz, text2)
    assert inc2.fatalities.best == 53


def test_village_the_gazetteer_lacks_placed_at_the_enclosing_place(gz):
    text = ("Shelling\n\nGovernment shelling on Tuesday killed three civilians in the village of "
            "Kafr Zzzyyqa in the Maarat al-Numan countryside, a monitor said.\n")
    (inc,) = _incidents(gz, text)
    assert "Kafr Zzzyyqa" in inc.location.written
    assert inc.location.precision in (2, 3)
    assert km(inc.location.lat, inc.location.lon, 35.6483, 36.6769) < 10
    assert "not in the gazetteer" in inc.location.note
    assert inc.location.country == "SY"


def test_near_keeps_precision_two(gz):
    text = ("Strikes\n\nRussian air strikes hit positions near Syria's Deir Ezzor on Tuesday, "
            "the ministry said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.location.precision == 2
    assert "near" in inc.location.written.lower()


def test_an_undated_event_is_in_the_week_up_to_the_report(gz):
    # News tells what is recent: the week up to the publication (ACLED time precision 2), said
    # so in the notes; no day is invented, and without a publication date it stays unknown.
    text = ("Clashes\n\nThe army fought Islamic State in the town of Al-Sukhnah, local sources "
            "said.\n")
    (inc,) = _incidents(gz, text)
    assert (inc.date.precision, inc.date.start, inc.date.end) == ("week", date(2019, 2, 28), PUB)
    assert inc.date.known and not inc.date.given and inc.date.acled_time_precision == 2
    assert "gives no date" in inc.notes and "within the week up to 2019-03-06" in inc.notes
    (inc,) = _incidents(gz, text, published=None)
    assert inc.date.precision == "unknown" and inc.date.start is None


def test_the_day_it_was_told_bounds_an_undated_event(gz):
    # "said yesterday" is when it was said, not when it happened: no day is invented, but the
    # event is in the week up to it.
    text = "Rebels captured the town of Kafr Nabl from government forces, activists said yesterday.\n"
    (inc,) = _incidents(gz, text)
    assert inc.date.precision == "week" and not inc.date.given
    assert (inc.date.start, inc.date.end) == (date(2019, 2, 27), date(2019, 3, 5))
    assert "told on 2019-03-05" in inc.notes
    text = "On Monday, the army said troops killed 14 militants in the town of Al-Sukhnah.\n"
    (inc,) = _incidents(gz, text)
    assert inc.date.precision == "week" and inc.date.end == date(2019, 3, 4)


def test_a_toll_before_the_date_makes_it_the_events(gz):
    # "claimed 12 lives overnight, a monitor said": the raids' night, not the saying.
    text = ("Of the 30 civilians killed, most were in Saraqib, where air raids claimed 12 lives "
            "overnight, a monitor said.\n")
    (inc,) = _incidents(gz, text)
    assert (inc.date.start, inc.date.end, inc.date.text) == (date(2019, 3, 5), PUB, "overnight")
    assert inc.fatalities.best == 12


def test_a_period_ending_on_publication_then_a_day_within_it(gz):
    text = ("Air strikes killed dozens of civilians in Idlib province in the past 36 hours, "
            "rescuers said.\n\nOn Tuesday, air strikes killed 11 civilians in the town of "
            "Saraqib, the rescuers said.\n")
    incs = _incidents(gz, text)
    period = [i for i in incs if i.date.text == "in the past 36 hours"]
    day = [i for i in incs if i.date.text == "Tuesday"]
    assert period and period[0].date.precision == "range"
    assert (period[0].date.start, period[0].date.end) == (date(2019, 3, 4), PUB)
    assert day and day[0].date.start == date(2019, 3, 5) and day[0].fatalities.best == 11
    text = "The army seized three villages near Khan Shaykhun over the weekend, a source said.\n"
    (inc,) = _incidents(gz, text)
    assert (inc.date.start, inc.date.end) == (date(2019, 3, 2), date(2019, 3, 3))


def test_also_at_another_place_is_on_the_day_of_the_one_before(gz):
    first = ("Coalition air strikes destroyed a weapons depot near the town of Al-Sukhnah on "
             "Tuesday, the coalition said.\n\n")
    also = _incidents(gz, first + "One strike near Palmyra also destroyed a vehicle.\n")
    alone = _incidents(gz, first + "One strike near Palmyra destroyed a vehicle.\n")
    (p,) = [i for i in also if i.location.name == "Palmyra"]
    assert (p.date.start, p.date.precision) == (date(2019, 3, 5), "day")
    (q,) = [i for i in alone if i.location.name == "Palmyra"]
    assert not q.date.given  # without "also", nothing says it was that day


def test_an_item_of_a_list_goes_on_with_the_account_before(gz):
    head = ("Coalition air strikes destroyed a weapons depot near the town of Al-Sukhnah on "
            "Tuesday, the coalition said. The other strikes included:\n\n")
    item = _incidents(gz, head + "  • Near Palmyra, one strike destroyed a vehicle.\n")
    para = _incidents(gz, head + "Near Palmyra, one strike destroyed a vehicle.\n")
    (p,) = [i for i in item if i.location.name == "Palmyra"]
    assert (p.date.start, p.date.precision) == (date(2019, 3, 5), "day")
    (q,) = [i for i in para if i.location.name == "Palmyra"]
    assert not q.date.given  # a paragraph of its own: another section


def test_the_day_before_an_event_noun_dates_it(gz):
    # "said the Monday night assault ...": the assault's day, not the saying's.
    text = ("Gunmen stormed a police checkpoint in the town of Al-Sukhnah, killing three "
            "policemen, an official said.\n\nThe official said the Monday night assault on the "
            "checkpoint lasted two hours.\n")
    (inc,) = _incidents(gz, text)
    assert (inc.date.start, inc.date.precision) == (date(2019, 3, 4), "day")
    assert inc.fatalities.best == 3


def test_a_restatement_is_the_same_incident(gz):
    text = ("Town falls\n\nSyrian forces seized the town of Ariha on Tuesday, a monitor said. "
            "Loyalist forces stormed and captured Ariha under the cover of artillery, the "
            "monitor added.\n")
    incs = _incidents(gz, text)
    assert len(incs) == 1


def test_second_bombing_is_another_incident_the_same_day(gz):
    text = ("Bombings\n\nA car bomb killed 12 people in the town of Tal Afar on Tuesday, police "
            "said. In the second bombing in Mosul, an explosive device killed three people.\n")
    incs = _incidents(gz, text)
    assert sorted(i.fatalities.best for i in incs) == [3, 12]
    assert all(i.date.start == date(2019, 3, 5) for i in incs)


@pytest.mark.parametrize("sentence", [
    "Rebels had blockaded the bases for six months, before they were pushed back in April 2013.",
    "Since their defeat, sleeper cells have carried out attacks against the army.",
])
def test_background_sentences_are_not_incidents(gz, sentence):
    text = f"Background\n\n{sentence}\n"
    assert _incidents(gz, text) == []


def test_background_paragraph_goes_on_with_an_earlier_date(gz):
    text = ("Report\n\nArmy shelling killed two civilians in the town of Saraqeb on Tuesday, a "
            "monitor said. Rebels captured the town of Ariha in January 2018. They also took "
            "control of the town of Jisr al-Shughur.\n")
    incs = _incidents(gz, text)
    assert [i.location.name for i in incs] == ["Saraqib"]


def test_carried_out_is_not_reporting(gz):
    text = ("Strikes\n\nOn Tuesday night, Turkish aircraft carried out airstrikes on many points "
            "in Afrin, the statement added.\n")
    (inc,) = _incidents(gz, text)
    assert inc.date.start == date(2019, 3, 5)


def test_roundup_sections_by_heading_and_by_place_frame(gz):
    # Fictional events at real places: a statement's sections under place headings, and a
    # paragraph framed "In <place>, ..." after an undated one: each is its own incident.
    text = ("Army advances\n\nFour villages were liberated during the past hours by the Syrian "
            "Arab Army in the countryside of Idlib, regaining control over the villages of "
            "Zzyqa and Wwqar near Saraqeb.\n\nAleppo\n\nArmy units regained control over the "
            "villages of Qqzzar and Yyzzun in the southern countryside of Aleppo.\n\n"
            "In Hama countryside, government forces shelled the town of Kafr Zita, killing a "
            "man.\n")
    incs = _incidents(gz, text)
    assert len(incs) == 3
    assert len({i.location.place_id for i in incs}) == 3
    kz = [i for i in incs if i.event_type == "Explosions/Remote violence"]
    assert len(kz) == 1 and kz[0].fatalities.best == 1
    assert km(kz[0].location.lat, kz[0].location.lon, 35.3747, 36.6003) < 10
    terr = [i for i in incs if i.sub_event_type == "Government regains territory"]
    assert len(terr) == 2 and all(i.actor1 == "Syrian government forces" for i in terr)


def test_a_small_namesake_abroad_is_a_village_the_gazetteer_lacks(gz):
    # "Heya" is also a name of The Hague: in a report on Hasakah it is a village there.
    text = ("Kurdish fighters advance\n\nKurdish fighters took control of the village of Heya "
            "south of Hasakah city in Syria on Tuesday, a monitor said. The monitor is based "
            "in Britain.\n")
    (inc,) = extract_text(text, gz, published=PUB, name="test.txt").incidents
    assert inc.location.country == "SY"
    assert km(inc.location.lat, inc.location.lon, 36.502, 40.748) < 15
    # Without any country named, the region given in --meta tells.
    text = ("Kurdish fighters advance\n\nKurdish fighters took control of the village of Heya "
            "south of Hasakah city on Tuesday, the group said.\n")
    (inc,) = extract_text(text, gz, published=PUB, name="test.txt", region="Syria").incidents
    assert inc.location.country == "SY"


def test_a_participle_after_the_territory_it_took():
    from geoevents.extract.events.analysis import _triggers

    found, _hyp = _triggers("The dam is among the positions retaken from the Peshmerga.")
    assert [t.rule.sub_event_type for t in found] == ["Government regains territory"]
    found, _hyp = _triggers("The weapons retaken from the group were destroyed.")
    assert found == []


def test_aircraft_that_carried_out_raids_is_an_air_strike(gz):
    text = ("Raids\n\nOn Tuesday, government warplanes carried out several raids on the town of "
            "Saraqeb, activists said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.sub_event_type == "Air/drone strike"


def test_similar_attacks_before_are_background_and_a_possessive_day_dates(gz):
    text = ("Attack on a village\n\nGunmen attacked the town of Tal Afar, killing 11 people, "
            "police said. The officials said Tuesday's attack was carried out by the group. "
            "The town has previously been subjected to similar attacks that killed dozens of "
            "civilians.\n")
    (inc,) = _incidents(gz, text)
    assert inc.fatalities.best == 11
    assert inc.date.start == date(2019, 3, 5)


def test_a_district_with_its_own_toll_is_its_own_incident(gz):
    # "claimed 17 lives" is a toll; "in Zzyqat, where" names a place the gazetteer lacks; in a
    # report of air strikes the raids are air raids; a toll of its own is not a restatement.
    text = ("Air strikes on Aleppo\n\nAir strikes killed at least 12 civilians in Aleppo on "
            "Tuesday, a monitor said. Of the 29 civilians killed, the highest number of dead "
            "were in Zzyqat, where Russian raids claimed 17 lives overnight.\n")
    incs = _incidents(gz, text)
    assert sorted(i.fatalities.best for i in incs) == [12, 17]
    assert all(i.sub_event_type == "Air/drone strike" for i in incs)
    (z,) = [i for i in incs if i.fatalities.best == 17]
    assert "Zzyqat" in z.location.written and z.location.precision == 2


def test_the_capture_of_a_town_announced_and_one_still_imminent(gz):
    text = ("Town taken\n\nThe Syrian Democratic Forces announced on Tuesday the capture of "
            "Tabqa from the Islamic State group.\n")
    (inc,) = _incidents(gz, text)
    assert inc.sub_event_type == "Non-state actor overtakes territory"
    text = ("Battle\n\nThe SDF said on Tuesday that the liberation of Tabqa, where its fighters "
            "are battling the Islamic State group, is imminent.\n")
    assert all(i.event_type != "Battles" or "territory" not in i.sub_event_type
               for i in _incidents(gz, text))


def test_a_monitors_long_sentence_event_then_running_total(gz):
    text = ("Raqqa\n\nThe monitor said on Tuesday that warplanes continue bombing areas in the "
            "city of Raqqa, in conjunction with clashes in the vicinity of its centre, and the "
            "airstrikes on the city have caused the death and injury of tens of civilians, "
            "about 12 of them -including 2 children- were confirmed dead, and the death toll "
            "is expected to rise, which raises to 801 at least the number of civilians killed "
            "and documented by the monitor in the city and its countryside from the 5th of "
            "June 2017 to the 24th of August 2017.\n")
    incs = _incidents(gz, text)
    assert [i.fatalities.best for i in incs if i.event_type == "Explosions/Remote violence"] \
        == [12]
    assert all(i.fatalities.best != 801 for i in incs)


def test_a_road_named_by_its_ends_and_an_earlier_event_the_same_day(gz):
    text = ("Attacks\n\nGunmen shot dead on Tuesday six fighters on the road which connects "
            "Deir ez-Zor and Hasakah, a monitor said. Earlier on Tuesday, gunmen killed a "
            "fighter in the town of Zzyqat, west of Deir ez-Zor, the monitor said. Deir ez-Zor "
            "has seen many such attacks.\n")
    incs = _incidents(gz, text)
    assert sorted(i.fatalities.best for i in incs) == [1, 6]
    (road,) = [i for i in incs if i.fatalities.best == 6]
    assert road.location.written.startswith("the road which connects")
    assert road.location.precision == 2
    assert km(road.location.lat, road.location.lon, 35.336, 40.141) < 10  # Deir ez-Zor
    assert all(i.date.start == date(2019, 3, 5) for i in incs)


def test_taken_from_a_state_by_unnamed_rebels_and_a_road_gives_way_to_the_town(gz):
    text = ("Rebels take town\n\nIslamist rebels have retaken a town from government forces "
            "on Tuesday along the main highway linking Damascus to the northern city of Aleppo, "
            "activists said. Rebels killed 18 soldiers in the fight for the town of Saraqeb.\n")
    (inc,) = _incidents(gz, text)
    assert inc.sub_event_type == "Non-state actor overtakes territory"
    assert km(inc.location.lat, inc.location.lon, 35.8645, 36.8059) < 5  # Saraqeb


def test_neighbour_named_only_by_demonym_does_not_take_the_villages(gz):
    # "Turkish border", "Russian jets", a capital as a government: the report is about Syria;
    # a village named like another country's place (or a city's old name) is a village of
    # Syria the gazetteer lacks, placed at what the report names around it.
    text = ("Jets kill civilians in Idlib\n\nRussian jets on Tuesday struck villages in Idlib, "
            "Syria, near the Turkish border. Russian jets killed four civilians in the village "
            "of Al-Bara and six in the village of Kafr Nubl, rescuers said. In the village of "
            "Bara, the jets also hit a bakery. Since Moscow and Ankara agreed a truce, hundreds "
            "of civilians have been killed near the Turkish border.\n")
    incs = _incidents(gz, text)
    assert incs
    assert {i.location.country for i in incs} == {"SY"}
    bara = [i for i in incs if "Bara" in i.location.written]
    assert len(bara) == 1 and bara[0].fatalities.best == 4  # "Bara" restates "Al-Bara"
    assert km(bara[0].location.lat, bara[0].location.lon, 35.93, 36.63) < 60


def test_demonyms_alone_still_give_the_focus(gz):
    text = ("Forces advance\n\nIraqi forces on Tuesday recaptured the town of Tal Afar west of "
            "Mosul from Islamic State militants, an Iraqi commander said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.location.country == "IQ"


def test_a_date_after_said_that_is_the_reported_events(gz):
    text = ("Base attacked\n\nGunmen killed a soldier in the town of Saraqeb on Tuesday, a "
            "monitor said. Moreover, the monitor said that on Monday unidentified gunmen "
            "targeted an army checkpoint in Maarat al-Numan.\n")
    incs = _incidents(gz, text)
    assert sorted(i.date.start for i in incs) == [date(2019, 3, 4), date(2019, 3, 5)]


def test_a_comparison_since_is_not_a_tally_and_its_date_is_not_the_events(gz):
    text = ("Jihadists storm prison\n\nMilitants attacked the central prison of Hasakah on "
            "Monday night, the group's biggest attack in Syria since its defeat in 2019, "
            "officials said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.date.start == date(2019, 3, 4)
    text = ("Strikes intensify\n\nThe last two days have seen the heaviest air strikes since "
            "the army began its offensive on Daraa, Suwayda and Quneitra on February 20, "
            "activists said.\n")
    assert not [i for i in _incidents(gz, text) if i.date.known and
                i.date.start == date(2019, 2, 20)]


def test_a_day_earlier_and_throughout_the_day_are_one_days_events(gz):
    from geoevents.extract import lexicon

    text = ("Toll\n\nAir strikes hit the town of Saraqeb on Tuesday, rescuers said. Official "
            "statistics from a day earlier, however, reported 12 civilians killed on Monday in "
            "Maarat al-Numan.\n")
    incs = _incidents(gz, text)
    assert any(i.fatalities.best == 12 and i.date.start == date(2019, 3, 4) for i in incs)
    assert not lexicon.AGGREGATE.search("Shelling went on throughout the day on Tuesday.")
    assert lexicon.AGGREGATE.search("Shelling went on throughout the week.")
    assert lexicon.AGGREGATE.search("Jets strike twice a day.")


def test_namesakes_the_gazetteer_cannot_tell_apart_the_one_spelt_as_written(gz):
    text = ("Missile strike\n\nA Russian missile strike on the eastern Ukrainian city of "
            "Sloviansk killed five people on Friday, the governor said.\n")
    (inc,) = _incidents(gz, text, published=date(2023, 4, 15))
    assert km(inc.location.lat, inc.location.lon, 48.85, 37.60) < 10


def test_villages_named_like_cities_abroad_stay_in_the_reports_country(gz):
    text = ("Villages taken\n\nSyrian rebels backed by Turkey captured the villages of "
            "Nasiriyah and Dukan in the west of Jandaris town in Afrin, Syria, on Friday, "
            "the group said.\n")
    incs = _incidents(gz, text)
    assert incs and {i.location.country for i in incs} == {"SY"}


def test_a_statements_paragraph_at_other_places_is_another_event(gz):
    text = ("Army operations\n\nArmy units destroyed gatherings and fortifications of ISIS "
            "terrorists in Deir Ezzor city on Sunday.\n\nAn army unit targeted ISIS positions "
            "in the villages east of Salamiyeh city in the eastern countryside of Hama, a "
            "military source said.\n")
    incs = _incidents(gz, text)
    assert len(incs) == 2
    assert all(i.event_type == "Battles" for i in incs)
    assert min(km(i.location.lat, i.location.lon, 35.0113, 37.0532) for i in incs) < 10
    assert min(km(i.location.lat, i.location.lon, 35.336, 40.141) for i in incs) < 15


def test_an_event_compared_with_is_not_where(gz):
    text = ("Rebels take town\n\nRebels captured the town of Morek on Monday, activists said. "
            "The rebel assault coincided with a two-week-old offensive further west in the "
            "coastal province of Latakia.\n")
    (inc,) = _incidents(gz, text)
    assert "Morek" in inc.location.written


def test_death_of_including_a_list_and_a_massacre_by_bombardment(gz):
    text = ("Monitor\n\nWarplanes bombed the town of Saraqeb since this morning, and the "
            "bombardment caused casualties, where the monitor documented the death of 9 "
            "citizens at least including 5 women and 4 children, killed in a massacre in "
            "Saraqeb town.\n")
    (inc,) = _incidents(gz, text)
    assert inc.event_type == "Explosions/Remote violence"  # the massacre is the strike's
    assert inc.fatalities.best == 9  # the parts are not alternatives to the whole
    assert inc.date.start == date(2019, 3, 6)  # "since this morning" is today, not a tally


def test_a_district_named_after_the_province_is_where(gz):
    text = ("Police killed\n\nA Taliban attack has killed five policemen in the country's "
            "southern Zabul province, an official said. The governor said the attack happened "
            "on Monday night in Shahjoy district, when the Taliban stormed a checkpoint.\n")
    (inc,) = _incidents(gz, text)
    assert km(inc.location.lat, inc.location.lon, 32.52, 67.41) < 20


def test_one_person_killed_by_title_and_name(gz):
    from geoevents.extract.figures import find_figures

    (f,) = find_figures("A roadside bomb killed police chief Omar Khan in the district.")
    assert (f.kind, f.qty.value) == ("killed", 1)
    text = ("Other violence\n\nIn other violence, a roadside bombing killed police chief Omar "
            "Khan in the district of Jaghatu in Ghazni province.\n")
    (inc,) = _incidents(gz, text)
    assert inc.fatalities.best == 1


def test_control_of_a_site_of_the_storys_place_is_its_own_event(gz):
    text = ("City battle\n\nAt least 14 militants were killed during clashes in Mosul on "
            "Tuesday, officials said. Police said they were advancing street by street.\n\n"
            "State television showed the ruins of the old city.\n\nIt also said security "
            "forces had taken control of the site of the landmark Grand Mosque.\n")
    incs = _incidents(gz, text)
    terr = [i for i in incs if i.sub_event_type in ("Government regains territory",
                                                   "Non-state actor overtakes territory")]
    assert len(terr) == 1 and len(incs) == 2
    assert terr[0].date.start == date(2019, 3, 5)
    assert km(terr[0].location.lat, terr[0].location.lon, 36.34, 43.13) < 15


def test_the_subject_of_a_change_of_control_is_where(gz):
    text = ("Forces advance\n\nIraqi forces took control of areas held by Kurdish forces in "
            "Nineveh province on Tuesday, a statement said. The Mosul Dam, northwest of the "
            "city, is among the positions retaken from the Peshmerga, the statement said.\n")
    incs = _incidents(gz, text)
    assert any("Mosul Dam" in i.location.written for i in incs)


def test_a_date_restated_in_brackets_keeps_its_role(gz):
    text = ("Coalition strikes\n\nThe coalition said in a statement on Tuesday (March 5) that "
            "it carried out 12 air strikes near Raqqa on Sunday.\n")
    (inc,) = _incidents(gz, text)
    assert inc.date.start == date(2019, 3, 3)


def test_an_advance_under_cover_is_fighting(gz):
    text = ("Fighting\n\nThe Syrian Democratic Forces advanced slowly under the cover of air "
            "power in the city of Hasakah on Tuesday, a spokesman said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.event_type == "Battles"
    assert km(inc.location.lat, inc.location.lon, 36.5024, 40.7477) < 15


def test_whom_a_killing_names_is_side_b(gz):
    # "gunmen killed an SDF fighter": the SDF is hit, not the attacker.
    text = ("Unidentified gunmen killed an SDF fighter in the town of Hajin on Tuesday, a "
            "monitor said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.actor2 == "Syrian Democratic Forces"
    assert inc.actor1 == "unidentified armed group"


def test_villages_taken_elsewhere_are_not_more_of_the_fighting(gz):
    # Fighting at one village, then a change of control of other villages: two events.
    text = ("Clashes near Hasakah\n\nFighting between Kurdish forces and Islamic State "
            "continues in the village of Umm Hajar south of Hasakah city on Tuesday.\n\n"
            "Kurdish fighters also captured the villages of Tell Zarur and Qasr Alwan to the "
            "east of the city on Tuesday, a Kurdish source said.\n")
    incs = _incidents(gz, text)
    subs = sorted(i.sub_event_type for i in incs)
    assert subs == ["Armed clash", "Non-state actor overtakes territory"], subs
    # At the same place, the capture is the fighting's outcome: one event.
    text = ("Clashes near Hasakah\n\nFighting between Kurdish forces and Islamic State "
            "raged in the town of Tell Tamr on Tuesday.\n\nKurdish fighters captured the town "
            "of Tell Tamr on Tuesday, a Kurdish source said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.sub_event_type == "Non-state actor overtakes territory"


def test_two_tolls_at_two_places_with_a_breakdown_between(gz):
    # "8 ..., including 5 women and 3 children, ... in A, and 4 others ... in B": two events;
    # the parts are the 8's, at its place, and no third incident is made of them.
    for text in ("Air strikes killed 8 civilians, including 5 women and 3 children, in the "
                 "town of Saraqeb and 4 others in the town of Ariha on Tuesday, a monitor said.\n",
                 "Air strikes on Tuesday killed 8 civilians including 5 women and 3 children, "
                 "they were killed in the town of Saraqeb, and 4 others were killed in the town "
                 "of Ariha, a monitor said.\n"):
        incs = _incidents(gz, text)
        assert sorted((i.location.name, i.fatalities.best) for i in incs) == [
            ("Arīḩā", 4), ("Saraqib", 8)], text


def test_others_of_a_group_named_are_of_that_group(gz):
    # "five other militants": the militants, not the people of the figure before.
    text = ("Prison attack\n\nAt least 30 people were killed in the attack on the prison in "
            "the city of Hasakah on Tuesday, the monitor said. Five other militants were killed "
            "in an exchange of fire with guards, it said.\n")
    (inc,) = _incidents(gz, text)
    sides = {c.best: c.side for c in inc.casualties}
    assert sides[30] == "people" and sides[5] != "people", sides


def test_the_sentence_after_an_unplaced_event_may_say_where_it_was(gz):
    text = ("Attack in the east\n\nOn Tuesday, four Islamic State members were killed in an "
            "ambush in the east of the country, a monitor said. The attack took place near the "
            "town of Hajin in Deir ez-Zor province - not far from where gunmen kidnapped two "
            "men on Sunday.\n")
    incs = _incidents(gz, text)
    (inc,) = [i for i in incs if i.fatalities.best == 4]
    assert inc.location.name == "Hajīn" and inc.date.start == date(2019, 3, 5)
    assert "placed by the sentence after it" in inc.notes
    # The kidnapping "not far from where" is background of that sentence, not an incident -
    # kept as context, not dropped.
    assert not [i for i in incs if "Abduction" in i.sub_event_type]
    res = extract_text(text, gz, published=PUB, name="test.txt")
    ctx = [c for c in res.context if c.reason.startswith("background: the rest of a sentence")]
    assert ctx and "kidnapped two men" in ctx[0].quote


def test_others_are_more_of_the_toll_unless_told_apart(gz):
    # "killed five soldiers and three others": eight dead.
    text = ("Shelling\n\nGovernment shelling killed five soldiers and three others in the town "
            "of Saraqeb on Tuesday, a monitor said.\n")
    (inc,) = _incidents(gz, text)
    assert inc.fatalities.best == 8
    # "... 8 were killed in A, and 3 others were killed in bombardment by warplanes": the 3 are
    # another event's (its place not given), noted, neither the 8's rival figure nor added.
    text = ("Raids\n\nThe monitor documented the death of 8 civilians on Tuesday, they were "
            "killed in a massacre in the town of Saraqeb, and 3 others were killed in "
            "bombardment by warplanes.\n")
    (inc,) = _incidents(gz, text)
    assert inc.fatalities.best == 8 and inc.fatalities.low == 8
    assert "in a clause of their own" in inc.notes


def test_a_photo_description_is_a_caption_not_a_report(gz):
    from geoevents.extract.article import classify_block

    assert classify_block("A boy walks past a building destroyed by an air strike in the town "
                          "of Saraqeb, yesterday.", "text") == "caption"
    assert classify_block("Members of the SDF stand guard at a checkpoint in Raqqa on "
                          "Sunday.", "body") == "caption"
    # A report in the present tense, or one that says who told it, is not.
    assert classify_block("Government forces shell the town of Saraqeb on Tuesday.",
                          "body") == "body"
    assert classify_block("A man walks into a market in Saraqeb and blows himself up, "
                          "killing 12, a monitor said.", "body") == "body"
    text = ("Rebels take a town\n\nA boy walks past a building destroyed by an air strike in "
            "the city of Aleppo, yesterday.\n\nRebels captured the town of Kafr Nabl from "
            "government forces on Tuesday, a monitor said.\n")
    incs = _incidents(gz, text)
    assert [i.location.name for i in incs] == ["Kafranbel"], [i.location.name for i in incs]


def test_fighting_that_continues_is_on_the_day_of_the_report(gz):
    text = ("Clashes\n\nFighting between Kurdish forces and Islamic State continues in the "
            "village of Umm Hajar south of Hasakah city.\n")
    (inc,) = _incidents(gz, text)
    assert (inc.date.start, inc.date.precision, inc.date.text) == (PUB, "day", "continues")
    # What someone vows to continue is not going on.
    text = ("Clashes\n\nThe army vowed to continue its offensive on the town of Al-Sukhnah, "
            "where it fought Islamic State, local sources said.\n")
    (inc,) = _incidents(gz, text)
    assert not inc.date.given


def test_participle_clause_of_an_earlier_capture_is_background(gz):
    # "After capturing X, ..." / "Having taken X, ...": the capture came before the event the
    # sentence reports; neither its type nor its place is the event's.
    text = ("Shelling\n\nAfter capturing the village of Kishma, the Syrian Democratic Forces "
            "shelled Islamic State positions in Hajin on Tuesday.\n")
    (inc,) = _incidents(gz, text)
    assert inc.sub_event_type == "Shelling/artillery/missile attack"
    text2 = ("Clashes\n\nHaving taken the town of Saraqeb, government forces on Tuesday pushed "
             "toward Maarat al-Numan, where clashes with rebels killed 8 fighters.\n")
    (inc2,) = _incidents(gz, text2)
    assert inc2.sub_event_type == "Armed clash" and inc2.fatalities.best == 8
    assert km(inc2.location.lat, inc2.location.lon, 35.6483, 36.6769) < 10
    # Alone in its sentence, the clause is the sentence's event.
    text3 = ("Advance\n\nAfter capturing the village of Kishma near Hajin on Tuesday, the Syrian "
             "Democratic Forces said they would advance.\n")
    assert any(i.sub_event_type == "Non-state actor overtakes territory"
               for i in _incidents(gz, text3))


def test_battle_and_bombardment_at_other_places_stay_two_events(gz):
    # A clash in one town and shelling of another, in two sentences: two incidents, each of
    # its own type at its own place; "the shelling" referring back would go on with the first.
    text = ("Fighting\n\nGovernment forces and rebels clashed in the town of Saraqeb on Tuesday, "
            "killing 6 fighters, a monitor said. Army artillery also shelled the town of Maarat "
            "al-Numan, killing three civilians.\n")
    incs = sorted(_incidents(gz, text), key=lambda i: i.location.lat)
    assert [i.sub_event_type for i in incs] == ["Shelling/artillery/missile attack",
                                                "Armed clash"]
    assert [i.fatalities.best for i in incs] == [3, 6]
    assert km(incs[0].location.lat, incs[0].location.lon, 35.6483, 36.6769) < 10
    assert all(i.date.start == date(2019, 3, 5) for i in incs)


def test_suicide_bombers_assaulting_positions_are_a_battle(gz):
    # ACLED: suicide bombers in an assault on military positions are fighters of an armed
    # clash; a bomber who blows himself up in a market is a suicide bombing.
    text = ("Attack\n\nIslamic State suicide bombers attacked Peshmerga positions near Tal Afar "
            "on Tuesday, before fighters stormed the lines, a commander said.\n")
    (inc,) = _incidents(gz, text)
    assert (inc.event_type, inc.sub_event_type) == ("Battles", "Armed clash")
    text2 = ("Bombing\n\nA suicide bomber blew himself up at a market in Tal Afar on Tuesday, "
             "killing 12 people, police said.\n")
    (inc2,) = _incidents(gz, text2)
    assert inc2.sub_event_type == "Suicide bomb" and inc2.fatalities.best == 12


def test_place_named_by_its_kind_refers_back_to_the_event_before(gz):
    # "near the town" after an event in the town of Saraqeb: that town, around it (precision
    # 2); "near the dam" is not the town's, and is placed nowhere.
    text = ("Fighting\n\nGovernment forces and rebels clashed in the town of Saraqeb on Tuesday, "
            "a monitor said. On Monday, rebels attacked army positions near the town, the "
            "monitor said.\n")
    incs = sorted(_incidents(gz, text), key=lambda i: i.date.start)
    assert [i.date.start for i in incs] == [date(2019, 3, 4), date(2019, 3, 5)]
    first = incs[0]
    assert km(first.location.lat, first.location.lon, 35.8645, 36.8059) < 5
    assert first.location.precision == 2 and "refers back" in first.location.note
    text2 = text.replace("near the town", "near the dam")
    assert [i.date.start for i in _incidents(gz, text2)] == [date(2019, 3, 5)]
