"""The documentation stays current with the command line, both ways:

- every option of every command and subcommand (read from the argparse parsers, not a list kept
  by hand) is named on the command's page in ``docs/`` -- or, for the options a group shares
  (``gazetteer``: --index, --overlay, --config, --points; ``tables``: --columns ...; ``store``:
  --store and its filters), on the group's page;
- every ``geoevents COMMAND ... --option`` written in ``docs/*.md`` or ``README.md`` names an
  option that command has;
- the README stays short (about 200 lines) and its two commands are real ones."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from .conftest import ROOT

DOCS = ROOT / "docs"
#: the page that documents each command (by its first word)
PAGES = {"resolve": "gazetteer.md", "gazetteer": "gazetteer.md", "extract": "incidents.md",
         "data": "data.md", "lines": "control.md", "areas": "control.md", "map": "maps.md",
         "brief": "maps.md", "export": "exports.md", "add": "store.md", "store": "store.md",
         "archive": "store.md"}
#: the page that documents the options of a shared argument group (by its title's first word)
GROUP_PAGES = {"gazetteer": "gazetteer.md", "tables": "tables.md", "store": "store.md"}


def _commands() -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    from geoevents import cli

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
        yield path, parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, (*path, name))

    yield from walk(cli.build_parser())


COMMANDS = dict(_commands())


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _named(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def test_every_command_has_a_page():
    assert sorted({p[0] for p in COMMANDS if p}) == sorted(PAGES)
    for path in COMMANDS:
        if path:
            text = _page(PAGES[path[0]])
            assert f"geoevents {' '.join(path)}" in text or f"`{' '.join(path)}" in text, path


@pytest.mark.parametrize("path", [p for p in COMMANDS if p], ids=" ".join)
def test_every_option_of_a_command_is_documented(path: tuple[str, ...]):
    parser = COMMANDS[path]
    missing = []
    for group in parser._action_groups:
        shared = GROUP_PAGES.get((group.title or "").split(" ")[0])
        pages = [PAGES[path[0]], *([shared] if shared else [])]
        text = "\n".join(_page(p) for p in pages)
        for action in group._group_actions:
            if isinstance(action, argparse._HelpAction) or not action.option_strings:
                continue
            if not any(_named(o, text) for o in action.option_strings):
                missing.append(f"{'/'.join(action.option_strings)} (not in {', '.join(pages)})")
    assert not missing, f"geoevents {' '.join(path)}: undocumented {missing}"


def _written_commands() -> Iterator[tuple[str, int, str, list[str]]]:
    """(file, line, command, options) of each ``geoevents CMD [SUB] ... --opt`` in the docs."""
    for page in sorted([*DOCS.glob("*.md"), ROOT / "README.md"]):
        raw = page.read_text(encoding="utf-8")
        text = re.sub(r"\\\n\s*", " ", raw)  # shell continuation lines
        for m in re.finditer(r"geoevents((?: [a-z][a-z-]*)+)((?:(?!geoevents\b)[^`\n])*)", text):
            words, path = m.group(1).split(), []
            for w in words:
                if (*path, w) not in COMMANDS:
                    break
                path.append(w)
            if not path:
                continue
            rest = " ".join(words[len(path):]) + m.group(2)
            rest = re.split(r"\||&&|;|\bgeoevents\b|#", rest)[0]  # one command, no comment
            opts = re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", rest)
            yield page.name, text[:m.start()].count("\n") + 1, " ".join(path), opts


def test_every_option_the_docs_write_exists():
    seen = 0
    bad = []
    for page, line, command, opts in _written_commands():
        parser = COMMANDS[tuple(command.split())]
        have = {o for a in parser._actions for o in a.option_strings}
        seen += len(opts)
        bad += [f"{page}:{line}: geoevents {command} {o}" for o in opts if o not in have]
    assert seen > 50  # the scan reads the pages' commands
    assert not bad, bad


def test_the_scan_sees_a_wrong_option():
    """The checks can fail: an option the parser lacks, a page without an option."""
    assert not _named("--subtitle", "[--title TEXT] [--subtitles X]")
    assert _named("--top", "`gazetteer info [--top N]`")
    parser = COMMANDS[("map",)]
    assert "--no-such" not in {o for a in parser._actions for o in a.option_strings}


def test_readme_is_short_and_its_commands_are_real():
    """At most about 200 lines; the set-up command draws the example with files that exist, and
    every path of the project it names (``data/...``, ``docs/...``) is there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 210
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert "pip install -e" in setup and "python -m pytest" in setup
    assert re.search(r"geoevents map data/examples/incidents\.csv --lines \S+ .*-o map\.html",
                     setup)
    written = {c for page, _l, c, _o in _written_commands() if page == "README.md"}
    assert {"data install", "map", "export"} <= written, written
    named = set(re.findall(r"(?<![\w./-])((?:data|docs)/[\w./*-]+[\w*])", readme))
    assert named
    missing = [n for n in sorted(named) if not list(ROOT.glob(n))]
    assert not missing, missing


def test_every_environment_variable_is_documented():
    """Every GEOEVENTS_* variable the packages read is in docs/data.md's table, and the
    command line's help points there."""
    names = set()
    for pkg in ("gazetteer", "maps", "geoevents"):
        for path in (ROOT / pkg).rglob("*.py"):
            names |= set(re.findall(r"GEOEVENTS_[A-Z][A-Z_]*[A-Z]", path.read_text("utf-8")))
    assert {"GEOEVENTS_HOME", "GEOEVENTS_INDEX", "GEOEVENTS_CONFIG"} <= names
    table = _page("data.md").split("## Where the files live", 1)[1].split("\n## ", 1)[0]
    assert [n for n in sorted(names) if f"`{n}`" not in table] == []
    from geoevents import cli

    assert "docs/data.md" in cli.EPILOG
