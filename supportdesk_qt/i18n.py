"""The desk's language: which one, and the translators that make every ``tr()`` speak it.

* The choice is the ``language`` preference: ``"system"`` (the default: the first of the OS's UI
  languages that the desk has, :func:`QLocale.system`), or a language code (``"en"``, ``"ru"``).
  :func:`resolve` turns it into one of :data:`LANGUAGES`; anything else falls back to English,
  the language of the source strings.
* :class:`Translations` installs two translators on the application: ours
  (``supportdesk_<lang>.qm``) and Qt's own (``qtbase_<lang>.qm``: the buttons of standard
  dialogs, the context menu of a text field), and sets the default ``QLocale`` so dates and numbers
  follow the language (``ui/common/datetime.py``, ``formatting.py``). Installing sends
  ``QEvent.LanguageChange`` to every widget; the app rebuilds its main window then (see
  docs/architecture.md, "Languages").
* Where the ``.qm`` comes from: the bundled ``translations`` folder
  (``supportdesk_qt.assets.resource``) has it in a wheel and a frozen build (the build compiles
  the ``.ts`` with ``pyside6-lrelease``). A checkout has only the ``.ts`` sources: they are
  compiled once into the user cache dir and reused while the ``.ts`` is unchanged.

``python3 dev.py lupdate`` (scripts/lupdate.py) refreshes the ``.ts`` files from the code.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from supportdesk_qt.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("supportdesk.i18n")

#: The languages the desk has, the source language first.
LANGUAGES: tuple[str, ...] = ("en", "ru")
SOURCE_LANGUAGE = "en"
CATALOG = "supportdesk"          # supportdesk_ru.ts / .qm
CHECKOUT_TS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language to show for the preference ``choice`` (``"system"``, ``"ru"``, ``"ru_RU"``)."""
    if choice and choice != "system":
        lang = choice.replace("-", "_").split("_", 1)[0].lower()
        return lang if lang in LANGUAGES else SOURCE_LANGUAGE
    for name in (system or QLocale.system()).uiLanguages():
        lang = name.replace("-", "_").split("_", 1)[0].lower()
        if lang in LANGUAGES:
            return lang
    return SOURCE_LANGUAGE


def locale_for(lang: str, system: QLocale | None = None) -> QLocale:
    """The locale that formats dates and numbers in ``lang``: the system's own when it speaks
    that language (it keeps the user's region: ``ru_UA``, ``en_GB``), else the language's."""
    system = system or QLocale.system()
    if QLocale(lang).language() == system.language():
        return system
    if lang == SOURCE_LANGUAGE and system.language() == QLocale.Language.C:
        return system                    # the "C" locale (LANG=C): English formats already
    return QLocale(lang)


def _translation_dirs() -> list[Path]:
    from supportdesk_qt import assets
    dirs: list[Path] = []
    try:
        bundled = Path(str(assets.resource("translations")))
        dirs.append(bundled)
    except (TypeError, ValueError):      # a zipped install: nothing on disk to read
        pass
    if CHECKOUT_TS_DIR not in dirs:
        dirs.append(CHECKOUT_TS_DIR)
    return [d for d in dirs if d.is_dir()]


def _lrelease() -> str | None:
    """The ``lrelease`` of the installed PySide6 (next to the interpreter or in the package)."""
    import PySide6
    for candidate in (Path(sys.executable).with_name("pyside6-lrelease"),
                      Path(PySide6.__file__).with_name("lrelease")):
        if candidate.exists():
            return str(candidate)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def cache_dir() -> Path:
    from supportdesk_qt.core import paths
    base = paths.home()
    if base is not None:
        path = base / "cache" / "translations"
    else:
        import platformdirs
        path = Path(platformdirs.user_cache_dir(paths.APP_NAME, appauthor=False)) / "translations"
    path.mkdir(parents=True, exist_ok=True)
    return path


def compile_ts(ts: Path, out_dir: Path | None = None) -> Path | None:
    """``ts`` compiled to a ``.qm`` in the cache dir (reused while the ``.ts`` is the same);
    None when no ``lrelease`` is installed or it fails."""
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    qm = (out_dir or cache_dir()) / f"{ts.stem}-{digest}.qm"
    if qm.exists():
        return qm
    tool = _lrelease()
    if tool is None:
        log.warning("no pyside6-lrelease: %s cannot be compiled, the desk stays in English", ts)
        return None
    tmp = qm.with_suffix(f".{os.getpid()}.tmp")
    done = subprocess.run([tool, "-silent", str(ts), "-qm", str(tmp)], capture_output=True,
                          text=True, timeout=60, check=False)
    if done.returncode != 0 or not tmp.exists():
        log.warning("lrelease failed on %s: %s", ts, done.stderr.strip())
        tmp.unlink(missing_ok=True)
        return None
    tmp.replace(qm)
    return qm


def catalog_file(lang: str, cache: Path | None = None) -> Path | None:
    """The compiled catalog of ``lang``: a bundled ``.qm`` (unless its ``.ts`` beside it is
    newer, as while translating in a checkout), else the ``.ts`` compiled into the cache."""
    name = f"{CATALOG}_{lang}"
    for folder in _translation_dirs():
        qm, ts = folder / f"{name}.qm", folder / f"{name}.ts"
        if qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime):
            return qm
        if ts.exists():
            compiled = compile_ts(ts, cache)
            if compiled is not None:
                return compiled
    return None


class Translations:
    """The translators installed on the application, replaced as a whole by :meth:`apply`."""

    def __init__(self, cache: Path | None = None) -> None:
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE
        self.cache = cache               # where a checkout's .ts are compiled; the user cache dir

    def remove(self) -> None:
        """Take this object's translators off the application."""
        app = QCoreApplication.instance()
        for old in self._installed:
            if app is not None:
                app.removeTranslator(old)
        self._installed = []

    def apply(self, choice: str, system: QLocale | None = None, *,
              set_locale: bool = True) -> str:
        """Show the desk in the language the preference ``choice`` stands for; returns it.
        ``set_locale=False`` leaves the default ``QLocale`` alone (the tests' fixture)."""
        app = QCoreApplication.instance()
        lang = resolve(choice, system)
        self.remove()
        if set_locale:
            QLocale.setDefault(locale_for(lang, system))
        if app is not None:
            # English has a catalog too: the plural forms of the "%n ..." source strings
            ours = QTranslator(app)
            path = catalog_file(lang, self.cache)
            if path is not None and ours.load(str(path)):
                self._installed.append(ours)
            else:
                log.warning("no translation of the desk into %r was found", lang)
        if lang != SOURCE_LANGUAGE and app is not None:
            qt = QTranslator(app)
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load(QLocale(lang), "qtbase", "_", qt_dir):
                self._installed.append(qt)
        for translator in self._installed:
            app.installTranslator(translator)
        self.language = lang
        log.info("interface language: %s (preference %r)", lang, choice)
        return lang


_translations: Translations | None = None


def translations() -> Translations:
    """The application's one :class:`Translations`."""
    global _translations
    if _translations is None:
        _translations = Translations()
    return _translations
