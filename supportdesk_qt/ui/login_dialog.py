"""The login dialog: server, username, password, remember me. Never blocks, never loses input.

The dialog does not know about sessions: it is given a ``login`` coroutine function
``login(server_url, username, password, remember) -> Agent`` and calls it when the person presses
"Sign in". While it runs the fields are read-only and a busy bar shows; a ``BackendError`` puts its
sentence under the fields and leaves everything typed in place (the password too, selected, so
retyping replaces it). An empty server address means the built-in demo; ``login`` decides what
that means (the app starts the embedded server).

It is shown with ``open()`` and awaited through a future (:meth:`LoginDialog.run`), never with
``exec()``: a nested event loop inside a coroutine breaks qasync ("Cannot enter into task").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from supportdesk_protocol.schemas import Agent
from supportdesk_qt.backend.base import BackendError, ValidationFailed
from supportdesk_qt.backend.server_url import normalize_server_url
from supportdesk_qt.qt import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from supportdesk_qt.ui import theme

log = logging.getLogger("supportdesk.ui.login")

LoginFn = Callable[[str, str, str, bool], Awaitable[Agent]]


class LoginDialog(QDialog):
    def __init__(self, login: LoginFn, *, server_url: str = "", username: str = "",
                 remember: bool = False, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login = login
        self._task: asyncio.Task | None = None
        self._agent: Agent | None = None
        self.setWindowTitle(self.tr("Sign in to SupportDesk"))
        self.setObjectName("loginDialog")
        self.setMinimumWidth(420)

        title = QLabel(self.tr("Sign in"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)

        self.server_edit = QLineEdit(server_url, self)
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText(self.tr("Leave empty for the built-in demo"))
        self.server_edit.setClearButtonEnabled(True)
        self.server_edit.setToolTip(self.tr(
            "The address of your SupportDesk server, e.g. https://desk.example.com"))

        self.username_edit = QLineEdit(username, self)
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setMaxLength(64)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(256)
        self.remember_check = QCheckBox(self.tr("Keep me signed in on this computer"), self)
        self.remember_check.setObjectName("rememberCheck")
        self.remember_check.setChecked(remember)
        self.remember_check.setToolTip(self.tr(
            "The sign-in token is kept in the system keyring, never in a file."))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Server:"), self.server_edit)
        form.addRow(self.tr("&Username:"), self.username_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        form.addRow("", self.remember_check)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)   # server text is untrusted
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.tint(self.error_label, theme.error_text)
        self.error_label.setVisible(False)

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.setVisible(False)

        self.buttons = QDialogButtonBox(self)
        self.sign_in_button: QPushButton = self.buttons.addButton(
            self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy_bar)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.server_edit.textChanged.connect(self._update_demo_mode)
        self._update_demo_mode()
        if message:
            self.show_error(message)
        # focus the first empty field
        for edit in (self.username_edit, self.password_edit):
            if edit.isEnabled() and not edit.text():
                edit.setFocus()
                break

    # -- public --------------------------------------------------------------------------------

    @property
    def agent(self) -> Agent | None:
        return self._agent

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    async def run(self) -> Agent | None:
        """Show the dialog (window-modal, not a nested loop) and wait until it closes."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[int] = loop.create_future()

        def finished(result: int) -> None:
            if not done.done():
                done.set_result(result)

        self.finished.connect(finished)
        self.open()
        try:
            result = await done
        finally:
            self.finished.disconnect(finished)
        return self._agent if result == QDialog.DialogCode.Accepted else None

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def values(self) -> tuple[str, str, str, bool]:
        """Server address, username, password, remember me; the address as the backend takes it
        (``backend/server_url.py``: a bare host gets its scheme), "" for the demo.
        :class:`ValidationFailed` when it is no server address."""
        text = self.server_edit.text().strip()
        server_url = normalize_server_url(text, assume_scheme=True) if text else ""
        return (server_url, self.username_edit.text().strip(), self.password_edit.text(),
                self.remember_check.isChecked())

    # -- behaviour -----------------------------------------------------------------------------

    def _update_demo_mode(self) -> None:
        demo = not self.server_edit.text().strip()
        for edit in (self.username_edit, self.password_edit):
            edit.setEnabled(not demo and not self.busy)
            edit.setPlaceholderText(self.tr("Not needed for the demo") if demo else "")
        self.remember_check.setEnabled(not demo and not self.busy)
        self.sign_in_button.setText(self.tr("Start the demo") if demo else self.tr("Sign in"))

    def _submit(self) -> None:
        if self.busy:
            return
        try:
            server_url, username, password, remember = self.values()
        except ValidationFailed:
            self.show_error(self.tr("The server address is not valid; it must look like %1.")
                            .replace("%1", "https://support.example.com"))
            self.server_edit.setFocus()
            return
        if server_url:
            if not username:
                self.show_error(self.tr("Enter your username."))
                self.username_edit.setFocus()
                return
            if not password:
                self.show_error(self.tr("Enter your password."))
                self.password_edit.setFocus()
                return
        self.show_error("")
        self._task = asyncio.ensure_future(self._attempt(server_url, username, password, remember))
        self._set_busy(True)

    async def _attempt(self, server_url: str, username: str, password: str, remember: bool) -> None:
        try:
            agent = await self._login(server_url, username, password, remember)
        except asyncio.CancelledError:
            raise
        except BackendError as exc:
            log.info("sign-in failed: %s", exc.message)
            self._failed(exc.message)
        except Exception:
            log.exception("sign-in failed unexpectedly")
            self._failed(self.tr("Signing in failed because of an error in SupportDesk. "
                                 "The details are in the log file; please try again."))
        else:
            self._agent = agent
            self._set_busy(False)
            self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.show_error(message)
        if self.password_edit.isEnabled():
            self.password_edit.setFocus()
            self.password_edit.selectAll()

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._task = None
        self.busy_bar.setVisible(busy)
        self.server_edit.setReadOnly(busy)
        self.username_edit.setReadOnly(busy)
        self.password_edit.setReadOnly(busy)
        self.remember_check.setEnabled(not busy and bool(self.server_edit.text().strip()))
        self.sign_in_button.setEnabled(not busy)
        if busy:
            self.sign_in_button.setText(self.tr("Signing in…"))
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
            self._update_demo_mode()

    def reject(self) -> None:
        """Cancel also stops a sign-in in progress."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            self._set_busy(False)
        super().reject()
