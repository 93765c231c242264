"""The wheel carries templates, static files and migrations, and runs outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys, showcase
from showcase.app import create_app
assert showcase.__file__.startswith(sys.prefix), showcase.__file__
app = create_app({"INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "k" * 20 + "0123456789abcdef"})
client = app.test_client()
login = client.get("/login")
css = client.get("/static/css/staff.css")
print(login.status_code, css.status_code, "Sign in" in login.get_data(as_text=True), app.template_folder)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("showcase-*.whl"))


def test_the_wheel_holds_every_package_and_asset(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package_root in ("showcase", "playlists"):
        for init in (ROOT / package_root).rglob("__init__.py"):
            assert init.relative_to(ROOT).as_posix() in names, f"{init} is missing from the wheel"
    for folder, prefix in (
        ("templates", "showcase/_templates"),
        ("static", "showcase/_static"),
        ("migrations", "showcase/_migrations"),
    ):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"{prefix}/{path.relative_to(ROOT / folder).as_posix()}" in names, path


def test_the_installed_wheel_renders_the_login_page_and_migrates(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    # Dependencies come from the test environment; the package itself only from the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        check=True,
        timeout=300,
    )
    python = venv / "bin" / "python"
    instance = tmp_path / "instance"
    result = subprocess.run(
        [str(python), "-c", CHECK, str(instance)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    status, css, has_form, folder = result.stdout.split()
    assert (status, css, has_form) == ("200", "200", "True")
    assert str(site) in folder
    migrate = subprocess.run(
        [str(python), "-c", "from showcase.cli import main; main()", "db", "upgrade"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SHOWCASE_INSTANCE_PATH": str(instance)},
    )
    assert migrate.returncode == 0, migrate.stderr
    assert "Running upgrade  -> 0001" in migrate.stderr
    assert (instance / "showcase.db").stat().st_size > 0
