"""The package layout holds: imports only go down, from the edges to answering/digest to reading/store/rules; only
the rules loader reads YAML, and only the settings read the environment."""

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
    "digest": {"answering", "reading", "rules", "store"},
    "commands": {"answering", "digest", "reading", "rules", "store"},
    "slack": {"answering", "commands", "digest", "reading", "rules", "store"},
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


def test_no_function_and_no_answering_class_is_longer_than_120_lines() -> None:
    long = []
    for path in sorted(BOT.rglob("*.py")):
        answering = path.is_relative_to(BOT / "answering")
        for node in ast.walk(ast.parse(path.read_text())):
            kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) if answering else (
                ast.FunctionDef, ast.AsyncFunctionDef)
            if isinstance(node, kinds):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 120:
                    long.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {node.name} ({length} lines)")
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
        elif isinstance(node, ast.Attribute) and node.attr in _ENVIRONMENT and isinstance(node.value, ast.Name) \
                and node.value.id == "os":
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
    sample.write_text("import os\nimport yaml\nfrom os import getenv\nx = os.environ.get('A')\n"
                      "y = os.getenv('B')\n")
    assert outside_reads(sample) == [(2, "yaml"), (3, "environment"), (4, "environment"), (5, "environment")]
