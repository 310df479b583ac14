"""What Slack sent that was handled already: event ids (Slack re-delivers events it thinks were missed) and
request signatures (a replayed request), shared by every replica through the database."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.db import insert_ignore
from bot.store.models import ProcessedEvent, SeenSignature

EVENT_MEMORY = timedelta(days=7)


def claim_event(session: Session, event_id: str, now: datetime) -> bool:
    """True the first time the event id is seen, here or by another replica; old ids are forgotten now and then."""
    if not insert_ignore(session, ProcessedEvent, {"event_id": event_id, "received_at": now}):
        return False
    if zlib.crc32(event_id.encode()) % 100 == 0:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - EVENT_MEMORY))
    return True


def claim_signature(session: Session, signature: str, expires: datetime) -> None:
    """Record a signature until it expires; a second claim of one still kept raises IntegrityError."""
    session.add(SeenSignature(signature=signature, expires_at=expires))
    session.flush()


def forget_signatures(session: Session, before: datetime) -> None:
    session.execute(delete(SeenSignature).where(SeenSignature.expires_at < before))
