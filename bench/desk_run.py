"""Start the real desk as a new process with a remembered login, under bench/desk_probe.py.

:func:`prepare_home` makes a ``SUPPORTDESK_HOME`` as the desk leaves it after an agent signed in
with "remember me": ``settings.json`` with the server and the user name, the token in the bench's
file keyring. :func:`run_desk` starts ``desk_probe.py`` with a plan and answers its JSON, with
``start_ms`` (process started -> main window painted with the waiting count) added.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from common import ROOT, now_ms, run_json


def prepare_home(home: Path, server_url: str, token: str, username: str = "demo") -> dict[str, str]:
    """The home, and the environment that points the desk at it."""
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.json").write_text(json.dumps(
        {"server_url": server_url, "username": username, "remember_me": True,
         "notify_new_chat_sound": False}))      # no sound device on the bench's X server
    env = dict(os.environ, SUPPORTDESK_HOME=str(home),
               BENCH_KEYRING_FILE=str(home / "keyring.json"),
               PYTHON_KEYRING_BACKEND="filekeyring.FileKeyring",
               PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]))
    env.pop("QT_QPA_PLATFORM", None)
    from supportdesk_qt.core.secrets import SERVICE, secret_key

    os.environ["BENCH_KEYRING_FILE"] = env["BENCH_KEYRING_FILE"]
    import filekeyring

    filekeyring.remember(SERVICE, secret_key(server_url, username), token)
    return env


def run_desk(env: dict[str, str], plan: dict, display: str, work: Path,
             timeout: float = 600, root: Path = ROOT) -> dict:
    """``root``: the checkout whose desk (and probe) runs; another one compares two versions."""
    plan = dict(plan, out=str(work / "probe-out.json"))
    plan_file = work / "probe-plan.json"
    plan_file.write_text(json.dumps(plan))
    env = dict(env, DISPLAY=display,
               PYTHONPATH=os.pathsep.join([str(root / "bench"), str(root), str(ROOT / "bench")]))
    t0 = now_ms()
    result = run_json([sys.executable, str(root / "bench" / "desk_probe.py"), str(plan_file),
                       "--server", plan["server"]], Path(plan["out"]), env=env, timeout=timeout)
    if "error" in result:
        raise RuntimeError("the desk probe failed:\n" + result["error"])
    result["start_ms"] = result["t_painted"] - t0
    result["import_ms"] = result["t_imported"] - result["t_process"]
    result["title_ms"] = result["t_title"] - t0
    return result
