"""File downloads send the bot token only to Slack's file host (the stand-in's API origin in tests): never
file://, never another host, never on a redirect to another host."""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.slack.uploads import UploadError, fetch_file, token_origins
from tests.conftest import make_settings
from tests.slack_helpers import ADMIN, RunningBot, start_bot
from tests.slack_standin import BOT_TOKEN, SlackStandIn, StoredFile
from tests.test_slack_http import articles, file_share_event, thread_result

ARTICLE = b"Alibaba Cloud opened a data centre in Lisbon with 2,400 servers, its president said."


class Recorder:
    """Another host on 127.0.0.1: records every request it gets, with its Authorization header."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.seen.append((self.path, self.headers.get("Authorization", "")))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(ARTICLE)))
                self.end_headers()
                self.wfile.write(ARTICLE)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    recorder.server.shutdown()


@pytest.fixture()
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=standin.api_url)


def refused_links(standin: SlackStandIn, elsewhere: Recorder, tmp_path: Path) -> list[tuple[str, str]]:
    secret = tmp_path / "secret.txt"
    secret.write_text("a local file the bot must never read")
    other = f"http://127.0.0.1:{elsewhere.port}/files/F1/a.txt"
    return [
        ("file url", secret.as_uri()),
        ("another port on this host", other),
        ("another host name for the stand-in", f"http://localhost:{standin.port}/files/F1/a.txt"),
        ("https elsewhere", "https://files.slack.com.example.test/files/a.txt"),
        ("user info in the link", f"http://x@127.0.0.1:{standin.port}/files/F1/a.txt"),
        ("ftp", f"ftp://127.0.0.1:{standin.port}/a.txt"),
        ("data", "data:text/plain,Alibaba"),
        ("not a url", "files/F1/a.txt"),
    ]


CASES = [
    "file url",
    "another port on this host",
    "another host name for the stand-in",
    "https elsewhere",
    "user info in the link",
    "ftp",
    "data",
    "not a url",
]


@pytest.mark.parametrize("case", CASES)
def test_a_link_off_slacks_file_host_is_never_fetched(
    standin: SlackStandIn, elsewhere: Recorder, client: WebClient, tmp_path: Path, case: str
) -> None:
    url = dict(refused_links(standin, elsewhere, tmp_path))[case]
    file_id = "FOFF" + str(CASES.index(case))
    standin.add_file(StoredFile(file_id, "a.txt", ARTICLE, url=url))
    settings = make_settings(tmp_path / "unused.db", slack_api_url=standin.api_url)
    before = len(standin.downloads)
    with pytest.raises(UploadError, match="not on Slack's file host"):
        fetch_file(client, file_id, settings)
    assert elsewhere.seen == [] and len(standin.downloads) == before


def test_a_redirect_to_another_host_is_not_followed(
    standin: SlackStandIn, elsewhere: Recorder, client: WebClient, tmp_path: Path
) -> None:
    standin.add_file(StoredFile("FREDIR1", "a.txt", ARTICLE, redirect=f"http://127.0.0.1:{elsewhere.port}/x.txt"))
    settings = make_settings(tmp_path / "unused.db", slack_api_url=standin.api_url)
    with pytest.raises(UploadError, match="redirected away from Slack's file host"):
        fetch_file(client, "FREDIR1", settings)
    assert ("FREDIR1", f"Bearer {BOT_TOKEN}") in standin.downloads  # the first hop was Slack's own
    assert elsewhere.seen == []


def test_a_redirect_within_slacks_file_host_is_followed_with_the_token(
    standin: SlackStandIn, client: WebClient, tmp_path: Path
) -> None:
    standin.add_file(StoredFile("FTARGET", "a.txt", ARTICLE))
    standin.add_file(
        StoredFile("FREDIR2", "a.txt", ARTICLE, redirect=f"http://127.0.0.1:{standin.port}/files/FTARGET/a.txt")
    )
    settings = make_settings(tmp_path / "unused.db", slack_api_url=standin.api_url)
    assert fetch_file(client, "FREDIR2", settings) == ("a.txt", ARTICLE)
    assert ("FTARGET", f"Bearer {BOT_TOKEN}") in standin.downloads


def test_the_token_goes_only_to_https_files_slack_com_and_the_api_origin(tmp_path: Path) -> None:
    settings = dataclasses.replace(make_settings(tmp_path / "unused.db"), slack_api_url="https://slack.com/api/")
    assert token_origins(settings) == {("https", "files.slack.com", 443), ("https", "slack.com", 443)}


def test_through_the_bot_a_file_url_is_refused_and_nothing_is_indexed(
    standin: SlackStandIn, elsewhere: Recorder, seeded_db: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "local.txt"
    secret.write_text("Alibaba said it would hire 9,999 engineers in a file that must never be read.")
    shutil.copy(seeded_db, tmp_path / "bot.db")
    bot: RunningBot = start_bot(standin, tmp_path / "bot.db", tmp_path)
    try:
        before = articles(bot.db)
        for n, url in enumerate([secret.as_uri(), f"http://127.0.0.1:{elsewhere.port}/files/a.txt"]):
            standin.add_file(StoredFile(f"FBOT{n}", "local.txt", b"x" * 40, url=url))
            ts = f"1700000300.00000{n}"
            bot.event(file_share_event(f"FBOT{n}", "local.txt", ADMIN, ts), f"EvFileUrl{n}")
            assert "not on Slack's file host" in thread_result(standin, ts)
        assert articles(bot.db) == before and elsewhere.seen == []
        assert "9,999" not in json.dumps([c.params for c in standin.calls])
    finally:
        bot.stop()
