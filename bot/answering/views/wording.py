"""Words every view shares, in text and in Block Kit: plurals, clipping, and how the bot presents itself
(`Facing`: the company it follows, its slash command and the example lookups the help and the App Home offer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What the help offers to try when the corpus has nothing to suggest yet.
GENERIC_EXAMPLES = ("help", "status")


@dataclass(frozen=True)
class Facing:
    """How the bot presents itself, all from the pack it follows: the company's name, the slash command, and
    example lookups taken from the pack's own articles (`bot.answering.facing` builds it)."""

    company: str
    command: str
    examples: tuple[str, ...] = GENERIC_EXAMPLES

    @property
    def handle(self) -> str:
        """The command without its slash, a name safe in a prompt, a log or a Slack display name."""
        return re.sub(r"[^0-9a-z_-]+", "-", self.command.lstrip("/").lower()).strip("-") or "bot"

    @property
    def possessive(self) -> str:
        """ "Acme's", "Acme Systems'"."""
        return self.company + ("'" if self.company.endswith("s") else "'s")

    @property
    def title(self) -> str:
        """ "Acme AI tracker": the App Home's header and the Slack app's name."""
        return f"{self.company} AI tracker"

    @property
    def bot_name(self) -> str:
        """The bot user's display name in Slack (lower case, no spaces): "acme-ai"."""
        return f"{self.handle}-ai"

    @property
    def lookups(self) -> tuple[str, ...]:
        """The examples that look something up (not the bot's own verbs)."""
        return tuple(e for e in self.examples if e not in GENERIC_EXAMPLES)


# Irregular plurals the bot's messages use; everything else takes an "s".
_PLURALS = {"entity": "entities", "time": "times", "is": "are", "was": "were"}


def plural(count: int, word: str) -> str:
    """ "1 figure", "2 figures", "1 entity", "3 entities"."""
    return f"{count:,} {word if count == 1 else _PLURALS.get(word, word + 's')}"


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters, an ellipsis saying so."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
