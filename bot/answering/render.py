"""Answers as plain text: what the console prints and what `--json` carries in `text`."""

from __future__ import annotations

from bot.answering.answer import Answer, ArticleRef, Claim, FigureHit

EXAMPLES = ["capex", "Eddie Wu", "qwen downloads", "cloud revenue", "derivative models", "status"]


def help_text(command: str = "/alibaba") -> str:
    lines = [
        f"Ask about Alibaba's AI push as the articles report it. Type `{command} QUERY`, for example:",
        *(f"  {command} {e}" for e in EXAMPLES),
        "Figures come with the sentence they were found in, the article and its date; "
        "when sources differ or a figure changed over time, the answer says so.",
        f"  {command} status — what is indexed",
        f"  {command} digest — preview the weekly digest",
        f"  {command} add — add an article (admins; or upload a file in a DM to the bot)",
    ]
    return "\n".join(lines)


def cite(article: ArticleRef) -> str:
    source = f", {article.source}" if article.source else ""
    return f"{article.title} ({article.published.isoformat() if article.published else 'undated'}{source})"


def figure_line(fig: FigureHit) -> str:
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


def render_text(answer: Answer) -> str:
    if answer.kind == "help":
        return help_text()
    lines: list[str] = []
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
        lines.append(f"Mentioned {e.mention_count} times in {e.article_count} article(s).")
        if e.descriptions:
            lines.append("What the articles say:")
            lines.extend(f"  “{p.sentence}” — {cite(p.article)}" for p in e.descriptions)
        if answer.claims:
            lines.append(f"Figures tied to {e.name}:")
            for claim in answer.claims:
                lines.append(f"  • {figure_line(claim.lead)} — “{claim.lead.sentence}” — {cite(claim.lead.article)}")
        lines.append("Articles: " + "; ".join(cite(a) for a in e.articles[:8]))
    elif answer.kind == "passages":
        lines.append(f"No figure answers “{answer.query}” directly; the closest sentences:")
        lines.extend(f"  “{p.sentence}” — {cite(p.article)}" for p in answer.passages)
    else:
        lines.append(f"I found nothing about “{answer.query}” in the {answer.corpus_size} articles I have.")
        if answer.suggestions:
            lines.append("Did you mean: " + ", ".join(answer.suggestions) + "?")
        lines.append("Type help for examples.")
    lines.extend(answer.notes)
    return "\n".join(lines)
