"""Showing unexpected errors to a person: a non-modal dialog with a sentence, details on request.

Used by ``sys.excepthook`` and the task registry. Never blocks (``show()``, no ``exec()``), and
coalesces: while one error dialog is open, further errors only bump a counter in it, so an error
in a timer cannot bury the desk under dialogs.
"""

from __future__ import annotations

import logging

from supportdesk_qt.qt import QApplication, QMessageBox, QObject, Qt, QWidget, translate

log = logging.getLogger("supportdesk.ui.errors")

_MAX_DETAILS = 20_000


class ErrorWords(QObject):
    """The plural words of the dialog (lupdate reads plurals only from ``self.tr``)."""

    def more(self, n: int) -> str:
        return self.tr("%Ln more error(s) happened since; see the log file.", "", n)


class ErrorReporter:
    def __init__(self, log_file: str = "") -> None:
        self.log_file = log_file
        self._box: QMessageBox | None = None
        self._extra = 0

    @property
    def dialog(self) -> QMessageBox | None:
        return self._box

    def report(self, summary: str, details: str = "", parent: QWidget | None = None) -> None:
        if QApplication.instance() is None:
            return
        if self._box is not None and self._box.isVisible():
            self._extra += 1
            self._box.setInformativeText(ErrorWords().more(self._extra))
            return
        self._extra = 0
        box = QMessageBox(parent)
        box.setObjectName("errorDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate("ErrorReporter", "SupportDesk: something went wrong"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        text = summary
        if self.log_file:
            text += "\n\n" + translate("ErrorReporter", "The details are in the log file %1.").replace(
                "%1", self.log_file)
        box.setText(text)
        if details:
            box.setDetailedText(details[-_MAX_DETAILS:])
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setModal(False)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self._box = box
        box.show()

    def _closed(self, *_: object) -> None:
        self._box = None
