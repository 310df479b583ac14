"""Adding an article from Slack: files.info, size and type checks, download with the bot token, ingest, and the
replies in the thread the files were shared in."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.changes import Change, figure_changes
from bot.answering.views.blockkit import MAX_SECTION, Block, button, cite, message, mrkdwn_escape, section
from bot.answering.views.wording import plural
from bot.commands.context import REFUSAL
from bot.commands.pending import hold_upload, preview_lines
from bot.reading.files import DocumentError, kind_of
from bot.reading.ingest import Ingestor, IngestResult, Overrides
from bot.settings import Settings
from bot.slack.admins import is_admin, user_name
from bot.slack.deps import Deps
from bot.store.db import session_scope

log = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT = 30
# Where the bot token may be sent to download a file: Slack's file host over https, and the Web API's own
# origin as configured (the bot already sends the token there; tests point it at a local stand-in).
FILE_HOSTS = (("https", "files.slack.com", 443),)
UPLOAD_PUBLISH, UPLOAD_DISCARD = "upload_publish", "upload_discard"  # a held upload's buttons


@dataclass
class UploadOutcome:
    name: str
    ok: bool
    message: str
    result: IngestResult | None = None
    changes: list[Change] = field(default_factory=list)
    blocks: list[Block] | None = None  # a preview held for review, with its Publish and Discard buttons

    @property
    def reply_blocks(self) -> list[Block]:
        return self.blocks if self.blocks is not None else message(self.message)


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
    if not url or not isinstance(url, str):
        raise UploadError(f"Slack gave no download link for {name}.")
    origins = token_origins(settings)
    if _origin(url) not in origins:
        log.warning("not downloading %s: its link is not on Slack's file host (%.80s)", file_id, url)
        raise UploadError(f"The download link for {name} is not on Slack's file host; nothing was downloaded.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with _opener(origins).open(request, timeout=DOWNLOAD_TIMEOUT) as response:
            content_type = response.headers.get("Content-Type", "")
            data = response.read(settings.max_article_bytes + 1)
    except _OffHostRedirect as exc:
        log.warning("not following the download of %s to another host (%.80s)", file_id, exc.url)
        raise UploadError(
            f"Downloading {name} was redirected away from Slack's file host; nothing was downloaded."
        ) from exc
    except urllib.error.HTTPError as exc:
        raise UploadError(f"Downloading {name} failed (HTTP {exc.code}).") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise UploadError(f"Downloading {name} failed ({exc.__class__.__name__}).") from exc
    if len(data) > settings.max_article_bytes:
        raise UploadError(f"{name} is over the limit of {settings.max_article_bytes:,} bytes.")
    head = data[:512].lstrip().lower()
    if kind != "html" and ("text/html" in content_type or head.startswith((b"<!doctype html", b"<html"))):
        raise UploadError(
            f"Slack sent a web page instead of {name} (a login page?); check the bot's "
            "files:read scope and that it can see the file."
        )
    return name, data


def token_origins(settings: Settings) -> set[tuple[str, str, int]]:
    """The (scheme, host, port) origins the bot token may be sent to when downloading a file."""
    api = _origin(settings.slack_api_url)
    return {*FILE_HOSTS, *([api] if api else [])}


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None or parts.username or parts.password:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


class _OffHostRedirect(urllib.error.URLError):
    def __init__(self, url: str) -> None:
        super().__init__("redirected off Slack's file host")
        self.url = url


class _SameOriginsRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an origin the token may go to; anywhere else stops the download."""

    def __init__(self, origins: set[tuple[str, str, int]]) -> None:
        self.origins = origins

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        if _origin(newurl) not in self.origins:
            raise _OffHostRedirect(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(origins: set[tuple[str, str, int]]) -> urllib.request.OpenerDirector:
    """An opener for http(s) only: no file://, ftp:// or data: handlers, redirects kept to `origins`."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _SameOriginsRedirects(origins),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def add_article(
    ingestor: Ingestor,
    settings: Settings,
    data: bytes,
    name: str,
    *,
    added_by: str,
    added_by_name: str | None = None,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
) -> UploadOutcome:
    overrides = Overrides(
        title=title, published=published, source=source, url=url, added_by=added_by, added_by_name=added_by_name
    )
    safe = mrkdwn_escape(name)
    if settings.review_uploads:
        return hold_for_review(ingestor, data, name, overrides)
    try:
        result = ingestor.ingest_bytes(data, name, overrides)
    except Exception:  # ingest turns a file's own failure into its reason; this guards the thread's reply
        log.exception("adding %s failed", name)
        return UploadOutcome(name, False, f"Could not add {safe}: it could not be indexed; nothing was stored.")
    if result.status == "failed":
        return UploadOutcome(name, False, f"Could not add {safe}: {mrkdwn_escape(result.reason)}.", result)
    if result.status == "duplicate":
        return UploadOutcome(name, False, f"{safe} is {mrkdwn_escape(result.reason)}; nothing was added.", result)
    assert result.article_id is not None
    with session_scope(settings.database_url) as session:
        changes = figure_changes(session, [result.article_id])
    return UploadOutcome(name, True, summary(result, changes), result, changes)


def summary(result: IngestResult, changes: list[Change]) -> str:
    """The upload reply as mrkdwn; the title, names and figures come from the article, so each is escaped."""
    when = result.published.isoformat() if result.published else "no date found"
    lines = [
        f"Indexed *{mrkdwn_escape(result.title or '')}* ({when}): {plural(result.entities, 'entity')}, "
        f"{plural(result.figures, 'figure')}."
    ]
    if result.new_entities:
        names = ", ".join(mrkdwn_escape(n) for n in result.new_entities[:15])
        lines.append("New names: " + names + ("…" if len(result.new_entities) > 15 else "") + ".")
    for change in changes[:8]:
        described = mrkdwn_escape(change.describe())
        lines.append("• " + described[:1].upper() + described[1:])
    if len(changes) > 8:
        lines.append(f"…and {plural(len(changes) - 8, 'more changed figure')}.")
    return "\n".join(lines)


def hold_for_review(ingestor: Ingestor, data: bytes, name: str, overrides: Overrides) -> UploadOutcome:
    """REVIEW_UPLOADS: the upload parsed and shown with Publish and Discard; nothing of it counts until then."""
    safe = mrkdwn_escape(name)
    try:
        preview = hold_upload(ingestor, data, name, overrides)
    except Exception:
        log.exception("previewing %s failed", name)
        return UploadOutcome(name, False, f"Could not read {safe}: it could not be indexed; nothing was stored.")
    text = fit_lines(preview_lines(preview, cite, mrkdwn_escape))
    if not preview.held:
        return UploadOutcome(name, False, text, preview.result)
    value = {"p": preview.pending_id}
    actions = {
        "type": "actions",
        "elements": [
            button("Publish", UPLOAD_PUBLISH, value, "primary"),
            button("Discard", UPLOAD_DISCARD, value, "danger"),
        ],
    }
    return UploadOutcome(name, True, text, preview.result, preview.changes, [section(text), actions])


def fit_lines(lines: list[str]) -> str:
    """Whole lines while they fit in one section (a line cut inside a link would show raw mrkdwn)."""
    kept: list[str] = []
    for line in lines:
        if sum(len(k) + 1 for k in kept) + len(line) > MAX_SECTION - 40:
            kept.append(f"…and {len(lines) - len(kept)} more lines")
            break
        kept.append(line)
    return "\n".join(kept)


def add_file(deps: Deps, client: WebClient, file_id: str, user: str, **overrides: Any) -> UploadOutcome:
    """The reply to one file shared or attached to the add form, as safe mrkdwn (and blocks when held)."""
    try:
        name, data = fetch_file(client, file_id, deps.settings)
        who = user_name(user, client)
        return add_article(deps.ingestor, deps.settings, data, name, added_by=user, added_by_name=who, **overrides)
    except UploadError as exc:
        return UploadOutcome(file_id, False, mrkdwn_escape(str(exc)))
    except Exception:
        log.exception("adding file %s failed", file_id)
        text = "Something went wrong while adding the file; nothing was stored. The error is in the bot's log."
        return UploadOutcome(file_id, False, text)


def add_shared_files(deps: Deps, event: dict[str, Any], client: WebClient, thread: str) -> None:
    """Files shared with the bot (in a DM or a mention): each indexed, its reply updated in the thread."""
    channel, user = event["channel"], event.get("user", "")
    if not is_admin(user, deps.settings, client):
        client.chat_postMessage(channel=channel, thread_ts=thread, text=REFUSAL.format(command=deps.command))
        return
    for file in event["files"]:
        name = mrkdwn_escape(str(file.get("name") or file.get("title") or file.get("id", "file")))
        reply = client.chat_postMessage(channel=channel, thread_ts=thread, text=f"Indexing {name} …")
        outcome = add_file(deps, client, file["id"], user)
        text = outcome.message
        try:
            client.chat_update(channel=reply["channel"], ts=reply["ts"], text=text, blocks=outcome.reply_blocks)
        except SlackApiError as exc:
            log.warning("chat.update failed (%s); posting the result instead", exc.response.get("error"))
            client.chat_postMessage(channel=channel, thread_ts=thread, text=text, blocks=outcome.reply_blocks)
