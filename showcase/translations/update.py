"""Refresh the catalogue of guest and staff pages: extract, merge into zh/en, compile. Run from the checkout root.

    python showcase/translations/update.py

One catalogue: every _() / _l() / ngettext() in showcase/**.py and templates/**.html (babel.cfg). The English
catalogue is empty on purpose (the source strings are English); the Chinese one must translate every message,
which tests/showcase/guests/test_i18n.py and tests/showcase/test_staff_i18n.py check. The command line stays
English: services and commands call no gettext.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], check=True)


def main() -> None:
    pot = HERE / "messages.pot"
    run(
        "extract",
        "-F",
        str(HERE / "babel.cfg"),
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(pot),
        ".",
    )
    for lang in ("zh", "en"):
        po = HERE / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            run("update", "-i", str(pot), "-o", str(po), "-l", lang, "--no-fuzzy-matching")
        else:
            run("init", "-i", str(pot), "-o", str(po), "-l", lang)
    run("compile", "-d", str(HERE), "--statistics")


if __name__ == "__main__":
    main()
