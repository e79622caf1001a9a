"""The editing half of the client tab: what an agent can change, and a colleague's changes live.

``ClientEditing(tab)`` adds to a :class:`~supportdesk_qt.ui.client.client_tab.ClientTab`:

* **Edit name and phone…** next to the client's name;
* a row of actions under the users, payments, services and projects tables (``actions``, a
  stack that follows the current list; the client tab places it under its lists) — Add user… /
  Edit… / Disable or Enable; Edit… on a payment; Edit… and Delete… on a service; Disable or
  Enable on a project. Double-click (or Enter) on a row opens its Edit… form. Every action works
  on the selected row and is enabled only when one is selected;
* payments and services read-only, with a sentence saying why, when the agent lacks
  ``can_edit_payments`` / ``can_edit_services`` (the server refuses anyway: 403);
* ``apply_event``: a ``client.updated`` for this client puts the new record in its row (or
  drops a deleted service, or reloads the users when one was added), and a new name/phone in the
  header.

Forms are :class:`RecordEditDialog` (non-modal; conflicts are shown inside them). Enable/disable
and delete send the version the row shows; a 409 puts the colleague's record in the row and says
so, and the agent decides again. Saved records replace their row in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from supportdesk_protocol import limits as L
from supportdesk_protocol.events import ClientChanged, EventType
from supportdesk_protocol.schemas import (
    Client,
    ClientUser,
    Payment,
    PaymentStatus,
    Project,
    Role,
    Service,
    ServiceStatus,
)
from supportdesk_qt.backend.base import BackendError, Capability, Conflict, ServerEvent
from supportdesk_qt.qt import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QModelIndex,
    QObject,
    QPushButton,
    QStackedWidget,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    translate,
)
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.client.edit_dialog import Field, RecordEditDialog
from supportdesk_qt.ui.models.paged_table_model import PagedTableModel
from supportdesk_qt.ui.tasks import hold

if TYPE_CHECKING:
    from supportdesk_qt.ui.client.client_tab import ClientTab

PHONE = re.compile(r"^[0-9+()./ -]*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOGIN = re.compile(r"^[A-Za-z0-9._@+-]+$")
MIN_PASSWORD = 8

SCHEMAS = {"client": Client, "user": ClientUser, "payment": Payment, "service": Service,
           "project": Project}
KIND_OF = {"user": "users", "payment": "payments", "service": "services", "project": "projects"}



class ClientEditing(QObject):
    def __init__(self, tab: ClientTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.backend = tab.backend
        agent = self.backend.agent
        admin = agent is not None and agent.role == Role.ADMIN
        self.can_edit_payments = bool(agent and (agent.can_edit_payments or admin))
        self.can_edit_services = bool(agent and (agent.can_edit_services or admin))
        self.dialog: RecordEditDialog | None = None
        self.pages: dict[str, QWidget] = {}
        self.buttons: dict[str, QPushButton] = {}
        self.notes: dict[str, QLabel] = {}

        self.edit_client_button = QPushButton(self.tr("Edit name and phone…"), tab)
        self.edit_client_button.setObjectName("editClient")
        self.edit_client_button.setEnabled(False)
        self.edit_client_button.clicked.connect(self.edit_client)
        tab.loaded.connect(lambda: self.edit_client_button.setEnabled(True))

        # The actions of the list on screen, under the lists (one page per list; hidden for the
        # lists without actions). The tables stay the tab pages themselves.
        self.actions = QStackedWidget(tab)
        self.actions.setObjectName("clientListActions")
        self.actions.hide()
        tab.tabs.currentChanged.connect(self._sync_actions)

        # a backend that cannot change clients (its Capability set): nothing to edit, and said so
        self.can_edit = Capability.CLIENT_EDITS in self.backend.capabilities
        if not self.can_edit:
            self.edit_client_button.hide()
            note = self.tr("This server does not let the desk change clients: the lists are "
                           "read-only here.")
            for kind in ("users", "payments", "services", "projects"):
                self._page(kind, [], None, note)
            return
        self._page("users", [("addUser", self.tr("Add user…"), self.add_user, False),
                             ("editUser", self.tr("Edit…"), self.edit_user, True),
                             ("toggleUser", self.tr("Disable"), self.toggle_user, True)],
                   self.edit_user)
        if self.can_edit_payments:
            self._page("payments", [("editPayment", self.tr("Edit…"), self.edit_payment, True)],
                       self.edit_payment)
        else:
            self._page("payments", [], None, self.tr(
                "Payments are read-only for you: changing them needs the right to edit "
                "payments. Ask an administrator if you need it."))
        if self.can_edit_services:
            self._page("services", [("editService", self.tr("Edit…"), self.edit_service, True),
                                    ("deleteService", self.tr("Delete…"), self.delete_service,
                                     True)], self.edit_service)
        else:
            self._page("services", [], None, self.tr(
                "Services are read-only for you: changing or deleting them needs the right to "
                "edit services. Ask an administrator if you need it."))
        self._page("projects", [("toggleProject", self.tr("Disable"), self.toggle_project,
                                 True)], None)

    # -- pages

    def _sync_actions(self, *_args) -> None:
        current = self.tab.tabs.currentWidget()
        for kind, page in self.pages.items():
            if self.tab.views.get(kind) is current:
                self.actions.setCurrentWidget(page)
                self.actions.show()
                return
        self.actions.hide()

    def _page(self, kind: str, actions: list[tuple[str, str, Callable, bool]],
              on_activate: Callable | None, note: str = "") -> None:
        tab = self.tab
        view = tab.views[kind]
        page = QWidget(self.actions)
        page.setObjectName(f"actions_{kind}")
        vl = QVBoxLayout(page)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for name, label, slot, needs_row in actions:
            b = QPushButton(label, page)
            b.setObjectName(name)
            b.clicked.connect(tab.status_line.clear)      # another action: the last one's
            b.clicked.connect(slot)                        # sentence is no longer news
            b.setProperty("needsRow", needs_row)
            b.setEnabled(not needs_row)
            self.buttons[name] = b
            row.addWidget(b)
        if note:
            lab = QLabel(note, page)
            lab.setObjectName(f"readOnly_{kind}")
            lab.setTextFormat(Qt.TextFormat.PlainText)
            lab.setWordWrap(True)
            theme.tint(lab, theme.muted_text)
            self.notes[kind] = lab
            row.addWidget(lab, 1)
        else:
            row.addStretch(1)
        vl.addLayout(row)
        self.actions.addWidget(page)
        self.pages[kind] = page
        view.selectionModel().selectionChanged.connect(lambda *_a, k=kind: self._selection(k))
        tab.models[kind].modelReset.connect(lambda k=kind: self._selection(k))
        if on_activate is not None:
            view.doubleClicked.connect(lambda i, k=kind, f=on_activate: self._activate(k, i, f))
            view.activated.connect(lambda i, k=kind, f=on_activate: self._activate(k, i, f))

    def _activate(self, kind: str, index: QModelIndex, action: Callable) -> None:
        """Double-click / Enter on a row: select that row, then its Edit…."""
        if not index.isValid():
            return
        view: QTableView = self.tab.views[kind]
        view.selectRow(index.row())
        action()

    def selected(self, kind: str) -> Any:
        view: QTableView = self.tab.views[kind]
        rows = view.selectionModel().selectedRows() if view.selectionModel() else []
        if not rows:
            return None
        return rows[0].data(PagedTableModel.ItemRole)

    def _selection(self, kind: str) -> None:
        item = self.selected(kind)
        page = self.pages[kind]
        for b in page.findChildren(QPushButton):
            if b.property("needsRow"):
                b.setEnabled(item is not None)
        if kind == "users" and "toggleUser" in self.buttons:
            self.buttons["toggleUser"].setText(
                self.tr("Enable") if item is not None and not item.enabled else self.tr("Disable"))
        if kind == "projects" and "toggleProject" in self.buttons:
            self.buttons["toggleProject"].setText(
                self.tr("Enable") if item is not None and not item.enabled else self.tr("Disable"))

    def _error(self, kind: str, text: str | None) -> None:
        if text:
            self.tab.status_line.say(kind, text, error=True)
        else:
            self.tab.status_line.clear_for(kind)

    # -- rows

    def _tell_dialog(self, schema: type, item: Any) -> None:
        dialog = self.dialog
        if dialog is not None and isinstance(dialog.record, schema):
            dialog.colleague_changed(item)

    def put(self, kind: str, item: Any) -> None:
        """Show ``item`` in its row (only when it is newer than what the row holds)."""
        self._tell_dialog(type(item), item)
        model = self.tab.models[kind]
        row = model.find_row(lambda x: x.id == item.id)
        if row < 0:
            if kind == "users":
                model.reload()
            return
        if model.item(row).version <= item.version:
            model.replace_item(row, item)
            self._selection(kind)

    def drop(self, kind: str, record_id: int) -> None:
        model = self.tab.models[kind]
        row = model.find_row(lambda x: x.id == record_id)
        if row >= 0:
            model.remove_item(row)
            self._selection(kind)

    def set_client(self, client: Client) -> None:
        self._tell_dialog(Client, client)
        if self.tab.client is not None and self.tab.client.version > client.version:
            return
        self.tab.client = client
        self.tab._show_client(client)
        self.tab.titleChanged.emit(self.tab.title())

    # -- forms

    def _open(self, dialog: RecordEditDialog, on_saved: Callable[[Any], None]) -> None:
        if self.dialog is not None:
            self.dialog.close()
        hold(self, "dialog", dialog)       # None again once the dialog is deleted
        dialog.saved.connect(on_saved)
        dialog.destroyed.connect(lambda *_a: self._forget(dialog))
        dialog.show()

    def _forget(self, dialog: RecordEditDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _client_fields(self) -> list[Field]:
        return [Field("name", self.tr("Name"), required=True, max_length=L.MAX_NAME),
                Field("phone", self.tr("Phone"), max_length=64, check=_check_phone)]

    def edit_client(self) -> None:
        client = self.tab.client
        if client is None:
            return
        cid = client.id
        dialog = RecordEditDialog(
            self.tab._tasks, self.tr("Client — name and phone"), self._client_fields(), client,
            lambda version, changes: self.backend.update_client(cid, version, **changes),
            Client.model_validate, self.tab)
        self._open(dialog, self.set_client)

    def _user_fields(self, new: bool) -> list[Field]:
        return [
            Field("login", self.tr("Login"), required=True, max_length=L.MAX_LOGIN,
                  check=_check_login),
            Field("email", self.tr("Email"), required=True, max_length=320, check=_check_email),
            Field("full_name", self.tr("Full name"), max_length=L.MAX_NAME),
            Field("password", self.tr("New password"), kind="password",
                  max_length=L.MAX_PASSWORD, check=_check_password,
                  placeholder=self.tr("Optional: at least 8 characters") if new
                  else self.tr("Leave empty to keep the current password")),
        ]

    def add_user(self) -> None:
        cid = self.tab.client_id
        dialog = RecordEditDialog(
            self.tab._tasks, self.tr("Add a login user"), self._user_fields(True), None,
            lambda _v, changes: self.backend.create_client_user(cid, **changes),
            None, self.tab, save_label=self.tr("Add user"))
        self._open(dialog, lambda user: self.tab.models["users"].reload())

    def edit_user(self) -> None:
        user = self.selected("users")
        if user is None:
            return
        cid = self.tab.client_id
        dialog = RecordEditDialog(
            self.tab._tasks, self.tr("Login user %1").replace("%1", user.login),
            self._user_fields(False), user,
            lambda version, changes: self.backend.update_client_user(cid, user.id, version,
                                                                     **changes),
            ClientUser.model_validate, self.tab)
        self._open(dialog, lambda u: self.put("users", u))

    def edit_payment(self) -> None:
        pay = self.selected("payments")
        if pay is None or not self.can_edit_payments:
            return
        cid = self.tab.client_id
        fields = [
            Field("status", self.tr("Status"), kind="choice",
                  choices=[(s.value, F.enum_label(s)) for s in PaymentStatus]),
            Field("amount", self.tr("Amount"), kind="money", currency=pay.currency),
            Field("note", self.tr("Note"), max_length=L.MAX_SUMMARY),
        ]
        dialog = RecordEditDialog(
            self.tab._tasks, self.tr("Payment %1").replace("%1", pay.number), fields, pay,
            lambda version, changes: self.backend.update_payment(cid, pay.id, version, **changes),
            Payment.model_validate, self.tab)
        self._open(dialog, lambda p: self.put("payments", p))

    def edit_service(self) -> None:
        svc = self.selected("services")
        if svc is None or not self.can_edit_services:
            return
        cid = self.tab.client_id
        fields = [
            Field("name", self.tr("Name"), required=True, max_length=L.MAX_NAME),
            Field("price", self.tr("Price"), kind="money", currency=svc.currency),
            Field("status", self.tr("Status"), kind="choice",
                  choices=[(s.value, F.enum_label(s)) for s in ServiceStatus]),
            Field("expires_at", self.tr("Expires"), kind="date", optional=True),
        ]
        dialog = RecordEditDialog(
            self.tab._tasks, self.tr("Service %1").replace("%1", svc.name), fields, svc,
            lambda version, changes: self.backend.update_service(cid, svc.id, version, **changes),
            Service.model_validate, self.tab)
        self._open(dialog, lambda s: self.put("services", s))

    # -- one-click actions

    def toggle_user(self) -> None:
        user = self.selected("users")
        if user is None:
            return
        self._error("users", None)
        self.tab._tasks.spawn(self._toggle("users", user, self.backend.update_client_user,
                                           enabled=not user.enabled), name="toggle-user")

    def toggle_project(self) -> None:
        proj = self.selected("projects")
        if proj is None:
            return
        self._error("projects", None)

        async def call(cid, pid, version, enabled):
            return await self.backend.set_project_enabled(cid, pid, version, enabled)
        self.tab._tasks.spawn(self._toggle("projects", proj, call, enabled=not proj.enabled),
                              name="toggle-project")

    async def _toggle(self, kind: str, item: Any, method: Callable, **changes: Any) -> None:
        schema = {"users": ClientUser, "projects": Project}[kind]
        try:
            new = await method(self.tab.client_id, item.id, item.version, **changes)
        except Conflict as exc:
            self._conflict(kind, schema, exc)
            return
        except BackendError as exc:
            self._error(kind, self.tr("Not changed: %1").replace("%1", exc.message))
            return
        self.put(kind, new)

    def _conflict(self, kind: str, schema: type, exc: BackendError) -> None:
        current = exc.details.get("current") if isinstance(exc.details, dict) else None
        if current is not None:
            try:
                self.put(kind, schema.model_validate(current))
            except ValueError:
                pass
        self._error(kind, self.tr(
            "A colleague changed this row meanwhile; it now shows their version. Look at it "
            "and do it again if you still want to."))

    def delete_service(self) -> None:
        svc = self.selected("services")
        if svc is None or not self.can_edit_services:
            return
        self._error("services", None)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete service"),
                          self.tr("Delete the service “%1” (%2, %3)? The client loses it; this "
                                  "cannot be undone.").replace("%1", svc.name).replace(
                              "%2", svc.domain or svc.type).replace(
                              "%3", F.money(svc.price, svc.currency)),
                          QMessageBox.StandardButton.NoButton, self.tab)
        box.setObjectName("confirmDeleteService")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.addButton(self.tr("Delete service"), QMessageBox.ButtonRole.DestructiveRole)
        yes.setObjectName("confirmDelete")
        box.addButton(QMessageBox.StandardButton.Cancel)

        def clicked(button) -> None:
            if button is yes:
                self.tab._tasks.spawn(self._delete(svc), name="delete-service")
        box.buttonClicked.connect(clicked)
        self.confirm_box = box
        box.open()

    async def _delete(self, svc: Service) -> None:
        try:
            await self.backend.delete_service(self.tab.client_id, svc.id, svc.version)
        except Conflict as exc:
            self._conflict("services", Service, exc)
            return
        except BackendError as exc:
            self._error("services", self.tr("Not deleted: %1").replace("%1", exc.message))
            return
        self.drop("services", svc.id)

    # -- live

    def apply_event(self, event: ServerEvent) -> None:
        if event.type != EventType.CLIENT_UPDATED or not isinstance(event.data, ClientChanged):
            return
        data = event.data
        if data.client_id != self.tab.client_id:
            return
        if data.entity == "client":
            if data.record is not None:
                self.set_client(Client.model_validate(data.record))
            return
        kind = KIND_OF.get(data.entity)
        if kind is None or kind not in self.tab.models:
            return
        if data.deleted and data.entity_id is not None:
            self.drop(kind, data.entity_id)
        elif data.record is not None:
            try:
                self.put(kind, SCHEMAS[data.entity].model_validate(data.record))
            except ValueError:
                self.tab.models[kind].reload()


def _check_phone(value: str) -> str | None:
    if value and not PHONE.match(value):
        return translate("ClientEditing", "A phone number can have digits, spaces and + ( ) - . / only.")
    return None


def _check_email(value: str) -> str | None:
    if value and not EMAIL.match(value):
        return translate("ClientEditing", "This does not look like an email address (name@example.com).")
    return None


def _check_login(value: str) -> str | None:
    if value and not LOGIN.match(value):
        return translate("ClientEditing", "A login can have letters, digits and . _ @ + - only, without spaces.")
    return None


def _check_password(value: str) -> str | None:
    if value and len(value) < MIN_PASSWORD:
        return translate("ClientEditing", "A password needs at least 8 characters.")
    return None


__all__ = ["ClientEditing"]
