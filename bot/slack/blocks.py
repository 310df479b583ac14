"""Block Kit builders: answer objects in, message dicts out, always within Slack's limits."""

from __future__ import annotations

import json
from typing import Any

from bot.answer import Answer, ArticleRef, Claim
from bot.digest import Digest
from bot.render import figure_line, help_text

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_BUTTON_VALUE = 2000
SHARE_ACTION = "share_answer"

Block = dict[str, Any]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mrkdwn_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text or " ", MAX_HEADER), "emoji": True}}


def cite(article: ArticleRef) -> str:
    when = article.published.isoformat() if article.published else "undated"
    title = mrkdwn_escape(article.title)
    linked = f"<{article.url}|{title}>" if article.url else f"_{title}_"
    source = f" · {mrkdwn_escape(article.source)}" if article.source else ""
    return f"{linked} · {when}{source}"


def quote(sentence: str) -> str:
    return "> " + mrkdwn_escape(sentence).replace("\n", "\n> ")


def _claim_blocks(claim: Claim, lead: bool) -> list[Block]:
    fig = claim.lead
    line = mrkdwn_escape(figure_line(fig))
    blocks = [section((f"*{line}*" if lead else f"• *{line}*") + "\n" + quote(fig.sentence))]
    others = [a for a in claim.articles if a.id != fig.article.id]
    more = f" · also in {len(others)} more: " + "; ".join(cite(a) for a in others[:4]) if others else ""
    blocks.append(context(cite(fig.article) + more))
    return blocks


def answer_blocks(answer: Answer, command: str = "/alibaba", share: bool = True) -> list[Block]:
    """The answer as Slack shows it: the query restated, the answer, quotes with titles and dates, notes."""
    if answer.kind == "help":
        return fit([section(mrkdwn_escape(help_text(command)))])
    blocks: list[Block] = [context(f"*{mrkdwn_escape(command)}* {mrkdwn_escape(answer.query)}")]
    if answer.kind == "figure":
        for i, claim in enumerate(answer.claims):
            if i == 1:
                blocks.append({"type": "divider"})
                blocks.append(context("Other figures"))
            blocks.extend(_claim_blocks(claim, lead=i == 0))
    elif answer.kind == "entity" and answer.entity:
        e = answer.entity
        blocks.append(header(f"{e.name} ({e.type})"))
        fields = [{"type": "mrkdwn", "text": clip(f"*Also known as*\n{mrkdwn_escape(', '.join(e.aliases) or '—')}",
                                                   MAX_FIELD)},
                  {"type": "mrkdwn", "text": f"*Mentions*\n{e.mention_count} in {e.article_count} article(s)"}]
        blocks.append({"type": "section", "fields": fields})
        for p in e.descriptions:
            blocks.append(section(quote(p.sentence)))
            blocks.append(context(cite(p.article)))
        if answer.claims:
            blocks.append({"type": "divider"})
            blocks.append(context(f"Figures tied to {mrkdwn_escape(e.name)}"))
            for claim in answer.claims:
                blocks.extend(_claim_blocks(claim, lead=False))
    elif answer.kind == "passages":
        blocks.append(section(f"No figure answers “{mrkdwn_escape(answer.query)}” directly. The closest sentences:"))
        for p in answer.passages:
            blocks.append(section(quote(p.sentence)))
            blocks.append(context(cite(p.article)))
    else:
        text = f"I found nothing about “{mrkdwn_escape(answer.query)}” in the {answer.corpus_size} articles I have."
        if answer.suggestions:
            text += "\nDid you mean: " + ", ".join(f"`{mrkdwn_escape(s)}`" for s in answer.suggestions) + "?"
        blocks.append(section(text))
        blocks.append(context(f"Try `{command} help` for examples."))
    for note in answer.notes:
        blocks.append(section(f":information_source: {mrkdwn_escape(note)}"))
    actions = [share_button(answer.query)] if share and answer.kind in ("figure", "entity", "passages") else []
    return fit(blocks, tail=actions)


def share_button(query: str) -> Block:
    return {"type": "actions", "elements": [{
        "type": "button", "action_id": SHARE_ACTION, "text": {"type": "plain_text", "text": "Share in channel"},
        "value": clip(json.dumps({"q": query}), MAX_BUTTON_VALUE),
    }]}


def fit(blocks: list[Block], tail: list[Block] | None = None) -> list[Block]:
    """At most 50 blocks: a long answer is cut and says so; the tail (buttons) always stays."""
    tail = tail or []
    room = MAX_BLOCKS - len(tail)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], context("_Answer shortened to fit in Slack; ask a narrower question._")]
    return blocks + tail


def fallback_text(answer: Answer) -> str:
    """The notification text Slack shows where blocks are not rendered."""
    return clip(answer.text or answer.query, MAX_SECTION)


def message(text: str) -> list[Block]:
    return [section(text)]


def digest_blocks(digest: Digest, command: str = "/alibaba") -> list[Block]:
    """The digest as Block Kit: a header, one section per part, each capped; the rest is left to lookups."""
    from bot.digest import SECTION_LIMIT

    span = f"{digest.start:%Y-%m-%d} – {digest.end:%Y-%m-%d}"
    if digest.empty:
        return [section(f"*Alibaba AI digest, {span}:* nothing new, no articles were added.")]
    out: list[Block] = [header(f"Alibaba AI digest, {span}"),
                        context(f"{len(digest.articles)} article(s) added")]

    def part(title: str, rows: list[str], total: int, hint: str) -> None:
        if not rows:
            return
        text = f"*{title}*\n" + "\n".join(f"• {r}" for r in rows)
        if total > len(rows):
            text += f"\n…and {total - len(rows)} more: try `{command} {hint}`"
        out.append(section(text))

    part("Articles added",
         [f"{cite(a.article)} — added by {_who(a.added_by)}" for a in digest.articles[:SECTION_LIMIT]],
         len(digest.articles), "status")
    part("Figures that changed", [
        f"{mrkdwn_escape(c.old.text)} → *{mrkdwn_escape(c.new.text)}* ({cite(c.old.article)} → {cite(c.new.article)})"
        for c in digest.changed[:SECTION_LIMIT]], len(digest.changed), "<topic>")
    part("Sources that now disagree", [
        f"{mrkdwn_escape(c.old.text)} ({cite(c.old.article)}) vs {mrkdwn_escape(c.new.text)} ({cite(c.new.article)})"
        for c in digest.disagreements[:SECTION_LIMIT]], len(digest.disagreements), "<topic>")
    part("New figures", [
        f"*{mrkdwn_escape(f.text)}* — {mrkdwn_escape(clip(f.sentence, 200))} ({cite(f.article)})"
        for f in digest.new_figures[:SECTION_LIMIT]], len(digest.new_figures), "<topic>")
    if digest.new_entities:
        names = ", ".join(mrkdwn_escape(n) for n, _ in digest.new_entities[:20])
        extra = f" and {len(digest.new_entities) - 20} more" if len(digest.new_entities) > 20 else ""
        out.append(section(f"*First mentioned:* {names}{extra}"))
    if digest.top_entities:
        out.append(section("*Most mentioned:* " + ", ".join(f"{mrkdwn_escape(n)} ({c})"
                                                             for n, c in digest.top_entities)))
    return fit(out)


def _who(user: str | None) -> str:
    if user and user[:1] in ("U", "W") and user[1:].isalnum():
        return f"<@{user}>"
    return mrkdwn_escape(user or "unknown")
