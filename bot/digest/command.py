"""`python -m bot digest [--since DATE] [--json]`: a period's digest printed as text or as JSON."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from bot.answering.views.wording import Facing
from bot.digest.content import DEFAULT_PERIOD, build_digest
from bot.digest.views.digest_text import digest_text
from bot.settings import Settings
from bot.store.db import session_scope


def digest_command(settings: Settings, facing: Facing, since: str | None, as_json: bool) -> int:
    from bot.reading.dates import parse_iso
    from bot.store.db import migrate

    end = datetime.now(UTC).replace(tzinfo=None)  # the moment it is built: an article added this second is in
    try:
        start = datetime.combine(parse_iso(since), datetime.min.time()) if since else end - DEFAULT_PERIOD
    except ValueError as exc:
        print(f"error: --since: {exc}", file=sys.stderr)
        return 2
    migrate(settings.database_url)
    with session_scope(settings.database_url) as session:
        digest = build_digest(session, start, end)
    print(json.dumps(digest.as_dict(), ensure_ascii=False) if as_json else digest_text(digest, facing))
    return 0
