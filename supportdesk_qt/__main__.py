"""``python -m supportdesk_qt`` and the ``supportdesk`` console script.

The frozen (PyInstaller) build has no Python interpreter beside it, so its one program also stands
in for ``python -m MODULE`` and ``python -c CODE``: that is how the desk starts its embedded demo
server (``core/embedded.py`` runs ``sys.executable -m supportdesk_server ...``).
"""

from __future__ import annotations

import runpy
import sys


def _frozen_as_python(argv: list[str]) -> int:
    """``-m MODULE ARGS`` / ``-c CODE ARGS`` in a frozen build, like the interpreter does them."""
    flag, target, rest = argv[0], argv[1], argv[2:]
    try:
        if flag == "-m":
            sys.argv = [target, *rest]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            sys.argv = ["-c", *rest]
            exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if getattr(sys, "frozen", False) and len(argv) >= 2 and argv[0] in ("-m", "-c"):
        return _frozen_as_python(argv)
    # imported here so ``--help`` stays quick and a broken Qt install fails with a clear traceback
    from supportdesk_qt.app import main as app_main
    from supportdesk_qt.app import parse_args

    args = parse_args(argv)              # --version and --help end here
    if args.self_check:
        from supportdesk_qt.self_check import run

        return run(args)
    return app_main()


if __name__ == "__main__":
    sys.exit(main())
