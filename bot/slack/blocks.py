"""Block Kit builders: answer objects in, message dicts out, always within Slack's limits."""

from __future__ import annotations

import json

from bot.answering.answer import Answer, Claim
from bot.answering.blockkit import (
    MAX_BUTTON_VALUE,
    MAX_FIELD,
    MAX_SECTION,
    Block,
    cite,
    clip,
    context,
    fit,
    header,
    mrkdwn_escape,
    quote,
    section,
)
from bot.answering.render import figure_line, help_text

SHARE_ACTION = "share_answer"


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


def fallback_text(answer: Answer) -> str:
    """The notification text Slack shows where blocks are not rendered."""
    return clip(answer.text or answer.query, MAX_SECTION)


def message(text: str) -> list[Block]:
    return [section(text)]
