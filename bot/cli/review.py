"""`python -m bot ingest --review`, `pending`, `publish ID` and `discard ID`: uploads held for an admin's review
before they count (the command-line side of REVIEW_UPLOADS)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import rules_of, settings_from_env

if TYPE_CHECKING:
    from bot.answering.views.wording import Facing
    from bot.reading.ingest import Ingestor, Overrides


def _ingestor() -> Ingestor:
    from bot.reading.ingest import Ingestor
    from bot.store.db import migrate

    settings = settings_from_env()
    migrate(settings.database_url)
    return Ingestor(settings, rules_of(settings))


def ingest_for_review(paths: list[Path], overrides: Overrides) -> int:
    """Each file parsed and previewed, held until `publish ID`; nothing of it is stored as an article."""
    from bot.commands.pending import hold_upload, preview_lines
    from bot.reading.ingest import expand_paths

    ingestor = _ingestor()
    held = failed = 0
    for path, skipped in expand_paths(paths):
        if skipped:
            print(f"skipped    {path}: {skipped}")
            continue
        try:
            size = path.stat().st_size
            if size > ingestor.settings.max_article_bytes:
                raise OSError(f"{size:,} bytes, over the limit of {ingestor.settings.max_article_bytes:,}")
            data = path.read_bytes()
        except OSError as exc:
            print(f"failed     {path}: {exc.strerror or exc}")
            failed += 1
            continue
        preview = hold_upload(ingestor, data, str(path), overrides)
        print("\n".join(preview_lines(preview)))
        if preview.held:
            held += 1
            n = preview.pending_id
            print(f"publish: python -m bot publish {n}   discard: python -m bot discard {n}")
        else:
            failed += preview.result.status == "failed"
        print()
    print(f"{held} held for review, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def _pending_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def cmd_publish(args: argparse.Namespace) -> int:
    from bot.commands.pending import NotPending, publish

    pending_id = _pending_id(args.id)
    if pending_id is None:
        print(f"error: {args.id!r} is not an upload id (see python -m bot pending)", file=sys.stderr)
        return 2
    try:
        result = publish(_ingestor(), pending_id)
    except NotPending as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result.status == "new":
        print(f"published upload {pending_id}: “{result.title}” is article {result.article_id}")
        return 0
    print(f"upload {pending_id}: {result.status}, {result.reason}", file=sys.stderr)
    return 0 if result.status == "duplicate" else 1


def cmd_discard(args: argparse.Namespace) -> int:
    from bot.commands.pending import discard
    from bot.store.db import migrate

    pending_id = _pending_id(args.id)
    if pending_id is None:
        print(f"error: {args.id!r} is not an upload id (see python -m bot pending)", file=sys.stderr)
        return 2
    settings = settings_from_env()
    migrate(settings.database_url)
    if not discard(settings.database_url, pending_id):
        print(f"error: no upload {pending_id} is waiting for review", file=sys.stderr)
        return 1
    print(f"discarded upload {pending_id}")
    return 0


def cmd_pending(args: argparse.Namespace) -> int:
    from bot.store.db import migrate, session_scope
    from bot.store.pending import pending_list

    settings = settings_from_env()
    migrate(settings.database_url)
    with session_scope(settings.database_url) as session:
        rows = pending_list(session)
    for pending_id, name, by, at in rows:
        print(f"{pending_id:>5}  {name}  (held {at:%Y-%m-%d %H:%M} UTC{', from ' + by if by else ''})")
    print(f"{len(rows)} upload{'' if len(rows) == 1 else 's'} waiting for review", file=sys.stderr)
    return 0


def register(sub: Any, facing: Facing | None) -> None:
    p = sub.add_parser(
        "pending",
        help="list the uploads held for review (ingest --review, REVIEW_UPLOADS)",
        epilog="example: python -m bot pending",
    )
    p.set_defaults(func=cmd_pending)
    p = sub.add_parser(
        "publish",
        help="publish an upload held for review: it is indexed and counts from now",
        epilog="example: python -m bot publish 3",
    )
    p.add_argument("id", help="the upload's id, as ingest --review or pending printed it")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser(
        "discard",
        help="discard an upload held for review: nothing of it is kept",
        epilog="example: python -m bot discard 3",
    )
    p.add_argument("id", help="the upload's id, as ingest --review or pending printed it")
    p.set_defaults(func=cmd_discard)
