"""The patterns a sentence is read with: dates' roles, territorial change, tallies,
revisions, places' wording."""


from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..fastre import guard_namespace

if TYPE_CHECKING:
    pass



NO_DATE_NOTE = "the report gives no date"
#: The place column of an incident the extractor could not place (kept, not dropped).
UNKNOWN_PLACE = "(unknown place)"
_PREC_ORDER = {"day": 0, "range": 1, "week": 2, "month": 3, "year": 4, "unknown": 5}
_KILL_WORD = re.compile(r"\b(?:killed|died|dead|slain|killing|wounded|injured)\b", re.I)
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|reported|reports|announced|told(?:\s+\w+){0,2}|confirmed|stated|added|"
    r"claimed|briefing|statement|conference|interview|published|released|acknowledged|"
    r"admitted|tweeted|posted)\s+(?:(?!that\b)\w+\s+){0,2}(?:on\s+)?$", re.I)
# ("the report said that on Saturday gunmen ...": a date after "that" is the reported event's.)
_CLAIM = re.compile(r"\b(?:has\s+|have\s+|had\s+)?claim(?:ed|s|ing)\b(?!\s+of\s+(?:the|hitting))|"
                    r"\b(?:carried|made|issued|published)\s+a\s+(?:similar\s+)?claim\b", re.I)
_NOT_CONFIRM = re.compile(
    r"\b(?:could\s+not|couldn['’]t|did\s+not|didn['’]t|has\s+not|hasn['’]t|have\s+not|"
    r"cannot|can['’]t|was\s+unable\s+to|were\s+unable\s+to|declined\s+to|refused\s+to|"
    r"would\s+not|not\s+(?:been\s+)?independently)\s+(?:independently\s+|yet\s+|either\s+)?"
    r"(?:confirm|verify|verified|confirmed)", re.I)
_CONFIRM = re.compile(r"\bconfirm(?:ed|s)\b", re.I)
_PEOPLE = re.compile(r"\b(?:head|chief|director|spokes\w+|founder|official|commander|leader|"
                     r"representative|he|she|it|they)\b")
_CASUALTY_STEMS = ("kill", "dead", "died", "death", "slain", "lives", "perish", "execut", "wound",
                   "injur", "hurt", "toll", "lost", "murder", "behead", "fatalit", "remaining")
_ANAPHOR_WORDS = frozenset(["attack", "incident", "assault", "raid", "fighting", "battle", "clash",
                            "clashes", "strike", "blast", "explosion", "bombing", "ambush",
                            "crash", "shelling", "violence", "operation", "killed", "remaining",
                            "victim", "victims", "dead", "target"])
_CONTINUATION_WORDS = frozenset(["target", "targets", "targeted", "took", "happened", "occurred",
                                 "struck", "hit", "location"])
_REPORTING_WORDS = frozenset(["said", "says", "say", "told", "tells", "reported", "reports", "announced", "announces", "stated", "states", "claimed", "claims", "confirmed", "confirms", "added", "adds", "put", "estimated", "estimates", "quoted", "cited", "citing", "according", "acknowledged", "noted", "wrote", "tweeted", "posted", "published", "carried", "documented", "recorded", "monitored", "counted", "verified", "blamed", "accused"])
_PASSIVE_BY = re.compile(r"\b(?:was|were|been)\s+(?:\w+\s+){0,3}confirmed\s+(?:\w+\s+){0,3}by\s+",
                         re.I)
_AREA_WORDS = re.compile(r"\b(?:province|governorate|region|countryside|desert|district|areas?|"
                         r"valley|badiya|plain|the\s+(?:east|west|north|south)\s+of)\b", re.I)
_NEAR_WORDS = re.compile(r"\b(?:near|nearby|outside|around|close\s+to|outskirts|vicinity|between|"
                         r"road|highway|motorway|route|"
                         r"edge|km|kilomet\w+|miles?|(?:north|south|east|west)\w*\s+of)\b", re.I)
_TERRITORY_NOUN = (r"(?:towns?|villages?|city|cities|areas?|districts?|neighbou?rhoods?|bases?|"
                   r"airports?|air\s*bases?|airdromes?|hills?|mountains?|mount|regions?|"
                   r"provinces?|countryside|site|complex|cent(?:er|re)|dams?|mosques?|"
                   r"crossings?|islands?|oil\s*fields?|fields|quarters?|suburbs?|camps?|farms?|"
                   r"localit(?:y|ies)|zones?|territory|territories|strongholds?|bastions?|parts?|"
                   r"settlements?|hamlets?|positions?|control)")
_TERRITORY_BEFORE = re.compile(r"\b" + _TERRITORY_NOUN + r"\b", re.I)
#: What a territory word takes: a place ("the strategic northern town of Ariha", "four more
#: villages", "control of Kallaseh"), not people or arms ("captured 600 troops").
_TERRITORY = re.compile(
    r"^\s*(?:,\s*)?(?:on\s+(?:\w+\s+){1,2}|(?:early\s+)?(?:this|last|yesterday)\s+\w+\s+|"
    r"today\s+|yesterday\s+)?(?:of\s+|over\s+)?(?:(?:the|a|an)\s+)?"
    r"(?:(?:(?:[\w’'-]+,?\s+){0,4}?" + _TERRITORY_NOUN + r"\b)|(?-i:[A-Z])(?!\w*\s+(?:\w+\s+)?"
    r"(?:fighters|militants|members|soldiers|troops|terrorists|jihadists|commanders?|leaders?)\b))",
    re.I)
#: "among the positions retaken from the Peshmerga": a participle after the territory it took.
_POSTNOMINAL = re.compile(r"\b" + _TERRITORY_NOUN + r"\s+(?:(?:now|newly|recently)\s+)?$", re.I)
_TERRITORY_TYPES = ("Non-state actor overtakes territory", "Government regains territory")
#: A place named only by its kind, referring back: "the positions near the dam", "in the town".
_PLACE_ANAPHOR = re.compile(
    r"\b(?:in|near|at|around|outside|inside|into|on\s+the\s+outskirts\s+of|(?:north|south|east|"
    r"west)\w*\s+of)\s+the\s+(dam|town|city|village|air\s*base|base|airport|prison|camp|bridge|"
    r"crossing|hospital|refinery|district|neighbou?rhood|port)\b(?!\s+(?:of|in|near)\b)", re.I)
_BACKGROUND_GERUND = re.compile(r"\b(?:since|before|until)\s+$", re.I)
#: "After capturing X, ...", "Having taken X, ...": a participle clause of an action completed
#: before the one the sentence reports (background unless the clause is dated itself).
_PRIOR_PARTICIPLE = re.compile(r"\b(?:after|upon|having|after\s+having)\s+$", re.I)
#: A date word in such a clause: "After capturing Kishma on Monday, ..." reports the capture too.
_CLAUSE_DATED = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:yesterday|today|"
                           r"tonight|overnight|last\s+(?:night|week|month)|earlier\s+this\s+"
                           r"(?:week|month))\b|\b(?:January|February|March|April|May|June|July|"
                           r"August|September|October|November|December)\b|\b\d{4}\b", re.I)
#: "The villages of X and Y were cleared": the territory is the subject.
_PASSIVE = re.compile(r"\b(?:was|were|been|is|are|fully|completely)\s+$", re.I)
#: "the liberated villages", "newly captured areas": the word describes, it does not report.
_ATTRIBUTIVE = re.compile(r"\b(?:the|a|an|its|their|his|her|newly|recently|already|previously)\s+$",
                          re.I)
#: "to recapture", "in a bid to seize", "trying to retake": a purpose, not an event.
_INFINITIVE = re.compile(r"(?<!managed\s)(?<!able\s)(?<!went\s)\bto\s+(?:(?:try|help|attempt)\s+"
                         r"(?:to\s+)?)?$", re.I)
_NOT_TERRITORY = re.compile(
    r"^\s*(?:off|place|part|office|refuge|shelter|aim|responsibility|care|note|advantage|measures|"
    r"steps|action|charge|power|hostages?|prisoners?|captives?)\b|^\s*(?:(?:the|a|an)\s+)?(?:[\w’'-]+\s+){0,3}?(?:war|conflict|fray|talks|negotiations|"
    r"deal|agreement|country|dialogue|battle\s+for)\b", re.I)
_PAIR = re.compile(r"\b(?:a\s+pair\s+of|two|twin|double)\s+(?:\w+\s+)?(?:attacks|assaults|"
                   r"raids|bombings|blasts|explosions|strikes)\b", re.I)
_ANOTHER = re.compile(r"\b(?:(?:the|a)\s+(?:second|third|fourth|separate|further|new)|another)\s+"
                      r"(?:[\w-]+\s+)?(?:attacks?|bombings?|blasts?|explosions?|strikes?|"
                      r"air\s*strikes?|raids?|incidents?|ambush(?:es)?|clash(?:es)?|shelling)\b",
                      re.I)
REMOTE = "Explosions/Remote violence"
_SUPERSEDED = re.compile(r"\b(?:previously|earlier|initially|at\s+first|first)\s+(?:\w+\s+){0,3}?"
                         r"(?:gave|put|reported|said|counted|announced|stood)\b|"
                         r"\bhad\s+(?:earlier\s+|previously\s+|initially\s+)?(?:put|given|reported)\s+"
                         r"(?:the\s+|a\s+)?(?:toll|number|figure)|\b(?:earlier|previous|initial)\s+"
                         r"(?:death\s+)?toll\b", re.I)
_REVISED = re.compile(r"\b(?:later|since|now|has|have|had|was|were)\s+(?:been\s+)?(?:raised|risen|"
                      r"rose|climbed|increased|jumped|revised)\b|\bnew\s+toll\b|\btoll\s+(?:has\s+|had\s+)?"
                      r"(?:risen|rose|climbed|increased|jumped|reached)\b|^\s*but\s+it\s+has\s+"
                      r"(?:risen|climbed|increased)", re.I)
_REVISED_AFTER = re.compile(r"^\s*(?:but|however,?)\s+(?:it|the\s+toll|the\s+figure|that)\s+(?:has|had)\s+"
                            r"(?:since\s+)?(?:risen|climbed|increased|gone\s+up)|\bhas\s+since\s+"
                            r"(?:risen|climbed|increased)", re.I)
_ENCLOSED_BY = re.compile(r"\s*,?\s*(?:in|near|outside|of|on\s+the\s+outskirts\s+of|(?:\d+\s*km\s+)?"
                          r"(?:north|south|east|west)\w*\s+of|in\s+the\s+\w+\s+of)?\s*", re.I)
_UNNAMED = re.compile(r"^(?:(?:a|an|one)\s+)?(?:[\w-]+\s+)?(?:village|town|area|city|"
                      r"neighbou?rhood|district|locality)\b(?!\s+of\b)", re.I)
_ANAPHOR_TYPE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+)?(strikes?|raids?|"
                           r"air\s*strikes?|shelling|bombardment|bombings?|blasts?|explosions?)\b",
                           re.I)
_AREA_KINDS = frozenset({"admin1", "admin2", "region", "desert", "valley", "plain"})
_PLURAL_TRIGGER = re.compile(r"\b(?:attacks|assaults|raids|strikes|bombings|clashes|battles|"
                             r"operations|air\s*strikes|air\s*raids|booby[\s-]?traps|"
                             r"(?:roadside\s+|car\s+)?bombs|IEDs|(?:land\s*)?mines|"
                             r"explosive\s+devices|rockets|missiles|mortars|shells|explosions|"
                             r"blasts)\b", re.I)


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
