"""Answers as Block Kit: the query restated, the answer, quotes with titles and dates, notes, and the buttons
that rate, report and share it; always within Slack's limits. The Slack listeners only call these."""

from __future__ import annotations

from bot.answering.model import Answer, Claim, EntityCard
from bot.answering.views.answer_text import figure_line, help_text, split_notes
from bot.answering.views.blockkit import (
    MAX_SECTION,
    Block,
    button,
    cite,
    clip,
    context,
    divider,
    field,
    fit,
    header,
    mrkdwn_escape,
    quote,
    section,
)
from bot.answering.views.wording import Facing, plural

SHARE_ACTION = "share_answer"
FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
REPORT_FIGURE = "report_figure"
RATED_KINDS = ("figure", "entity", "passages", "changes", "none")
SHARED_KINDS = ("figure", "entity", "passages", "changes")


def answer_blocks(answer: Answer, command: str, key: str | None = None, share: bool = True) -> list[Block]:
    """The answer as Slack shows it: the query restated after the slash `command`, the answer, quotes with titles
    and dates, notes. With the key it is stored under, it carries 👍/👎, "Report a wrong figure" on each figure
    and Share. A help answer is its text (which the answerer wrote for the pack), escaped."""
    if answer.kind == "help":
        return fit([section(mrkdwn_escape(answer.text))])
    typos, notes = split_notes(answer.notes)
    blocks: list[Block] = [context(f"*{mrkdwn_escape(command)}* {mrkdwn_escape(answer.query)}")]
    blocks.extend(section(f":pencil2: {mrkdwn_escape(note)}") for note in typos)
    if answer.lead:
        blocks.append(section(f"*{mrkdwn_escape(answer.lead)}*"))
    if answer.kind == "figure":
        for i, claim in enumerate(answer.claims):
            if i == 1:
                blocks += [divider(), context("Other figures")]
            blocks.extend(_claim_blocks(claim, lead=i == 0, key=key))
    elif answer.kind == "entity" and answer.entity:
        blocks.extend(_entity_blocks(answer.entity, answer.claims, key))
    elif answer.kind == "changes":
        for change in answer.changes:
            line = mrkdwn_escape(change.line[:1].upper() + change.line[1:])
            blocks += [section(f"• *{line}*\n" + quote(change.new.sentence)), context(cite(change.new.article))]
    elif answer.kind == "passages":
        if not answer.lead:
            blocks.append(
                section(f"No figure answers “{mrkdwn_escape(answer.query)}” directly. The closest sentences:")
            )
        for p in answer.passages:
            blocks += [section(quote(p.sentence)), context(cite(p.article))]
    else:
        text = (
            f"I found nothing about “{mrkdwn_escape(answer.query)}” in the "
            f"{plural(answer.corpus_size, 'article')} I have."
        )
        if answer.suggestions:
            text += "\nDid you mean: " + ", ".join(f"`{mrkdwn_escape(s)}`" for s in answer.suggestions) + "?"
        blocks += [section(text), context(f"Try `{command} help` for examples.")]
    for note in notes:
        blocks.append(section(f":information_source: {mrkdwn_escape(note)}"))
    actions = answer_actions(key, share=share and answer.kind in SHARED_KINDS) if key else []
    return fit(blocks, tail=actions)


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


def _entity_blocks(e: EntityCard, claims: list[Claim], key: str | None) -> list[Block]:
    blocks: list[Block] = [
        header(f"{e.name} ({e.type})"),
        {
            "type": "section",
            "fields": [
                field(f"*Also known as*\n{mrkdwn_escape(', '.join(e.aliases) or '—')}"),
                field(f"*Mentions*\n{e.mention_count} in {plural(e.article_count, 'article')}"),
            ],
        },
    ]
    for p in e.descriptions:
        blocks += [section(quote(p.sentence)), context(cite(p.article))]
    if claims:
        blocks += [divider(), context(f"Figures tied to {mrkdwn_escape(e.name)}")]
        for claim in claims:
            blocks.extend(_claim_blocks(claim, lead=False, key=key))
    return blocks


def answer_actions(key: str, share: bool) -> list[Block]:
    elements = [button("👍", FEEDBACK_UP, {"k": key}), button("👎", FEEDBACK_DOWN, {"k": key})]
    if share:
        elements.append(button("Share in channel", SHARE_ACTION, {"k": key}))
    return [{"type": "actions", "block_id": "answer_actions", "elements": elements}]


def help_blocks(facing: Facing) -> list[Block]:
    """The help as Slack shows it: the text help, escaped."""
    return fit([section(mrkdwn_escape(help_text(facing)))])


def shared_blocks(blocks: list[Block], user: str | None) -> list[Block]:
    """An answer's blocks as stored, posted to the channel with who shared it (`user` a checked Slack user id)."""
    return fit([*blocks, context(f"Shared by <@{user}>" if user else "Shared")])


def fallback_text(answer: Answer) -> str:
    """The notification text Slack shows where blocks are not rendered: the text view, escaped."""
    return clip(mrkdwn_escape(answer.text or answer.query), MAX_SECTION)
