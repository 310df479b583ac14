"""A company pack: the folder that names the company the bot follows, and where the rule files come from.

A pack holds `company.yml` (required: the followed company, its fiscal calendar, currency and rivals), optionally
`entities.yml` (more names with their aliases) and the article files. The generic rule files ship with the bot in
`bot/rules/data/` (`SHIPPED_FILES`); a pack holds none of them, and may extend or override any one by holding a file
of the same name:

- mappings are merged key by key (a nested mapping the same way), and a value that is not a mapping or a list
  replaces the shipped one;
- lists are extended: an item already there is skipped, and an item that is a mapping is merged into the shipped item
  whose first field is the same (a metric's `name`; a concept's `ask`, where sharing one word is enough), or else
  added at the end;
- `replace: true` at the top of the file replaces the whole shipped file; `replace: [key, ...]` replaces those keys
  (a list to shorten, say) and merges the rest.

A pack that cannot be used (no folder, no `company.yml`, YAML that does not parse, a file of the wrong shape) stops
the bot with one line saying what is wrong (`PackError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.rules.company import PackError

SHIPPED = Path(__file__).resolve().parent / "data"
SHIPPED_FILES = (
    "currencies.yml",
    "figure_rules.yml",
    "metrics.yml",
    "questions.yml",
    "text_rules.yml",
    "vocabulary.yml",
)
PACK_FILES = ("company.yml", "entities.yml")  # read from the pack only; entities.yml may be missing


def check_pack(folder: Path) -> None:
    """`PackError` unless `folder` is a pack: a folder holding company.yml."""
    if not folder.is_dir():
        raise PackError(
            f"company pack {folder} (SEEDS_DIR) is not a folder; "
            "make one with `python -m bot company init NAME --dir FOLDER`"
        )
    if not (folder / "company.yml").is_file():
        raise PackError(
            f"company pack {folder} (SEEDS_DIR) has no company.yml; "
            "make one with `python -m bot company init NAME --dir FOLDER`"
        )


def overridden(folder: Path) -> tuple[str, ...]:
    """The shipped rule files the pack extends or replaces."""
    return tuple(name for name in SHIPPED_FILES if (folder / name).is_file())


def read_yaml(path: Path) -> Any:
    """A YAML file's content; `PackError` with the file, line and problem when it does not parse."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise PackError(f"{path}: not valid YAML{line}: {problem}") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def pack_rule_file(folder: Path, name: str) -> Any:
    """A rule file as the bot uses it: a shipped file merged with the pack's file of that name, or a pack file."""
    if name not in SHIPPED_FILES:
        path = folder / name
        return read_yaml(path) if path.is_file() or name == "company.yml" else None
    shipped = read_yaml(SHIPPED / name)
    path = folder / name
    if not path.is_file():
        return shipped
    extra = read_yaml(path)
    if extra is None:
        return shipped
    if not isinstance(extra, dict):
        raise PackError(f"{path}: expected a mapping of the keys of the shipped {name} to extend or replace")
    return extend(shipped, extra, str(path))


def extend(shipped: dict[str, Any], extra: dict[str, Any], where: str) -> dict[str, Any]:
    """A shipped rule file extended by a pack's file of the same name (the rules are in the module's docstring)."""
    extra = dict(extra)
    replace = extra.pop("replace", False)
    if replace is True:
        return extra
    if replace is False:
        replace = []
    if not isinstance(replace, list) or not all(isinstance(k, str) for k in replace):
        raise PackError(f"{where}: replace must be true or a list of keys, got {replace!r}")
    unknown = sorted(set(extra) - set(shipped))
    if unknown:
        raise PackError(f"{where}: unknown key {unknown[0]!r} (the shipped file has {', '.join(sorted(shipped))})")
    out = dict(shipped)
    for key, value in extra.items():
        out[key] = value if key in replace else merged(shipped[key], value, f"{where}: {key}")
    return out


def merged(base: Any, extra: Any, where: str) -> Any:
    if isinstance(base, dict):
        if not isinstance(extra, dict):
            raise PackError(f"{where}: expected a mapping, as in the shipped file")
        return {**base, **{k: merged(base[k], v, f"{where}.{k}") if k in base else v for k, v in extra.items()}}
    if isinstance(base, list):
        if not isinstance(extra, list):
            raise PackError(f"{where}: expected a list, as in the shipped file")
        out = list(base)
        for item in extra:
            at = _same_item(out, item)
            if at is None:
                out.append(item)
            elif isinstance(item, dict):
                out[at] = merged(out[at], item, where)
        return out
    return extra


def _same_item(items: list[Any], item: Any) -> int | None:
    """Where `item` already is in a list: an equal item, or a mapping with the same first field."""
    if not isinstance(item, dict):
        return items.index(item) if item in items else None
    if not item:
        return None
    key, value = next(iter(item.items()))
    for i, there in enumerate(items):
        if not isinstance(there, dict) or not there or next(iter(there)) != key:
            continue
        mine = there[key]
        if mine == value or (
            isinstance(mine, list) and isinstance(value, list) and set(map(str, mine)) & set(map(str, value))
        ):
            return i
    return None


def read_company(folder: Path) -> Any:
    """The parsed company.yml of the pack `folder`; `PackError` when the folder is not a pack."""
    check_pack(folder)
    return read_yaml(folder / "company.yml")
