"""The digest as plain text: what `python -m bot digest` and the console print; escaped, it is also the `text`
Slack shows beside the digest's blocks."""

from __future__ import annotations

from bot.answering.changes import Change
from bot.answering.model import FigureHit
from bot.answering.views.wording import Facing, clip, plural
from bot.digest.content import AddedArticle, Digest
from bot.digest.sections import Line, Names, Section, digest_sections, digest_title

NAMES_SHOWN = 15  # names on a line; the rest are counted


def digest_text(digest: Digest, facing: Facing) -> str:
    """The digest titled for the company the pack follows; `facing.command` in the hints to look up the rest."""
    title, command = digest_title(facing.company, digest), facing.command
    if digest.empty:
        return f"Nothing new in the {title}: no articles were added."
    lines = [f"{title}: {plural(len(digest.articles), 'article')} added."]
    for part in digest_sections(digest):
        if isinstance(part, Section):
            lines.append(part.title + ":")
            lines.extend(f"  • {_line(part.kind, line)}" for line in part.lines)
            if part.more:
                lines.append(f"  …and {part.more} more: try {command} {part.hint}")
        else:
            lines.append(_names(part))
    return "\n".join(lines)


def _line(kind: str, line: Line) -> str:
    if isinstance(line, AddedArticle):
        a = line.article
        return (
            f"{a.title} ({a.published.isoformat() if a.published else 'undated'}, "
            f"{a.source or 'source unknown'}; added by {line.added_by or 'unknown'} on {line.added_at:%Y-%m-%d})"
            + (f"; also in: {', '.join(line.also_in[:5])}" if line.also_in else "")
        )
    if isinstance(line, Change):
        old, new = line.old, line.new
        if kind == "changed":
            return f"{old.text} → {new.text} ({old.article.label} → {new.article.label})"
        return f"{old.text} ({old.article.label}) vs {new.text} ({new.article.label})"
    assert isinstance(line, FigureHit)
    return f"{line.text} — “{clip(line.sentence, 160)}” ({line.article.title})"


def _names(part: Names) -> str:
    shown = ", ".join(n if c is None else f"{n} ({c})" for n, c in part.names[:NAMES_SHOWN])
    extra = f" and {len(part.names) - NAMES_SHOWN} more" if len(part.names) > NAMES_SHOWN else ""
    return f"{part.title}: {shown}{extra}."
