"""The house plan holds: small files, one-way imports, audience-named views, domains that
register themselves, view helpers written once (README, "Code layout").

Each rule reads the source as text or as a syntax tree: it fails on the commit that breaks it,
naming the file and line.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

import committees
from committees import DOMAINS

PACKAGE = Path(committees.__file__).resolve().parent
MAX_LINES = 400

#: Below every domain: they import no domain (the application shell imports them all).
LOWER_LAYERS = frozenset({"common", "extensions", "auth", "mail", "audit"})
#: The application shell: the factory's own modules, used by every domain.
SHELL = frozenset({"errors", "security", "observability", "i18n", "templating", "layout"})
AUDIENCES = ("public", "member", "contributor", "secretariat", "admin")
VIEW_MODULE = re.compile(rf"^({'|'.join(AUDIENCES)})_views\.py$")


def _sources() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


SOURCES = _sources()
TREES = {name: ast.parse(path.read_text(), str(path)) for name, path in SOURCES.items()}


def _imports(name: str) -> set[str]:
    """The package's modules that ``name`` imports, wherever the import stands (those made for
    type checkers only included: a type-only dependency still runs against the plan)."""
    found = set()
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if candidate in SOURCES:
                    found.add(candidate)
                elif node.module in SOURCES:
                    found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in SOURCES)
    found.discard(name)
    return found


GRAPH = {name: _imports(name) for name in SOURCES}


def _top(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def _relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_no_file_is_longer_than_one_sitting():
    long = [
        f"{_relative(path)}: {count} lines"
        for path in SOURCES.values()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_import_cycle():
    assert _cycles(GRAPH) == []


def test_no_package_import_cycle_between_domains():
    packages: dict[str, set[str]] = defaultdict(set)
    for name, targets in GRAPH.items():
        for target in targets:
            if _top(name) and _top(target) and _top(name) != _top(target):
                packages[_top(name)].add(_top(target))
    assert _cycles(dict(packages)) == []


def test_lower_layers_import_no_domain():
    below = LOWER_LAYERS | SHELL
    upward = [
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if _top(name) in below
        for target in sorted(targets)
        if _top(target) and _top(target) not in below
    ]
    assert upward == []


def test_every_package_is_a_domain_or_a_lower_layer():
    packages = {_top(name) for name, path in SOURCES.items() if path.name == "__init__.py"}
    packages.discard("")
    assert packages - set(DOMAINS) - LOWER_LAYERS - SHELL == set()
    for domain in DOMAINS:
        init = TREES[f"committees.{domain}"]
        names = {node.name for node in init.body if isinstance(node, ast.FunctionDef)}
        assert "init_app" in names, f"committees/{domain}/__init__.py has no init_app"


def _blueprints(tree: ast.Module) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Blueprint"
    ]


def test_views_live_in_audience_modules_one_blueprint_each():
    wrong = []
    for name, path in SOURCES.items():
        lines = _blueprints(TREES[name])
        if not lines:
            continue
        if not VIEW_MODULE.match(path.name):
            wrong.append(f"{_relative(path)}: a blueprint outside an <audience>_views.py module")
        elif len(lines) != 1:
            wrong.append(f"{_relative(path)}: {len(lines)} blueprints (lines {lines})")
    assert wrong == []


#: What registering by being imported looks like.
SIDE_EFFECTS = re.compile(
    r"noqa: F401 - regist|noqa: F401 - TODO|\.app_template_filter|add_app_template_filter"
    r"|\.app_template_global|\.app_context_processor|@bp\.cli\."
)


def test_nothing_registers_by_being_imported():
    found = [
        f"{_relative(path)}:{number}: {line.strip()}"
        for path in SOURCES.values()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SIDE_EFFECTS.search(line)
    ]
    assert found == []


def test_panels_are_registered_from_init_app_only():
    """``register_panel`` is called inside functions, never at a module's top level."""
    found = []
    for name, tree in TREES.items():
        for node in tree.body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                func = node.value.func
                if getattr(func, "id", getattr(func, "attr", None)) == "register_panel":
                    found.append(f"{_relative(SOURCES[name])}:{node.lineno}")
    assert found == []


#: Helpers of every view or form module, each with its one home, and how often they may stand.
WRITTEN_ONCE = {
    r"^INVALID = 422": 1,  # committees/common/views.py
    r"INVALID if form\.errors": 0,  # form_status()
    r"^def _refuse\(": 0,  # refuse()
    r"^def _flash_refusal\(": 0,  # flash_refusal()
    r"^def _meeting_or_404\(": 0,  # get_or_404()
    r"^def _max\(": 0,  # committees/common/forms.py: max_length()
    r"^class MultiCheckboxField\(": 1,
    r"^class ActionForm\(": 1,
}


@pytest.mark.parametrize("pattern", list(WRITTEN_ONCE))
def test_view_helpers_are_written_once(pattern):
    where = [
        f"{_relative(path)}:{number}"
        for path in SOURCES.values()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert len(where) <= WRITTEN_ONCE[pattern], where
