"""Parties of a conflict, their colours and the names reporting gives them.

A parties file is a small YAML mapping (``data/parties/syria-2016-2019.yaml`` is an example)::

    name: Syria 2016-2019              # optional title
    parties:
      government:                      # the party's name, as areas carry it
        label: Syrian government       # optional, for legends
        color: "#c0392b"               # #rrggbb, #rgb or a CSS colour name
        aliases: [Military Forces of Syria, Syrian Arab Army, SAA]

Names are matched after folding case, accents and punctuation, and after dropping a trailing
parenthesis such as ACLED's ``(2000-)`` or ``(Syria)``: "Military Forces of Syria (2000-)" is
``government`` when "Military Forces of Syria" is one of its aliases; an ACLED name of the form
"SDF: Syrian Democratic Forces" matches by either side of the colon.  Without a parties file,
each party name is its own party and gets an automatic colour (:data:`AUTO_COLORS`, in the
order of the sorted names, so the same parties always get the same colours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError

#: Automatic colours (colour-blind-friendly qualitative palette, then a few more).
AUTO_COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442",
               "#000000", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf")
_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


def party_key(name: str) -> str:
    """The form names are compared in: folded, without a trailing parenthesis, only letters
    and digits separated by single spaces."""
    from gazetteer.normalize import fold

    s = str(name or "").strip()
    while True:
        t = _PAREN.sub("", s)
        if t == s or not t:
            break
        s = t
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(s)).split())


def to_hex(value: Any, err: Any = None) -> str:
    """``#rrggbb`` for a colour given as #rgb, #rrggbb or a CSS colour name.  ``err(message)``
    builds the exception raised for anything else (InputError by default)."""
    import webcolors

    s = str(value or "").strip()
    try:
        if s.startswith("#"):
            return webcolors.normalize_hex(s)
        return webcolors.name_to_hex(s.lower())
    except ValueError:
        msg = (f"'{s}' is not a colour; use #rrggbb, #rgb or a CSS colour name "
               "(such as darkred)")
        raise (err(msg) if err else InputError(msg)) from None


@dataclass(slots=True)
class Party:
    name: str
    color: str  # "#rrggbb"
    label: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class Parties:
    """The parties of a file (``auto`` is false), or automatic ones (``auto`` is true)."""

    parties: dict[str, Party] = field(default_factory=dict)
    auto: bool = True
    file: str = ""
    _keys: dict[str, str] = field(default_factory=dict, repr=False)

    def lookup(self, name: str) -> str | None:
        """The party a name stands for: with a file, its party name or None; automatic, the
        name itself (trimmed), or None for an empty name."""
        k = party_key(name)
        if not k:
            return None
        if self.auto:
            hit = self._keys.get(k)
            if hit is None:
                hit = " ".join(str(name).split())
                self._keys[k] = hit
            return hit
        hit = self._keys.get(k)
        if hit is None and ":" in str(name):
            # ACLED's "SDF: Syrian Democratic Forces", "NDF: National Defence Forces": the
            # abbreviation or the name
            for part in str(name).split(":"):
                hit = self._keys.get(party_key(part))
                if hit is not None:
                    break
        return hit

    def known(self) -> list[str]:
        return list(self.parties)

    def color(self, party: str) -> str:
        p = self.parties.get(party)
        return p.color if p else ""

    def assign_auto(self, names: list[str]) -> None:
        """Give automatic colours to ``names`` (sorted, so the result does not depend on the
        order rows come in)."""
        if not self.auto:
            return
        base = len(self.parties)
        for i, n in enumerate(sorted(set(names) - set(self.parties))):
            self.parties[n] = Party(name=n, color=AUTO_COLORS[(base + i) % len(AUTO_COLORS)])
        self.parties = dict(sorted(self.parties.items()))


def load_parties(path: str | Path) -> Parties:
    """Read a parties YAML file; InputError names the file, line and field of anything wrong
    (a missing or unknown colour, a name given to two parties)."""
    import yaml

    from .lines import read_yaml

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    raw, lines = read_yaml(p, yaml.SafeLoader)

    def err(message: str, *path: Any) -> InputError:
        key = tuple(str(x) for x in path)
        while key and key not in lines:
            key = key[:-1]
        return InputError(message, file=str(p), line=lines.get(key),
                          field=".".join(str(x) for x in path) or None)

    if not isinstance(raw, dict) or not isinstance(raw.get("parties"), dict) or not raw["parties"]:
        raise err("a parties file is a mapping with 'parties:' (each party with its color and "
                  "aliases)", "parties")
    extra = sorted(set(map(str, raw)) - {"name", "parties", "notes"})
    if extra:
        raise err(f"unknown field '{extra[0]}'; a parties file has name, parties, notes",
                  extra[0])
    out = Parties(auto=False, file=str(p))
    owner: dict[str, str] = {}
    for name, spec in raw["parties"].items():
        name = " ".join(str(name).split())
        if spec is None or isinstance(spec, str):
            spec = {"color": spec}
        if not isinstance(spec, dict):
            raise err("a party is {color, label, aliases}", "parties", name)
        bad = sorted(set(map(str, spec)) - {"color", "label", "aliases"})
        if bad:
            raise err(f"unknown field '{bad[0]}'; a party has color, label and aliases",
                      "parties", name, bad[0])
        if not spec.get("color"):
            raise err(f"the party '{name}' has no colour", "parties", name, "color")
        color = to_hex(spec["color"], lambda m, n=name: err(m, "parties", n, "color"))
        aliases = spec.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list):
            raise err("aliases is a list of names", "parties", name, "aliases")
        party = Party(name=name, color=color, label=" ".join(str(spec.get("label") or "").split()),
                      aliases=tuple(" ".join(str(a).split()) for a in aliases))
        for a in (name, party.label, *party.aliases):
            k = party_key(a)
            if not k:
                continue
            if owner.get(k, name) != name:
                raise err(f"the name '{a}' is given to two parties ('{owner[k]}' and '{name}')",
                          "parties", name, "aliases")
            owner[k] = name
        out.parties[name] = party
    out._keys = owner
    return out


def parties_or_auto(path: str | Path | Parties | None) -> Parties:
    if isinstance(path, Parties):
        return path
    return load_parties(path) if path else Parties()
