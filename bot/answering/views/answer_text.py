"""Answers as plain text: what the CLI and the console print, what `--json` carries in `text`, and (escaped)
Slack's fallback `text` beside the blocks. The help text and a figure's line, which the blocks reuse, live here."""

from __future__ import annotations

from bot.answering.model import Answer, ArticleRef, Claim, FigureHit
from bot.answering.views.wording import Facing, plural

TYPO_NOTE = "Read “"  # how the answerer words a typo it corrected; shown first, before the answer


def split_notes(notes: list[str]) -> tuple[list[str], list[str]]:
    """(typo notes, the other notes): how the query was read comes before the answer, the rest after it."""
    return [n for n in notes if n.startswith(TYPO_NOTE)], [n for n in notes if not n.startswith(TYPO_NOTE)]


def help_text(facing: Facing, console: bool = False) -> str:
    """What the bot does and how to ask, with examples from the pack's own articles; the console's version lists
    only what the console can do."""
    command = facing.command
    lines = [
        f"Ask about {facing.possessive} AI push as the articles report it. Type `{command} QUERY`, for example:",
        *(f"  {command} {e}" for e in facing.lookups or facing.examples),
        "Figures come with the sentence they were found in, the article and its date; "
        "when sources differ or a figure changed over time, the answer says so.",
        f"  {command} status — what is indexed",
        f"  {command} digest — preview the weekly digest",
        f"  {command} feed list — the news feeds followed, with their last poll",
    ]
    if console:
        lines += [
            "  quit — leave the console (Up and Down recall earlier lines)",
            "Subscribing channels to the digest and adding articles from a form work in Slack; "
            "from the terminal, add articles with `python -m bot ingest PATH`.",
        ]
    else:
        lines += [
            f"  {command} subscribe #channel [weekly|daily] [day] [HH:MM] — post the digest there (admins)",
            f"  {command} add — add an article (admins; or upload a file in a DM to the bot)",
            f"  {command} add URL — read one web page into the index (admins)",
            f"  {command} feed add URL [words…] — follow a news feed; also feed remove|pause|resume ID (admins)",
            f"  {command} watch links — read the links posted in this channel; unwatch links stops (admins)",
            "The same words work in a direct message to the bot and when you mention it.",
        ]
    return "\n".join(lines)


def cite(article: ArticleRef) -> str:
    """ "Title (2025-08-29, Outlet)"."""
    source = f", {article.source}" if article.source else ""
    return f"{article.title} ({article.published.isoformat() if article.published else 'undated'}{source})"


def figure_line(fig: FigureHit) -> str:
    """The figure's headline with its conversions, capitalised: what both views show for a figure."""
    headline = fig.headline
    if fig.conversions:
        headline += " (" + ", ".join(c.text for c in fig.conversions) + ")"
    return headline[:1].upper() + headline[1:]


def claim_block(claim: Claim) -> list[str]:
    lead = claim.lead
    lines = [f"{figure_line(lead)}", f"  “{lead.sentence}”", f"  — {cite(lead.article)}"]
    others = [a for a in claim.articles if a.id != lead.article.id]
    if others:
        lines.append("  Also reported by: " + "; ".join(cite(a) for a in others))
    return lines


def render_text(answer: Answer, facing: Facing | None = None) -> str:
    """The whole answer as plain text, one line per part; a help answer needs the `facing` it shows (without it,
    the text the answerer gave it)."""
    if answer.kind == "help":
        return help_text(facing) if facing else answer.text
    typos, notes = split_notes(answer.notes)
    lines: list[str] = list(typos)
    if answer.lead:
        lines.append(answer.lead)
    if answer.kind == "figure":
        lines.append(f"{answer.query}:")
        for i, claim in enumerate(answer.claims):
            if i == 1:
                lines.append("Other figures:")
            lines.extend(claim_block(claim))
    elif answer.kind == "entity" and answer.entity:
        e = answer.entity
        aka = f" — also known as {', '.join(e.aliases)}" if e.aliases else ""
        lines.append(f"{e.name} ({e.type}){aka}")
        lines.append(f"Mentioned {plural(e.mention_count, 'time')} in {plural(e.article_count, 'article')}.")
        if e.descriptions:
            lines.append("What the articles say:")
            lines.extend(f"  “{p.sentence}” — {cite(p.article)}" for p in e.descriptions)
        if answer.claims:
            lines.append(f"Figures tied to {e.name}:")
            for claim in answer.claims:
                lines.append(f"  • {figure_line(claim.lead)} — “{claim.lead.sentence}” — {cite(claim.lead.article)}")
        lines.append("Articles: " + "; ".join(cite(a) for a in e.articles[:8]))
    elif answer.kind == "changes":
        for change in answer.changes:
            lines.append(f"• {change.line[:1].upper()}{change.line[1:]}")
            lines.append(f"  “{change.new.sentence}” — {cite(change.new.article)}")
    elif answer.kind == "passages":
        if not answer.lead:
            lines.append(f"No figure answers “{answer.query}” directly; the closest sentences:")
        lines.extend(f"  “{p.sentence}” — {cite(p.article)}" for p in answer.passages)
    else:
        lines.append(f"I found nothing about “{answer.query}” in the {plural(answer.corpus_size, 'article')} I have.")
        if answer.suggestions:
            lines.append("Did you mean: " + ", ".join(answer.suggestions) + "?")
        lines.append("Type help for examples.")
    lines.extend(notes)
    return "\n".join(lines)
