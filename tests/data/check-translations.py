#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Translations are complete.

Every source or UI file with strings marked for translation is listed in
po/POTFILES.in (or, translation still pending, in po/POTFILES.skip), and
every language in po/LINGUAS translates every message of the files in
po/POTFILES.in: none missing, none fuzzy, format strings matching.

Usage: check-translations.py SOURCE_ROOT
"""

import os
import re
import subprocess
import sys
import tempfile

MARKED = re.compile(r'\b(?:N?_|C_|NC_)\s*\(\s*"|translatable="yes"')
SCANNED = (("src", (".c",)), ("ui", (".ui",)))

# As meson's i18n.gettext(preset: 'glib') calls xgettext.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_printerr:1:c-format",
    "--flag=g_print:1:c-format",
]


def read_list(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def marked_files(root):
    found = set()
    for top, suffixes in SCANNED:
        for directory, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith(suffixes):
                    continue
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    if MARKED.search(f.read()):
                        found.add(os.path.relpath(path, root))
    return found


def messages(po_path, *attrib_args):
    """msgids that msgattrib selects, as a list of strings."""
    out = subprocess.run(["msgattrib", "--no-wrap", *attrib_args, po_path],
                         check=True, capture_output=True, text=True).stdout
    ids = re.findall(r'^msgid "(.*)"$', out, re.M)
    return [m for m in ids if m]


def main():
    root = os.path.abspath(sys.argv[1])
    po_dir = os.path.join(root, "po")
    listed = read_list(os.path.join(po_dir, "POTFILES.in"))
    pending = read_list(os.path.join(po_dir, "POTFILES.skip"))
    failures = []

    for path in listed + pending:
        if not os.path.exists(os.path.join(root, path)):
            failures.append(f"{path} is listed in po/ but does not exist")
    for path in sorted(set(listed) & set(pending)):
        failures.append(f"{path} is both in POTFILES.in and in POTFILES.skip")
    for path in sorted(marked_files(root) - set(listed) - set(pending)):
        failures.append(f"{path} has strings to translate: add it to po/POTFILES.in "
                        "and translate them")

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "confab.pot")
        extract = subprocess.run(["xgettext", "--package-name=confab", *XGETTEXT_ARGS,
                                  "--directory", root,
                                  "--files-from", os.path.join(po_dir, "POTFILES.in"),
                                  "--output", pot], check=True, capture_output=True, text=True)
        # _("%" G_GSIZE_FORMAT …) cuts the message short: it is never found.
        for line in extract.stderr.splitlines():
            if "ends in the middle of a directive" in line:
                failures.append(f"{line.split(': warning')[0]}: a G_*_FORMAT macro inside _() "
                                "splits the message; cast to a plain printf type instead")
        for lang in read_list(os.path.join(po_dir, "LINGUAS")):
            po = os.path.join(po_dir, f"{lang}.po")
            merged = os.path.join(tmp, f"{lang}.po")
            check = subprocess.run(["msgfmt", "--check", "--output-file", os.devnull, po],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                failures.append(f"po/{lang}.po does not compile:\n{check.stderr}")
                continue
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file",
                            merged, po, pot], check=True)
            for msgid in messages(merged, "--untranslated", "--no-obsolete"):
                failures.append(f"po/{lang}.po: untranslated: \"{msgid}\"")
            for msgid in messages(merged, "--only-fuzzy", "--no-obsolete"):
                failures.append(f"po/{lang}.po: fuzzy: \"{msgid}\"")

    for failure in failures:
        print(failure)
    if failures:
        print(f"{len(failures)} problems; see po/POTFILES.in and HACKING.md (Translations)")
        return 1
    print(f"translations complete: {len(listed)} files, languages: "
          + " ".join(read_list(os.path.join(po_dir, "LINGUAS"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
