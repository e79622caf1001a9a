"""The words of a system line for something that happened to a chat (``ChatEvent``, from
``GET /chats/{id}/events``): "Dana Demo joined", "Forwarded to Technical support by Dana Demo",
"Returned to Sales: nobody took it", "Closed by the visitor".

Translated here (the desk's own words), with every name a person typed (agent, department,
the forward's comment) bidi-isolated (ui/common/text.isolate) so it cannot reorder the words
around it. The time is the delegate's (ui/chat/message_delegate.py, QLocale).
"""

from __future__ import annotations

from supportdesk_protocol.schemas import ChatEvent, ChatEventKind
from supportdesk_qt.qt import QLocale, translate
from supportdesk_qt.ui.common.text import cap, isolate

_CONTEXT = "ChatEventLine"
MAX_NAME = 80
MAX_COMMENT = 300


def _name(text: str, n: int = MAX_NAME) -> str:
    return isolate(cap(" ".join((text or "").split()), n))


def _department(e: ChatEvent) -> str:
    if e.department_name.strip():
        return _name(e.department_name)
    if e.department_id is not None:
        return translate("ChatEventLine", "department %1").replace("%1", QLocale().toString(e.department_id))
    return translate("ChatEventLine", "another department")


def _fill(template: str, *values: str) -> str:
    """``%1``, ``%2``... replaced in one pass (a name containing "%2" stays as typed)."""
    out, i = [], 0
    while i < len(template):
        if template[i] == "%" and i + 1 < len(template) and template[i + 1].isdigit():
            n = int(template[i + 1])
            if 1 <= n <= len(values):
                out.append(values[n - 1])
                i += 2
                continue
        out.append(template[i])
        i += 1
    return "".join(out)


def event_line(e: ChatEvent) -> str:
    """The system line for ``e``, in the desk's language."""
    agent = _name(e.agent_name)
    kind = e.kind
    if kind == ChatEventKind.JOINED:
        return _fill(translate("ChatEventLine", "%1 joined"), agent) if agent else translate("ChatEventLine", "An agent joined")
    if kind == ChatEventKind.RELEASED:
        if e.reason == "offline":
            return (_fill(translate("ChatEventLine", "%1 went offline: the chat is waiting again"), agent)
                    if agent else translate("ChatEventLine", "The agent went offline: the chat is waiting again"))
        return (_fill(translate("ChatEventLine", "%1 left: the chat is waiting again"), agent)
                if agent else translate("ChatEventLine", "The chat is waiting again"))
    if kind == ChatEventKind.FORWARDED:
        where = _department(e)
        line = (_fill(translate("ChatEventLine", "Forwarded to %1 by %2"), where, agent) if agent
                else _fill(translate("ChatEventLine", "Forwarded to %1"), where))
        if e.comment.strip():
            line = _fill(translate("ChatEventLine", "%1: “%2”"), line, _name(e.comment, MAX_COMMENT))
        return line
    if kind == ChatEventKind.RETURNED:
        return _fill(translate("ChatEventLine", "Returned to %1: nobody took it"), _department(e))
    if kind == ChatEventKind.CLOSED:
        if e.by_visitor:
            return translate("ChatEventLine", "Closed by the visitor")
        return _fill(translate("ChatEventLine", "Closed by %1"), agent) if agent else translate("ChatEventLine", "Closed")
    return str(kind)
