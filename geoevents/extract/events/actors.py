"""Actors and types of an event: side A and B, associated actors, each figure's side,
the ACLED event type from the event words."""


from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .. import lexicon
from ..figures import Group

if TYPE_CHECKING:
    pass
from .analysis import ActorMention
from .drafts import Draft
from .words import _ANAPHOR_TYPE, REMOTE


def _label_key(g: Group | None) -> str:
    if g is None:
        return ""
    if g.host:
        return "host-government"
    return g.label


def _host_label(host: str) -> str:
    dem = lexicon.countries().demonym.get(host, "")
    return f"{dem} government forces" if dem else "government forces"


def _side(g: Group | None, host: str, actor1: str, a1_kind: str) -> tuple[str, str]:
    """The side label and party of a group in an incident whose side A is ``actor1``."""
    if g is None:
        return "", ""
    if g.kind == "civilians":
        return "civilians", "civilians"
    if g.host or (g.kind == "state" and g.country and g.country == host):
        label = _host_label(host)
        return label, ("A" if a1_kind == "state" and _host_label(host) == actor1 else "B")
    if g.kind == "umbrella":
        return g.label, ("A" if a1_kind == "state" else "B")
    if g.kind == "state":
        label = g.label
        if a1_kind == "state":
            dem = lexicon.countries().demonym.get(g.country, "")
            return label, ("A" if dem and actor1.startswith(dem) else "B")
        return label, "B" if a1_kind == "nonstate" else ""
    if g.kind == "nonstate":
        if g.generic:
            if a1_kind == "nonstate":
                return "attackers", "A"
            return "militants", ("B" if a1_kind == "state" else "")
        if g.label == actor1:
            return g.label, "A"
        return g.label, ("B" if actor1 else "")
    return g.label, ""


#: "suicide bombers attacked": the bombers as fighters of an assault (not "blew themselves up").
_SUICIDE_FIGHTERS = re.compile(r"suicide\s+(?:bomb|attack)ers?\s+(?:\w+\s+){0,3}?"
                               r"(?:attacked|stormed|assaulted|raided)$", re.I)
#: ... on military positions, several of them: "suicide bombers attacked army positions".
_SUICIDE_ASSAULT = re.compile(r"suicide\s+(?:bomb|attack)ers\s+(?:\w+\s+){0,3}?(?:attacked|stormed|"
                              r"assaulted|raided)\s+(?:[\w’'-]+\s+){0,4}?(?:positions|checkpoints?|"
                              r"posts?|outposts?|bases?|lines|barracks|fortifications|defen[cs]es)\b",
                              re.I)


def _event_type(d: Draft) -> tuple[str, str]:
    ts = d.triggers
    if not ts:
        # No event word but the one it refers back to ("As a result of the strike, ..."), or
        # only a casualty figure: violence, against civilians when they are the dead.
        text = " ".join(x.text for x in d.sentences)
        m = _ANAPHOR_TYPE.search(text)
        if m:
            w = m.group(1).lower()
            if w.startswith(("strike", "raid", "air")):
                return REMOTE, "Air/drone strike"
            if w.startswith(("shell", "bombard")):
                return REMOTE, "Shelling/artillery/missile attack"
            return REMOTE, "Remote explosive/landmine/IED"
        civ = any(r.group is not None and r.group.kind == "civilians" for r in d.figs)
        return ("Violence against civilians", "Attack") if civ else ("Battles", "Armed clash")
    # Arrests and protests are the event only when nothing violent is reported with them.
    violent = any(t.rule.priority >= 35 for t in ts)
    specific = [t for t in ts if not t.rule.generic and not (violent and t.rule.priority <= 30)]
    pool = specific or ts
    best = max(pool, key=lambda t: t.rule.priority)
    et, sub = best.rule.event_type, best.rule.sub_event_type
    if sub == "Abduction/forced disappearance" and any(
            r.kind == "killed" and r.breakdown_of is None for r in d.figs):
        # People killed: the attack is the event, the abduction part of its story.
        et, sub = "Violence against civilians", "Attack"
    # A ground attack that used shelling is a battle ("killed by rebel shelling during a joint
    # attack"): shelling outranks the attack only when no attack word is there.
    ground = [t for t in ts if t.rule.generic and
              re.match(r"(?i)attack|assault|raid|offensive|storm|ambush", t.text)]
    if sub == "Shelling/artillery/missile attack" and ground and best.rule.priority < 50:
        et, sub = "Battles", "Armed clash"
    if sub == "Suicide bomb" and _SUICIDE_FIGHTERS.match(best.text) and (ground or any(
            _SUICIDE_ASSAULT.search(x.text) for x in d.sentences)):
        # Suicide bombers in an assault on positions are fighters in a battle (ACLED: an armed
        # clash in which suicide bombs were used), not a suicide bombing.
        et, sub = "Battles", "Armed clash"
    if not sub:
        subs = [t.rule.sub_event_type for t in pool if t.rule.event_type == et and
                t.rule.sub_event_type]
        sub = subs[0] if subs else ""
    return et, sub


def _name_of(a: ActorMention, host: str) -> str:
    if a.host:
        return "pro-government forces" if a.name == "pro-government forces" else _host_label(host)
    if a.name:
        return a.name
    if a.country:
        if a.country == host:
            return _host_label(host)
        dem = lexicon.countries().demonym.get(a.country, a.country)
        return f"{dem} forces"
    return ""


def _actors_of(d: Draft, host: str) -> tuple[str, str, list[str], dict[str, int]]:
    att: Counter[str] = Counter()
    tgt: Counter[str] = Counter()
    named: dict[str, ActorMention] = {}
    for a in d.actors:
        n = _name_of(a, host)
        if not n:
            continue
        named.setdefault(n, a)
        if a.role == "attacker":
            att[n] += 1 if a.generic else 3
        elif a.role == "target":
            tgt[n] += 1 if a.generic else 3
    # Figures tell who was hit when the words did not.
    for r in d.figs:
        g = r.group
        if g is not None and g.kind in ("state", "umbrella", "civilians") and \
                r.breakdown_of is None and (g.country or g.host or g.kind != "state"):
            lbl = _host_label(host) if (g.host or g.country == host) else (
                "Civilians" if g.kind == "civilians" else
                (f"{g.label} forces" if g.kind == "state" and g.country else g.label))
            tgt[lbl] += 1
    actor1 = ""
    if att:
        ranked = sorted(att.items(), key=lambda kv: (-kv[1], kv[0]))
        non_generic = [n for n, _ in ranked if n != "unidentified armed group"]
        actor1 = non_generic[0] if non_generic else ranked[0][0]
    # No one named as attacker: a named group in the sentence that opened the event.
    first = d.sentences[0].index if d.sentences else -1
    opening = {_name_of(a, host) for a in d.actors if a.kind == "nonstate" and not a.generic
               and a.sentence == first}
    if not actor1 or actor1 == "unidentified armed group":
        nonstate = [n for n, a in named.items() if n in opening and n not in tgt]
        if nonstate:
            actor1 = nonstate[0]
    for n in list(tgt):
        if n == actor1 or n == "civilians":
            if n == "civilians":
                tgt["Civilians"] += tgt.pop(n)
            else:
                tgt.pop(n)
    actor2 = ""
    if tgt:
        ranked = sorted(tgt.items(), key=lambda kv: (-kv[1], kv[0]))
        hostl = _host_label(host)
        # The host country's forces are side B when they are among the targets.
        names = [n for n, _ in ranked]
        actor2 = hostl if hostl in names else names[0]
        if actor2 == "pro-government forces" and hostl in names:
            actor2 = hostl
    with_2 = {n for n in tgt if n not in (actor1, actor2, "pro-government forces",
                                          "unidentified armed group")}
    with_1 = {n for n in att if n not in (actor1, actor2, "unidentified armed group")}
    # The other attackers are with side A, the other targets with side B.
    side = {n: 1 for n in with_1} | {n: 2 for n in with_2 - with_1}
    return actor1, actor2, sorted(with_1 | with_2), side


def _actor_kind(d: Draft, actor1: str) -> str:
    if not actor1:
        return ""
    if actor1 == "unidentified armed group":
        return "nonstate"
    for a in lexicon.NAMED_ACTORS:
        if a.name == actor1:
            return "nonstate" if a.kind == "nonstate" else "state"
    if actor1 == "Civilians":
        return "civilians"
    return "state"
