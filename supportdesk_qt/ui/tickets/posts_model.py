"""A ticket's thread as a paged list model (oldest first, pages loaded as the agent scrolls down).

One column over :class:`PagedTableModel` (so the paging rules are the same as every other server
list), plus roles the delegate paints from. Texts are returned raw; the delegate draws plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportdesk_protocol.schemas import TicketPost
from supportdesk_qt.qt import QModelIndex, QObject, QPersistentModelIndex, Qt
from supportdesk_qt.ui import formatting as F
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
    TimeTextRole = _ROLE + 15      # QLocale short date and time

    def __init__(self, fetch: Fetch, *, page_size: int = 50, tasks: TaskRegistry | None = None,
                 parent: QObject | None = None) -> None:
        cols = [Column(self.tr("Post"), lambda p: p.text)]
        super().__init__(cols, fetch, page_size=page_size, tasks=tasks, parent=parent)

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
            self.TimeTextRole: lambda: F.date_time(post.created_at),
            int(Qt.ItemDataRole.AccessibleTextRole): lambda: f"{post.author_name}: {post.text[:500]}",
        }
        getter = getters.get(role)
        if getter is not None:
            return getter()
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return super().data(index, role)
