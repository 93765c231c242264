"""Every Debian package the code and the tests reach for is one the Makefile installs.

The suite runs on a new machine only with what `make test` installs, so a command, a font or a
library that is here merely because someone installed it by hand would pass here and fail there.
This finds, in the source of showcase/, playlists/ and tests/, the programs started with subprocess
or looked up with shutil.which, and the absolute /usr paths named in string literals; asks dpkg
which package owns each; and fails for any package that is neither in the Makefile's lists nor part
of every Debian system. `python tests/test_debian_packages.py` prints the whole list.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("showcase", "playlists", "tests")
PROGRAM_CALLS = frozenset({"run", "Popen", "check_output", "check_call", "call"})
# Needed to fetch and run the project at all, before `make` can install anything.
BOOTSTRAP = frozenset({"git", "make"})
# Loaded by name rather than started: python-vlc opens libvlc and its plugins from these packages.
LOADED_LIBRARIES = frozenset({"vlc-plugin-base"})
# Services the suite talks to over the network; `make test` (or the test itself) must provide them.
SERVICES = {"redis-server": "redis-server"}


def _makefile_packages() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    names: set[str] = set()
    for match in re.finditer(r"^(RUN_DEBS|TEST_DEBS)\s*:?=(.*)$", text, flags=re.M):
        names.update(word for word in match.group(2).split() if not word.startswith("$("))
    return names


def _program(node: ast.Call) -> str | None:
    """`subprocess.run(["prog", ...])` → "prog"; `shutil.which("prog")` → "prog"."""
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if not node.args:
        return None
    first = node.args[0]
    if name == "which" and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    if name in PROGRAM_CALLS and isinstance(first, ast.List) and first.elts:
        head = first.elts[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str) and "/" not in head.value:
            return head.value
    return None


def used_things() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Programs and /usr paths named in the source, each with the files that name it."""
    programs: dict[str, set[str]] = {}
    paths: dict[str, set[str]] = {}
    for top in SOURCES:
        for file in sorted((ROOT / top).rglob("*.py")):
            where = str(file.relative_to(ROOT))
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), filename=where)):
                if isinstance(node, ast.Call) and (program := _program(node)):
                    programs.setdefault(program, set()).add(where)
                elif (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and re.fullmatch(r"/usr/(share|lib|bin)/[\w./+-]+", node.value)
                ):
                    paths.setdefault(node.value, set()).add(where)
    return programs, paths


def owner(path: str) -> str | None:
    """The Debian package that installed a file, or None."""
    resolved = str(Path(path).resolve())
    # With merged /usr a file dpkg installed as /sbin/x is found as /usr/sbin/x: ask for every spelling.
    for spelling in dict.fromkeys((path, resolved, re.sub(r"^/usr(?=/s?bin/)", "", resolved))):
        result = subprocess.run(["dpkg-query", "-S", spelling], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def _in_every_system(package: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Priority}", package], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() in {"required", "important"}


def needed_packages() -> tuple[dict[str, set[str]], list[str]]:
    """Package → the things that need it; and the things no installed package provides."""
    programs, paths = used_things()
    needs: dict[str, set[str]] = {}
    unowned: list[str] = []
    for program, files in programs.items():
        found = shutil.which(program)
        package = owner(found) if found else None
        if package is None:
            unowned.append(f"program {program!r} (used in {', '.join(sorted(files))})")
        else:
            needs.setdefault(package, set()).add(program)
    for path, files in paths.items():
        package = owner(path) if Path(path).exists() else None
        if package is None:
            unowned.append(f"file {path} (named in {', '.join(sorted(files))})")
        else:
            needs.setdefault(package, set()).add(path)
    for package in LOADED_LIBRARIES | set(SERVICES.values()):
        needs.setdefault(package, set()).add("loaded or started by the suite")
    return needs, unowned


@pytest.fixture(scope="module")
def needs():
    if shutil.which("dpkg-query") is None:
        pytest.fail("this check reads Debian's package database (dpkg-query), which every supported machine has")
    return needed_packages()


def test_every_package_the_code_and_tests_use_is_installed_by_the_makefile(needs):
    packages, unowned = needs
    listed = _makefile_packages()
    missing = sorted(p for p in packages if p not in listed and p not in BOOTSTRAP and not _in_every_system(p))
    assert not missing, "add to RUN_DEBS or TEST_DEBS in the Makefile: " + "; ".join(
        f"{p} (for {', '.join(sorted(packages[p]))})" for p in missing
    )
    assert not unowned, "used but installed by no Debian package here: " + "; ".join(unowned)


def test_the_scan_finds_programs_paths_and_makefile_lists():
    programs, paths = used_things()
    assert {"ffmpeg", "pdffonts", "zbarimg"} <= set(programs)  # started by the programme and kiosk tests
    assert "/usr/bin/chromium" in paths
    assert {"ffmpeg", "chromium", "poppler-utils"} <= _makefile_packages()


if __name__ == "__main__":
    found, missing_owner = needed_packages()
    in_makefile = _makefile_packages()
    for name in sorted(found):
        state = (
            "Makefile"
            if name in in_makefile
            else "bootstrap"
            if name in BOOTSTRAP
            else "base system"
            if _in_every_system(name)
            else "MISSING"
        )
        print(f"{name:28} {state:12} {', '.join(sorted(found[name]))}")
    for line in missing_owner:
        print(f"{'?':28} {'NO PACKAGE':12} {line}")
