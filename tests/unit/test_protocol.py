"""The shared protocol models: strict requests, tolerant responses, frame dispatch, limits."""

from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from supportdesk_protocol import PROTOCOL_VERSION
from supportdesk_protocol import limits as L
from supportdesk_protocol.events import (
    EVENT_DATA_MODELS,
    EventFrame,
    EventType,
    agent_client_frame,
    agent_server_frame,
    visitor_client_frame,
)
from supportdesk_protocol.schemas import Chat, ChatState, SendMessageRequest


def _chat(**over):
    now = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)
    data = dict(id=1, state="waiting", department_id=2, visitor_id="v", visitor_name="Ann",
                created_at=now, updated_at=now)
    data.update(over)
    return data


def test_version_is_two():
    assert PROTOCOL_VERSION == 2


def test_requests_reject_unknown_fields():
    with pytest.raises(ValidationError):
        SendMessageRequest(client_msg_id="c-1", text="hi", txet="typo")


def test_message_text_limits():
    SendMessageRequest(client_msg_id="c-1", text="x" * L.MAX_MESSAGE_TEXT)
    with pytest.raises(ValidationError):
        SendMessageRequest(client_msg_id="c-1", text="x" * (L.MAX_MESSAGE_TEXT + 1))
    with pytest.raises(ValidationError):
        SendMessageRequest(client_msg_id="c-1", text="")


@pytest.mark.parametrize("bad", ["", "has space", "a" * 65, "<script>", "é"])
def test_client_msg_id_charset(bad):
    with pytest.raises(ValidationError):
        SendMessageRequest(client_msg_id=bad, text="hi")


def test_responses_ignore_unknown_fields():
    chat = Chat.model_validate(_chat(field_from_the_future=1))
    assert chat.state is ChatState.WAITING


def test_every_event_type_has_a_model():
    assert set(EventType.ALL) == set(EVENT_DATA_MODELS)


def test_event_frame_parses_typed_payload_and_keeps_unknown_types_raw():
    frame = agent_server_frame.validate_python(
        {"op": "event", "seq": 5, "type": EventType.CHAT_CREATED, "ts": "2026-11-29T10:00:00Z",
         "data": _chat(created_at="2026-11-29T10:00:00Z", updated_at="2026-11-29T10:00:00Z")})
    assert isinstance(frame, EventFrame)
    assert isinstance(frame.parsed(), Chat)
    unknown = EventFrame(seq=6, type="future.thing", ts=datetime.now(timezone.utc), data={"a": 1})
    assert unknown.parsed() == {"a": 1}


def test_client_frames_dispatch_on_op():
    assert agent_client_frame.validate_python({"op": "auth", "token": "t", "resume_after": 3}).resume_after == 3
    with pytest.raises(ValidationError):
        agent_client_frame.validate_python({"op": "auth", "token": "t", "resume_after": -1})
    with pytest.raises(ValidationError):
        visitor_client_frame.validate_python({"op": "nope"})


@given(st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.integers(), st.text(max_size=20)),
                       max_size=6))
def test_arbitrary_objects_never_crash_the_frame_parsers(obj):
    for adapter in (agent_client_frame, visitor_client_frame, agent_server_frame):
        try:
            adapter.validate_python(obj)
        except ValidationError:
            pass
