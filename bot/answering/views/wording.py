"""Words every view shares, in text and in Block Kit: plurals, clipping, and the example lookups the help and the
App Home offer."""

from __future__ import annotations

EXAMPLES = ["capex", "Eddie Wu", "qwen downloads", "cloud revenue", "derivative models", "status"]
# Irregular plurals the bot's messages use; everything else takes an "s".
_PLURALS = {"entity": "entities", "time": "times", "is": "are", "was": "were"}


def plural(count: int, word: str) -> str:
    """ "1 figure", "2 figures", "1 entity", "3 entities". """
    return f"{count:,} {word if count == 1 else _PLURALS.get(word, word + 's')}"


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters, an ellipsis saying so."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
