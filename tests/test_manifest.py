"""The Slack manifest (`python -m bot manifest`) asks for the scopes the code uses and no others, subscribes to the
events it listens to, and the README's "Connect to Slack" says the same; slack/manifest.yml is its output for the
seed pack."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

from bot.answering.facing import facing_of
from bot.settings import PROJECT_ROOT, Settings
from bot.slack.manifest import manifest_yaml
from tests.conftest import RULES, SEEDS

BOT = PROJECT_ROOT / "bot"
# The scope each Web API method the bot calls needs (methods needing none map to an empty set).
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "files_info": {"files:read"},
    "files_upload_v2": {"files:write"},
    "users_info": {"users:read"},
    "reactions_add": {"reactions:write"},
    "reactions_remove": {"reactions:write"},
    "views_open": set(),
    "views_publish": set(),
}
# The scopes and manifest events each Bolt event listener needs.
EVENTS = {
    "app_mention": ({"app_mentions:read"}, {"app_mention"}),
    "message": (
        {"im:history", "channels:history", "groups:history"},
        {"message.im", "message.channels", "message.groups"},
    ),
    "app_home_opened": (set(), {"app_home_opened"}),
}
# Asked for without a method of its own: posting digests to public channels the bot has not joined.
EXTRA = {"chat:write.public"}


def manifest() -> dict:  # type: ignore[type-arg]
    """The manifest the bot writes for the seed pack."""
    return yaml.safe_load(manifest_yaml(facing_of(Settings(), RULES.company)))  # type: ignore[no-any-return]


def test_the_repositorys_manifest_is_what_the_bot_writes_for_the_seed_pack() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SLASH_COMMAND", "SEEDS_DIR")}
    written = subprocess.run(
        [sys.executable, "-m", "bot", "manifest"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**env, "SEEDS_DIR": str(SEEDS), "SLASH_COMMAND": ""},
    )
    assert written.stdout == (PROJECT_ROOT / "slack" / "manifest.yml").read_text(), (
        "regenerate it: python -m bot manifest > slack/manifest.yml"
    )
    m = manifest()
    assert m["features"]["slash_commands"][0]["command"] == RULES.company.slash_command
    assert m["display_information"]["name"] == f"{RULES.company.name} AI Tracker"


def used_methods() -> set[str]:
    source = "\n".join(p.read_text() for p in BOT.rglob("*.py"))
    called = set(re.findall(r"\bclient\.([a-z]+_[A-Za-z0-9_]+)\(", source))
    called |= set(re.findall(r'"([a-z]+_(?:add|remove))"', source)) & set(METHOD_SCOPES)  # getattr(client, …)
    return called


def used_events() -> set[str]:
    handlers = "\n".join(p.read_text() for p in (BOT / "slack").rglob("*.py"))
    return set(re.findall(r'app\.event\("([a-z_]+)"\)', handlers))


def test_every_method_the_bot_calls_has_a_known_scope() -> None:
    assert used_methods() - set(METHOD_SCOPES) == set(), "map the new Web API method to its scope above"
    assert {"chat_postMessage", "views_publish", "reactions_add"} <= used_methods()


def test_the_manifest_asks_for_exactly_the_scopes_used() -> None:
    needed = {"commands"} | EXTRA
    needed |= {s for m in used_methods() for s in METHOD_SCOPES[m]}
    needed |= {s for e in used_events() for s in EVENTS[e][0]}
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_the_manifest_subscribes_to_the_events_listened_to() -> None:
    m = manifest()
    wanted = {s for e in used_events() for s in EVENTS[e][1]}
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == wanted
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["features"]["slash_commands"][0]["should_escape"] is True  # the decoder reads <@U…|name> and <#C…|…>


def test_the_readme_names_the_manifest_scopes_and_events() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme[readme.index("## Connect to Slack") : readme.index("### Digests")]
    step = " ".join(section[section.index("1. ") : section.index("2. ")].split())
    m = manifest()
    scopes, events = step.split("the bot scopes (", 1)[1].split("the events (", 1)
    assert set(re.findall(r"`([a-z_.:]+)`", scopes)) == set(m["oauth_config"]["scopes"]["bot"])
    assert set(re.findall(r"`([a-z_.]+)`", events.split(")")[0])) == set(
        m["settings"]["event_subscriptions"]["bot_events"]
    )
