"""The digest as Block Kit: a header, one section per part, each capped; the rest is left to lookups. Its `text`
beside the blocks is the text view, escaped."""

from __future__ import annotations

from bot.answering.changes import Change
from bot.answering.model import FigureHit
from bot.answering.views.blockkit import MAX_SECTION, Block, cite, clip, context, fit, header, mrkdwn_escape, section
from bot.answering.views.wording import Facing, plural
from bot.digest.content import AddedArticle, Digest
from bot.digest.sections import Line, Names, Section, digest_sections, digest_title
from bot.digest.views.digest_text import digest_text

NAMES_SHOWN = 20  # names in a section; the rest are counted


def digest_fallback(digest: Digest, facing: Facing) -> str:
    """The digest's notification text (`text` beside the blocks), escaped: titles and names are article text."""
    return clip(mrkdwn_escape(digest_text(digest, facing)), MAX_SECTION)


def digest_blocks(digest: Digest, facing: Facing) -> list[Block]:
    """The digest as Block Kit: a header titled for the company the pack follows, one section per part, each
    capped; the rest is left to lookups with `facing.command`."""
    title, command = digest_title(facing.company, digest, "–"), facing.command
    if digest.empty:
        return [section(f"*{mrkdwn_escape(title)}:* nothing new, no articles were added.")]
    out: list[Block] = [header(title), context(f"{plural(len(digest.articles), 'article')} added")]
    for part in digest_sections(digest):
        if isinstance(part, Section):
            text = f"*{part.title}*\n" + "\n".join(f"• {_line(part.kind, line)}" for line in part.lines)
            if part.more:
                text += f"\n…and {part.more} more: try `{mrkdwn_escape(f'{command} {part.hint}')}`"
            out.append(section(text))
        else:
            out.append(section(_names(part)))
    return fit(out)


def _line(kind: str, line: Line) -> str:
    if isinstance(line, AddedArticle):
        also = f" — also in: {', '.join(mrkdwn_escape(o) for o in line.also_in[:5])}" if line.also_in else ""
        return f"{cite(line.article)} — added by {_who(line.added_by)}{also}"
    if isinstance(line, Change):
        old, new = mrkdwn_escape(line.old.text), mrkdwn_escape(line.new.text)
        if kind == "changed":
            return f"{old} → *{new}* ({cite(line.old.article)} → {cite(line.new.article)})"
        return f"{old} ({cite(line.old.article)}) vs {new} ({cite(line.new.article)})"
    assert isinstance(line, FigureHit)
    return f"*{mrkdwn_escape(line.text)}* — {mrkdwn_escape(clip(line.sentence, 200))} ({cite(line.article)})"


def _names(part: Names) -> str:
    shown = ", ".join(
        mrkdwn_escape(n) if c is None else f"{mrkdwn_escape(n)} ({c})" for n, c in part.names[:NAMES_SHOWN]
    )
    extra = f" and {len(part.names) - NAMES_SHOWN} more" if len(part.names) > NAMES_SHOWN else ""
    return f"*{part.title}:* {shown}{extra}"


def _who(user: str | None) -> str:
    if user and user[:1] in ("U", "W") and user[1:].isalnum():
        return f"<@{user}>"
    return mrkdwn_escape(user or "unknown")
