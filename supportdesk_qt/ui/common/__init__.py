"""Helpers every part of the desk's UI shares, one small module per concern:

* :mod:`.text` — user text made safe to show: bidi isolation, line breaks, caps;
* :mod:`.tooltips` — tooltips that show user text literally;
* :mod:`.datetime` — the one wire ``datetime`` → local ``QDateTime`` conversion and its formats;
* :mod:`.formatting` — money, numbers and the server's enum values in the agent's language;
* :mod:`.labels` — plain-text labels, a muted label, a form's error label, the eliding label;
* :mod:`.tables` — the read-only sortable table of the client and tickets lists;
* :mod:`.filtering` — re-filtering a proxy model across Qt versions.

The bottom layer of ``supportdesk_qt.ui``: it imports the Qt shim, ``ui.theme`` and itself, nothing
else of the UI (``tests/unit/test_import_layers.py`` checks it). Import the module you need
(``from supportdesk_qt.ui.common.text import isolate``); this package re-exports nothing.
"""
