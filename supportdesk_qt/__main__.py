"""``python -m supportdesk_qt`` and the ``supportdesk`` console script."""

from __future__ import annotations

import sys


def main() -> int:
    # imported here so ``--help`` stays quick and a broken Qt install fails with a clear traceback
    from supportdesk_qt.app import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
