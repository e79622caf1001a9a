"""What each client table shows: one :class:`Column` list per kind of row.

Functions, not constants, so titles go through ``tr()`` after a translator is installed and money
and dates use the current ``QLocale``.
"""

from __future__ import annotations

from supportdesk_qt.qt import translate
from supportdesk_qt.ui.common import formatting as F
from supportdesk_qt.ui.common.datetime import format_date, format_datetime
from supportdesk_qt.ui.models.paged_table_model import Column



def _ts(dt):
    return dt.timestamp() if dt is not None else 0.0


def _yes_no(flag: bool) -> str:
    return translate("ClientTab", "Yes") if flag else translate("ClientTab", "No")


def user_columns() -> list[Column]:
    return [
        Column(translate("ClientTab", "ID"), lambda u: F.number(u.id), sort=lambda u: u.id, align_right=True),
        Column(translate("ClientTab", "Login"), lambda u: u.login),
        Column(translate("ClientTab", "Full name"), lambda u: u.full_name),
        Column(translate("ClientTab", "Email"), lambda u: u.email),
        Column(translate("ClientTab", "Enabled"), lambda u: _yes_no(u.enabled)),
    ]


def payment_columns() -> list[Column]:
    return [
        Column(translate("ClientTab", "Number"), lambda p: p.number),
        Column(translate("ClientTab", "Created"), lambda p: format_datetime(p.created_at), sort=lambda p: _ts(p.created_at)),
        Column(translate("ClientTab", "Amount"), lambda p: F.money(p.amount, p.currency),
               sort=lambda p: float(p.amount), align_right=True),
        Column(translate("ClientTab", "Status"), lambda p: F.enum_label(p.status)),
        Column(translate("ClientTab", "Method"), lambda p: p.method),
        Column(translate("ClientTab", "Paid"), lambda p: format_datetime(p.paid_at), sort=lambda p: _ts(p.paid_at)),
        Column(translate("ClientTab", "Note"), lambda p: p.note),
    ]


def service_columns() -> list[Column]:
    return [
        Column(translate("ClientTab", "ID"), lambda s: F.number(s.id), sort=lambda s: s.id, align_right=True),
        Column(translate("ClientTab", "Name"), lambda s: s.name),
        Column(translate("ClientTab", "Type"), lambda s: s.type),
        Column(translate("ClientTab", "Domain"), lambda s: s.domain),
        Column(translate("ClientTab", "IP address"), lambda s: s.ip),
        Column(translate("ClientTab", "Price"), lambda s: F.money(s.price, s.currency),
               sort=lambda s: float(s.price), align_right=True),
        Column(translate("ClientTab", "Status"), lambda s: F.enum_label(s.status)),
        Column(translate("ClientTab", "Expires"), lambda s: format_date(s.expires_at), sort=lambda s: _ts(s.expires_at)),
    ]


_PRIORITY_ORDER = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


def ticket_columns() -> list[Column]:
    return [
        Column(translate("ClientTab", "ID"), lambda t: F.number(t.id), sort=lambda t: t.id, align_right=True),
        Column(translate("ClientTab", "Subject"), lambda t: t.subject),
        Column(translate("ClientTab", "Status"), lambda t: F.enum_label(t.status)),
        Column(translate("ClientTab", "Priority"), lambda t: F.enum_label(t.priority),
               sort=lambda t: _PRIORITY_ORDER.get(str(t.priority.value), 0)),
        Column(translate("ClientTab", "Updated"), lambda t: format_datetime(t.updated_at), sort=lambda t: _ts(t.updated_at)),
        Column(translate("ClientTab", "Created"), lambda t: format_datetime(t.created_at), sort=lambda t: _ts(t.created_at)),
    ]


def expense_columns() -> list[Column]:
    return [
        Column(translate("ClientTab", "Date"), lambda e: format_datetime(e.created_at), sort=lambda e: _ts(e.created_at)),
        Column(translate("ClientTab", "Description"), lambda e: e.description),
        Column(translate("ClientTab", "Amount"), lambda e: F.money(e.amount, e.currency),
               sort=lambda e: float(e.amount), align_right=True),
    ]


def project_columns() -> list[Column]:
    return [
        Column(translate("ClientTab", "ID"), lambda p: F.number(p.id), sort=lambda p: p.id, align_right=True),
        Column(translate("ClientTab", "Name"), lambda p: p.name),
        Column(translate("ClientTab", "Enabled"), lambda p: _yes_no(p.enabled)),
    ]


__all__ = ["user_columns", "payment_columns", "service_columns", "ticket_columns",
           "expense_columns", "project_columns"]
