"""The AsyncAPI 3 description of both WebSockets, generated from the frame models.

``asyncapi_document()`` is what the server serves at ``/asyncapi.json`` and what is checked in as
``docs/asyncapi.json``; ``frame_fields_markdown()`` is the "Frame fields" part of
``docs/protocol.md``. Both come from the same pydantic models the server sends and validates
with, so they cannot drift from it (tests compare the checked-in copies with these).

The document describes the server: ``receive`` operations are the frames a client sends,
``send`` operations the frames the server sends. Every event type is its own message
(``server.event.<type>``) whose payload pins ``type`` and gives ``data`` its model.

Regenerate the checked-in copies with::

    python -m supportdesk_protocol.asyncapi > docs/asyncapi.json
    python -m supportdesk_protocol.asyncapi --markdown   # paste between the frame-fields marks
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, create_model
from pydantic.json_schema import models_json_schema

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_protocol import schemas as S

REF = "#/components/schemas/{model}"


def _event_name(type_: str) -> str:
    return "".join(p.capitalize() for p in re.split(r"[._]", type_)) + "EventFrame"


def _event_frame(type_: str, data: type[BaseModel]) -> type[E.EventFrame]:
    model = create_model(_event_name(type_), __base__=E.EventFrame,
                         type=(Literal[type_], ...), data=(data, ...))
    model.__doc__ = f"The event ``{type_}``: ``data`` is ``{data.__name__}``."
    return model


EVENT_FRAMES: dict[str, type[E.EventFrame]] = {
    t: _event_frame(t, m) for t, m in E.EVENT_DATA_MODELS.items()}


@dataclass(frozen=True)
class Socket:
    key: str
    address: str
    title: str
    description: str
    client_frames: tuple[type[BaseModel], ...]
    server_frames: tuple[type[BaseModel], ...]
    close_codes: tuple[tuple[int, str], ...]


AGENT = Socket(
    key="agent", address=f"{L.API_PREFIX}/agent/ws", title="Agent event stream",
    description=(
        "The client speaks first: `auth` (within 10 s). The server answers `ready` (or `reset` "
        "when it cannot resume), replays every visible event after `resume_after`, then sends "
        "live events in `seq` order. After that the client sends only `ping`; anything else is "
        "answered with `error` and the socket stays open. See docs/protocol.md, "
        "\"Agent event stream\"."),
    client_frames=(E.AuthFrame, E.PingFrame),
    server_frames=(E.ReadyFrame, E.ResetFrame, *EVENT_FRAMES.values(), E.PongFrame,
                   E.ErrorFrame),
    close_codes=(
        (1000, "normal close"),
        (1007, "a text frame that is not valid UTF-8"),
        (1009, "a frame over 64 KiB"),
        (1011, "a server bug (logged); reconnect and resume"),
        (1012, "the server is restarting; reconnect and resume"),
        (1013, "try again later: the client read too slowly (its outbox overflowed), or the "
               "database failed before ready; reconnect and resume"),
        (4401, "no auth within 10 s, a first frame that is not a valid auth, or a missing, bad, "
               "expired or revoked token; log in again"),
    ),
)

VISITOR = Socket(
    key="visitor", address=f"{L.API_PREFIX}/visitor/ws", title="Visitor socket (the widget)",
    description=(
        "The client speaks first: `hello` with the token from POST /api/v1/visitor/session "
        "(within 10 s). The server answers `welcome`, the open chat's messages after "
        "`after_seq`, an outstanding `auth_prompt` (again: true), then live frames. Bad frames "
        "after `welcome` are answered with `error` and the socket stays open. See "
        "docs/protocol.md, \"Visitor side\"."),
    client_frames=(E.HelloFrame, E.StartFrame, E.VisitorMessageFrame, E.VisitorTypingFrame,
                   E.PageFrame, E.VisitorCloseFrame, E.VisitorPingFrame, E.VisitorLoginFrame,
                   E.VisitorRegisterFrame, E.VisitorAuthDismissedFrame),
    server_frames=(E.WelcomeFrame, E.VisitorMessageOut, E.VisitorChatFrame, E.AckFrame,
                   E.VisitorTypingOut, E.AuthPromptFrame, E.AuthResultFrame, E.PongFrame,
                   E.ErrorFrame),
    close_codes=(
        (1000, "normal close"),
        (1007, "a text frame that is not valid UTF-8"),
        (1008, "the page's Origin is not on the widget origin allow-list"),
        (1009, "a frame over 64 KiB"),
        (1011, "a server bug (logged); reconnect with after_seq"),
        (1012, "the server is restarting; reconnect with after_seq"),
        (1013, "try again later: the socket read too slowly (outbox overflow), or the hello "
               "could not be stored (database locked, full or failing)"),
        (4401, "no hello within 10 s, a first frame that is not a valid hello, or an unknown "
               "visitor token; get a token from POST /api/v1/visitor/session"),
    ),
)

SOCKETS = (AGENT, VISITOR)


def _op(model: type[BaseModel]) -> str:
    return model.model_fields["op"].annotation.__args__[0]   # op: Literal["..."]


def message_key(direction: str, model: type[BaseModel]) -> str:
    """``client.<op>`` / ``server.<op>``; events: ``server.event.<type>``."""
    if issubclass(model, E.EventFrame) and model is not E.EventFrame:
        return f"server.event.{model.model_fields['type'].annotation.__args__[0]}"
    return f"{direction}.{_op(model)}"


def _summary(model: type[BaseModel]) -> str:
    """The first paragraph of the model's docstring, in Markdown (``x`` -> `x`)."""
    doc = (model.__doc__ or "").strip()
    return " ".join(doc.split("\n\n")[0].split()).replace("``", "`") if doc else ""


def _messages(sock: Socket, names: dict[tuple[type[BaseModel], str], str]
              ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for direction, frames, mode in (("client", sock.client_frames, "validation"),
                                    ("server", sock.server_frames, "serialization")):
        for model in frames:
            msg: dict[str, Any] = {
                "name": message_key(direction, model),
                "title": f"{_op(model)} ({'client to server' if direction == 'client' else 'server to client'})",
                "payload": {"$ref": REF.format(model=names[(model, mode)])},
            }
            if summary := _summary(model):
                msg["summary"] = summary
            out[message_key(direction, model)] = msg
    return out


def asyncapi_document() -> dict[str, Any]:
    pairs: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = []
    for sock in SOCKETS:
        pairs += [(m, "validation") for m in sock.client_frames]
        pairs += [(m, "serialization") for m in sock.server_frames]
    pairs = list(dict.fromkeys(pairs))
    key_map, defs = models_json_schema(pairs, ref_template=REF)
    names = {pair: schema["$ref"].rsplit("/", 1)[1] for pair, schema in key_map.items()}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for sock in SOCKETS:
        messages = _messages(sock, names)
        channels[sock.key] = {
            "address": sock.address,
            "title": sock.title,
            "description": sock.description + " Close codes: " + "; ".join(
                f"{c} {m}" for c, m in sock.close_codes) + ".",
            "messages": messages,
            "bindings": {"ws": {"method": "GET", "bindingVersion": "0.1.0"}},
            "x-close-codes": [{"code": c, "meaning": m} for c, m in sock.close_codes],
        }
        for action, prefix in (("receive", "client."), ("send", "server.")):
            operations[f"{sock.key}{action.capitalize()}"] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{sock.key}"},
                "title": (f"Frames the client sends on the {sock.key} socket" if action == "receive"
                          else f"Frames the server sends on the {sock.key} socket"),
                "messages": [{"$ref": f"#/channels/{sock.key}/messages/{k}"}
                             for k in messages if k.startswith(prefix)],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "SupportDesk WebSockets",
            "version": str(L.PROTOCOL_VERSION),
            "description": (
                "The two WebSockets of a SupportDesk server (protocol version "
                f"{L.PROTOCOL_VERSION}), seen from the server: `receive` = frames a client "
                "sends, `send` = frames the server sends. Text frames only, one JSON object per "
                "frame, at most 64 KiB. Clients ignore fields and event types they do not know. "
                "The HTTP API is in /openapi.json; the prose is docs/protocol.md."),
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": defs.get("$defs", {})},
    }


def asyncapi_json() -> str:
    return json.dumps(asyncapi_document(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# --- the field tables of docs/protocol.md ---------------------------------------------------------

SHAPES: tuple[type[BaseModel], ...] = (
    S.Agent, S.Department, S.Chat, S.VisitorInfo, S.ChatMessage, E.ChatMessageEvent,
    E.TypingEvent, E.ForwardEvent, E.ChatAuthorizedEvent, E.ClientChanged, E.ReplyChanged,
    S.Ticket, S.TicketPost, E.VisitorChat, E.VisitorMessage, E.AuthFieldError,
)
REQUESTS: tuple[type[BaseModel], ...] = (
    S.SendMessageRequest, S.TypingRequest, S.ChatPatch, S.CloseRequest, S.ForwardRequest,
)


def _type(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        target = defs.get(name, {})
        return _type(target, defs) if "enum" in target else f"`{name}`"
    if "anyOf" in schema:
        return " \\| ".join(_type(s, defs) for s in schema["anyOf"])
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), defs)}"
    if kind == "string":
        text = "timestamp" if schema.get("format") == "date-time" else "string"
        lo, hi = schema.get("minLength"), schema.get("maxLength")
        if lo is not None or hi is not None:
            text += f" ({lo or 0}..{hi if hi is not None else ''} chars)"
        if "pattern" in schema:
            text += f" `{schema['pattern']}`"
        return text
    if kind == "integer":
        lo, hi = schema.get("minimum"), schema.get("maximum")
        bounds = f" ({'' if lo is None else lo}..{'' if hi is None else hi})" if (
            lo is not None or hi is not None) else ""
        return "integer" + bounds
    if kind in ("boolean", "number"):
        return kind
    if kind == "object":
        return "object"
    if kind == "null":
        return "`null`"
    return "any JSON"


def _table(model: type[BaseModel], mode: Literal["validation", "serialization"]) -> str:
    schema = model.model_json_schema(mode=mode, ref_template="#/$defs/{model}")
    defs = schema.get("$defs", {})
    required = set(schema.get("required", ()))
    rows = [f"#### `{model.__name__}`", ""]
    if summary := _summary(model):
        rows += [summary, ""]
    rows += ["| field | type | req. | default |", "|---|---|---|---|"]
    for name, prop in schema.get("properties", {}).items():
        default = f"`{json.dumps(prop['default'], ensure_ascii=False)}`" if "default" in prop else ""
        rows.append(f"| `{name}` | {_type(prop, defs)} | {'yes' if name in required else ''} "
                    f"| {default} |")
    return "\n".join(rows) + "\n"


def frame_fields_markdown() -> str:
    parts: list[str] = []
    for sock in SOCKETS:
        parts.append(f"### {sock.title}: `{sock.address}`\n")
        parts.append("Client to server:\n")
        parts += [_table(m, "validation") for m in sock.client_frames]
        parts.append("Server to client:\n")
        parts += [_table(m, "serialization") for m in sock.server_frames
                  if not issubclass(m, E.EventFrame)]
        if sock is AGENT:
            parts.append(_table(E.EventFrame, "serialization"))
            parts.append("| event `type` | `data` |\n|---|---|\n" + "".join(
                f"| `{t}` | `{m.__name__}` |\n" for t, m in E.EVENT_DATA_MODELS.items()))
    parts.append("### Payloads and nested shapes\n")
    parts += [_table(m, "serialization") for m in SHAPES]
    parts.append("### Chat request bodies (HTTP)\n")
    parts += [_table(m, "validation") for m in REQUESTS]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.write(frame_fields_markdown() if "--markdown" in args else asyncapi_json())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
