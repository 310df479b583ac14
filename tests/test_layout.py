"""The package layout holds: imports only go down, from the edges to commands, answering/digest, reading/store
and rules; no module imports itself back through others (imports inside functions count); modules, classes and
functions stay short enough to read; only the rules loader reads YAML, and only the settings read the environment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
# What each package may import from the project (besides itself and bot.settings).
ALLOWED = {
    "rules": set(),
    "store": {"rules"},
    "reading": {"rules", "store"},
    "answering": {"reading", "rules", "store"},
    "charts": {"answering", "reading", "rules", "store"},
    "feeds": {"reading", "rules", "store"},
    "digest": {"answering", "charts", "feeds", "reading", "rules", "store"},
    "commands": {"answering", "charts", "digest", "feeds", "reading", "rules", "store"},
    "slack": {"answering", "charts", "commands", "digest", "feeds", "reading", "rules", "store"},
}
EDGES = {"cli", "console", "__main__"}


def package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return None
    return parts[1]


def project_imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("bot.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            if node.module == "bot":
                found += [(node.lineno, f"bot.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def test_every_module_sits_in_a_package_or_is_an_edge() -> None:
    loose = {p.stem for p in BOT.glob("*.py")} - EDGES - {"__init__", "settings"}
    assert loose == set(), f"modules outside the packages: {sorted(loose)}"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_only_go_down(package: str) -> None:
    bad = []
    for path in sorted((BOT / package).rglob("*.py")):
        for line, module in project_imports(path):
            target = package_of(module)
            if target in (None, package, "settings"):
                continue
            if target not in ALLOWED[package]:
                bad.append(f"{path.relative_to(PROJECT_ROOT)}:{line} imports {module}")
    assert bad == []


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("from bot.slack.blocks import x\nimport bot.answering.answers\n")
    assert [package_of(m) for _, m in project_imports(sample)] == ["slack", "answering"]


MAX_MODULE_LINES = 450
MAX_CLASS_LINES = 150
MAX_FUNCTION_LINES = 120


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the `bot` package under `root` (a package is its
    `__init__.py`)."""
    found = {}
    for path in sorted((root / "bot").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported_names(module: str, path: Path) -> list[tuple[str, str | None]]:
    """(module, name or None) for every import anywhere in the file, inside functions and TYPE_CHECKING blocks
    too; relative imports made absolute."""
    found: list[tuple[str, str | None]] = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(base, a.name) for a in node.names]
    return [(m, n) for m, n in found if m == "bot" or m.startswith("bot.")]


def import_graph(root: Path) -> dict[str, set[str]]:
    """module -> the modules of `bot` it imports. `from package import name` leads to the submodule of that name,
    or to the module the package's `__init__` takes the name from (a re-export), else to the package itself;
    importing a submodule is not counted as importing its package's `__init__`."""
    files = module_files(root)
    imports = {module: _imported_names(module, path) for module, path in files.items()}
    # package -> name -> the module its __init__ imports the name from
    exported = {
        package: {n: m for m, n in imports[package] if n is not None and m in files}
        for package, path in files.items()
        if path.name == "__init__.py"
    }

    def target(module: str, name: str | None) -> str | None:
        if name is not None and f"{module}.{name}" in files:
            return f"{module}.{name}"
        while module not in files and "." in module:
            module = module.rpartition(".")[0]
        seen = set()
        while name is not None and name in exported.get(module, {}) and module not in seen:
            seen.add(module)
            module = exported[module][name]
        return module if module in files else None

    return {
        module: {t for m, n in names if (t := target(m, n)) is not None and t != module}
        for module, names in imports.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back() -> None:
    assert cycles(import_graph(PROJECT_ROOT)) == []


def test_the_rule_catches_a_cycle_through_a_function_and_a_reexport(tmp_path: Path) -> None:
    package = tmp_path / "bot" / "reading"
    package.mkdir(parents=True)
    (tmp_path / "bot" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from bot.reading.base import Limits\n")
    (package / "base.py").write_text("def read():\n    from bot.reading.html import page\n")
    (package / "html.py").write_text("from bot.reading import Limits\n\npage = Limits\n")
    (package / "text.py").write_text("from bot.reading import base\n")
    graph = import_graph(tmp_path)
    assert graph["bot.reading.html"] == {"bot.reading.base"}  # through the package's re-export
    assert graph["bot.reading.text"] == {"bot.reading.base"}  # a submodule, not the package
    assert cycles(graph) == [["bot.reading.base", "bot.reading.html"]]
    (package / "base.py").write_text("def read():\n    pass\n")
    assert cycles(import_graph(tmp_path)) == []


def _lines(node: ast.AST) -> int:
    return (getattr(node, "end_lineno", None) or node.lineno) - node.lineno + 1  # type: ignore[attr-defined]


def test_no_module_is_longer_than_450_lines() -> None:
    long = []
    for path in sorted(BOT.rglob("*.py")):
        name = str(path.relative_to(PROJECT_ROOT))
        length = len(path.read_text().splitlines())
        if length > MAX_MODULE_LINES:
            long.append(f"{name} ({length} lines)")
    assert long == []


# Who may read what the bot does not hold in code: rule files (YAML) and the environment.
YAML_READERS = ("rules/",)
ENVIRONMENT_READERS = ("settings.py",)
_ENVIRONMENT = {"environ", "environb", "getenv", "getenvb"}


def outside_reads(path: Path) -> list[tuple[int, str]]:
    """Lines of the module that import yaml, or read the environment (os.environ or os.getenv, or either imported
    from os)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, "yaml") for a in node.names if a.name.split(".")[0] == "yaml"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "yaml":
                found.append((node.lineno, "yaml"))
            elif node.module == "os" and any(a.name in _ENVIRONMENT for a in node.names):
                found.append((node.lineno, "environment"))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in _ENVIRONMENT
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            found.append((node.lineno, "environment"))
    return sorted(found)


def test_only_the_loader_reads_yaml_and_only_the_settings_read_the_environment() -> None:
    bad = []
    for path in sorted(BOT.rglob("*.py")):
        where = path.relative_to(BOT).as_posix()
        for line, what in outside_reads(path):
            readers = YAML_READERS if what == "yaml" else ENVIRONMENT_READERS
            if not where.startswith(readers):
                bad.append(f"bot/{where}:{line} reads {what}")
    assert bad == []


def test_the_rule_catches_a_yaml_or_environment_read(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import os\nimport yaml\nfrom os import getenv\nx = os.environ.get('A')\ny = os.getenv('B')\n")
    assert outside_reads(sample) == [(2, "yaml"), (3, "environment"), (4, "environment"), (5, "environment")]


def test_no_class_over_150_lines_and_no_function_over_120() -> None:
    long = []
    for path in sorted(BOT.rglob("*.py")):
        name = str(path.relative_to(PROJECT_ROOT))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                limit = MAX_CLASS_LINES
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                limit = MAX_FUNCTION_LINES
            else:
                continue
            if _lines(node) > limit:
                long.append(f"{name}:{node.lineno} {node.name} ({_lines(node)} lines)")
    assert long == []
