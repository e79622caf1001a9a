"""The change log: the bundled release notes, the "new" mark after an upgrade, and its button.

Wiring (main window)::

    tracker = ChangelogTracker(window_state, supportdesk_version)
    button = ChangelogButton(tracker, parent=toolbar)      # instead of the plain QToolButton
    button.clicked.connect(window.open_changelog)          # the button clears its own dot
    ...
    tabs.open("changelog")      # ChangelogTab(context): the notes, then the server's entries

``CHANGELOG.md`` is our own text, shipped in ``resources/`` (found through assets.py), so it is
rendered as Markdown. Entries from the server are someone else's text: they are appended as plain
text through ``QTextCursor.insertText`` (never parsed as Markdown or HTML).

"New" means: the version running now is newer than the one whose change log was last opened
(``WindowState.changelog_seen_version``), or the change log was never opened, or the server
lists an entry newer than the one seen.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from supportdesk_qt import assets
from supportdesk_qt.backend.base import BackendError
from supportdesk_qt.core.settings import WindowState
from supportdesk_qt.qt import (
    QFont,
    QFrame,
    QPainter,
    QPalette,
    QRectF,
    Qt,
    QTextBlockFormat,
    QTextBrowser,
    QTextCharFormat,
    QTextCursor,
    QToolButton,
    QWidget,
)
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.datetime import format_datetime
from supportdesk_qt.ui.tabs import Tab, TabContext

log = logging.getLogger("supportdesk.ui.changelog")


def changelog_text() -> str:
    """The bundled ``CHANGELOG.md`` (``""`` if this build lacks it)."""
    try:
        return assets.read_text("CHANGELOG.md")
    except (OSError, FileNotFoundError):
        return ""


def version_key(version: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> ``(0, 10, 2)``; non-numeric parts are ignored (``"1.2.0rc1"`` ~ 1.2.0.1)."""
    return tuple(int(n) for n in re.findall(r"\d+", version or ""))


class ChangelogTracker:
    """Whether the change log has something the user has not opened yet. Persisted in WindowState."""

    def __init__(self, state: WindowState, current_version: str) -> None:
        self._state = state
        self.current_version = current_version
        self._server_latest = ""

    @property
    def seen_version(self) -> str:
        return self._state.changelog_seen_version

    @property
    def latest_version(self) -> str:
        """The newest version known: this build's, or a newer one the server lists."""
        if self._server_latest and version_key(self._server_latest) > version_key(self.current_version):
            return self._server_latest
        return self.current_version

    def note_server_versions(self, versions: Iterable[str]) -> None:
        """Versions of the server's change log entries (a newer one makes the log "new")."""
        best = self._server_latest
        for v in versions:
            if not best or version_key(v) > version_key(best):
                best = v
        self._server_latest = best

    def has_new(self) -> bool:
        seen = self.seen_version
        if not seen:
            return True                       # never opened: all of it is new to this user
        return version_key(self.latest_version) > version_key(seen)

    def mark_seen(self) -> None:
        """The user opened the change log: remember the newest version in it."""
        latest = self.latest_version
        if self._state.changelog_seen_version != latest:
            self._state.changelog_seen_version = latest


class ChangelogButton(QToolButton):
    """A tool button with a small painted dot while the change log has news. Clicking clears it."""

    DOT = 8

    def __init__(self, tracker: ChangelogTracker | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changelogButton")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        theme.follow(self, lambda: self.setIcon(theme.icon("changelog", self.palette())))
        self._tracker = tracker
        self._new = tracker.has_new() if tracker is not None else False
        self._update_tooltip()
        self.clicked.connect(self._opened)

    @property
    def is_new(self) -> bool:
        return self._new

    def set_new(self, new: bool) -> None:
        if new != self._new:
            self._new = new
            self._update_tooltip()
            self.update()

    def refresh(self) -> None:
        """Ask the tracker again (e.g. after ``note_server_versions``)."""
        if self._tracker is not None:
            self.set_new(self._tracker.has_new())

    def _opened(self) -> None:
        if self._tracker is not None:
            self._tracker.mark_seen()
        self.set_new(False)

    def _update_tooltip(self) -> None:
        self.setToolTip(self.tr("What's new in SupportDesk (new release notes)") if self._new
                        else self.tr("What's new in SupportDesk"))

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._new:
            return
        pal = self.palette()
        d = self.DOT
        r = self.rect()
        rect = QRectF(r.right() - d - 2, r.top() + 3, d, d)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(pal.color(QPalette.ColorRole.Window))          # a ring that lifts it off the icon
        p.drawEllipse(rect.adjusted(-1.5, -1.5, 1.5, 1.5))
        p.setBrush(theme.accent(pal))
        p.drawEllipse(rect)
        p.end()


def _field(entry: Any, name: str) -> Any:
    return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)


class ChangelogView(QTextBrowser):
    """The release notes: the bundled Markdown, then (optionally) the server's entries as plain text."""

    def __init__(self, parent: QWidget | None = None, *, text: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changelogView")
        self.setOpenExternalLinks(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(20)
        self._bundled = changelog_text() if text is None else text
        self._server_entries: list[Any] = []
        self._render()

    def set_server_entries(self, entries: Iterable[Any]) -> None:
        """Entries of ``GET /api/v1/changelog`` (``ChangelogEntry`` or dicts: version,
        published_at, title, body), newest first. Shown after the bundled notes, as plain text."""
        self._server_entries = list(entries)
        self._render()

    def _render(self) -> None:
        if self._bundled:
            self.setMarkdown(self._bundled)
        else:
            self.setPlainText(self.tr("The release notes are not included in this build."))
        if not self._server_entries:
            return
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        base = QTextCharFormat()
        heading = QTextCharFormat()
        heading.setFontWeight(QFont.Weight.Bold)
        heading.setFontPointSize(self.font().pointSizeF() * 1.35)
        title_fmt = QTextCharFormat()
        title_fmt.setFontWeight(QFont.Weight.Bold)
        meta = QTextCharFormat()
        block = QTextBlockFormat()          # a fresh block: not inside the notes' last list
        block.setTopMargin(4)
        meta.setForeground(theme.muted_text(self.palette()))

        cursor.insertBlock(block)
        cursor.insertText(self.tr("From your server"), heading)
        for entry in self._server_entries:
            version = str(_field(entry, "version") or "")
            title = str(_field(entry, "title") or "")
            body = str(_field(entry, "body") or "")
            published = _field(entry, "published_at")
            cursor.insertBlock(block)
            cursor.insertBlock(block)
            cursor.insertText(title, title_fmt)
            when = format_datetime(published) if isinstance(published, datetime) else ""
            info = " · ".join(t for t in (version, when) if t)
            if info:
                cursor.insertText("   " + info, meta)
            if body:
                cursor.insertBlock(block)
                cursor.insertText(body, base)      # plain text: no Markdown, no HTML


class ChangelogTab(ChangelogView, Tab):
    """The change log as a tab of the window: the bundled notes, then the server's entries
    (``GET /api/v1/changelog``, loaded in the tab's scope). Not reopened at the next start."""

    kind = "changelog"
    restorable = False
    needs_backend = False

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.init_tab(context)
        if context.has_backend:
            self.scope.spawn(self._load_server_entries(), name="server")

    @classmethod
    def from_key(cls, context: TabContext, ident: str, snapshot: object = None) -> ChangelogTab:
        return cls(context)

    def title(self) -> str:
        return self.tr("What's new")

    async def _load_server_entries(self) -> None:
        try:
            page = await self.backend.changelog()
        except BackendError as exc:
            log.info("server change log not loaded: %s", exc.message)
            return
        self.set_server_entries(page.items)
