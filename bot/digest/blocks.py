"""The digest as Block Kit: a header, one section per part, each capped; the rest is left to lookups."""

from __future__ import annotations

from bot.answering.blockkit import MAX_SECTION, Block, cite, clip, context, fit, header, mrkdwn_escape, section
from bot.answering.render import plural
from bot.digest.content import SECTION_LIMIT, Digest, digest_text


def digest_fallback(digest: Digest, command: str = "/alibaba") -> str:
    """The digest's notification text (`text` beside the blocks), escaped: titles and names are article text."""
    return clip(mrkdwn_escape(digest_text(digest, command)), MAX_SECTION)


def digest_blocks(digest: Digest, command: str = "/alibaba") -> list[Block]:
    """The digest as Block Kit: a header, one section per part, each capped; the rest is left to lookups."""
    span = f"{digest.start:%Y-%m-%d} – {digest.end:%Y-%m-%d}"
    if digest.empty:
        return [section(f"*Alibaba AI digest, {span}:* nothing new, no articles were added.")]
    out: list[Block] = [header(f"Alibaba AI digest, {span}"),
                        context(f"{plural(len(digest.articles), 'article')} added")]

    def part(title: str, rows: list[str], total: int, hint: str) -> None:
        if not rows:
            return
        text = f"*{title}*\n" + "\n".join(f"• {r}" for r in rows)
        if total > len(rows):
            text += f"\n…and {total - len(rows)} more: try `{mrkdwn_escape(f'{command} {hint}')}`"
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
