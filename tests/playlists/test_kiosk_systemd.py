"""The systemd unit a venue machine runs the kiosk with: valid for systemd, restarting at once, forever."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from playlists.kiosk.options import parse_args

UNIT = Path(__file__).resolve().parents[2] / "playlists" / "systemd" / "showcase-kiosk.service"
INSTALLED = "/opt/showcase/.venv/bin/showcase-kiosk"


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_the_unit_restarts_the_kiosk_at_once_and_never_gives_up(monkeypatch):
    monkeypatch.setenv("SHOWCASE_KIOSK_TOKEN", "t")  # from the unit's EnvironmentFile
    unit = _unit()
    assert unit["Service"]["Restart"] == "always" and unit["Service"]["RestartSec"] == "0"
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    command = shlex.split(unit["Service"]["ExecStart"].replace("${SHOWCASE_SERVER}", "https://festival.example"))
    assert command[0] == INSTALLED
    args = parse_args(command[1:])  # the options it passes are the kiosk's own
    assert args.server == "https://festival.example" and str(args.cache_dir) == "/var/lib/showcase-kiosk"


def test_systemd_accepts_the_unit_without_a_warning(tmp_path):
    kiosk = Path(sys.prefix) / "bin" / "showcase-kiosk"
    assert kiosk.exists(), "the showcase-kiosk command is installed with the project"
    env = tmp_path / "showcase-kiosk.env"
    env.write_text("SHOWCASE_SERVER=https://festival.example\nSHOWCASE_KIOSK_TOKEN=t\n", encoding="utf-8")
    text = UNIT.read_text(encoding="utf-8").replace(INSTALLED, str(kiosk))
    text = text.replace("EnvironmentFile=/etc/showcase-kiosk.env", f"EnvironmentFile={env}")
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: `make test` installs the Debian package systemd"
    run = subprocess.run([analyze, "verify", "--man=no", str(copy)], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and not run.stdout.strip() and not run.stderr.strip(), run.stdout + run.stderr
