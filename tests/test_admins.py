"""Who is an admin: ADMIN_USER_IDS, and workspace admins and owners (users.info) when the setting allows."""

from __future__ import annotations

import dataclasses

from bot.settings import Settings
from bot.slack.admins import is_admin
from bot.slack.app import web_client
from tests.slack_standin import BOT_TOKEN, SlackStandIn


def test_admins_from_the_setting_and_from_the_workspace() -> None:
    standin = SlackStandIn()
    try:
        standin.users.update(
            {
                "U0OWNER001": {"id": "U0OWNER001", "is_owner": True},
                "U0WSADMIN1": {"id": "U0WSADMIN1", "is_admin": True},
                "U0PLAIN001": {"id": "U0PLAIN001", "is_admin": False},
            }
        )
        base = dataclasses.replace(
            Settings.from_env(),
            slack_bot_token=BOT_TOKEN,
            slack_api_url=standin.api_url,
            admin_user_ids=frozenset({"U0LISTED01"}),
        )
        client = web_client(base)
        assert is_admin("U0LISTED01", base, client)
        assert not is_admin("U0WSADMIN1", base, client)  # workspace admins count only when allowed
        assert standin.calls_to("users.info") == []
        allowed = dataclasses.replace(base, workspace_admins_are_admins=True)
        assert is_admin("U0WSADMIN1", allowed, client) and is_admin("U0OWNER001", allowed, client)
        assert not is_admin("U0PLAIN001", allowed, client)
        standin.fail_next("users.info", 200, body=b'{"ok": false, "error": "user_not_found"}')
        assert not is_admin("U0GONE0001", allowed, client)
    finally:
        standin.close()
