"""The frozen desk's entry point (PyInstaller runs this file as ``__main__``)."""

import sys

from supportdesk_qt.__main__ import main

sys.exit(main())
