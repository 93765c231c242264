"""Benchmark of poster uploads: the server's peak memory and time per upload, against the naive full decode.

Run: python tests/bench/bench_posters.py [--runs N] [--only TEXT]

Every upload goes to a fresh server process (werkzeug on loopback serving the real app, on a SQLite
instance with the demo loaded) through the real form: sign in as an editor, one small warm-up upload
(imports, libwebp), then the measured one. Peak growth is the server's VmHWM after the upload minus its
VmRSS just before, the high-water mark reset through /proc/PID/clear_refs first (Linux). The baseline,
measured in the same run by the same kind of server, is the poster code before bounded decoding: a full
decode of anything up to 50 megapixels, then a copy for the EXIF turn, the colour mode and each size.
Target: at most 100 MB of growth for any upload, accepted or refused.

The image generators here also feed tests/showcase/films/test_posters.py.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from tests.samples import flat_jpeg, flat_png, photo, webp_bomb  # noqa: E402

SHOWCASE = str(Path(sys.executable).parent / "showcase")
EMAIL, PASSWORD = "poster-bench@example.org", "bench-password-for-posters"
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
TARGET_MB = 100


# ---- images


CASES: dict[str, Callable[[], bytes]] = {
    "2 MP photo, JPEG 1200×1800": lambda: photo(1200, 1800),
    "12 MP photo, JPEG 3000×4000": lambda: photo(3000, 4000),
    "12 MP photo, progressive JPEG": lambda: photo(3000, 4000, progressive=True),
    "12 MP PNG with alpha, 3000×4000": lambda: photo(3000, 4000, "PNG", mode="RGBA", noise=False),
    "3 MP photo, WebP 1414×2121": lambda: photo(1414, 2121, "WEBP"),
    "49 MP poster, PNG 7000×7000": lambda: flat_png(7000, 7000),
    "49 MP poster, JPEG 7000×7000": lambda: flat_jpeg(7000, 7000),
    "49 MP poster, progressive JPEG": lambda: flat_jpeg(7000, 7000, progressive=True),
    "PNG bomb, 1-bit 20000×20000": lambda: flat_png(20000, 20000, rgb=None),
    "WebP bomb, header 16000×16000": webp_bomb,
}


# ---- the server

NAIVE = '''
import io, secrets
from PIL import Image, ImageOps
from showcase.films import posters

def naive_store_poster(upload_root, data, *, limits=None):
    """The poster code before bounded decoding: a full decode, then a copy per step and per size."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(posters.ACCEPTED))
        if image.width * image.height > 50_000_000:
            raise posters._refuse("The image has too many pixels.")
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise posters._refuse("The image has too many pixels.") from None
    except OSError:
        raise posters._refuse("The image is damaged.") from None
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    name = f"{secrets.token_hex(16)}.webp"
    for path, size in zip(posters.poster_files(upload_root, name), (posters.POSTER_SIZE, posters.THUMB_SIZE)):
        copy = image.copy()
        copy.thumbnail(size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        copy.save(out, "WEBP", quality=posters.QUALITY, method=4)
        posters._write(path, out.getvalue())
    return name

posters.store_poster = naive_store_poster
Image.MAX_IMAGE_PIXELS = 89_478_485  # Pillow's default, as before
'''

SERVER = """
import sys
from werkzeug.serving import make_server
from showcase.app import create_app
app = create_app()
if sys.argv[2] == "naive":
    exec(sys.argv[3])
server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=False)
print("ready", flush=True)
server.serve_forever()
"""


def _env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOWCASE_")}
    env["SHOWCASE_INSTANCE_PATH"] = str(instance)
    return env


def make_instance(folder: Path) -> tuple[Path, int]:
    """A migrated instance with the demo and an editor; returns it and a film id."""
    instance = folder / "instance"
    for args, stdin in (
        (("db", "upgrade"), None),
        (("demo", "--no-clips"), None),
        (("users", "create", "--email", EMAIL, "--name", "Bench", "--role", "editor", "--password-stdin"), PASSWORD),
    ):
        subprocess.run(
            [SHOWCASE, *args],
            cwd=ROOT,
            env=_env(instance),
            check=True,
            capture_output=True,
            input=stdin,
            text=True,
            timeout=600,
        )
    with sqlite3.connect(instance / "showcase.db") as connection:
        film_id = connection.execute("SELECT id FROM film ORDER BY id LIMIT 1").fetchone()[0]
    return instance, film_id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(pid: int) -> dict[str, float]:
    with open(f"/proc/{pid}/status") as fh:
        return {k: int(v.split()[0]) / 1024 for k, v in (line.split(":", 1) for line in fh) if k in ("VmRSS", "VmHWM")}


class Browser:
    """An editor's browser: cookies, CSRF tokens from the page, multipart uploads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, body: bytes, content_type: str) -> int:
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": content_type})
        try:
            with self.opener.open(request, timeout=300) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def sign_in(self) -> None:
        token = CSRF_RE.search(self.get("/login")).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD}).encode()
        self.post("/login", form, "application/x-www-form-urlencoded")

    def upload(self, film_id: int, data: bytes) -> tuple[int, float]:
        """POST the poster form; (status of the answer, after redirects; seconds)."""
        path = f"/staff/festivals/ai-shorts-2026/films/{film_id}"
        token = CSRF_RE.search(self.get(path + "/edit")).group(1)
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="poster"; filename="poster"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        started = time.perf_counter()
        status = self.post(path + "/poster", body, f"multipart/form-data; boundary={boundary}")
        return status, time.perf_counter() - started


def measure(instance: Path, film_id: int, data: bytes, variant: str) -> dict[str, float]:
    """One upload to a fresh server: peak growth (MB), seconds, and whether the poster was kept."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), variant, NAIVE],
        cwd=ROOT,
        env=_env(instance),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.sign_in()
        browser.upload(film_id, photo(200, 300))
        with open(f"/proc/{server.pid}/clear_refs", "w") as fh:
            fh.write("5")  # reset VmHWM to the current RSS
        before = _status(server.pid)["VmRSS"]
        status, seconds = browser.upload(film_id, data)
        return {"grown": _status(server.pid)["VmHWM"] - before, "seconds": seconds, "status": status}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _outcome(instance: Path, film_id: int, status: int) -> str:
    """Refused (4xx), an error (5xx), or accepted with the size of the poster stored."""
    if status != 200:  # an accepted upload redirects to the edit page
        return f"refused ({status})" if status < 500 else f"error {status}"
    from PIL import Image

    with sqlite3.connect(instance / "showcase.db") as connection:
        name = connection.execute("SELECT poster_path FROM film WHERE id = ?", (film_id,)).fetchone()[0]
    with Image.open(instance / "uploads" / "posters" / name) as poster:
        return f"stored {poster.width}×{poster.height}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance, film_id = make_instance(Path(tmp))
        print(
            f"poster upload through the form, fresh server per upload, median of {args.runs} "
            f"(target ≤ {TARGET_MB} MB growth)\n"
        )
        print(
            "| upload | file KB | naive: peak +MB | naive: s | naive: result | ours: peak +MB | ours: s "
            "| ours: result | memory naive/ours |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for name, make in ((n, m) for n, m in CASES.items() if args.only in n):
            data = make()
            rows: dict[str, list[dict[str, float]]] = {"naive": [], "ours": []}
            outcome = {}
            for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
                for variant, runs in rows.items():
                    runs.append(measure(instance, film_id, data, variant))
                    outcome[variant] = _outcome(instance, film_id, int(runs[-1]["status"]))
            cells = []
            for variant, runs in rows.items():
                grown = statistics.median(r["grown"] for r in runs)
                cells += [f"{grown:.0f}", f"{statistics.median(r['seconds'] for r in runs):.2f}", outcome[variant]]
            naive, ours = (statistics.median(r["grown"] for r in rows[v]) for v in rows)
            ratio = f"{naive / ours:.1f}×" if ours >= 1 else "—"
            print(f"| {name} | {len(data) / 1024:,.0f} | {' | '.join(cells)} | {ratio} |")


if __name__ == "__main__":
    main()
