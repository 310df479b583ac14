"""The Slack app manifest for the pack the bot follows (`python -m bot manifest`): the app, its bot user and its
slash command named for the company; the scopes, events and settings the code needs, the same for every pack."""

from __future__ import annotations

import json

from bot.answering.views.wording import Facing

# Slack's limits on the manifest's fields.
MAX_APP_NAME = 35
MAX_APP_DESCRIPTION = 140
MAX_BOT_NAME = 80
USAGE_HINT = "a figure, a name or a question | status | digest | add | help"

TEMPLATE = """\
# Slack app manifest: paste it at https://api.slack.com/apps -> Create New App -> From an app manifest.
# Written by `python -m bot manifest` for the pack SEEDS_DIR names: run it again rather than editing this file.
# As written the app uses Socket Mode (no public URL needed). For HTTP mode instead, set
# socket_mode_enabled to false and replace https://bot.example.com with the address the bot is reachable at.
display_information:
  name: {app_name}
  description: {description}
  background_color: "#3a2d66"
features:
  app_home:
    home_tab_enabled: true
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  bot_user:
    display_name: {bot_name}
    always_online: true
  slash_commands:
    - command: {command}
      url: https://bot.example.com/slack/events
      description: {command_description}
      usage_hint: {usage_hint}
      should_escape: true
oauth_config:
  scopes:
    bot:
      - app_mentions:read   # questions and uploads that mention the bot in channels
      - channels:history    # follow-up questions in a public channel thread the bot answered in
      - chat:write          # answers, upload results, digests, the App Home's answers in Messages
      - chat:write.public   # digests to public channels the bot was not invited to
      - commands            # the slash command
      - files:read          # files.info and downloading uploaded articles
      - files:write         # charts of a figure's history under answers, on the App Home and with digests
      - groups:history      # follow-up questions in a private channel thread the bot answered in
      - im:history          # direct messages to the bot (questions and uploads)
      - reactions:write     # the 👀 reaction while the bot works on a message
      - users:read          # users.info, when workspace admins count as bot admins
settings:
  event_subscriptions:
    request_url: https://bot.example.com/slack/events
    bot_events:
      - app_home_opened
      - app_mention
      - message.channels
      - message.groups
      - message.im
  interactivity:
    is_enabled: true
    request_url: https://bot.example.com/slack/events
  org_deploy_enabled: false
  socket_mode_enabled: true
  token_rotation_enabled: false
"""


def manifest_yaml(facing: Facing) -> str:
    """The manifest as YAML, its names from `facing` (each quoted, so any name reads back as written)."""
    app_name = f"{facing.company} AI Tracker"
    if len(app_name) > MAX_APP_NAME:
        app_name = facing.company[:MAX_APP_NAME].rstrip()
    description = f"Figures, people and models from the news on {facing.possessive} AI push, with their sources."
    if len(description) > MAX_APP_DESCRIPTION:
        description = f"Figures, people and models from the news on {facing.company}"[: MAX_APP_DESCRIPTION - 1]
        description = description.rstrip() + "…"
    return TEMPLATE.format(
        app_name=_quoted(app_name),
        description=_quoted(description),
        bot_name=_quoted(facing.bot_name[:MAX_BOT_NAME]),
        command=_quoted(facing.command),
        command_description=_quoted(f"Ask about {facing.possessive} AI push (figures, people, models, products)"),
        usage_hint=_quoted(USAGE_HINT),
    )


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one): quotes, colons and "#" in a name stay text."""
    return json.dumps(value, ensure_ascii=False)
