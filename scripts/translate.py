"""Fill Arabic translations into the catalogue from a dict file.

Usage: .venv/bin/python scripts/translate.py FILE.py
FILE.py defines T: {msgid: msgstr} or {(msgid, msgid_plural): [forms...]}.
Entries already translated and not fuzzy are left alone unless listed.
Needs polib (pip install polib); a helper for people, not a dependency.
"""

import runpy
import sys

import polib

CATALOGUE = "locale/ar/LC_MESSAGES/django.po"


def main(path: str) -> None:
    table = runpy.run_path(path)["T"]
    po = polib.pofile(CATALOGUE, wrapwidth=0)
    done = 0
    for entry in po:
        key = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        if key not in table:
            continue
        if (
            entry.translated()
            and "fuzzy" not in entry.flags
            and not isinstance(key, str)
        ):
            pass
        value = table[key]
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(value))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        done += 1
    po.save(CATALOGUE)
    print(f"{done} entries filled")


if __name__ == "__main__":
    main(sys.argv[1])
