"""The layout shows the architecture: imports point one way, geoevents -> maps -> gazetteer."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

FORBIDDEN = {"gazetteer": {"maps", "geoevents"}, "maps": {"geoevents"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_imports_point_one_way():
    bad = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in sorted(_imports(path) & forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, bad


def test_nothing_imports_the_command_line():
    bad = [str(p.relative_to(ROOT)) for pkg in ("gazetteer", "maps", "geoevents")
           for p in (ROOT / pkg).rglob("*.py")
           if "commands" not in p.parts and p.name not in ("cli.py", "__main__.py")
           and any(m in ("geoevents.cli", "geoevents.commands")
                   for m in _module_imports(p))]
    assert not bad, bad


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module if node.level == 0 else f"geoevents.{node.module}"
            out.add(".".join(mod.split(".")[:2]))
    return out
