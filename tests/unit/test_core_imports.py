"""``supportdesk_qt/core`` depends on the Backend contract only: no module of it imports the HTTP
adapter (``supportdesk_qt.backend.http`` and its modules) or the server (``supportdesk_server``),
not even inside a function. ``app.py`` injects the backend factory and the demo credentials.
Read with the AST, so an import that never runs in a test is caught too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import supportdesk_qt

PACKAGE_ROOT = Path(supportdesk_qt.__file__).resolve().parent
CORE = PACKAGE_ROOT / "core"
FORBIDDEN = ("supportdesk_qt.backend.http", "supportdesk_server")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The absolute name of ``from <level dots><module> import ...`` in ``importer``."""
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[:len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, module] if module else base)


def imported_names(source: str, importer: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module name the source imports, with its line: ``import a.b``, ``from a import b``
    (as ``a`` and ``a.b``, since ``b`` may be a module), relative imports, and
    ``importlib.import_module("...")`` / ``__import__("...")`` with a literal name."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module, node.level, importer, is_package)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                found.append((node.lineno, node.args[0].value))
    return found


def forbidden_imports(source: str, importer: str, is_package: bool = False) -> list[str]:
    return [f"line {line}: {name}" for line, name in imported_names(source, importer, is_package)
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]


def _core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_imports_neither_the_http_backend_nor_the_server():
    modules = _core_modules()
    assert len(modules) >= 10 and CORE / "session.py" in modules   # really walked core/
    offending = {}
    for path in modules:
        bad = forbidden_imports(path.read_text(encoding="utf-8"), _module_name(path),
                                path.name == "__init__.py")
        if bad:
            offending[str(path.relative_to(PACKAGE_ROOT))] = bad
    assert offending == {}, f"core/ must not import {FORBIDDEN}: {offending}"


@pytest.mark.parametrize("source", [
    "from supportdesk_qt.backend.http import HttpBackend",
    "from supportdesk_qt.backend.http.transport import HttpTransport",
    "from supportdesk_qt.backend import http",
    "import supportdesk_qt.backend.http.stream",
    "def later():\n    from supportdesk_server.demo import DEMO_AGENT",
    "from ..backend.http import HttpBackend",
    "from ..backend import http",
    "import importlib\nimportlib.import_module('supportdesk_server.demo')",
    "try:\n    import supportdesk_server\nexcept ImportError:\n    pass",
])
def test_the_check_catches_every_way_of_importing(source):
    assert forbidden_imports(source, "supportdesk_qt.core.session"), source


@pytest.mark.parametrize("source", [
    "from supportdesk_qt.backend.base import Backend",
    "from ..backend.base import Backend",
    "from supportdesk_qt.backend import base",
    "import supportdesk_qt.backend.httpish",       # a name that merely starts the same way
    "from . import paths",
])
def test_the_check_lets_the_contract_through(source):
    assert forbidden_imports(source, "supportdesk_qt.core.session") == [], source
