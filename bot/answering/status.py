"""What is indexed: counts and the last article added, for `/alibaba status` and the console."""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from bot.store.counts import index_counts
from bot.store.db import session_scope


def status_text(settings: Settings, extra: list[str] | None = None) -> str:
    with session_scope(settings.database_url) as session:
        c = index_counts(session)
    last = c["last_added"]
    when = last.strftime("%Y-%m-%d %H:%M UTC") if isinstance(last, datetime) else "never"
    lines = [
        f"{c['articles']} articles, {c['entities']} entities and {c['figures']} figures indexed; "
        f"last article added {when}."
    ]
    lines.extend(extra or [])
    return "\n".join(lines)
