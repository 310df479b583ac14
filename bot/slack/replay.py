"""Replay protection: each signed request is answered once, recorded in the database every replica shares."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from bot.store.db import session_scope
from bot.store.seen import claim_signature, forget_signatures

# Slack's window: a request is valid while its timestamp is within 5 minutes of now, either way.
WINDOW_SECONDS = 5 * 60
PRUNE_EVERY_SECONDS = 60


class ReplayGuard:
    """Claims signatures in the database; a second claim of one still inside the window is a replay."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._next_prune = 0.0
        self._lock = threading.Lock()

    def claim(self, signature: str, timestamp: int, now: float | None = None) -> bool:
        """True the first time `signature` is seen; False for a replay."""
        now = time.time() if now is None else now
        # The signature is accepted until its timestamp is WINDOW_SECONDS in the past, so keep it that long.
        expires = datetime.fromtimestamp(timestamp + WINDOW_SECONDS, UTC).replace(tzinfo=None)
        try:
            with session_scope(self.database_url) as session:
                claim_signature(session, signature, expires)
                if self._due(now):
                    forget_signatures(session, datetime.fromtimestamp(now, UTC).replace(tzinfo=None))
        except IntegrityError:
            return False
        return True

    def _due(self, now: float) -> bool:
        with self._lock:
            if now < self._next_prune:
                return False
            self._next_prune = now + PRUNE_EVERY_SECONDS
            return True
