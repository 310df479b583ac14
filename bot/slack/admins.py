"""Who may add articles and manage digests: ADMIN_USER_IDS, and workspace admins/owners when allowed; and a
user's name as shown to others (digests and review threads name people without mentioning them)."""

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


_names: dict[str, str] = {}  # user id -> name, for this process (names change rarely; a restart refreshes them)


def user_name(user_id: str, client: WebClient) -> str | None:
    """The user's display name (else real name, else handle) from users.info, or None when Slack will not say."""
    if user_id in _names:
        return _names[user_id]
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return None
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
    if isinstance(name, str) and name.strip():
        _names[user_id] = name.strip()[:100]
        return _names[user_id]
    return None
