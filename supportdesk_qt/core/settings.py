"""Typed, declarative settings persisted as JSON (Qt-free).

An :class:`Option` is declared once, on a :class:`Store` subclass, with its type, default and doc
(the pattern of Picard's ``Option`` registry and Electrum's ``ConfigVar``)::

    class Preferences(Store):
        FILENAME = "settings.json"
        theme = Option(str, "system", "Colour theme.", choices=("system", "light", "dark"))

    prefs = Preferences.load()          # from paths.config_dir() / "settings.json"
    prefs.theme                         # -> "system" (typed: str)
    prefs.theme = "dark"                # validated, saved atomically, change callbacks run
    prefs.on_change(callback, "theme")  # callback(name, value); returns an unsubscribe function

Two stores with the same machinery: :class:`Preferences` (``settings.json``, what the user
chooses) and :class:`WindowState` (``state.json``, geometry and such that the app remembers by
itself), so resetting preferences never loses the window layout and vice versa.

Robustness: a missing file means defaults; a corrupt file is moved aside (``*.corrupt``) and
defaults are used; a value of the wrong type or outside its choices falls back to the default with
a warning in the log; keys this version does not know are kept on save (a newer version wrote
them) but otherwise ignored. Writes are atomic (temp file + fsync + rename) and happen off the
caller's thread: :meth:`Store.save` hands a snapshot to the background writer of
:mod:`supportdesk_qt.core.persist` (debounced, the latest snapshot wins); :meth:`Store.flush`
waits for it.

Secrets never live here: an option whose name looks like a secret is refused at class creation.
Tokens go to :mod:`supportdesk_qt.core.secrets` (the OS keyring).
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar, overload

from supportdesk_qt.core import persist

log = logging.getLogger("supportdesk.settings")

T = TypeVar("T")
S = TypeVar("S", bound="Store")

ChangeCallback = Callable[[str, Any], None]

_SECRET_NAME = re.compile(r"password|passwd|secret|token|api_?key|credential", re.IGNORECASE)
_SUPPORTED_TYPES = (bool, int, float, str, list, dict)


class Option(Generic[T]):
    """One typed setting. A descriptor: reading it on a store gives the current value."""

    def __init__(self, type_: type[T], default: T, doc: str, *,
                 choices: tuple[T, ...] | None = None,
                 validator: Callable[[T], bool] | None = None) -> None:
        if type_ not in _SUPPORTED_TYPES:
            raise TypeError(f"unsupported option type {type_!r}")
        self.type = type_
        self.default = default
        self.doc = doc
        self.choices = choices
        self.validator = validator
        self.name = ""
        if not self.is_valid(default):
            raise ValueError(f"default {default!r} is not a valid value")

    def __set_name__(self, owner: type, name: str) -> None:
        if _SECRET_NAME.search(name):
            raise TypeError(f"option {owner.__name__}.{name} looks like a secret; secrets belong "
                            f"in the keyring (supportdesk_qt.core.secrets), never in settings")
        self.name = name

    def is_valid(self, value: Any) -> bool:
        if self.type is bool:
            ok = isinstance(value, bool)
        elif self.type is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.type is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        else:
            ok = isinstance(value, self.type)
        if ok and self.choices is not None:
            ok = value in self.choices
        if ok and self.validator is not None:
            try:
                ok = bool(self.validator(value))
            except Exception:
                ok = False
        return ok

    def coerce(self, value: Any) -> T:
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)  # type: ignore[return-value]
        return value

    @overload
    def __get__(self, obj: None, owner: type) -> Option[T]: ...

    @overload
    def __get__(self, obj: Store, owner: type) -> T: ...

    def __get__(self, obj: Store | None, owner: type) -> Option[T] | T:
        if obj is None:
            return self
        return obj.get(self.name)

    def __set__(self, obj: Store, value: T) -> None:
        obj.set(self.name, value)

    def __repr__(self) -> str:
        return f"Option({self.name}: {self.type.__name__} = {self.default!r})"


class Store:
    """A JSON file of typed options. Subclasses declare ``Option`` attributes and ``FILENAME``."""

    FILENAME: ClassVar[str] = "settings.json"

    def __init__(self, path: Path | None = None, *, writer: persist.Writer | None = None) -> None:
        if path is None:
            from supportdesk_qt.core import paths

            path = paths.config_dir() / self.FILENAME
        self.path = Path(path)
        self.writer = writer or persist.writer()
        self._values: dict[str, Any] = {}
        self._unknown: dict[str, Any] = {}
        self._callbacks: list[tuple[str | None, ChangeCallback]] = []
        self._batch_depth = 0
        self._dirty = False

    # -- schema

    @classmethod
    def options(cls) -> dict[str, Option[Any]]:
        found: dict[str, Option[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Option):
                    found[name] = value
        return found

    @classmethod
    def option(cls, name: str) -> Option[Any]:
        try:
            return cls.options()[name]
        except KeyError:
            raise KeyError(f"{cls.__name__} has no option {name!r}") from None

    # -- loading and saving

    @classmethod
    def load(cls: type[S], path: Path | None = None, *, writer: persist.Writer | None = None) -> S:
        store = cls(path, writer=writer)
        store.reload()
        return store

    def reload(self) -> None:
        self._values.clear()
        self._unknown.clear()
        data = copy.deepcopy(self.writer.peek(self.path))   # set in this process, not on disk yet
        if data is None:
            data = persist.read_json_object(self.path, log, "settings")
        if data is None:
            return
        self._apply(data)

    def _apply(self, data: dict[str, Any]) -> None:
        options = self.options()
        for key, value in data.items():
            opt = options.get(key)
            if opt is None:
                log.warning("%s: unknown setting %r ignored (kept in the file)", self.path.name, key)
                self._unknown[key] = value
            elif not opt.is_valid(value):
                log.warning("%s: invalid value %r for %s (expected %s%s); using the default %r",
                            self.path.name, value, key, opt.type.__name__,
                            f" in {opt.choices}" if opt.choices else "", opt.default)
            else:
                self._values[key] = opt.coerce(value)

    def to_dict(self) -> dict[str, Any]:
        """Every option's current value (defaults included)."""
        return {name: self.get(name) for name in self.options()}

    def save(self) -> None:
        """Have the file written (soon, on the writer thread): a snapshot of every value now."""
        if self._batch_depth:
            self._dirty = True
            return
        data = copy.deepcopy(self._unknown)
        data.update(copy.deepcopy(self._values))
        self.writer.submit(self.path, data, _encode)
        self._dirty = False

    def flush(self, timeout: float = persist.FLUSH_TIMEOUT) -> bool:
        """Wait until what was set is on disk (every pending write of the writer, in fact)."""
        return self.writer.flush(timeout)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Set several options with one write at the end."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth and self._dirty:
                self.save()

    # -- values

    def get(self, name: str) -> Any:
        opt = self.option(name)
        value = self._values.get(name, opt.default)
        # hand out copies of containers so a caller cannot change a stored value (or a default)
        return copy.deepcopy(value) if isinstance(value, (list, dict)) else value

    def is_default(self, name: str) -> bool:
        return name not in self._values

    def set(self, name: str, value: Any) -> None:
        opt = self.option(name)
        if not opt.is_valid(value):
            raise ValueError(f"invalid value {value!r} for {name} "
                             f"(expected {opt.type.__name__}"
                             f"{f' in {opt.choices}' if opt.choices else ''})")
        value = opt.coerce(value)
        old = self.get(name)
        self._values[name] = copy.deepcopy(value)
        self.save()
        if old != value:
            self._notify(name, self.get(name))

    def update(self, **values: Any) -> None:
        with self.batch():
            for name, value in values.items():
                self.set(name, value)

    def reset(self, name: str) -> None:
        opt = self.option(name)
        old = self.get(name)
        self._values.pop(name, None)
        self.save()
        if old != opt.default:
            self._notify(name, opt.default)

    # -- change callbacks

    def on_change(self, callback: ChangeCallback, name: str | None = None) -> Callable[[], None]:
        """Call ``callback(name, value)`` after an option (``name``) or any option changes.
        Returns a function that unsubscribes."""
        if name is not None:
            self.option(name)  # KeyError for a typo now, not silence later
        entry = (name, callback)
        self._callbacks.append(entry)

        def unsubscribe() -> None:
            try:
                self._callbacks.remove(entry)
            except ValueError:
                pass

        return unsubscribe

    def _notify(self, name: str, value: Any) -> None:
        for wanted, callback in list(self._callbacks):
            if wanted is None or wanted == name:
                try:
                    callback(name, value)
                except Exception:
                    log.exception("settings change callback for %s failed", name)


def _encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _language_ok(value: str) -> bool:
    return value == "system" or bool(re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", value))


_COMMAND_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def _shortcuts_ok(value: dict) -> bool:
    """``{"chat.take_oldest": "Ctrl+T"}``: command ids to key text (Qt's portable text, keys
    separated by "; ", "" for none). The keys themselves are read by the UI's registry."""
    return all(isinstance(k, str) and _COMMAND_ID.fullmatch(k) and isinstance(v, str)
               and len(v) <= 200 for k, v in value.items())


class Preferences(Store):
    """What the user chooses. ``settings.json`` in the config dir."""

    FILENAME = "settings.json"

    server_url: Option[str] = Option(
        str, "", "Server address, e.g. https://support.example.com. Empty: start the embedded "
                 "demo server and sign in as the demo agent.")
    username: Option[str] = Option(str, "", "The last username signed in with.")
    ca_file: Option[str] = Option(
        str, "", "A CA certificate file (PEM) that signed the server's TLS certificate (e.g. a "
                 "company CA); trusted instead of the system's CAs. Empty: the system's CAs. "
                 "Certificates are always verified.")
    remember_me: Option[bool] = Option(
        bool, True, "Keep the session token in the OS keyring and sign in automatically.")
    close_to_tray: Option[bool] = Option(
        bool, True, "Closing the main window hides it to the system tray instead of quitting.")
    autostart: Option[bool] = Option(
        bool, False, "Start SupportDesk when you log in (an XDG autostart entry; Linux).")
    start_minimised: Option[bool] = Option(bool, False, "Start hidden in the system tray.")
    notify_new_chat_tray: Option[bool] = Option(
        bool, True, "Show a tray notification when a new chat enters the list of chats.")
    notify_new_chat_sound: Option[bool] = Option(
        bool, True, "Play a sound when a new chat enters the list of chats.")
    new_chat_sound_repeat_seconds: Option[int] = Option(
        int, 30, "Repeat the new-chat sound this often while chats wait (0: never).",
        validator=lambda v: 0 <= v <= 3600)
    # -- tray, notifications and sounds per event (supportdesk_qt.platform)
    new_chat_sound: Option[str] = Option(
        str, "chime", "Sound for a new waiting chat.", choices=("chime", "bell", "ping"))
    notify_message_tray: Option[bool] = Option(
        bool, True, "Show a notification for a new message in a chat that is not on screen.")
    notify_message_sound: Option[bool] = Option(
        bool, True, "Play a sound for a new message in a chat that is not on screen.")
    message_sound: Option[str] = Option(
        str, "ping", "Sound for a new message.", choices=("chime", "bell", "ping"))
    notify_forwarded_tray: Option[bool] = Option(
        bool, True, "Show a notification when a chat is forwarded to me or my department.")
    notify_forwarded_sound: Option[bool] = Option(
        bool, True, "Play a sound when a chat is forwarded to me or my department.")
    forwarded_sound: Option[str] = Option(
        str, "bell", "Sound for a forwarded chat.", choices=("chime", "bell", "ping"))
    notify_forward_returned_tray: Option[bool] = Option(
        bool, True, "Show a notification when a chat I forwarded comes back.")
    notify_forward_returned_sound: Option[bool] = Option(
        bool, False, "Play a sound when a chat I forwarded comes back.")
    forward_returned_sound: Option[str] = Option(
        str, "ping", "Sound for a returned forward.", choices=("chime", "bell", "ping"))
    notify_error_tray: Option[bool] = Option(
        bool, True, "Show a notification for errors that need attention (connection lost).")
    tray_blink: Option[bool] = Option(
        bool, True, "Blink the tray icon while a chat waits untaken.")
    sound_volume: Option[int] = Option(
        int, 80, "Volume of the alert sounds, in percent.", validator=lambda v: 0 <= v <= 100)
    # -- composers (supportdesk_qt.ui.compose.send_keys)
    chat_send_key: Option[str] = Option(
        str, "enter", "The key that sends a chat message: \"enter\" (Shift+Enter adds a line) or "
                      "\"ctrl_enter\" (Enter adds a line).", choices=("enter", "ctrl_enter"))
    ticket_send_key: Option[str] = Option(
        str, "ctrl_enter", "The key that sends a ticket reply or note: \"enter\" or "
                           "\"ctrl_enter\".", choices=("enter", "ctrl_enter"))
    theme: Option[str] = Option(str, "system", "Colour theme.",
                                choices=("system", "light", "dark"))
    language: Option[str] = Option(
        str, "system", "Interface language: \"system\" or a locale such as en or de_DE.",
        validator=_language_ok)
    shortcuts: Option[dict] = Option(
        dict, {}, "Keyboard shortcuts changed from their defaults: {command id: keys}, keys in "
                  "Qt's portable text (\"Ctrl+T\", several separated by \"; \", \"\" for none).",
        validator=_shortcuts_ok)


class WindowState(Store):
    """What the app remembers by itself (window geometry, splitters). ``state.json``.

    Qt byte arrays (``saveGeometry()``/``saveState()``) are stored as base64 strings.
    """

    FILENAME = "state.json"

    main_window_geometry: Option[str] = Option(str, "", "QMainWindow.saveGeometry(), base64.")
    main_window_state: Option[str] = Option(str, "", "QMainWindow.saveState(), base64.")
    main_window_maximised: Option[bool] = Option(bool, False, "The main window was maximised.")
    splitter_sizes: Option[dict] = Option(dict, {}, "Splitter sizes by splitter name.")
    last_tab: Option[str] = Option(str, "", "The tab that was open last.")
    open_tabs: Option[dict] = Option(
        dict, {}, "The main window's open tabs: {\"login\": agent login, \"keys\": [\"chat:12\", "
                  "\"client:7\", \"ticket:3\", \"search:text\"], \"current\": key}; restored "
                  "at the next start (chats only while still assigned to the agent).")
    changelog_seen_version: Option[str] = Option(
        str, "", "The app version whose change log the user last opened (\"\": never opened); "
                 "a newer version shows the \"new\" mark on the change log button.")
