"""Charts in Slack, each drawn and uploaded on the chart worker after the text is out, so no acknowledgement or
answer waits on a drawing and a failed upload never loses the text: under an answer with a series (in its channel
or thread), behind a *Show chart* button on private answers, and on the App Home (the followed measures' charts).

Uploads use Slack's file upload flow through `files_upload_v2`: files.getUploadURLExternal, the bytes POSTed to the
URL it gives, then files.completeUploadExternal; with no channel the file stays private to the app and is shown
through an image block."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.answering.model import Answer
from bot.answering.views.blockkit import Block, button, clip, section
from bot.charts.cache import Charts
from bot.charts.series import Series, series_of

if TYPE_CHECKING:
    from bot.charts.draw import Chart

log = logging.getLogger(__name__)
SHOW_CHART = "show_chart"
MAX_TITLE = 250  # Slack's limit on an image block's title
HOME_WAIT = 3.0  # seconds the App Home waits for its charts (drawn once per series version, then kept)


def upload(client: WebClient, chart: Chart, series: Series, *, channel: str | None, thread: str | None) -> str:
    """Upload a chart (into `channel`, in `thread` when given; else privately); its file id."""
    response = client.files_upload_v2(
        file=chart.png,
        filename=f"chart-{series.version}.png",
        title=clip(series.title, MAX_TITLE),
        alt_txt=chart.alt_text,
        channel=channel,
        thread_ts=thread if channel else None,
    )
    return str(response["file"]["id"])


def image_block(file_id: str, series: Series) -> Block:
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": series.alt_text,
        "title": {"type": "plain_text", "text": clip(series.title, MAX_TITLE)},
    }


def chart_under(charts: Charts, client: WebClient, answer: Answer, channel: str, thread: str | None) -> None:
    """After an answer went to a channel or thread: its chart under it, drawn and uploaded on the chart worker."""
    series = series_of(answer)
    if series is None:
        return
    charts.later(lambda: _upload_drawn(charts, client, series, channel, thread), f"for “{answer.query}”")


def _upload_drawn(charts: Charts, client: WebClient, series: Series, channel: str | None, thread: str | None) -> str:
    try:
        return upload(client, charts.chart(series), series, channel=channel, thread=thread)
    except (SlackApiError, SlackRequestError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
        log.warning("chart upload failed (%s); the answer stands without it", error)
        raise


def with_show_chart(blocks: list[Block], key: str) -> list[Block]:
    """A private answer's blocks with a *Show chart* button beside Share (the answer's actions)."""
    for block in blocks:
        if block.get("block_id") == "answer_actions":
            block["elements"] = [*block["elements"], button("Show chart", SHOW_CHART, {"k": key})]
    return blocks


def show_privately(charts: Charts, client: WebClient, answer: Answer, respond: Any) -> None:
    """The chart of a private answer, to the one user who asked: uploaded privately, shown in an ephemeral
    message; a one-line reply when there is nothing to draw or the upload fails."""
    series = series_of(answer)
    if series is None:
        respond(response_type="ephemeral", replace_original=False, text="That answer has no series to chart now.")
        return

    def job() -> None:
        try:
            file_id = _upload_drawn(charts, client, series, None, None)
        except Exception:
            respond(response_type="ephemeral", replace_original=False, text="The chart could not be uploaded.")
            raise
        respond(
            response_type="ephemeral",
            replace_original=False,
            text=series.alt_text,
            blocks=[image_block(file_id, series)],
        )

    charts.later(job, f"shown for “{answer.query}”")


class HomeCharts:
    """The followed measures' charts for the App Home: each series version drawn and uploaded once (privately) on
    the chart worker, its file id kept. The Home waits for them a moment (it is published after Slack's
    acknowledgement); charts not ready by then are shown the next time it is published."""

    def __init__(self, wait: float = HOME_WAIT) -> None:
        self.wait = wait
        self._files: dict[str, str] = {}  # series version -> file id

    def blocks(self, charts: Charts, client: WebClient, find: Callable[[], list[Series]]) -> list[Block]:
        """An "Over time" section with an image block per followed series (`find()`, on the chart worker)."""

        def job() -> list[Block]:
            shown = []
            for series in find():
                file_id = self._files.get(series.version)
                if file_id is None:
                    file_id = _upload_drawn(charts, client, series, None, None)
                    self._files[series.version] = file_id
                shown.append(image_block(file_id, series))
            return [section("*Over time*"), *shown] if shown else []

        pending = charts.later(job, "for the App Home")
        if pending is None:
            return []
        try:
            return pending.result(timeout=self.wait)
        except FutureTimeout:
            log.info("App Home charts not ready in %.1f s; shown next time", self.wait)
        except Exception:  # logged by the worker; the Home goes out without charts
            pass
        return []
