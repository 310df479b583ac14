"""Who may add articles and manage digests: ADMIN_USER_IDS, and workspace admins/owners when allowed."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.settings import Settings

log = logging.getLogger(__name__)


def is_admin(user_id: str, settings: Settings, client: WebClient) -> bool:
    if user_id in settings.admin_user_ids:
        return True
    if not settings.workspace_admins_are_admins:
        return False
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
