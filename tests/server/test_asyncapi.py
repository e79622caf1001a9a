"""The AsyncAPI 3 document of both sockets: generated from the frame models, served at
``/asyncapi.json``, checked in as docs/asyncapi.json, and used (tests/server/conftest.py) to
validate every frame the server tests receive."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import httpx
import pytest
import websockets.asyncio.client

from supportdesk_protocol import events as E
from supportdesk_protocol import limits as L
from supportdesk_protocol.asyncapi import (
    SOCKETS,
    asyncapi_document,
    asyncapi_json,
    frame_fields_markdown,
)
from tests.server.frame_check import FrameChecker
from tests.server.helpers import agent_ws, recv_json, visitor

DOCS = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = "python -m supportdesk_protocol.asyncapi > docs/asyncapi.json"


def test_the_checked_in_copy_is_the_generated_document():
    assert (DOCS / "asyncapi.json").read_text() == asyncapi_json(), f"run: {REGENERATE}"


def test_the_frame_field_tables_in_protocol_md_are_generated():
    text = (DOCS / "protocol.md").read_text()
    section = text.split("<!-- frame-fields:begin -->\n", 1)[1].split("<!-- frame-fields:end -->")[0]
    assert section.strip() == frame_fields_markdown().strip(), \
        "regenerate with python -m supportdesk_protocol.asyncapi --markdown"


def test_the_server_serves_it_next_to_openapi(basic_server):
    r = httpx.get(basic_server.url + "/asyncapi.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == asyncapi_document()
    assert httpx.get(basic_server.url + "/openapi.json").status_code == 200


def _resolve(doc: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_document_shape_every_frame_event_and_close_code():
    doc = asyncapi_document()
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["version"] == str(L.PROTOCOL_VERSION)
    for sock in SOCKETS:
        channel = doc["channels"][sock.key]
        assert channel["address"] == sock.address
        ops = {m["payload"]["$ref"].rsplit("/", 1)[1] for m in channel["messages"].values()}
        for model in sock.client_frames + sock.server_frames:
            assert model.__name__ in ops
        # both operations point at messages of their channel; every reference resolves
        for action in ("receive", "send"):
            op = doc["operations"][f"{sock.key}{action.capitalize()}"]
            assert op["action"] == action and _resolve(doc, op["channel"]["$ref"]) is channel
            for ref in op["messages"]:
                message = _resolve(doc, ref["$ref"])
                assert _resolve(doc, message["payload"]["$ref"])["type"] == "object"
        codes = [c["code"] for c in channel["x-close-codes"]]
        assert codes == sorted(codes) and 4401 in codes and 1013 in codes
    events = {k.removeprefix("server.event.") for k in doc["channels"]["agent"]["messages"]
              if k.startswith("server.event.")}
    assert events == set(E.EventType.ALL) == set(E.EVENT_DATA_MODELS)
    for type_ in events:
        schema = doc["components"]["schemas"][
            doc["channels"]["agent"]["messages"][f"server.event.{type_}"]["payload"]["$ref"]
            .rsplit("/", 1)[1]]
        assert schema["properties"]["type"]["const"] == type_
        assert "$ref" in schema["properties"]["data"]


def _doc_close_codes(heading: str) -> list[int]:
    text = (DOCS / "protocol.md").read_text()
    section = text.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return [int(c) for c in re.findall(r"^\| (\d{4}) \|", section, re.M)]


@pytest.mark.parametrize("sock", SOCKETS, ids=lambda s: s.key)
def test_close_codes_are_the_ones_of_protocol_md(sock):
    heading = ("### Agent socket `/api/v1/agent/ws`" if sock.key == "agent"
               else "### Visitor socket `/api/v1/visitor/ws`")
    assert _doc_close_codes(heading) == [c for c, _ in sock.close_codes]


CHAT = {"id": 1, "state": "waiting", "department_id": 1, "assignee_id": None,
        "visitor_id": "v", "visitor_name": "Ann", "client_id": None, "client_name": None,
        "project_name": None, "name": "", "summary": "", "forwarded": False,
        "forwarded_from_department_id": None, "forwarded_by_agent_id": None,
        "forward_comment": "", "forward_deadline": None, "created_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z", "waiting_since": None, "closed_at": None,
        "last_message_at": None, "last_message_preview": "", "message_count": 0,
        "visitor": {"ip": None, "page_url": None, "page_title": None, "referrer": None,
                    "user_agent": None, "language": None, "timezone_offset_minutes": None},
        "version": 1}


def _event(type_: str, data: dict) -> str:
    return json.dumps({"op": "event", "seq": 5, "type": type_, "ts": "2026-12-01T10:00:00Z",
                       "data": data})


def test_the_checker_accepts_described_frames_and_refuses_the_rest():
    """The hook in conftest.py can fail: undescribed ops, event types, fields and types."""
    check = FrameChecker()
    agent, vis = "/api/v1/agent/ws", "/api/v1/visitor/ws"
    assert check.problem(agent, _event("chat.created", CHAT)) is None
    assert check.problem(agent, '{"op": "pong", "nonce": "x"}') is None
    assert check.problem(vis, '{"op": "error", "code": "c", "message": "m", "details": null,'
                              ' "client_msg_id": "v-1"}') is None
    assert "not described" in check.problem(agent, '{"op": "bogus"}')
    assert "not described" in check.problem(agent, _event("chat.exploded", CHAT))
    assert "not described" in check.problem(agent, '{"op": "welcome"}')   # a visitor frame
    assert "does not match" in check.problem(agent, _event("chat.created", {**CHAT, "x": 1}))
    missing = {k: v for k, v in CHAT.items() if k != "version"}
    assert "does not match" in check.problem(agent, _event("chat.updated", missing))
    assert "does not match" in check.problem(agent, _event("chat.created",
                                                           {**CHAT, "state": "lost"}))
    assert "does not match" in check.problem(vis, '{"op": "pong", "nonce": 1}')
    assert "not JSON" in check.problem(vis, "{nope")
    assert check.problem("/somewhere/else", "anything") is None


def test_the_hook_is_active_in_these_tests(basic_server, agents, frames_are_described):
    assert websockets.asyncio.client.ClientConnection.recv.__name__ == "recv_async"

    async def scenario() -> None:
        ws, ready = await agent_ws(basic_server, agents("alice").token)
        assert ready["op"] == "ready"
        await ws.close()
        v = await visitor(basic_server)
        await v.ws.send(json.dumps({"op": "ping", "nonce": "p"}))
        assert (await recv_json(v.ws))["op"] == "pong"
        await v.ws.close()

    asyncio.run(scenario())
    assert frames_are_described == []
