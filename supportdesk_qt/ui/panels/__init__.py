"""The user menu's panels, as standalone components with their own API.

* :mod:`.network` — the network request statuses (a bounded ring buffer of ``RequestRecord``).
* :mod:`.notifications_log` — every notification the desk raised; activating one opens its chat.
* :mod:`.changelog` — the bundled release notes, the "new" mark and its button.
* :mod:`.settings_dialog` — the preferences dialog (non-modal).

Each module documents how it is wired into the main window. Nothing here talks to the backend:
the panels are fed through slots (``RequestLogModel.add`` for ``Bridge.requestLogged``,
``NotificationLogModel.append`` for ``Notifier.raised``).
"""
