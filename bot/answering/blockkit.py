"""Block Kit primitives shared by every Slack view (answers, digests, uploads): sections, context lines, headers,
citations and quotes, always within Slack's limits, with every piece of article or user text escaped."""

from __future__ import annotations

import re
from typing import Any

from bot.answering.answer import ArticleRef

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_BUTTON_VALUE = 2000

Block = dict[str, Any]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def cite(article: ArticleRef) -> str:
    when = article.published.isoformat() if article.published else "undated"
    title = mrkdwn_escape(article.title)
    url = safe_url(article.url)
    linked = f"<{url}|{title}>" if url else f"_{title}_"
    source = f" · {mrkdwn_escape(article.source)}" if article.source else ""
    return f"{linked} · {when}{source}"


def quote(sentence: str) -> str:
    return "> " + mrkdwn_escape(sentence).replace("\n", "\n> ")


def fit(blocks: list[Block], tail: list[Block] | None = None, limit: int = MAX_BLOCKS) -> list[Block]:
    """At most `limit` blocks (50 in a message, 100 in a Home tab): a long answer is cut and says so; the tail
    (buttons) always stays."""
    tail = tail or []
    room = limit - len(tail)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], context("_Answer shortened to fit in Slack; ask a narrower question._")]
    return blocks + tail
