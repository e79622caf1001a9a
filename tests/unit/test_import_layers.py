"""No import cycle between the parts of ``supportdesk_qt.ui``; ``ui/common`` is the bottom layer.

Read from the source with ``ast`` (nothing is imported, no Qt needed). The rule:

* A **node** is one part of ``supportdesk_qt/ui``: each subpackage (``ui/chat/``, ``ui/common/``,
  ``ui/tickets/`` ...) with everything inside it, and each top-level module (``ui/theme.py``,
  ``ui/main_window.py`` ...) on its own. ``ui/__init__.py`` is the node ``ui``.
* An **edge** A → B is any import in a file of A of a module of B: at module level, inside a
  function (a "lazy" import is still a dependency), under ``if TYPE_CHECKING:``, relative or
  absolute. ``from supportdesk_qt.ui import theme`` is an import of the module ``ui.theme``.
  Imports inside one node are not edges.
* The graph must have **no cycle**. When two parts need each other, the shared piece moves down
  (to ``ui/common``, ``ui/models``, ``ui/forms``) or the higher part hands the lower one a callback
  or a factory, or listens to its signal.
* ``ui/common`` imports nothing of the UI but ``ui.theme`` and itself.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "supportdesk_qt" / "ui"
PACKAGE = "supportdesk_qt.ui"
COMMON_MAY_IMPORT = {"ui.common", "ui.theme"}

Edges = dict[str, dict[str, list[str]]]      # node -> node -> ["file:line", ...]


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _node(dotted: str) -> str | None:
    parts = dotted.split(".")
    if parts[:2] != PACKAGE.split("."):
        return None
    return "ui" if len(parts) == 2 else f"ui.{parts[2]}"


def _imported(tree: ast.AST, package: list[str]):
    """(module imported, line) for every import statement in ``tree``, wherever it is."""
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                yield alias.name, stmt.lineno
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.level:
                base = package[:len(package) - (stmt.level - 1)]
                module = ".".join(base + ([stmt.module] if stmt.module else []))
            else:
                module = stmt.module or ""
            for alias in stmt.names:
                sub = f"{module}.{alias.name}"
                yield (sub if _is_module(sub) else module), stmt.lineno


def import_graph() -> Edges:
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(UI.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1]
        if parts[-1] == "__init__":
            parts = package
        source = _node(".".join(parts))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module, line in _imported(tree, package):
            target = _node(module)
            if target is not None and target != source:
                edges[source][target].append(f"{path.relative_to(ROOT)}:{line}")
    return edges


def find_cycles(edges: Edges) -> list[list[str]]:
    """One cycle (as a closed path of nodes) per strongly connected group of nodes (Tarjan); the
    other members of a group are named by :func:`describe`."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [_cycle_in(group, edges) for group in groups]


def tangled(cycle: list[str], edges: Edges) -> list[str]:
    """Every node on some cycle through ``cycle[0]``: what reaches it and is reached from it."""
    def reach(start: str, step) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in step(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen
    forward = reach(cycle[0], lambda n: edges.get(n, {}))
    backward = reach(cycle[0], lambda n: [a for a in edges if n in edges[a]])
    return sorted(forward & backward)


def _cycle_in(group: list[str], edges: Edges) -> list[str]:
    """A shortest path from the group's first node back to itself, inside the group."""
    start = group[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(edges.get(node, {})):
                if nxt == start:
                    return paths[node] + [start]
                if nxt in group and nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    raise AssertionError(f"no cycle through {start} in {group}")


def describe(cycle: list[str], edges: Edges) -> str:
    steps = [f"  {a} -> {b}  ({', '.join(edges[a][b][:3])})" for a, b in zip(cycle, cycle[1:])]
    return (" -> ".join(cycle) + f"   (tangled: {', '.join(tangled(cycle, edges))})\n"
            + "\n".join(steps))


def test_no_import_cycle_between_the_parts_of_the_ui():
    edges = import_graph()
    assert {"ui.chat", "ui.tickets", "ui.client", "ui.common"} <= set(edges)   # the graph is read
    cycles = find_cycles(edges)
    assert not cycles, "import cycles in supportdesk_qt.ui:\n" + "\n".join(
        describe(c, edges) for c in cycles)


def test_common_is_the_bottom_layer():
    edges = import_graph()
    wrong = {target: where for target, where in edges["ui.common"].items()
             if target not in COMMON_MAY_IMPORT}
    assert not wrong, f"ui/common imports more of the UI than ui.theme: {dict(wrong)}"


def test_the_checker_sees_every_kind_of_import_and_prints_the_cycle():
    """The checker itself: a cycle made of a lazy import inside a function, a relative import
    and a ``from package import module`` is found and printed with the lines."""
    tree = ast.parse("def f():\n    from supportdesk_qt.ui import theme\n"
                     "from .. import tasks\nfrom ..chat.chat_tab import ChatTab\n"
                     "import supportdesk_qt.ui.client.client_tab\n")
    found = sorted(_imported(tree, ["supportdesk_qt", "ui", "tickets"]), key=lambda f: f[1])
    assert found == [("supportdesk_qt.ui.theme", 2), ("supportdesk_qt.ui.tasks", 3),
                     ("supportdesk_qt.ui.chat.chat_tab", 4),
                     ("supportdesk_qt.ui.client.client_tab", 5)]
    assert [_node(m) for m, _ in found] == ["ui.theme", "ui.tasks", "ui.chat", "ui.client"]
    edges: Edges = defaultdict(lambda: defaultdict(list))
    edges["ui.chat"]["ui.tickets"].append("chat_details.py:60")
    edges["ui.tickets"]["ui.client"].append("tickets_tab.py:28")
    edges["ui.client"]["ui.chat"].append("client_tab.py:216")
    edges["ui.client"]["ui.common"].append("client_tab.py:44")
    edges["ui.tickets"]["ui.chat"].append("ticket_tab.py:80")
    cycles = find_cycles(edges)
    assert cycles == [["ui.chat", "ui.tickets", "ui.chat"]]
    text = describe(cycles[0], edges)
    assert "(tangled: ui.chat, ui.client, ui.tickets)" in text
    assert "ui.tickets -> ui.chat  (ticket_tab.py:80)" in text
    del edges["ui.tickets"]["ui.chat"]
    cycles = find_cycles(edges)
    assert cycles == [["ui.chat", "ui.tickets", "ui.client", "ui.chat"]]
    assert "ui.client -> ui.chat  (client_tab.py:216)" in describe(cycles[0], edges)
