"""Every example in the bot's docstrings runs: a `>>>` line is code whose output is checked, never a comment."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
_COMMENT_ONLY = re.compile(r"^\s*>>>\s*#", re.M)


def _module_name(path_parts: tuple[str, ...]) -> str:
    parts = list(path_parts)
    parts[-1] = parts[-1].removesuffix(".py")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["bot", *parts])


WITH_EXAMPLES = sorted(
    _module_name(p.relative_to(BOT).parts) for p in BOT.rglob("*.py") if ">>>" in p.read_text(encoding="utf-8")
)


def test_there_are_examples_to_run() -> None:
    assert WITH_EXAMPLES, "no module in bot/ has a docstring example"


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (see the output above)"
    assert result.attempted > 0, f"{name} has `>>>` in its text but no example doctest can run"


def test_no_example_is_only_a_comment() -> None:
    """`>>> # "a sentence" -> a result` checks nothing: an example must run and show what it returns."""
    offenders = [
        f"{p.relative_to(PROJECT_ROOT)}:{p.read_text(encoding='utf-8')[: m.start()].count(chr(10)) + 1}"
        for p in sorted(BOT.rglob("*.py"))
        for m in _COMMENT_ONLY.finditer(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_comment_rule_catches_a_comment_example() -> None:
    assert _COMMENT_ONLY.search('    """Read it.\n\n    >>> # "pledged 5 billion" -> 5e9\n    """')
    assert not _COMMENT_ONLY.search('    """Read it.\n\n    >>> parse("5 billion")\n    5000000000.0\n    """')
