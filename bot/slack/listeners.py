"""Slack listeners: each acks first, calls the core, then responds. Registered by name in `app.py`."""

from __future__ import annotations

import json
import logging
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.answering.answers import Answerer
from bot.answering.status import status_text
from bot.reading.dates import parse_iso
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.admins import REFUSAL, is_admin
from bot.slack.uploads import UploadError, add_article, fetch_file
from bot.slack.views import add_article_view, submitted
from bot.store.db import session_scope
from bot.store.models import ProcessedEvent

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
EVENT_MEMORY = timedelta(days=7)


class Listeners:
    """The bot's listeners; state is the settings, the answerer and a lazily loaded ingestor."""

    def __init__(self, settings: Settings, answerer: Answerer) -> None:
        self.settings = settings
        self.answerer = answerer
        self._ingestor: Ingestor | None = None
        self._lock = threading.Lock()

    @property
    def ingestor(self) -> Ingestor:
        with self._lock:  # the spaCy pipeline loads on the first upload, not at start-up
            if self._ingestor is None:
                self._ingestor = Ingestor(self.settings)
            return self._ingestor

    # -- middleware ----------------------------------------------------------------------------
    def dedupe_events(self, body: dict[str, Any], next: Any) -> Any:
        """Slack re-delivers events it thinks were missed; each event_id is handled once, across restarts."""
        event_id = body.get("event_id")
        if event_id and body.get("type") == "event_callback" and not self._claim_event(str(event_id)):
            log.info("skipping re-delivered event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    def _claim_event(self, event_id: str) -> bool:
        now = datetime.now(UTC).replace(tzinfo=None)
        try:
            with session_scope(self.settings.database_url) as session:
                session.add(ProcessedEvent(event_id=event_id, received_at=now))
                session.flush()
                if hash(event_id) % 100 == 0:
                    session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - EVENT_MEMORY))
        except IntegrityError:
            return False
        return True

    # -- slash command -------------------------------------------------------------------------
    def command(self, ack: Any, command: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        text = (command.get("text") or "").strip()
        word = text.split()[0].lower() if text else ""
        user = command.get("user_id", "")
        name = self.settings.slash_command
        if word in ("", "help"):
            respond(response_type="ephemeral", text="How to use the bot",
                    blocks=blocks.answer_blocks(self.answerer.ask("help"), name))
        elif word == "status":
            respond(response_type="ephemeral", text=self._status(), blocks=blocks.message(self._status()))
        elif word == "add":
            if not is_admin(user, self.settings, client):
                respond(response_type="ephemeral", text=REFUSAL.format(command=name))
                return
            client.views_open(trigger_id=command["trigger_id"], view=add_article_view())
        elif word in ("digest", "subscribe", "unsubscribe"):
            from bot.slack.digest_commands import digest_command

            digest_command(self.settings, text, user, respond, client, self.answerer, command.get("channel_id", ""))
        else:
            self._answer_privately(text, respond)

    def _status(self) -> str:
        from bot.digest.delivery import failed_digest_lines

        return status_text(self.settings, failed_digest_lines(self.settings))

    def _answer_privately(self, query: str, respond: Any) -> None:
        answer = self.answerer.ask(query)
        respond(response_type="ephemeral", text=blocks.fallback_text(answer),
                blocks=blocks.answer_blocks(answer, self.settings.slash_command))

    def share(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        try:
            query = json.loads(body["actions"][0]["value"])["q"]
            if not isinstance(query, str):
                raise TypeError("the shared query is not text")
        except (KeyError, IndexError, ValueError, TypeError):
            respond(response_type="ephemeral", replace_original=False, text="That answer can no longer be shared.")
            return
        answer = self.answerer.ask(query)
        shared = blocks.answer_blocks(answer, self.settings.slash_command, share=False)
        shared = blocks.fit([*shared, blocks.context(f"Shared by <@{body['user']['id']}>")])
        respond(response_type="in_channel", replace_original=False, delete_original=False,
                text=blocks.fallback_text(answer), blocks=shared)

    # -- events --------------------------------------------------------------------------------
    def mention(self, event: dict[str, Any], client: WebClient) -> None:
        thread = event.get("thread_ts") or event["ts"]
        if event.get("files"):
            self._files(event, client, thread)
            return
        query = _MENTION.sub("", event.get("text") or "").strip()
        self._answer_in(client, event["channel"], query, thread)

    def direct_message(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
            return
        if event.get("files"):
            self._files(event, client, event.get("thread_ts") or event["ts"])
            return
        query = _MENTION.sub("", event.get("text") or "").strip()
        self._answer_in(client, event["channel"], query, event.get("thread_ts"))

    def ignore(self) -> None:
        """Events the bot subscribes to for its other listeners but does not act on alone."""

    def _answer_in(self, client: WebClient, channel: str, query: str, thread: str | None) -> None:
        answer = self.answerer.ask(query)
        client.chat_postMessage(channel=channel, thread_ts=thread, text=blocks.fallback_text(answer),
                                blocks=blocks.answer_blocks(answer, self.settings.slash_command, share=False))

    def _files(self, event: dict[str, Any], client: WebClient, thread: str) -> None:
        channel, user = event["channel"], event.get("user", "")
        if not is_admin(user, self.settings, client):
            client.chat_postMessage(channel=channel, thread_ts=thread,
                                    text=REFUSAL.format(command=self.settings.slash_command))
            return
        for file in event["files"]:
            name = file.get("name") or file.get("title") or file.get("id", "file")
            reply = client.chat_postMessage(channel=channel, thread_ts=thread, text=f"Indexing {name} …")
            text = self._add_file(client, file["id"], user)
            try:
                client.chat_update(channel=reply["channel"], ts=reply["ts"], text=text, blocks=blocks.message(text))
            except SlackApiError as exc:
                log.warning("chat.update failed (%s); posting the result instead", exc.response.get("error"))
                client.chat_postMessage(channel=channel, thread_ts=thread, text=text)

    def _add_file(self, client: WebClient, file_id: str, user: str, **overrides: Any) -> str:
        try:
            name, data = fetch_file(client, file_id, self.settings)
            return add_article(self.ingestor, self.settings, data, name, added_by=user, **overrides).message
        except UploadError as exc:
            return str(exc)
        except Exception:
            log.exception("adding file %s failed", file_id)
            return "Something went wrong while adding the file; nothing was stored. The error is in the bot's log."

    # -- the add modal -------------------------------------------------------------------------
    def add_submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        form = submitted(view)
        if not form["files"] and not form["text"]:
            ack(response_action="errors", errors={"file": "Attach a file or paste the article's text."})
            return
        published = None
        if form["published"]:
            try:
                published = parse_iso(form["published"])
            except ValueError:
                ack(response_action="errors", errors={"published": "Pick a valid date."})
                return
        ack()
        user = body["user"]["id"]
        if not is_admin(user, self.settings, client):
            client.chat_postMessage(channel=user, text=REFUSAL.format(command=self.settings.slash_command))
            return
        overrides = {"title": form["title"], "published": published, "source": form["source"], "url": form["url"]}
        results = [self._add_file(client, f["id"], user, **overrides) for f in form["files"]]
        if form["text"]:
            outcome = add_article(self.ingestor, self.settings, form["text"].encode(), "pasted article.txt",
                                  added_by=user, **overrides)
            results.append(outcome.message)
        for text in results:
            client.chat_postMessage(channel=user, text=text, blocks=blocks.message(text))
