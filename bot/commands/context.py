"""What a verb is run with (`Context`: the core, who typed the line and where) and what it gives back
(`Outcome`: data each surface renders its own way)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.answering.facing import slash_command

if TYPE_CHECKING:
    from bot.answering.answers import Answerer
    from bot.answering.model import Answer
    from bot.digest.content import Digest
    from bot.settings import Settings

# Where a line was typed.
SLACK = "slack"  # the slash command, direct messages, mentions, thread follow-ups and the App Home
CONSOLE = "console"  # `python -m bot console`
CLI = "cli"  # `python -m bot ask`: every line is a lookup
REFUSAL = "Sorry, only the bot's admins can add articles or manage digests. Anyone can ask: try `{command} help`."


def _nobody() -> bool:
    return False


@dataclass
class Context:
    settings: Settings
    answerer: Answerer
    surface: str  # SLACK, CONSOLE or CLI
    user: str = ""
    channel: str | None = None  # the Slack channel a digest command is about; None outside Slack
    is_admin: Callable[[], bool] = _nobody  # asked only when a verb needs an admin
    slack: Any = None  # Slack's Web client, to post the digest now
    can_open_form: bool = False  # the surface can open the add-article form (Slack gave a trigger id)

    @property
    def command(self) -> str:
        """The slash command: the pack's, unless the SLASH_COMMAND setting overrides it."""
        return slash_command(self.settings, self.answerer.rules.company)


@dataclass
class Outcome:
    """A verb's result. `text` is the whole reply as plain text (what the console prints); `kind` says what else
    a richer surface shows: "help", "status", "digest" (with `digest`), "answer" (with `answer`), "add_form" (open
    the add-article form) or "message"."""

    text: str
    kind: str = "message"
    answer: Answer | None = None
    digest: Digest | None = None
