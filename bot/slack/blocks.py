"""Block Kit builders: answer objects in, message dicts out, always within Slack's limits."""

from __future__ import annotations

import json
from typing import Any

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
from bot.answering.render import figure_line, help_text, plural, split_notes

SHARE_ACTION = "share_answer"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
REPORT_FIGURE = "report_figure"
RATED_KINDS = ("figure", "entity", "passages", "none")
SHARED_KINDS = ("figure", "entity", "passages")


def _claim_blocks(claim: Claim, lead: bool, key: str | None) -> list[Block]:
    fig = claim.lead
    line = mrkdwn_escape(figure_line(fig))
    main = section((f"*{line}*" if lead else f"• *{line}*") + "\n" + quote(fig.sentence))
    if key:
        main["accessory"] = button("Report a wrong figure", REPORT_FIGURE, {"k": key, "f": fig.id})
    others = [a for a in claim.articles if a.id != fig.article.id]
    more = f" · also in {len(others)} more: " + "; ".join(cite(a) for a in others[:4]) if others else ""
    fixed = " · _corrected by an admin_" if fig.corrected else ""
    return [main, context(cite(fig.article) + more + fixed)]


def answer_blocks(answer: Answer, command: str = "/alibaba", key: str | None = None,
                  share: bool = True) -> list[Block]:
    """The answer as Slack shows it: the query restated, the answer, quotes with titles and dates, notes. With
    the key it is stored under, it carries 👍/👎, "Report a wrong figure" on each figure and Share."""
    if answer.kind == "help":
        return fit([section(mrkdwn_escape(help_text(command)))])
    typos, notes = split_notes(answer.notes)
    blocks: list[Block] = [context(f"*{mrkdwn_escape(command)}* {mrkdwn_escape(answer.query)}")]
    blocks.extend(section(f":pencil2: {mrkdwn_escape(note)}") for note in typos)
    if answer.lead:
        blocks.append(section(f"*{mrkdwn_escape(answer.lead)}*"))
    if answer.kind == "figure":
        for i, claim in enumerate(answer.claims):
            if i == 1:
                blocks.append({"type": "divider"})
                blocks.append(context("Other figures"))
            blocks.extend(_claim_blocks(claim, lead=i == 0, key=key))
    elif answer.kind == "entity" and answer.entity:
        e = answer.entity
        blocks.append(header(f"{e.name} ({e.type})"))
        fields = [{"type": "mrkdwn", "text": clip(f"*Also known as*\n{mrkdwn_escape(', '.join(e.aliases) or '—')}",
                                                   MAX_FIELD)},
                  {"type": "mrkdwn",
                   "text": f"*Mentions*\n{e.mention_count} in {plural(e.article_count, 'article')}"}]
        blocks.append({"type": "section", "fields": fields})
        for p in e.descriptions:
            blocks.append(section(quote(p.sentence)))
            blocks.append(context(cite(p.article)))
        if answer.claims:
            blocks.append({"type": "divider"})
            blocks.append(context(f"Figures tied to {mrkdwn_escape(e.name)}"))
            for claim in answer.claims:
                blocks.extend(_claim_blocks(claim, lead=False, key=key))
    elif answer.kind == "passages":
        if not answer.lead:
            blocks.append(section(f"No figure answers “{mrkdwn_escape(answer.query)}” directly. "
                                  "The closest sentences:"))
        for p in answer.passages:
            blocks.append(section(quote(p.sentence)))
            blocks.append(context(cite(p.article)))
    else:
        text = (f"I found nothing about “{mrkdwn_escape(answer.query)}” in the "
                f"{plural(answer.corpus_size, 'article')} I have.")
        if answer.suggestions:
            text += "\nDid you mean: " + ", ".join(f"`{mrkdwn_escape(s)}`" for s in answer.suggestions) + "?"
        blocks.append(section(text))
        blocks.append(context(f"Try `{command} help` for examples."))
    for note in notes:
        blocks.append(section(f":information_source: {mrkdwn_escape(note)}"))
    actions = answer_actions(key, share=share and answer.kind in SHARED_KINDS) if key else []
    return fit(blocks, tail=actions)


def button(label: str, action_id: str, value: dict[str, Any], style: str | None = None) -> Block:
    element: Block = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label},
                      "value": clip(json.dumps(value), MAX_BUTTON_VALUE)}
    if style:
        element["style"] = style
    return element


def answer_actions(key: str, share: bool) -> list[Block]:
    elements = [button("👍", FEEDBACK_UP, {"k": key}), button("👎", FEEDBACK_DOWN, {"k": key})]
    if share:
        elements.append(button("Share in channel", SHARE_ACTION, {"k": key}))
    return [{"type": "actions", "block_id": "answer_actions", "elements": elements}]


def button_value(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON value of the button that was pressed ({} when it is not ours)."""
    try:
        value = json.loads(body["actions"][0]["value"])
    except (KeyError, IndexError, ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def fallback_text(answer: Answer) -> str:
    """The notification text Slack shows where blocks are not rendered, escaped like every other text."""
    return clip(mrkdwn_escape(answer.text or answer.query), MAX_SECTION)


def message(text: str) -> list[Block]:
    """A reply whose text is already safe mrkdwn (its article and user parts escaped by the caller)."""
    return [section(text)]
