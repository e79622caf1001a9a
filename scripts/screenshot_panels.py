"""Screenshots of the user-menu panels for the docs (offscreen, sample data, no server).

    .venv/bin/python scripts/screenshot_panels.py [OUTPUT_DIR]     # default: docs/images

Writes network-panel.png, notifications-log.png and settings.png (and changelog.png to look at).
Settings are read from a throw-away directory, never the user's.
"""
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = tempfile.mkdtemp(prefix="supportdesk-shots-")
os.environ["SUPPORTDESK_HOME"] = os.path.join(_tmp, "home")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_tmp, "xdg")
from datetime import datetime, timezone, timedelta
from supportdesk_qt.qt import QApplication
app = QApplication(sys.argv)
app.setStyle("Fusion")
from supportdesk_qt.backend.base import RequestRecord
from supportdesk_qt.ui.panels.network import NetworkPanel
from supportdesk_qt.ui.panels.notifications_log import NotificationLogPanel
from supportdesk_qt.ui.panels.settings_dialog import SettingsDialog
from supportdesk_qt.ui.panels.changelog import ChangelogView
from supportdesk_qt.core.settings import Preferences
from pathlib import Path
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "images"
out.mkdir(parents=True, exist_ok=True)
t0 = datetime(2026, 11, 29, 9, 14, 3, tzinfo=timezone.utc)
recs = [
    ("http", "POST", "/api/v1/auth/login", 200, 84.2, ""),
    ("ws", "connect", "/api/v1/events?after=0", None, 31.0, ""),
    ("http", "GET", "/api/v1/departments", 200, 12.4, ""),
    ("http", "GET", "/api/v1/chats?state=waiting&offset=0&limit=200", 200, 46.9, ""),
    ("ws", "event", "chat.created", None, 0.0, ""),
    ("http", "POST", "/api/v1/chats/118/take", 409, 23.5, "A colleague took this chat first."),
    ("http", "GET", "/api/v1/chats/117/messages?limit=50", 200, 18.1, ""),
    ("http", "POST", "/api/v1/chats/117/messages", 201, 35.7, ""),
    ("ws", "close", "/api/v1/events", None, 0.0, "The connection to the server was lost (code 1006)."),
    ("ws", "connect", "/api/v1/events?after=412", None, 2004.0, "Connection refused"),
    ("http", "GET", "/api/v1/clients?q=example.com", None, 5001.0, "The server did not answer within 5 seconds."),
    ("ws", "connect", "/api/v1/events?after=412", None, 44.0, ""),
    ("http", "GET", "/api/v1/chats?state=waiting&offset=0&limit=200", 200, 51.3, ""),
    ("http", "PATCH", "/api/v1/chats/117", 200, 28.8, ""),
    ("http", "GET", "/api/v1/tickets/7", 500, 112.0, "The server failed (HTTP 500). Try again in a minute."),
    ("http", "GET", "/api/v1/tickets/7", 200, 64.0, ""),
]
net = NetworkPanel()
net.model.extend(RequestRecord(t0 + timedelta(seconds=i * 7), k, m, p, s, d, e)
                 for i, (k, m, p, s, d, e) in enumerate(recs))
net.model.flush()
net.resize(1060, 470)
net.show(); app.processEvents()
net.grab().save(str(out / "network-panel.png"))

log = NotificationLogPanel()
notes = [
    ("new_chat", "Anna Petrova", "Hi, my site shows a 502 since this morning", "chat:101"),
    ("message", "Mark Schulz", "I paid the invoice but the service is still suspended", "chat:97"),
    ("forwarded", "Billing → Support: Li Wei", "Customer asks about a refund for the domain", "chat:88"),
    ("error", "Connection lost", "The connection to the server was lost. Reconnecting…", ""),
    ("forward_returned", "Sales: Julia Costa", "Returned: nobody in Sales is online", "chat:85"),
    ("message", "<b>x</b>", "<img src=x> hello", "chat:84"),
    ("new_chat", "Visitor", "How do I point my domain to your name servers?", "chat:83"),
]
for i, (k, t, b, key) in enumerate(reversed(notes)):
    log.model.add(k, t, b, key, when=t0 + timedelta(minutes=i * 4))
log.resize(820, 360)
log.show(); app.processEvents()
log.grab().save(str(out / "notifications-log.png"))

prefs = Preferences.load()
dlg = SettingsDialog(prefs, sound_names=["chime", "bell", "ping"])
dlg.open(); app.processEvents()
dlg.adjustSize(); app.processEvents()
dlg.grab().save(str(out / "settings.png"))

view = ChangelogView()
view.set_server_entries([{"version": "0.2.0", "published_at": t0, "title": "Tickets <b>tab</b>",
                          "body": "Open a ticket from the search bar.\n<img src=x> stays text."}])
view.resize(640, 420); view.show(); app.processEvents()
view.grab().save(str(Path(_tmp) / "changelog.png"))
print("change log view:", Path(_tmp) / "changelog.png")
print("ok")
