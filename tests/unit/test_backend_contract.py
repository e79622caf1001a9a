"""The Backend contract is complete and kept: every member the UI and core use is declared on
``Backend``; optional abilities are a ``Capability`` set, checked by that set and never probed
with ``getattr``/``hasattr``; ``HttpBackend`` and the test fake implement it with the same
signatures; and ``HttpBackend`` builds its request bodies from the protocol's request models, with
one rule for fields a model does not have: refused with ``ValidationFailed``, nothing sent."""

from __future__ import annotations

import ast
import inspect
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

import supportdesk_qt
from supportdesk_protocol import schemas as S
from supportdesk_qt.backend.base import (
    CAPABILITY_METHODS,
    Backend,
    BackendError,
    Capability,
    ValidationFailed,
    missing_methods,
)
from supportdesk_qt.backend.http import HttpBackend
from supportdesk_qt.core.secrets import SecretStore
from supportdesk_qt.core.session import Session
from supportdesk_qt.core.settings import Preferences
from tests.ui.fakes import FakeBackend

PACKAGE_ROOT = Path(supportdesk_qt.__file__).resolve().parent


def _public_members(cls: type) -> dict[str, object]:
    return {name: value for name, value in vars(cls).items() if not name.startswith("_")}


# --- the interface --------------------------------------------------------------------------------


def test_every_optional_method_belongs_to_exactly_one_capability():
    optional = {name for name, value in _public_members(Backend).items()
                if inspect.iscoroutinefunction(value)
                and not getattr(value, "__isabstractmethod__", False)}
    listed = [name for names in CAPABILITY_METHODS.values() for name in names]
    assert sorted(listed) == sorted(set(listed))               # no method in two abilities
    assert set(listed) == optional
    assert set(CAPABILITY_METHODS) == set(Capability)


def test_the_members_the_ui_used_to_probe_are_declared():
    for name in ("server_url", "closed", "capabilities", "agents", "reconnect_now"):
        assert hasattr(Backend, name), name
    assert {"server_url", "closed"} <= Backend.__abstractmethods__


@pytest.mark.parametrize("impl", [HttpBackend, FakeBackend])
def test_implementations_keep_the_signatures_of_the_contract(impl):
    for name, declared in _public_members(Backend).items():
        if not callable(declared) or name == "capabilities":
            continue
        mine = getattr(impl, name)
        if mine is declared:
            continue                                  # the "unsupported" default
        want, got = inspect.signature(declared), inspect.signature(mine)
        assert [(p.name, p.kind, p.default) for p in want.parameters.values()] == \
            [(p.name, p.kind, p.default) for p in got.parameters.values()], \
            f"{impl.__name__}.{name}"


def test_http_backend_has_every_capability_and_implements_it():
    assert HttpBackend.capabilities == frozenset(Capability)
    assert missing_methods(HttpBackend) == {}


def test_a_capability_claimed_but_not_implemented_is_found():
    class Boastful(FakeBackend):
        capabilities = frozenset({Capability.AGENTS, Capability.TICKET_EDITS})

        async def create_ticket(self, **kw):
            raise NotImplementedError

    assert missing_methods(Boastful) == {Capability.AGENTS: ["agents"],
                                         Capability.TICKET_EDITS: ["update_ticket",
                                                                   "add_ticket_post"]}
    assert missing_methods(FakeBackend) == {}


async def test_without_a_capability_its_methods_say_so():
    fake = FakeBackend()
    assert fake.capabilities == frozenset()
    with pytest.raises(BackendError) as info:
        await fake.agents()
    assert info.value.code == "unsupported" and info.value.message.endswith(".")
    with pytest.raises(BackendError) as info:
        await fake.reconnect_now(drop_current=True)
    assert info.value.code == "unsupported"


async def test_session_asks_for_a_reconnect_only_of_a_backend_that_can():
    asked: list[bool] = []

    class Reconnecting(FakeBackend):
        capabilities = frozenset({Capability.RECONNECT_NOW})

        async def reconnect_now(self, *, drop_current: bool = False) -> None:
            asked.append(drop_current)

    session = Session(Preferences.load(), SecretStore(), lambda url: FakeBackend())
    assert await session.reconnect_now("no backend") is False
    session.backend = FakeBackend()
    assert await session.reconnect_now("cannot") is False
    session.backend = Reconnecting()
    assert await session.reconnect_now("network up") is True and asked == [True]
    await session.backend.close()
    assert await session.reconnect_now("closed") is False and asked == [True]


def _probes(source: str) -> list[str]:
    """``getattr``/``hasattr`` calls whose object is a backend (its source names a backend)."""
    return [f"{node.lineno}: {ast.unparse(node)}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr") and node.args
            and "backend" in ast.unparse(node.args[0]).lower()]


def test_nobody_probes_a_backend_with_getattr():
    assert _probes("agents = getattr(self.backend, 'agents', None)")   # the check can fail
    found = {str(path.relative_to(PACKAGE_ROOT)): _probes(path.read_text(encoding="utf-8"))
             for path in sorted(PACKAGE_ROOT.rglob("*.py"))}
    assert {k: v for k, v in found.items() if v} == {}


# --- request bodies -------------------------------------------------------------------------------


def _recording_backend() -> tuple[HttpBackend, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)        # the answer does not matter here

    backend = HttpBackend("http://desk.test", transport=httpx.MockTransport(handler))
    backend._t.token = "tok"
    return backend, sent


async def _body_of(call) -> dict:
    backend, sent = _recording_backend()
    try:
        with pytest.raises(BackendError):
            await call(backend)
        assert len(sent) == 1
        return json.loads(sent[0].content)
    finally:
        await backend.close()


# (a call, the request model its body must be, the body expected)
BODIES = [
    (lambda b: b.send_message(1, "hi", "m-1"), S.SendMessageRequest,
     {"client_msg_id": "m-1", "text": "hi"}),
    (lambda b: b.set_typing(1, True), S.TypingRequest, {"typing": True}),
    (lambda b: b.close_chat(1), S.CloseRequest, {"reason": ""}),
    (lambda b: b.update_chat(1, name="Order 7"), S.ChatPatch, {"name": "Order 7"}),
    (lambda b: b.forward_chat(1, 2, "billing"), S.ForwardRequest,
     {"department_id": 2, "comment": "billing"}),
    (lambda b: b.request_visitor_auth(1, "register"), S.VisitorAuthRequest, {"kind": "register"}),
    (lambda b: b.client_area_link(5), S.ClientAreaLinkRequest, {"client_id": 5, "chat_id": None}),
    (lambda b: b.set_status("online"), S.StatusUpdate, {"status": "online"}),
    (lambda b: b.update_client(5, 3, phone="+1 555"), S.ClientPatch,
     {"version": 3, "phone": "+1 555"}),
    (lambda b: b.create_client_user(5, login="ann", email="ann@x.example"), S.ClientUserCreate,
     {"login": "ann", "email": "ann@x.example", "full_name": ""}),
    (lambda b: b.update_client_user(5, 6, 2, enabled=False), S.ClientUserPatch,
     {"version": 2, "enabled": False}),
    (lambda b: b.update_payment(5, 7, 4, amount=Decimal("12.50")), S.PaymentPatch,
     {"version": 4, "amount": "12.50"}),
    (lambda b: b.update_service(5, 8, 1, expires_at=None), S.ServicePatch,
     {"version": 1, "expires_at": None}),                     # null clears the expiry
    (lambda b: b.set_project_enabled(5, 9, 2, False), S.ProjectPatch,
     {"version": 2, "enabled": False}),
    (lambda b: b.create_ticket(client_id=5, subject="Invoice", department_id=1,
                               priority="high", text="Hello", client_msg_id="t-1"),
     S.TicketCreate, {"client_id": 5, "subject": "Invoice", "department_id": 1,
                      "priority": "high", "text": "Hello", "client_msg_id": "t-1"}),
    (lambda b: b.update_ticket(4, 3, assignee_id=None), S.TicketPatch,
     {"version": 3, "assignee_id": None}),                     # null unassigns
    (lambda b: b.add_ticket_post(4, "note", "internal", "p-1"), S.TicketPostCreate,
     {"kind": "note", "text": "internal", "client_msg_id": "p-1"}),
    (lambda b: b.create_reply(title="Hi", text="Hello there"), S.ReplyCreate,
     {"title": "Hi", "text": "Hello there", "scope": "personal", "department_id": None,
      "chat_only": False}),
    (lambda b: b.update_reply(3, 2, chat_only=True), S.ReplyPatch,
     {"version": 2, "chat_only": True}),
]


@pytest.mark.parametrize("call,model,expected", BODIES)
async def test_request_bodies_are_the_protocol_models(call, model, expected):
    body = await _body_of(call)
    assert body == expected
    model.model_validate(body)                 # what the server will read


async def test_login_body_is_the_login_request():
    body = await _body_of(lambda b: b.login("ann", "secret"))
    assert body == {"username": "ann", "password": "secret"}


# Every method that takes **changes, with a field its model does not have: one rule for all.
UNKNOWN_FIELD = [
    lambda b: b.update_client(5, 3, nickname="Bob"),
    lambda b: b.update_client_user(5, 6, 2, nickname="Bob"),
    lambda b: b.update_payment(5, 7, 4, nickname="Bob"),
    lambda b: b.update_service(5, 8, 1, nickname="Bob"),
    lambda b: b.update_ticket(4, 3, nickname="Bob"),
    lambda b: b.update_reply(3, 2, nickname="Bob"),
]


@pytest.mark.parametrize("call", UNKNOWN_FIELD)
async def test_a_field_the_request_does_not_have_is_refused_and_nothing_is_sent(call):
    backend, sent = _recording_backend()
    try:
        with pytest.raises(ValidationFailed) as info:
            await call(backend)
        assert sent == [] and len(backend.request_log) == 0
        assert info.value.code == "validation_error"
        assert info.value.message == \
            "This cannot be sent: this request has no field 'nickname'."
        assert info.value.details[0]["loc"] == ["nickname"]
    finally:
        await backend.close()


async def test_a_value_out_of_the_protocol_limits_is_refused_before_sending():
    backend, sent = _recording_backend()
    try:
        with pytest.raises(ValidationFailed) as info:
            await backend.send_message(1, "x" * 10_001, "m-1")
        assert sent == []
        assert info.value.message.startswith("This cannot be sent: text: ")
        assert info.value.message.endswith(".")
        assert info.value.details == [{"loc": ["text"], "msg": info.value.details[0]["msg"],
                                       "type": "string_too_long"}]
    finally:
        await backend.close()
