"""The shape a signed Slack payload must have before Bolt and the listeners read it, and what becomes of
payloads no listener wants. A payload of another shape is refused with one reason, never half-handled."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.context import BoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request.internals import build_context, parse_body

from bot.answering.views.answer_blocks import SHARE_ACTION

log = logging.getLogger(__name__)

# A spec is a type (the value must be one), a dict of specs (an object with those keys; a key ending in "?"
# may be missing or null; the key "*" applies to every value), or a one-item list (a list of such items).
Spec = Any

USER = {"id": str}
FILE = {"id": str, "name?": str, "title?": str}
MESSAGE_EVENT = {
    "type": str,
    "ts": str,
    "channel": str,
    "user?": str,
    "text?": str,
    "thread_ts?": str,
    "subtype?": str,
    "channel_type?": str,
    "bot_id?": str,
    "files?": [FILE],
    "message?": dict,
    "previous_message?": dict,
}
EVENTS: dict[str, Spec] = {"app_mention": MESSAGE_EVENT, "message": MESSAGE_EVENT}
INPUT_ELEMENT = {"type?": str, "value?": str, "selected_date?": str, "files?": [FILE]}
STATE = {"values": {"*": {"*": INPUT_ELEMENT}}}
VIEW = {"type": str, "callback_id": str, "state?": STATE}
ACTION = {"action_id": str, "value?": str}
COMMAND = {"command": str, "user_id": str, "text?": str, "trigger_id": str, "response_url": str, "channel_id?": str}
PAYLOADS: dict[str, Spec] = {
    "event_callback": {"event": {"type": str}, "event_id?": str, "team_id?": str, "authorizations?": [dict]},
    "url_verification": {"challenge": str},
    "block_actions": {
        "user": USER,
        "actions": [ACTION],
        "response_url?": str,
        "trigger_id?": str,
        "container?": dict,
        "channel?": dict,
        "view?": {"state?": STATE},
    },
    "view_submission": {"user": USER, "view": VIEW, "trigger_id?": str},
    "view_closed": {"user": USER, "view": {"callback_id?": str}},
    "shortcut": {"user": USER, "callback_id": str, "trigger_id?": str},
    "message_action": {"user": USER, "callback_id": str, "trigger_id?": str, "response_url?": str},
    "block_suggestion": {"user": USER, "action_id": str},
}
# What a listener needs beyond the payload type's shape, by action_id.
ACTIONS: dict[str, Spec] = {SHARE_ACTION: {"response_url": str, "actions": [{"value": str}]}}


class BadPayload(ValueError):
    """A signed body that is not a payload the bot can handle; the message is the reason."""


def parse(raw: bytes, content_type: str) -> dict[str, Any]:
    """The payload as Bolt will read it (same parser), checked for the shape the listeners rely on."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPayload("body is not UTF-8") from exc
    try:
        body = parse_body(text, content_type.split(";")[0].strip().lower() or None)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise BadPayload("body does not parse as its content type says") from exc
    if not isinstance(body, dict):
        raise BadPayload("body is not an object")
    problem = shape_problem(body)
    if problem:
        raise BadPayload(problem)
    try:
        build_context(BoltContext({}), body)
    except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:
        raise BadPayload("team, enterprise or user fields have an unexpected shape") from exc
    return body


def shape_problem(body: dict[str, Any]) -> str | None:
    """Why `body` is not something the bot can handle, or None."""
    if "ssl_check" in body:
        return None
    if "command" in body:
        return _problem(body, COMMAND, "")
    kind = body.get("type")
    if not isinstance(kind, str):
        return "no payload type" if kind is None else "type is not a string"
    spec = PAYLOADS.get(kind)
    if spec is None:
        return None  # a type the bot has no listener for; acknowledged by `on_error`
    if problem := _problem(body, spec, ""):
        return problem
    if kind == "event_callback":
        event_spec = EVENTS.get(body["event"]["type"])
        return _problem(body["event"], event_spec, "event") if event_spec else None
    if kind == "block_actions":
        if not body["actions"]:
            return "actions is empty"
        action_spec = ACTIONS.get(body["actions"][0]["action_id"])
        return _problem(body, action_spec, "") if action_spec else None
    return None


def _problem(value: Any, spec: Spec, where: str) -> str | None:
    name = where or "payload"
    if isinstance(spec, type):
        return None if isinstance(value, spec) else f"{name} is not a {_TYPE_NAMES.get(spec, spec.__name__)}"
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"{name} is not a list"
        for i, item in enumerate(value):
            if problem := _problem(item, spec[0], f"{where}[{i}]"):
                return problem
        return None
    if not isinstance(value, dict):
        return f"{name} is not an object"
    for key, sub in spec.items():
        if key == "*":
            for k, v in value.items():
                if problem := _problem(v, sub, f"{where}.{k[:40]}" if where else k[:40]):
                    return problem
            continue
        optional = key.endswith("?")
        key = key.rstrip("?")
        path = f"{where}.{key}" if where else key
        if key not in value or value[key] is None:
            if not optional:
                return f"{path} is missing"
            continue
        if problem := _problem(value[key], sub, path):
            return problem
    return None


_TYPE_NAMES: dict[type, str] = {str: "string", dict: "object", list: "list"}


def describe(body: dict[str, Any]) -> str:
    """A short, safe name for a payload: `event reaction_added`, `block_actions some_action`, `command /x`."""
    if "command" in body:
        return f"command {str(body['command'])[:40]}"
    kind = str(body.get("type", "unknown"))[:40]
    if kind == "event_callback" and isinstance(body.get("event"), dict):
        return f"event {str(body['event'].get('type'))[:40]}"
    if kind == "block_actions" and body.get("actions"):
        return f"{kind} {str(body['actions'][0].get('action_id'))[:40]}"
    return kind


def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
    """Bolt's error handler: a payload no listener wants gets one log line (events are acknowledged with 200 so
    Slack does not count a failed delivery); any other error is a defect and keeps its traceback."""
    if isinstance(error, BoltUnhandledRequestError):
        acknowledged = body.get("type") == "event_callback"
        log.info("no listener for %s; %s", describe(body), "acknowledged" if acknowledged else "answered 404")
        return BoltResponse(status=200 if acknowledged else 404, body="")
    log.error("listener failed (%s)", error.__class__.__name__, exc_info=error)
    return None
