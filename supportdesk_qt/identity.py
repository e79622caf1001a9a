"""The desk's identity on the desktop: one reverse-DNS application id for everything that names it.

``io.github.supportdesk.SupportDesk`` is the name of the ``.desktop`` file, the AppStream
metainfo, the hicolor icons and the Flatpak (``packaging/linux``, ``packaging/flatpak``), what
``QGuiApplication.setDesktopFileName`` reports (so the desktop matches windows and notifications
to the entry), the XDG autostart entry's file name, and the macOS bundle identifier
(``docs/deployment.md``). A leaf module: it imports nothing.
"""

APP_ID = "io.github.supportdesk.SupportDesk"
APP_NAME = "SupportDesk"
