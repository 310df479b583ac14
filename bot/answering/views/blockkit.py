"""Block Kit primitives shared by every Slack view (answers, digests, the App Home, uploads, forms): Slack's
limits, the one mrkdwn escaping, sections, context lines, headers, citations, quotes and buttons. Every piece of
article or user text placed in mrkdwn goes through `mrkdwn_escape` (or `cite`/`quote`, which call it)."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.answering.model import ArticleRef
from bot.answering.views.wording import clip

MAX_BLOCKS = 50  # in a message; a Home tab takes 100
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_BUTTON_VALUE = 2000

Block = dict[str, Any]


_SAFE_URL = re.compile(r"^https?://[^\s<>|\x00-\x1f]+$", re.IGNORECASE)


def mrkdwn_escape(text: str) -> str:
    """The one escaping for article and user text placed in mrkdwn or in a message's `text`: with `&`, `<` and
    `>` escaped, Slack shows `<!channel>`, `<@U…>`, `<#C…>` and `<https://…|…>` as written, never as a mention
    or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str | None) -> str | None:
    """An article's URL fit to link: http(s) only, nothing that could close the link or start another."""
    if not url or not _SAFE_URL.match(url.strip()):
        return None
    return url.strip().replace("&", "&amp;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text or " ", MAX_HEADER), "emoji": True}}


def divider() -> Block:
    return {"type": "divider"}


def field(text: str) -> Block:
    """One of a section's side-by-side fields."""
    return {"type": "mrkdwn", "text": clip(text, MAX_FIELD)}


def message(text: str) -> list[Block]:
    """A reply whose text is already safe mrkdwn (its article and user parts escaped by the caller)."""
    return [section(text)]


def cite(article: ArticleRef) -> str:
    """An article as mrkdwn: its title (linked when its URL is safe), date and outlet."""
    when = article.published.isoformat() if article.published else "undated"
    title = mrkdwn_escape(article.title)
    url = safe_url(article.url)
    linked = f"<{url}|{title}>" if url else f"_{title}_"
    source = f" · {mrkdwn_escape(article.source)}" if article.source else ""
    return f"{linked} · {when}{source}"


def quote(sentence: str) -> str:
    return "> " + mrkdwn_escape(sentence).replace("\n", "\n> ")


def button(label: str, action_id: str, value: dict[str, Any], style: str | None = None) -> Block:
    """A button whose value is a small JSON object, read back by `button_value`."""
    element: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": clip(json.dumps(value), MAX_BUTTON_VALUE),
    }
    if style:
        element["style"] = style
    return element


def button_value(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON value of the button that was pressed ({} when it is not ours)."""
    try:
        value = json.loads(body["actions"][0]["value"])
    except (KeyError, IndexError, ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def fit(blocks: list[Block], tail: list[Block] | None = None, limit: int = MAX_BLOCKS) -> list[Block]:
    """At most `limit` blocks (50 in a message, 100 in a Home tab): a long answer is cut and says so; the tail
    (buttons) always stays."""
    tail = tail or []
    room = limit - len(tail)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], context("_Answer shortened to fit in Slack; ask a narrower question._")]
    return blocks + tail
