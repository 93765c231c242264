"""Every Debian package the code and the tests reach for is one the Makefile installs.

The suite runs on a new machine only with what `make test` installs, so a command, a font or a
library that is here merely because someone installed it by hand would pass here and fail there.
This finds, in the source of showcase/, playlists/ and tests/, the programs started with subprocess
or looked up with shutil.which, and the absolute /usr paths named in string literals; asks dpkg
which package owns each; and fails for any package that is neither in the Makefile's lists nor part
of every Debian system. Services and helpers the suite starts by a path it builds (redis-server,
PostgreSQL's initdb and pg_ctl, runuser) are listed in STARTED and checked the same way; a package is
covered when a Makefile list names it or a package it names depends on it (postgresql → postgresql-15).
`make debs-list` (or `python tests/test_debian_packages.py`) prints the whole list.
"""

from __future__ import annotations

import ast
import functools
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
# Programs the suite starts by a path it builds, not a literal the scan sees: a name on PATH or a glob of paths.
STARTED = (
    "redis-server",  # the suite's own Redis (tests/conftest.py `redis_url`)
    "/usr/lib/postgresql/*/bin/initdb",  # the suite's own PostgreSQL (SHOWCASE_TEST_DATABASE_URL=start)
    "/usr/lib/postgresql/*/bin/pg_ctl",
    "/usr/lib/postgresql/*/bin/postgres",
    "runuser",  # PostgreSQL's programs run as the postgres user when the suite runs as root
)
MAKEFILE_LISTS = ("RUN_DEBS", "TEST_DEBS", "PG_DEBS")


def _makefile_packages() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    names: set[str] = set()
    for match in re.finditer(rf"^\s*({'|'.join(MAKEFILE_LISTS)})\s*[:+]?=(.*)$", text, flags=re.M):
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


def used_things(roots: tuple[Path, ...] | None = None) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Programs and /usr paths named in the source, each with the files that name it."""
    programs: dict[str, set[str]] = {}
    paths: dict[str, set[str]] = {}
    for top in roots or tuple(ROOT / name for name in SOURCES):
        for file in sorted(top.rglob("*.py")):
            where = str(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
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
            # A folder may belong to several packages: one the Makefile installs is the one that counts.
            owners = [name.strip() for name in result.stdout.splitlines()[0].rsplit(":", 1)[0].split(",")]
            return next((name for name in owners if name in covered_packages()), owners[0])
    return None


def _in_every_system(package: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Priority}", package], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() in {"required", "important"}


def _dependencies(package: str) -> set[str]:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", package], capture_output=True, text=True, check=False
    )
    return {re.split(r"[\s(:]", alt.strip())[0] for alt in re.split(r"[,|]", result.stdout) if alt.strip()}


@functools.cache
def covered_packages() -> set[str]:
    """The packages the Makefile names, and those they depend on directly."""
    listed = _makefile_packages()
    return listed | {dep for package in listed for dep in _dependencies(package)}


def needed_packages(roots: tuple[Path, ...] | None = None) -> tuple[dict[str, set[str]], list[str]]:
    """Package → the things that need it; and the things no installed package provides."""
    programs, paths = used_things(roots)
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
    for started in STARTED:
        found = sorted(Path("/").glob(started.lstrip("/"))) if "/" in started else [shutil.which(started)]
        for path in [str(p) for p in found if p]:
            if package := owner(path):
                needs.setdefault(package, set()).add(f"{path} (started by the suite)")
                break
        else:
            unowned.append(f"started program {started} (see STARTED)")
    for package in LOADED_LIBRARIES:
        needs.setdefault(package, set()).add("loaded by the code")
    return needs, unowned


def missing_packages(packages: dict[str, set[str]]) -> list[str]:
    """The needed packages that `make` would not install, each with what needs it."""
    covered = covered_packages()
    return [
        f"{p} (for {', '.join(sorted(packages[p]))})"
        for p in sorted(packages)
        if p not in covered and p not in BOOTSTRAP and not _in_every_system(p)
    ]


@pytest.fixture(scope="module")
def needs():
    if shutil.which("dpkg-query") is None:
        pytest.fail("this check reads Debian's package database (dpkg-query), which every supported machine has")
    return needed_packages()


def test_every_package_the_code_and_tests_use_is_installed_by_the_makefile(needs):
    packages, unowned = needs
    missing = missing_packages(packages)
    assert not missing, "add to RUN_DEBS, TEST_DEBS or PG_DEBS in the Makefile: " + "; ".join(missing)
    assert not unowned, "used but installed by no Debian package here: " + "; ".join(unowned)


def test_the_scan_finds_programs_paths_and_makefile_lists():
    programs, paths = used_things()
    assert {"ffmpeg", "pdffonts", "zbarimg"} <= set(programs)  # started by the programme and kiosk tests
    assert "/usr/bin/chromium" in paths
    assert {"ffmpeg", "chromium", "poppler-utils"} <= _makefile_packages()
    # the press programme's CMYK profile and fallback font, found by their Debian paths at run time
    assert {"scribus-data", "fonts-hanazono"} <= _makefile_packages()
    assert {
        "/usr/share/scribus/profiles/ISOcoated_v2_300_bas.icc",
        "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
    } <= set(paths)


def _uncovered_program() -> tuple[str, str]:
    """An installed program whose package the Makefile does not install and Debian does not always have."""
    covered = covered_packages() | BOOTSTRAP
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Priority}\n"], capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        package, _, priority = line.partition(" ")
        if package in covered or priority in {"required", "important"}:
            continue
        files = subprocess.run(["dpkg-query", "-L", package], capture_output=True, text=True, check=False).stdout
        for file in files.splitlines():
            if file.startswith("/usr/bin/") and shutil.which(Path(file).name) == file and owner(file) == package:
                return Path(file).name, package
    pytest.fail("no installed program outside the Makefile's packages to try the check with")


def test_a_program_from_a_package_the_makefile_does_not_install_fails_the_check(tmp_path):
    program, package = _uncovered_program()
    (tmp_path / "uses_it.py").write_text(f"import subprocess\nsubprocess.run([{program!r}, '--version'])\n")
    packages, _ = needed_packages((tmp_path,))
    assert program in packages[package]
    assert any(line.startswith(f"{package} (for ") for line in missing_packages(packages))


def test_the_suites_own_services_resolve_to_packages_the_makefile_installs(needs):
    packages, _ = needs
    started = {thing for things in packages.values() for thing in things if thing.endswith("(started by the suite)")}
    assert any("redis-server" in thing for thing in started)
    assert {"initdb", "pg_ctl"} <= {Path(thing.split()[0]).name for thing in started}
    assert {"postgresql", "redis-server"} <= _makefile_packages()


if __name__ == "__main__":
    found, missing_owner = needed_packages()
    in_makefile = covered_packages()
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
