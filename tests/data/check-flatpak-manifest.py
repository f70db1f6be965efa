#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest of Confab.

Fails unless the manifest names the app, uses the GNOME runtime, grants the
permissions Confab needs, builds every dependency the runtime lacks, pins
every source (sha256 for archives and files, commit for git) and builds
Confab itself last with meson.

Usage: check-flatpak-manifest.py [path/to/org.confab.Confab.json]
"""

import json
import os
import re
import sys

APP_ID = "org.confab.Confab"

REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--socket=pulseaudio",
    "--talk-name=org.freedesktop.secrets",
    "--talk-name=org.freedesktop.Notifications",
    "--filesystem=xdg-download",
]

# Dependencies that the GNOME runtime does not ship. libnice and libsrtp2
# are in the runtime (freedesktop-sdk), so they are not built here.
REQUIRED_MODULES = [
    "sofia-sip",
    "libvncserver",
]

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


class Checker:
    def __init__(self):
        self.failures = []
        self.passes = 0

    def check(self, ok, what):
        if ok:
            self.passes += 1
            print(f"ok   {what}")
        else:
            self.failures.append(what)
            print(f"FAIL {what}")
        return ok


def walk_modules(modules, parent=""):
    """Yield (path, module) for every module object, nested ones included.

    Modules given as strings are file references (e.g. shared-modules);
    they are yielded as-is so the caller can report them.
    """
    for module in modules:
        if isinstance(module, str):
            yield (parent + module, module)
            continue
        name = module.get("name", "<unnamed>")
        yield (parent + name, module)
        yield from walk_modules(module.get("modules", []), parent + name + "/")


def check_source(checker, where, source):
    kind = source.get("type", "archive")
    if kind in ("archive", "file"):
        if "path" in source and "url" not in source:
            checker.check(True, f"{where}: local {kind} {source['path']}")
            return
        checker.check(bool(SHA256_RE.match(str(source.get("sha256", "")))),
                      f"{where}: {kind} {source.get('url', '?')} has a sha256")
    elif kind == "git":
        if "path" in source and "url" not in source:
            checker.check(True, f"{where}: local git {source['path']}")
            return
        checker.check(bool(COMMIT_RE.match(str(source.get("commit", "")))),
                      f"{where}: git {source.get('url', '?')} is pinned to a commit")
    elif kind in ("dir", "patch", "shell", "script", "inline", "extra-data"):
        # Local or inline content: nothing downloaded, nothing to pin.
        checker.check(True, f"{where}: {kind} source needs no pin")
    else:
        checker.check(False, f"{where}: unknown source type '{kind}'")


def main(argv):
    if len(argv) > 1:
        path = argv[1]
    else:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "flatpak", APP_ID + ".json")

    print(f"# checking {path}")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL cannot read manifest: {e}")
        return 1

    c = Checker()

    app_id = manifest.get("id", manifest.get("app-id"))
    c.check(app_id == APP_ID, f"id is {APP_ID} (found {app_id!r})")
    runtime = str(manifest.get("runtime", ""))
    sdk = str(manifest.get("sdk", ""))
    c.check(runtime.startswith("org.gnome."), f"runtime is org.gnome.* (found {runtime!r})")
    c.check(sdk.startswith("org.gnome."), f"sdk is org.gnome.* (found {sdk!r})")
    c.check(bool(manifest.get("runtime-version")), "runtime-version is set "
            f"(found {manifest.get('runtime-version')!r})")
    c.check(manifest.get("command") == "confab",
            f"command is confab (found {manifest.get('command')!r})")

    finish_args = manifest.get("finish-args", [])
    for arg in REQUIRED_FINISH_ARGS:
        c.check(arg in finish_args, f"finish-args has {arg}")

    modules = manifest.get("modules", [])
    all_modules = list(walk_modules(modules))
    names = {m.get("name") for _, m in all_modules if isinstance(m, dict)}
    for name in REQUIRED_MODULES:
        c.check(name in names, f"module {name} is built")

    for where, module in all_modules:
        if isinstance(module, str):
            c.check(False, f"{where}: module file references cannot be checked; inline it")
            continue
        sources = module.get("sources", [])
        c.check(len(sources) > 0, f"{where}: has sources")
        for source in sources:
            if isinstance(source, str):
                c.check(False, f"{where}: source file reference {source} cannot be checked")
                continue
            check_source(c, where, source)

    last = modules[-1] if modules else {}
    if not isinstance(last, dict):
        last = {}
    c.check(last.get("name") == "confab",
            f"last module is confab (found {last.get('name')!r})")
    c.check(last.get("buildsystem") == "meson", "confab is built with meson")
    c.check(any(s.get("type") == "dir" for s in last.get("sources", [])
                if isinstance(s, dict)),
            "confab is built from the local source tree")

    print(f"# {c.passes} passed, {len(c.failures)} failed")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
