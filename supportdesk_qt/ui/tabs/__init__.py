"""The tab contract and the window's tabs.

* :mod:`contract`: :class:`Tab`, what every tab kind implements (key, title, events,
  save/restore, dispose) and how it is built (``Kind(context, key-specific args…)``);
* :mod:`context`: :class:`TabContext`, what a tab is given (backend, tasks, drafts, bridge, the
  event router, the workspace);
* :class:`~supportdesk_qt.ui.tasks.TaskScope` (``ui/tasks.py``): tasks cancelled with the widget;
* :mod:`router`: :class:`EventRouter`, each event to the tabs that declared its type;
* :mod:`manager`: :class:`TabManager`, the ``QTabWidget``'s tabs; :mod:`memory`:
  :class:`TabMemory`, saving and restoring them.

This package imports no tab kind: the window hands the manager the classes it may open.
"""

from supportdesk_qt.ui.tabs.context import TabContext
from supportdesk_qt.ui.tabs.contract import Tab, kind_of
from supportdesk_qt.ui.tabs.router import EventRouter
from supportdesk_qt.ui.tasks import TaskScope

__all__ = ["EventRouter", "Tab", "TabContext", "TaskScope", "kind_of"]
