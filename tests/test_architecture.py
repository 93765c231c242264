"""ARCHITECTURE.md holds: the import contract over the whole tree, and the package graph it shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.architecture import package_graph, render_graph, violations

ROOT = Path(__file__).resolve().parent.parent
GRAPH_BLOCK = re.compile(r"<!-- package graph: checked by tests/test_architecture.py -->\n```text\n(.*?)\n```", re.S)


def test_the_tree_keeps_the_import_contract():
    assert violations(ROOT) == []


def test_architecture_md_shows_the_package_graph_of_the_code():
    document = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    match = GRAPH_BLOCK.search(document)
    assert match, "ARCHITECTURE.md lost its package graph block"
    assert match.group(1) == render_graph(package_graph(ROOT)), "update the block in ARCHITECTURE.md to:\n" + (
        render_graph(package_graph(ROOT))
    )


BAD_IMPORTS = {
    "playlists imports Flask": ({"playlists/kiosk/wrong.py": "import flask\n"}, "playlists imports flask"),
    "playlists imports showcase": (
        {"playlists/wrong.py": "from showcase.films.models import Film\n"},
        "playlists imports showcase.films.models.Film",
    ),
    "vlc outside the player": ({"playlists/kiosk/wrong.py": "import vlc\n"}, "vlc is imported outside its home"),
    "reportlab outside programmes": (
        {"showcase/films/wrong.py": "from reportlab.lib.units import mm\n"},
        "reportlab is imported outside its home",
    ),
    "qrcode outside its module": (
        {"showcase/programmes/wrong.py": "import qrcode\n"},
        "qrcode is imported outside its home",
    ),
    "a package cycle": (
        {"showcase/films/wrong.py": "from showcase.workspace import views\n"},
        "package cycle: ",
    ),
    "a module cycle": (
        {
            "showcase/films/wrong_a.py": "import showcase.films.wrong_b\n",
            "showcase/films/wrong_b.py": "import showcase.films.wrong_a\n",
        },
        "module import cycle: showcase.films.wrong_a ↔ showcase.films.wrong_b",
    ),
    "a service reads the request": (
        {"showcase/awards/wrong.py": "from flask import request\n"},
        "showcase.awards.wrong reads request",
    ),
    "a service reads current_user": (
        {"showcase/schedule/wrong.py": "from flask_login import current_user\n"},
        "showcase.schedule.wrong reads current_user",
    ),
    "a service commits": (
        {"showcase/films/wrong.py": "from showcase.extensions import db\n\n\ndef save():\n    db.session.commit()\n"},
        "db.session.commit(): only showcase/unit_of_work.py ends a transaction",
    ),
    "an inline import without a reason": (
        {"showcase/films/wrong.py": "def f():\n    from showcase.films import services\n"},
        "inline import of showcase.films.services without a reason",
    ),
    "the core imports a domain package": (
        {"showcase/wrong.py": "from showcase.films.models import Film\n"},
        "core module showcase.wrong imports the domain package module showcase.films.models",
    ),
}


@pytest.mark.parametrize("case", BAD_IMPORTS, ids=list(BAD_IMPORTS))
def test_the_contract_fails_on_a_deliberately_wrong_import(tmp_path, case):
    files, expected = BAD_IMPORTS[case]
    for top in ("showcase", "playlists"):
        shutil.copytree(ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__"))
    assert violations(tmp_path) == []  # the copy keeps the contract before the wrong file
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = violations(tmp_path)
    assert any(expected in problem for problem in found), found


def test_the_deliberate_cycle_names_both_packages(tmp_path):
    for top in ("showcase", "playlists"):
        shutil.copytree(ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "showcase/films/wrong.py").write_text("from showcase.awards import services\n", encoding="utf-8")
    cycle = [p for p in violations(tmp_path) if p.startswith("package cycle")]
    assert cycle == ["package cycle: awards ↔ films"]


def test_no_test_imports_a_benchmark():
    """Benchmarks import tests.samples like the tests do; a test never depends on a benchmark script."""
    import ast

    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "bench" in path.relative_to(ROOT / "tests").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno}" for name in names if name.startswith("tests.bench")]
    assert offenders == []
