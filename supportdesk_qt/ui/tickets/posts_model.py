"""A ticket's thread as a paged list model (oldest first, pages loaded as the agent scrolls down).

One column over :class:`PagedTableModel` (so the paging rules are the same as every other server
list), plus roles the delegate paints from. Texts are returned raw; the delegate draws plain text.

Live and outgoing posts: :meth:`add_post` appends a post the server announced (``ticket.post``) or
answered, de-duplicated by id and by ``client_msg_id`` (it replaces the row of the same post still
being sent); :meth:`add_outgoing` shows a post being sent (a negative id, ``StateRole``
``sending`` / ``failed``), :meth:`set_outgoing_state` changes it. Rows are appended only once the
whole thread is loaded (the last page fetches newer posts otherwise). The composer's outbox feed
(ui/compose/outbox_feed.py) drives them through :meth:`show_outgoing`, :meth:`show_sent` and
:meth:`remove_outgoing` (its ``OutgoingRows``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from supportdesk_protocol.schemas import TicketPost
from supportdesk_qt.core.outbox import TICKET_NOTE
from supportdesk_qt.qt import QModelIndex, QObject, QPersistentModelIndex, Qt
from supportdesk_qt.ui import formatting as F
from supportdesk_qt.ui.compose.outbox_feed import Outgoing, RowState
from supportdesk_qt.ui.models.paged_table_model import Column, Fetch, PagedTableModel
from supportdesk_qt.ui.tasks import TaskRegistry

_ROLE = Qt.ItemDataRole.UserRole
MAX_POST_TEXT = 10_000    # the protocol's own limit; a longer text is cut for display


class TicketPostsModel(PagedTableModel):
    PostIdRole = _ROLE + 10
    KindRole = _ROLE + 11          # "client" / "staff" / "note"
    AuthorRole = _ROLE + 12
    TextRole = _ROLE + 13
    CreatedAtRole = _ROLE + 14     # datetime (UTC)
    TimeTextRole = _ROLE + 15      # QLocale short date and time (or the sending state)
    StateRole = _ROLE + 16         # "sent" / "sending" / "failed"
    ClientMsgIdRole = _ROLE + 17
    ErrorRole = _ROLE + 18

    def __init__(self, fetch: Fetch, *, page_size: int = 50, tasks: TaskRegistry | None = None,
                 parent: QObject | None = None) -> None:
        cols = [Column(self.tr("Post"), lambda p: p.text)]
        super().__init__(cols, fetch, page_size=page_size, tasks=tasks, parent=parent)
        self._outgoing: dict[str, tuple[str, str]] = {}   # client_msg_id -> (state, error)
        self.own_name = ""                 # the author shown on our posts not stored yet

    # -- live and outgoing posts

    def _row_of(self, post_id: int | None, client_msg_id: str | None) -> int:
        for i, p in enumerate(self._rows):
            if (post_id is not None and p.id == post_id) or (
                    client_msg_id and p.client_msg_id == client_msg_id):
                return i
        return -1

    @property
    def complete(self) -> bool:
        return self.total is not None and len(self._rows) >= self.total and not self.loading

    def add_post(self, post: TicketPost) -> bool:
        """A post the server has (event or answer). True when it is now shown."""
        i = self._row_of(post.id, post.client_msg_id)
        if i >= 0:
            self._outgoing.pop(post.client_msg_id or "", None)
            if self._rows[i].id < 0:          # was shown as being sent: now the server has it
                self._total = (self._total or 0) + 1
            self._rows[i] = post
            idx = self.index(i, 0)
            self.dataChanged.emit(idx, idx)
            return True
        if not self.complete:
            return False
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(post)
        self.endInsertRows()
        self._total = (self._total or 0) + 1
        self.totalChanged.emit(self._total)
        return True

    def add_outgoing(self, ticket_id: int, kind: str, text: str, client_msg_id: str,
                     author_name: str, created_at: datetime, seq: int) -> None:
        """A post written but not confirmed by the server yet."""
        if self._row_of(None, client_msg_id) >= 0:
            return
        self._outgoing[client_msg_id] = ("sending", "")
        if not self.complete:
            return
        post = TicketPost(id=-abs(int(seq)) or -1, ticket_id=ticket_id, kind=kind,
                          author_name=author_name, text=text, client_msg_id=client_msg_id,
                          created_at=created_at)
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(post)
        self.endInsertRows()

    def show_outgoing(self, row: Outgoing) -> None:
        """A post of ours in the outbox (new, restored, or its state changed)."""
        self.add_outgoing(row.target_id, "note" if row.kind == TICKET_NOTE else "staff", row.text,
                          row.client_msg_id, self.own_name, row.created_at, row.seq)
        self.set_outgoing_state(row.client_msg_id,
                                "failed" if row.state == RowState.FAILED else "sending", row.error)

    def show_sent(self, row: Outgoing, result: Any) -> None:
        """The server stored it: its answer replaces the row being sent."""
        if isinstance(result, TicketPost):
            self.add_post(result)

    def set_outgoing_state(self, client_msg_id: str, state: str, error: str = "") -> None:
        if self._outgoing.get(client_msg_id, (state, error)) == (state, error):
            return
        self._outgoing[client_msg_id] = (state, error)
        i = self._row_of(None, client_msg_id)
        if i >= 0:
            idx = self.index(i, 0)
            self.dataChanged.emit(idx, idx)

    def remove_outgoing(self, client_msg_id: str) -> None:
        self._outgoing.pop(client_msg_id, None)
        i = self._row_of(None, client_msg_id)
        if i >= 0 and self._rows[i].id < 0:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            self.endRemoveRows()

    def outgoing_state(self, client_msg_id: str | None) -> tuple[str, str]:
        return self._outgoing.get(client_msg_id or "", ("sent", ""))

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()) or index.column():
            return None
        post: TicketPost = self.item(index.row())
        getters: dict[int, Callable[[], Any]] = {
            self.PostIdRole: lambda: post.id,
            self.KindRole: lambda: str(post.kind.value),
            self.AuthorRole: lambda: post.author_name,
            self.TextRole: lambda: post.text[:MAX_POST_TEXT],
            self.CreatedAtRole: lambda: post.created_at,
            self.TimeTextRole: lambda: self._time_text(post),
            self.StateRole: lambda: self.outgoing_state(post.client_msg_id)[0],
            self.ErrorRole: lambda: self.outgoing_state(post.client_msg_id)[1],
            self.ClientMsgIdRole: lambda: post.client_msg_id,
            int(Qt.ItemDataRole.AccessibleTextRole): lambda: f"{post.author_name}: {post.text[:500]}",
        }
        getter = getters.get(role)
        if getter is not None:
            return getter()
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return super().data(index, role)

    def _time_text(self, post: TicketPost) -> str:
        state, error = self.outgoing_state(post.client_msg_id)
        if state == "sending":
            return self.tr("Sending…")
        if state == "failed":
            return self.tr("Not sent: {error} — right-click to retry").format(error=error)
        return F.date_time(post.created_at)
