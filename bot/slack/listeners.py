"""Slack listeners: each acks first, calls the core, then responds. Registered by name in `app.py`.

The slash command, direct messages, mentions and follow-ups in a thread the bot answered all go through one
dispatcher (`run`), so `help`, `status`, `digest`, `subscribe`, `unsubscribe` and `add` are commands everywhere."""

from __future__ import annotations

import json
import logging
import re
import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete

from bot.answering.answers import Answerer
from bot.answering.blockkit import mrkdwn_escape
from bot.answering.render import figure_line, help_text
from bot.answering.status import status_text
from bot.reading.dates import parse_iso
from bot.reading.ingest import Ingestor
from bot.settings import Settings
from bot.slack import blocks
from bot.slack.admins import REFUSAL, is_admin
from bot.slack.commands import Command, parse
from bot.slack.uploads import UploadError, add_article, fetch_file
from bot.slack.views import add_article_view, submitted
from bot.store.db import insert_ignore, session_scope
from bot.store.feedback import answered_thread, figure_keys, get_answer, save_answer
from bot.store.models import ProcessedEvent

log = logging.getLogger(__name__)
EVENT_MEMORY = timedelta(days=7)
WORKING = "eyes"  # the reaction shown on a message while the bot works on it
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


class Reply:
    """Where a command's answer goes: the slash command's response_url (private) or a channel/thread post."""

    def __init__(self, send: Callable[[str, list[dict[str, Any]] | None], Any], private: bool) -> None:
        self.send = send
        self.private = private

    def __call__(self, text: str, blocks_: list[dict[str, Any]] | None = None) -> None:
        self.send(text, blocks_)

    def respond(self, text: str = "", blocks: list[dict[str, Any]] | None = None, **_: Any) -> None:
        """The `respond(response_type=…, text=…, blocks=…)` shape the digest commands call."""
        self.send(text, blocks)


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
                self._ingestor = Ingestor(self.settings, self.answerer.rules)
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
        with session_scope(self.settings.database_url) as session:
            if not insert_ignore(session, ProcessedEvent, {"event_id": event_id, "received_at": now}):
                return False  # handled already, here or by another replica
            if zlib.crc32(event_id.encode()) % 100 == 0:
                session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - EVENT_MEMORY))
        return True

    # -- the one dispatcher ----------------------------------------------------------------------
    def command(self, ack: Any, command: dict[str, Any], respond: Any, client: WebClient) -> None:
        ack()
        reply = Reply(lambda text, b: respond(response_type="ephemeral", text=text, blocks=b), private=True)
        self.run(parse(command.get("text") or ""), reply, client, user=command.get("user_id", ""),
                 channel=command.get("channel_id", ""), trigger_id=command.get("trigger_id"))

    def run(self, cmd: Command, reply: Reply, client: WebClient, *, user: str, channel: str,
            trigger_id: str | None = None, thread: str | None = None) -> None:
        name = self.settings.slash_command
        if cmd.verb == "help":
            reply("How to use the bot", blocks.message(mrkdwn_escape(help_text(name))))
        elif cmd.verb == "status":
            status = self.status()
            reply(status, blocks.message(status))
        elif cmd.verb == "add":
            if not is_admin(user, self.settings, client):
                reply(REFUSAL.format(command=name))
            elif trigger_id:
                client.views_open(trigger_id=trigger_id, view=add_article_view())
            else:
                reply(f"To add an article, upload the file here (admins only), or use `{name} add` for the form.")
        elif cmd.verb in ("digest", "subscribe", "unsubscribe"):
            from bot.slack.digest_commands import digest_command

            digest_command(self.settings, cmd.text, user, reply.respond, client, self.answerer, channel)
        else:
            self.answer(cmd.query, reply, user=user, channel=None if reply.private else channel, thread=thread)

    def status(self) -> str:
        """Counts and the last article added, then digest problems with their fix."""
        from bot.digest.delivery import failed_digest_lines

        return status_text(self.settings, failed_digest_lines(self.settings))

    def answer(self, query: str, reply: Reply, *, user: str, channel: str | None, thread: str | None) -> None:
        """Answer a lookup and keep the answer as shown, so Share, 👍/👎 and thread follow-ups refer to it."""
        answer = self.answerer.ask(query)
        name = self.settings.slash_command
        text = blocks.fallback_text(answer)
        key = None
        if answer.kind in blocks.RATED_KINDS:
            leads = [c.lead for c in answer.claims]
            with session_scope(self.settings.database_url) as session:
                keys = figure_keys(session, [f.id for f in leads])
                figures = [{"id": f.id, "text": figure_line(f), "hash": keys[f.id][0], "start": keys[f.id][1]}
                           for f in leads if f.id in keys]
                key = save_answer(session, asked_by=user, query=answer.query, kind=answer.kind, text=text,
                                  blocks=blocks.answer_blocks(answer, name), figures=figures, channel=channel,
                                  thread_ts=thread)
        reply(text, blocks.answer_blocks(answer, name, key=key, share=reply.private))

    def share(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        """Post exactly the answer the user saw (as stored under the button's key), not a re-run of the query."""
        ack()
        with session_scope(self.settings.database_url) as session:
            record = get_answer(session, str(blocks.button_value(body).get("k") or ""))
            stored = (record.text, json.loads(record.blocks)) if record else None
        if stored is None:
            respond(response_type="ephemeral", replace_original=False, text="That answer can no longer be shared.")
            return
        user = str(body.get("user", {}).get("id", ""))
        by = f"Shared by <@{user}>" if _USER_ID.match(user) else "Shared"
        respond(response_type="in_channel", replace_original=False, delete_original=False, text=stored[0],
                blocks=blocks.fit([*stored[1], blocks.context(by)]))

    # -- events --------------------------------------------------------------------------------
    def mention(self, event: dict[str, Any], client: WebClient, context: Any) -> None:
        thread = event.get("thread_ts") or event["ts"]
        if event.get("files"):
            self._files(event, client, thread)
            return
        self._converse(event, client, thread, context.get("bot_user_id"))

    def message(self, event: dict[str, Any], client: WebClient, context: Any) -> None:
        """Direct messages, and follow-ups in a channel thread the bot answered in (no mention needed)."""
        if event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
            return
        bot_user = context.get("bot_user_id")
        if event.get("channel_type") == "im":
            if event.get("files"):
                self._files(event, client, event.get("thread_ts") or event["ts"])
            else:
                self._converse(event, client, event.get("thread_ts"), bot_user)
            return
        thread = event.get("thread_ts")
        text = event.get("text") or ""
        if not thread or thread == event.get("ts") or event.get("files") or (bot_user and f"<@{bot_user}" in text):
            return  # not a thread reply, or a mention (answered through app_mention)
        with session_scope(self.settings.database_url) as session:
            followed = answered_thread(session, event["channel"], thread)
        if followed:
            self._converse(event, client, thread, bot_user)

    def _converse(self, event: dict[str, Any], client: WebClient, thread: str | None, bot_user: str | None) -> None:
        channel = event["channel"]

        def post(text: str, b: list[dict[str, Any]] | None) -> None:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=text, blocks=b)

        self._react(client, "reactions_add", channel, event["ts"])
        try:
            self.run(parse(event.get("text") or "", bot_user), Reply(post, private=False), client,
                     user=event.get("user", ""), channel=channel, thread=thread)
        finally:
            self._react(client, "reactions_remove", channel, event["ts"])

    @staticmethod
    def _react(client: WebClient, method: str, channel: str, ts: str) -> None:
        try:
            getattr(client, method)(channel=channel, timestamp=ts, name=WORKING)
        except SlackApiError as exc:  # a missing reaction is no reason to fail the answer
            log.info("%s failed: %s", method.replace("_", "."), exc.response.get("error"))

    def ignore(self) -> None:
        """Events the bot subscribes to for its other listeners but does not act on alone."""

    # -- uploads -------------------------------------------------------------------------------
    def _files(self, event: dict[str, Any], client: WebClient, thread: str) -> None:
        channel, user = event["channel"], event.get("user", "")
        if not is_admin(user, self.settings, client):
            client.chat_postMessage(channel=channel, thread_ts=thread,
                                    text=REFUSAL.format(command=self.settings.slash_command))
            return
        for file in event["files"]:
            name = mrkdwn_escape(str(file.get("name") or file.get("title") or file.get("id", "file")))
            reply = client.chat_postMessage(channel=channel, thread_ts=thread, text=f"Indexing {name} …")
            text = self._add_file(client, file["id"], user)
            try:
                client.chat_update(channel=reply["channel"], ts=reply["ts"], text=text, blocks=blocks.message(text))
            except SlackApiError as exc:
                log.warning("chat.update failed (%s); posting the result instead", exc.response.get("error"))
                client.chat_postMessage(channel=channel, thread_ts=thread, text=text)

    def _add_file(self, client: WebClient, file_id: str, user: str, **overrides: Any) -> str:
        """The reply to one file, as safe mrkdwn."""
        try:
            name, data = fetch_file(client, file_id, self.settings)
            return add_article(self.ingestor, self.settings, data, name, added_by=user, **overrides).message
        except UploadError as exc:
            return mrkdwn_escape(str(exc))
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
