"""The App Home tab: corpus status, the latest articles, this week's changes and quick lookups for everyone; for
admins also Add article, the open figure reports with their review buttons, and the digest subscriptions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.model import ArticleRef
from bot.answering.status import status_text
from bot.answering.views.blockkit import Block, button, cite, clip, context, fit, header, mrkdwn_escape, quote, section
from bot.answering.views.wording import Facing, plural
from bot.charts.followed import followed_series
from bot.digest import delivery
from bot.digest.content import build_digest
from bot.digest.views.digest_blocks import digest_blocks
from bot.feeds.manage import status_lines
from bot.settings import Settings
from bot.slack.admins import is_admin
from bot.slack.deps import Deps
from bot.store.catalog import latest_articles
from bot.store.db import session_scope
from bot.store.feedback import REASONS, open_reports
from bot.store.subscriptions import subscriptions

if TYPE_CHECKING:
    from bot.store.models import Feedback

log = logging.getLogger(__name__)

MAX_HOME_BLOCKS = 100
LATEST = 5
REPORTS_SHOWN = 10
HOME_LOOKUP = "home_lookup"
HOME_ADD = "home_add"
HOME_UNSUBSCRIBE = "home_unsubscribe"
REPORT_HIDE = "report_hide"
REPORT_CORRECT = "report_correct"
REPORT_DISMISS = "report_dismiss"


def _actions(*elements: Block) -> Block:
    return {"type": "actions", "elements": list(elements)}


def _report_blocks(report: Feedback) -> list[Block]:
    when = f"{report.created_at:%Y-%m-%d %H:%M}"
    lines = [
        f"*{REASONS.get(report.reason or '', 'Other')}* — <@{report.user}> on {when}",
        f"Asked: “{mrkdwn_escape(clip(report.query, 200))}”",
    ]
    if report.figure_text:
        lines.append(f"Figure: *{mrkdwn_escape(report.figure_text)}*")
    if report.note:
        lines.append(quote(clip(report.note, 500)))
    buttons = []
    if report.article_hash and report.figure_start is not None:
        buttons += [
            button("Correct…", REPORT_CORRECT, {"r": report.id}, "primary"),
            button("Hide figure", REPORT_HIDE, {"r": report.id}, "danger"),
        ]
    buttons.append(button("Dismiss", REPORT_DISMISS, {"r": report.id}))
    return [section("\n".join(lines)), _actions(*buttons)]


def home_blocks(settings: Settings, facing: Facing, *, admin: bool, charts: list[Block] | None = None) -> list[Block]:
    """The Home tab's blocks, within Block Kit's 100 for a Home view: titled for the company the pack follows,
    its quick lookups the examples the pack's articles suggest, the followed measures' `charts` when drawn."""
    command = facing.command
    problems = delivery.failed_digest_lines(settings, facing)
    out: list[Block] = [header(facing.title), section(status_text(settings, problems)), *(charts or [])]
    end = datetime.now(UTC).replace(tzinfo=None)  # to the moment: an article added this second is in this week
    with session_scope(settings.database_url) as session:
        latest = latest_articles(session, LATEST)
        if latest:
            refs = [ArticleRef(a.id, a.title, a.published, a.source, a.url) for a in latest]
            out.append(section("*Latest articles*\n" + "\n".join(f"• {cite(r)}" for r in refs)))
        week = build_digest(session, end - timedelta(days=7), end)
        out.append({"type": "divider"})
        out.extend(b for b in digest_blocks(week, facing) if b["type"] != "header")
        if facing.lookups:
            out.append(section("*Quick lookups* (the answer arrives in Messages)"))
            out.append(_actions(*(button(clip(e, 75), HOME_LOOKUP, {"q": e}) for e in facing.lookups)))
        if admin:
            out += [{"type": "divider"}, header("For admins"), _actions(button("Add article", HOME_ADD, {}, "primary"))]
            reports = open_reports(session, limit=REPORTS_SHOWN + 1)
            out.append(
                section(
                    f"*Open figure reports* ({plural(len(reports), 'report')}"
                    f"{' or more' if len(reports) > REPORTS_SHOWN else ''})"
                    if reports
                    else "*Open figure reports:* none."
                )
            )
            for report in reports[:REPORTS_SHOWN]:
                out.extend(_report_blocks(report))
            subs = subscriptions(session)
            rows = [(s.channel, f"`{mrkdwn_escape(s.schedule)}` ({mrkdwn_escape(s.timezone)})") for s in subs]
            if settings.digest_channel and settings.digest_channel not in {c for c, _ in rows}:
                rows.insert(
                    0,
                    (
                        settings.digest_channel,
                        f"`{mrkdwn_escape(settings.digest_schedule)}` (DIGEST_CHANNEL, set in the environment)",
                    ),
                )
            out.append(
                section(
                    "*Digest subscriptions*"
                    if rows
                    else f"*Digest subscriptions:* none; add one with `{command} subscribe #channel`."
                )
            )
            for channel, schedule in rows[:20]:
                block = section(f"<#{channel}> {schedule}")
                if channel != settings.digest_channel:
                    block["accessory"] = button("Unsubscribe", HOME_UNSUBSCRIBE, {"c": channel})
                out.append(block)
            feeds = status_lines(settings)
            out.append(
                section("*News feeds*\n" + "\n".join(mrkdwn_escape(line) for line in feeds[1:]))
                if feeds
                else section(f"*News feeds:* none; follow one with `{command} feed add URL`.")
            )
    out.append(context(f"Ask with `{command} QUERY`, in a direct message, or by mentioning the bot."))
    return fit(out, limit=MAX_HOME_BLOCKS)


def publish_home(deps: Deps, client: WebClient, user: str) -> None:
    """Render the user's Home tab (the admin parts only for admins, the followed measures' charts when drawn in
    time) and publish it."""
    settings = deps.settings
    charts = deps.home_charts.blocks(deps.charts, client, lambda: followed_series(deps.answerer))
    blocks = home_blocks(settings, deps.answerer.facing(), admin=is_admin(user, settings, client), charts=charts)
    try:
        client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})
    except SlackApiError as exc:
        log.warning("views.publish failed for %s: %s", user, exc.response.get("error"))
