"""Real nginx (Debian's `nginx` package) in front of app processes, with the repository's sample config.

`render` puts the sample (showcase/deploy/nginx.conf) into a main config of its own: the app hosts'
ports in the upstream, a free listen port, the cache, temp files, pid and log under one folder, so
a test or benchmark runs nginx as any user, next to the machine's own. `serve` starts it and stops it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "showcase" / "deploy" / "nginx.conf"
SAMPLE_UPSTREAMS = ("127.0.0.1:8000", "127.0.0.1:8001")
SAMPLE_CACHE = "/var/cache/nginx/showcase"
MAIN = """{user}worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/showcase.conf;
}}
"""


def executable() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def render(folder: Path, *, upstreams: list[str], port: int, workers: int = 1) -> Path:
    """The sample with these app hosts and listen port, in a main config under `folder`; its path."""
    text = SAMPLE.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server (\S+) .*;$", text, flags=re.MULTILINE)
    assert tuple(servers) == SAMPLE_UPSTREAMS, servers  # the sample's upstream is what we replace
    block = "".join(f"    server {address} max_fails=3 fail_timeout=5s;\n" for address in upstreams)
    text = re.sub(r"(?:^    server \S+ .*;\n)+", block, text, count=1, flags=re.MULTILINE)
    text = text.replace(SAMPLE_CACHE, str(folder / "cache"))
    text = re.sub(r"^    listen 80;$", f"    listen 127.0.0.1:{port};", text, flags=re.MULTILINE)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "showcase.conf").write_text(text, encoding="utf-8")
    main = folder / "nginx.conf"
    # Started by root, nginx's workers would run as nobody, who cannot enter a test's private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(MAIN.format(user=user, folder=folder, workers=workers), encoding="utf-8")
    return main


def check(config: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the config: returncode 0 and "syntax is ok" when nginx accepts it."""
    return subprocess.run([executable(), "-t", "-c", str(config)], capture_output=True, text=True, check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(folder: Path, *, upstreams: list[str], workers: int = 1) -> Iterator[str]:
    """nginx with the sample config in front of `upstreams` (host:port); yields its base URL."""
    port = free_port()
    config = render(folder, upstreams=upstreams, port=port, workers=workers)
    process = subprocess.Popen(
        [executable(), "-c", str(config), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {process.stderr.read().decode() if process.stderr else ''}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
