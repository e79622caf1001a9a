"""The "Visitor" block of the chat panel: IP address, page now, came from, browser, language,
local time, chat started.

Every value is visitor-controlled text (the widget reports it), so each is a plain-text
:class:`~supportdesk_qt.ui.common.labels.ElidedLabel`, capped at ``common.text.DISPLAY_CAP``
characters, that wraps where it can and ends in "…" (full text in its tooltip) where it cannot.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from supportdesk_protocol.schemas import Chat
from supportdesk_qt.qt import QFont, QFormLayout, QLabel, QLocale, QVBoxLayout, QWidget
from supportdesk_qt.ui import theme
from supportdesk_qt.ui.common.datetime import format_datetime, time_format
from supportdesk_qt.ui.common.labels import ElidedLabel
from supportdesk_qt.ui.common.text import cap


class VisitorInfo(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        vl = QVBoxLayout(self)
        vl.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Visitor"), self)
        tf = QFont(title.font())
        tf.setBold(True)
        title.setFont(tf)
        vl.addWidget(title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(6)
        #: key -> value label ("ip", "page", "referrer", "agent", "language", "local", "started")
        self.values: dict[str, ElidedLabel] = {}
        for key, caption in (("ip", self.tr("IP address")), ("page", self.tr("Page now")),
                             ("referrer", self.tr("Came from")), ("agent", self.tr("Browser")),
                             ("language", self.tr("Language")), ("local", self.tr("Local time")),
                             ("started", self.tr("Chat started"))):
            value = ElidedLabel(self, selectable=True)     # long titles end in "…"
            value.setObjectName(f"visitorInfo_{key}")
            label = QLabel(caption, self)
            theme.tint(label, theme.muted_text)
            form.addRow(label, value)
            self.values[key] = value
        vl.addLayout(form)

    def apply_chat(self, chat: Chat) -> None:
        v = chat.visitor
        loc = QLocale()
        info = self.values
        info["ip"].set_value(cap(v.ip) or "—")
        page = cap(v.page_url)
        if v.page_title:
            page = f"{cap(v.page_title, 120)}\n{page}"
        info["page"].set_value(page or "—")
        info["referrer"].set_value(cap(v.referrer) or "—")
        info["agent"].set_value(cap(v.user_agent) or "—")
        info["language"].set_value(cap(v.language, 40) or "—")
        if v.timezone_offset_minutes is not None:
            local = datetime.now(timezone.utc) - timedelta(minutes=v.timezone_offset_minutes)
            info["local"].set_value("", loc.toString(local.time(), time_format(loc)))
        else:
            info["local"].set_value("—")
        info["started"].set_value("", format_datetime(chat.created_at, loc))
