"""Adding an article from Slack: files.info, size and type checks, download with the bot token, ingest."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.changes import Change, figure_changes
from bot.reading.documents import DocumentError, kind_of
from bot.reading.ingest import Ingestor, IngestResult, Overrides
from bot.settings import Settings
from bot.store.db import session_scope

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30


@dataclass
class UploadOutcome:
    name: str
    ok: bool
    message: str
    result: IngestResult | None = None
    changes: list[Change] = field(default_factory=list)


class UploadError(Exception):
    """A file that cannot be added; the message is shown to the user."""


def fetch_file(client: WebClient, file_id: str, settings: Settings) -> tuple[str, bytes]:
    """The file's name and bytes, refusing what cannot be an article before downloading it."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as exc:
        raise UploadError(f"Slack would not give me the file ({exc.response.get('error')}).") from exc
    name = info.get("name") or info.get("title") or file_id
    try:
        kind = kind_of(name)
    except DocumentError as exc:
        raise UploadError(str(exc)[:1].upper() + str(exc)[1:] + ".") from exc
    size = int(info.get("size") or 0)
    if size > settings.max_article_bytes:
        raise UploadError(f"{name} is {size:,} bytes, over the limit of {settings.max_article_bytes:,} bytes.")
    if size == 0 and info.get("size") is not None:
        raise UploadError(f"{name} is empty.")
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        raise UploadError(f"Slack gave no download link for {name}.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
            content_type = response.headers.get("Content-Type", "")
            data = response.read(settings.max_article_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise UploadError(f"Downloading {name} failed (HTTP {exc.code}).") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise UploadError(f"Downloading {name} failed ({exc.__class__.__name__}).") from exc
    if len(data) > settings.max_article_bytes:
        raise UploadError(f"{name} is over the limit of {settings.max_article_bytes:,} bytes.")
    head = data[:512].lstrip().lower()
    if kind != "html" and ("text/html" in content_type or head.startswith((b"<!doctype html", b"<html"))):
        raise UploadError(f"Slack sent a web page instead of {name} (a login page?); check the bot's "
                          "files:read scope and that it can see the file.")
    return name, data


def add_article(
    ingestor: Ingestor,
    settings: Settings,
    data: bytes,
    name: str,
    *,
    added_by: str,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
) -> UploadOutcome:
    overrides = Overrides(title=title, published=published, source=source, url=url, added_by=added_by)
    try:
        result = ingestor.ingest_bytes(data, name, overrides)
    except Exception:  # ingest turns a file's own failure into its reason; this guards the thread's reply
        log.exception("adding %s failed", name)
        return UploadOutcome(name, False, f"Could not add {name}: it could not be indexed; nothing was stored.")
    if result.status == "failed":
        return UploadOutcome(name, False, f"Could not add {name}: {result.reason}.", result)
    if result.status == "duplicate":
        return UploadOutcome(name, False, f"{name} is {result.reason}; nothing was added.", result)
    assert result.article_id is not None
    with session_scope(settings.database_url) as session:
        changes = figure_changes(session, [result.article_id])
    return UploadOutcome(name, True, summary(result, changes), result, changes)


def summary(result: IngestResult, changes: list[Change]) -> str:
    when = result.published.isoformat() if result.published else "no date found"
    lines = [f"Indexed *{result.title}* ({when}): {result.entities} entities, {result.figures} figures."]
    if result.new_entities:
        lines.append("New names: " + ", ".join(result.new_entities[:15]) + ("…" if len(result.new_entities) > 15
                                                                          else "") + ".")
    for change in changes[:8]:
        lines.append("• " + change.describe()[:1].upper() + change.describe()[1:])
    if len(changes) > 8:
        lines.append(f"…and {len(changes) - 8} more changed figures.")
    return "\n".join(lines)
