"""The one table of verbs: each with the function that runs it, the surfaces that offer it and whether it needs
an admin. A new verb (`feed`, `chart`, …) is one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.commands import adding, asking, digests, feeds
from bot.commands.command import Command
from bot.commands.context import CLI, CONSOLE, SLACK, Context, Outcome

EVERYWHERE = frozenset({SLACK, CONSOLE, CLI})
CHAT = frozenset({SLACK, CONSOLE})
SLACK_ONLY = frozenset({SLACK})


@dataclass(frozen=True)
class Verb:
    name: str  # the first word typed; "ask" is every line that starts with no verb
    run: Callable[[Command, Context], Outcome]
    surfaces: frozenset[str]
    admin: bool = False
    with_args: bool | None = None  # only with words after the verb (True), only without (False), or either


VERBS: tuple[Verb, ...] = (
    Verb("help", asking.show_help, CHAT),
    Verb("status", asking.show_status, CHAT),
    Verb("digest", digests.preview_digest, CHAT, with_args=False),
    Verb("digest", digests.post_digest, SLACK_ONLY, admin=True, with_args=True),  # `digest now`
    Verb("subscribe", digests.subscribe, SLACK_ONLY, admin=True),
    Verb("unsubscribe", digests.unsubscribe, SLACK_ONLY, admin=True),
    Verb("add", adding.add_article, SLACK_ONLY, admin=True, with_args=False),
    Verb("add", feeds.add_link, SLACK_ONLY, admin=True, with_args=True),  # `add URL`
    Verb("feed", feeds.feed_command, CHAT),  # admins for all but `feed list`: checked inside
    Verb("watch", feeds.watch_links, SLACK_ONLY, admin=True),
    Verb("unwatch", feeds.watch_links, SLACK_ONLY, admin=True),
    Verb("ask", asking.look_up, EVERYWHERE),
)
WORDS = frozenset(v.name for v in VERBS) - {"ask"}


def verb_for(cmd: Command) -> Verb:
    return next(v for v in VERBS if v.name == cmd.verb and v.with_args in (None, bool(cmd.args)))
