"""Faster searching with the same matches: a first-character guard in front of a pattern.

Python's regular expression engine tries a pattern at every position of the text; a pattern
that begins with ``\\b`` and an alternation of words ("\\b(?:shell(?:ing|ed)|artillery|...)")
gives the engine no character to skip ahead to, so each failing position costs the whole
alternation.  :func:`guarded` reads the pattern's syntax tree, collects every character a
match can begin with, and compiles ``(?=[those characters])(?:pattern)``: the lookahead is
zero-width and only refuses positions where the pattern cannot match, so matches, their
spans and their groups are those of the pattern itself.  When the first characters cannot be
told (a pattern that may match the empty string, begins with ``\\w``, ``.``, a negated class, a
back-reference, or changes flags inline), the pattern is returned unchanged.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

__all__ = ["all_guarded", "first_chars", "fold", "guard_namespace", "guarded", "literals",
           "may_match", "original"]

_MAX_RANGE = 128  # a wider class ([^...], [\u0600-\u06ff]) is not worth a guard
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


class _Unknown(Exception):
    pass


#: \\s and \\d (str patterns: Unicode; their ASCII forms are subsets) go into the guard as
#: themselves.
_CATEGORIES = {_c.CATEGORY_SPACE: "\\s", _c.CATEGORY_DIGIT: "\\d",
               _c.CATEGORY_UNI_SPACE: "\\s", _c.CATEGORY_UNI_DIGIT: "\\d"}


def _seq(items: Any) -> tuple[set[str], bool]:
    """(characters a match of the sequence can begin with, whether it can match empty)."""
    acc: set[str] = set()
    for op, av in items:
        chars, empty = _item(op, av)
        acc |= chars
        if not empty:
            return acc, False
    return acc, True


def _item(op: Any, av: Any) -> tuple[set[str], bool]:
    if op is _c.LITERAL:
        return {chr(av)}, False
    if op is _c.CATEGORY:  # \s, \d outside a class
        if av not in _CATEGORIES:
            raise _Unknown
        return {_CATEGORIES[av]}, False
    if op is _c.IN:
        chars: set[str] = set()
        for iop, iav in av:
            if iop is _c.LITERAL:
                chars.add(chr(iav))
            elif iop is _c.RANGE and iav[1] - iav[0] <= _MAX_RANGE:
                chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
            elif iop is _c.CATEGORY and iav in _CATEGORIES:
                chars.add(_CATEGORIES[iav])
            else:  # NEGATE, \w, a wide range
                raise _Unknown
        return chars, False
    if op in _ZERO_WIDTH:
        return set(), True  # \b, ^, lookarounds: consume nothing (ignoring them widens)
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown  # (?i:...) and the like
        return _seq(sub)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(av)
    if op is _c.BRANCH:
        out: set[str] = set()
        empty = False
        for alt in av[1]:
            c, e = _seq(alt)
            out |= c
            empty = empty or e
        return out, empty
    if op in _REPEATS:
        lo, _hi, sub = av
        c, e = _seq(sub)
        return c, e or lo == 0
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, CATEGORY outside a class, ...


def first_chars(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Every character a match of ``rx`` can begin with (before case folding; ``\\s`` and
    ``\\d`` for those classes), or None when that cannot be told or the pattern can match the
    empty string."""
    tree = _parse(rx)
    return None if tree is None else _first_of_tree(tree)


def _parse(rx: re.Pattern[str]) -> Any:
    if not isinstance(rx.pattern, str):
        return None
    try:
        return _p.parse(rx.pattern, rx.flags)
    except (re.error, TypeError, ValueError):
        return None


def _first_of_tree(tree: Any) -> frozenset[str] | None:
    try:
        chars, empty = _seq(tree)
    except _Unknown:
        return None
    if empty or not chars:
        return None
    return frozenset(chars)


def guarded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` with a first-character lookahead (the same matches, found faster), or ``rx``
    itself when its first characters cannot be told."""
    if id(rx) in _DONE:
        return rx
    tree = _parse(rx)  # parsed once: guarding costs at import what compiling costs
    if tree is None or _anchored(tree):
        return rx
    chars = _first_of_tree(tree)
    if chars is None:
        return rx
    cls = "".join(ch if len(ch) == 2 else re.escape(ch) for ch in sorted(chars))
    end = "\n)" if rx.flags & re.VERBOSE else ")"
    try:
        out = re.compile(f"(?=[{cls}])(?:{rx.pattern}{end}", rx.flags)
    except re.error:
        return rx
    _DONE[id(out)] = (out, rx)
    return out


#: The guarded patterns by id -> (the guarded pattern, kept so that its id stays its own; the
#: pattern it guards): a pattern is never guarded twice, and tests compare the two.
_DONE: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def original(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern a guarded pattern guards (``rx`` itself when it is not one)."""
    got = _DONE.get(id(rx))
    return got[1] if got is not None and got[0] is rx else rx


def all_guarded() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """(guarded, original) for every pattern guarded so far."""
    return list(_DONE.values())


def _anchored(tree: Any) -> bool:
    """A pattern that begins with ``^`` or ``\\A``: the engine tries it at the start only,
    which a guard in front would undo."""
    items = list(tree)
    while items and items[0][0] is _c.SUBPATTERN and not items[0][1][1] and not items[0][1][2]:
        items = list(items[0][1][3])
    return bool(items) and items[0][0] is _c.AT and items[0][1] in (
        _c.AT_BEGINNING, _c.AT_BEGINNING_STRING)


def guard_namespace(ns: dict[str, Any]) -> None:
    """Guard every compiled pattern bound in a module's namespace (call it last in the module,
    ``guard_namespace(globals())``, after the patterns built from others' text)."""
    for k, v in list(ns.items()):
        if isinstance(v, re.Pattern):
            ns[k] = guarded(v)
        elif isinstance(v, (list, tuple)) and not k.startswith("__"):
            # Tables of patterns: (kind, pattern) and (pattern, reason) rows, or patterns.
            items = [_guard_row(x) for x in v]
            if any(a is not b for a, b in zip(items, v, strict=True)):
                if isinstance(v, list):
                    v[:] = items
                else:
                    ns[k] = type(v)(items) if type(v) is tuple else v


def _guard_row(x: Any) -> Any:
    if isinstance(x, re.Pattern):
        return guarded(x)
    if type(x) is tuple and any(isinstance(y, re.Pattern) for y in x):
        return tuple(guarded(y) if isinstance(y, re.Pattern) else y for y in x)
    return x


# ------------------------------------------------------------------------------ literals
#
# A pattern that begins with a word alternation ("\\b(?:funerals?|buried|mourn\\w*)\\s+...")
# can only match a text holding one of the alternation's literal beginnings ("funeral",
# "buried", "mourn").  :func:`literals` reads those from the syntax tree and :func:`may_match`
# tests them with ``in`` on the text (case-folded once by :func:`fold` for a pattern that
# ignores case): a pattern whose literals are all absent is not searched at all.  The test is
# a necessary condition of a match, never a sufficient one: a pattern that passes it is then
# searched as before, so matches are unchanged.

_MIN_LITERAL = 3  # shorter literals ("a", "on") are in nearly every text: no filter then
_MAX_LITERALS = 400


def literals(rx: re.Pattern[str]) -> tuple[frozenset[str], bool] | None:
    """(literal strings one of which every match of ``rx`` begins with, after zero-width
    items; whether they are to be found in the case-folded text), or None when that cannot be
    told, a literal is shorter than three characters, or the pattern ignores case and a
    literal is not ASCII."""
    rx = original(rx)
    tree = _parse(rx)
    if tree is None:
        return None
    try:
        lits = _prefixes(list(tree))
    except _Unknown:
        return None
    if not lits or len(lits) > _MAX_LITERALS or min(map(len, lits)) < _MIN_LITERAL:
        return None
    ignore = bool(rx.flags & re.IGNORECASE)
    if ignore:
        if not all(x.isascii() for x in lits):
            return None
        lits = {x.lower() for x in lits}
    return frozenset(lits), ignore


def _prefixes(items: list[Any]) -> set[str]:
    """Literal strings one of which every match of the sequence ``items`` begins with."""
    if not items:
        raise _Unknown  # a match may end here: nothing is required
    op, av = items[0]
    rest = items[1:]
    if op in _ZERO_WIDTH:
        return _prefixes(rest)
    if op is _c.LITERAL:
        run = []
        for iop, iav in items:
            if iop is not _c.LITERAL:
                break
            run.append(chr(iav))
        return {"".join(run)}
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unknown
        return _prefixes(list(sub) + rest)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _prefixes(list(av) + rest)
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            out |= _prefixes(list(alt) + rest)
            if len(out) > _MAX_LITERALS:
                raise _Unknown
        return out
    if op in _REPEATS:
        lo, _hi, sub = av
        once = _prefixes(list(sub))  # the first repetition begins the match
        return once if lo >= 1 else once | _prefixes(rest)
    raise _Unknown  # a class, \\w, ".", a back-reference: no literal


def fold(text: str) -> str:
    """The text as :func:`may_match` compares it with a case-ignoring pattern's literals: every
    character ``re.IGNORECASE`` matches with an ASCII letter becomes that letter in lower case
    (str.casefold does so for all but the Turkish dotted and dotless i, mapped here)."""
    if text.isascii():
        return text.lower()
    return text.casefold().replace("\u0307", "").replace("\u0131", "i")


def may_match(lits: tuple[frozenset[str], bool] | None, text: str, folded: str) -> bool:
    """False only when the pattern whose :func:`literals` these are cannot match ``text``
    (``folded`` is :func:`fold` of it)."""
    if lits is None:
        return True
    hay = folded if lits[1] else text
    return any(x in hay for x in lits[0])
