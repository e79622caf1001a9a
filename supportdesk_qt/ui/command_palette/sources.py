"""The palette's entries, read from the window when the palette opens: every enabled command of
the action registry (with its shortcut), every open tab, every waiting chat by visitor name;
and the clients of a server search (:func:`client_entries`)."""

from __future__ import annotations

from typing import Any, Protocol

from supportdesk_protocol.schemas import SearchHit
from supportdesk_qt.qt import QTabWidget, qt_is_valid, translate
from supportdesk_qt.ui.actions import ActionRegistry, native_text, plain
from supportdesk_qt.ui.command_palette.model import CHAT, CLIENT, COMMAND, SEARCH, TAB, Entry
from supportdesk_qt.ui.models.queue_model import QueueModel

#: the palette's own command is not listed in it
OWN_IDS = ("palette.open",)


class PaletteHost(Protocol):
    """What the palette reads and acts on: the main window (described, not imported:
    ``ui/main_window.py`` imports this package)."""

    commands: ActionRegistry
    tabs: QTabWidget
    queue_model: QueueModel

    @property
    def backend(self) -> Any: ...
    @property
    def tab_manager(self) -> Any: ...          # open_client(id), open_search(query)
    def take_chat(self, chat_id: int) -> None: ...


def local_entries(host: PaletteHost) -> list[Entry]:
    return [*command_entries(host.commands), *tab_entries(host.tabs), *chat_entries(host)]


def command_entries(commands: ActionRegistry) -> list[Entry]:
    # the first key only (the shortcut sheet lists them all)
    return [Entry(COMMAND, e.text, (lambda cid=e.id: commands.trigger(cid)), detail=e.category,
                  shortcut=native_text(e.shortcuts[:1]), key=f"command:{e.id}")
            for e in commands.entries() if e.enabled and e.id not in OWN_IDS]


def tab_entries(tabs: QTabWidget) -> list[Entry]:
    out = []
    for i in range(tabs.count()):
        widget = tabs.widget(i)
        title = getattr(widget, "title", None)
        text = (title() if callable(title) else "") or plain(tabs.tabText(i))
        ident = getattr(widget, "key", "") or f"index:{i}"     # the tab contract's key

        def bring(w=widget) -> None:
            if qt_is_valid(w) and tabs.indexOf(w) >= 0:
                tabs.setCurrentWidget(w)
                focus = getattr(w, "take_focus", None)
                if callable(focus):
                    focus()

        out.append(Entry(TAB, text, bring, detail=translate("CommandPalette", "open tab"),
                         key=f"tab:{ident}"))
    return out


def chat_entries(host: PaletteHost) -> list[Entry]:
    model = host.queue_model
    out = []
    for chat in model.chats():
        name = chat.visitor_name or translate("CommandPalette", "Visitor")
        detail = translate("CommandPalette", "waiting · %1").replace(
            "%1", model.department_name(chat.department_id))
        out.append(Entry(CHAT, name, (lambda cid=chat.id: host.take_chat(cid)), detail=detail,
                         key=f"chat:{chat.id}"))
    return out


def client_entries(host: PaletteHost, hits: list[SearchHit]) -> list[Entry]:
    out = []
    for hit in hits:
        c = hit.client
        detail = " · ".join(p for p in (c.email, hit.matched_value
                                        if hit.matched_value not in (c.name, c.email) else "")
                            if p)
        out.append(Entry(CLIENT, c.name or c.email, (lambda cid=c.id: host.tab_manager.open_client(cid)),
                         detail=detail, key=f"client:{c.id}"))
    return out


def search_entry(host: PaletteHost, query: str) -> list[Entry]:
    """"Search clients for “…”" (the full search tab), while something is typed."""
    q = query.strip()
    if not q or host.backend is None:
        return []
    return [Entry(SEARCH, translate("CommandPalette", "Search clients for “%1”").replace("%1", q),
                  (lambda: host.tab_manager.open_search(q)), key=f"search:{q}")]
