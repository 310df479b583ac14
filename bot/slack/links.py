"""Links posted in a channel the bot watches (an admin's `watch links` there): each read into the index, with a
reply in the message's thread saying what became of it. An off-topic page gets no reply: a channel's talk about
other things is not the bot's business."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands.feeds import page_reply
from bot.feeds.manage import FeedCommandError, check_link
from bot.feeds.pages import shared_reader
from bot.slack.deps import Deps
from bot.store.db import session_scope
from bot.store.feeds import is_watched

log = logging.getLogger(__name__)
MAX_LINKS = 3  # read from one message
_LINK = re.compile(r"<(https?://[^>|\s]+)(?:\|[^>]*)?>")


def posted_links(text: str) -> list[str]:
    """The http(s) links of a message as Slack writes them (`<https://…|label>`), each once, at most MAX_LINKS.

    >>> posted_links("see <https://news.example/a|this> and <https://news.example/a> <mailto:x@y.example>")
    ['https://news.example/a']
    """
    return list(dict.fromkeys(m.group(1).replace("&amp;", "&") for m in _LINK.finditer(text)))[:MAX_LINKS]


def read_posted_links(deps: Deps, event: dict[str, Any], client: WebClient) -> bool:
    """Read the links of a top-level message in a watched channel; False when there was nothing to do."""
    links = posted_links(event.get("text") or "")
    if not links:
        return False
    channel = event["channel"]
    with session_scope(deps.settings.database_url) as session:
        if not is_watched(session, channel):
            return False
    reader = shared_reader(deps.settings, deps.answerer.rules)
    for link in links:
        try:
            page = reader.read_url(check_link(link), added_by=event.get("user") or "slack")
        except FeedCommandError:
            continue
        if page.outcome == "off-topic":
            log.info("link in %s skipped: %s", channel, page.reason)
            continue
        text = page_reply(page, link)
        try:
            client.chat_postMessage(channel=channel, thread_ts=event["ts"], text=text)
        except SlackApiError as exc:
            log.warning("could not reply about a link in %s: %s", channel, exc.response.get("error"))
    return True
