"""Render a guest page once per distinct content, and answer 304 before rendering at all.

A page is a pure function of what it shows (the rows loaded for it, already filtered by every
hiding rule), the language, the URL it is served under and the templates and catalogues of this
build. The hash of those inputs is the page's ETag and its key in a small per-process cache: the
queries still run on every request, so a change in the data (a reveal, a kiosk report, an edit, a
withdrawal) changes the key at once; only the rendering of a page already rendered is saved.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

from flask import Response, current_app, request

from showcase.guests.caching import GUEST_MAX_AGE, lang, public_base, render_html

DEFAULT_SIZE = 4096  # pages per worker process; a film page is ~4 KB, so ~16 MB at most


class PageCache:
    """A thread-safe LRU of rendered pages (gunicorn's gthread workers share one per process)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: str) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _cache() -> PageCache:
    extension = current_app.extensions.get("guest_pages")
    if extension is None:
        extension = PageCache(int(current_app.config.get("GUEST_PAGE_CACHE_SIZE", DEFAULT_SIZE)))
        current_app.extensions["guest_pages"] = extension
    return extension


@cache
def _build_fingerprint(template_folder: str, root_path: str) -> bytes:
    """Hash of the guest templates and compiled catalogues: a new build never reuses an old ETag."""
    digest = hashlib.sha256()
    folders = ((Path(root_path, template_folder), "guests/*"), (Path(root_path, "translations"), "*/LC_MESSAGES/*.mo"))
    for folder, pattern in folders:
        for path in sorted(Path(folder).glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _fingerprint() -> bytes:
    app = current_app
    roots = (app.template_folder or "templates", app.root_path)
    if app.jinja_env.auto_reload:  # templates edited while the dev server runs: look again every time
        return _build_fingerprint.__wrapped__(*roots)
    return _build_fingerprint(*roots)


def render_from_data(template: str, *, data: tuple, max_age: int = GUEST_MAX_AGE, **context) -> Response:
    """A 200 page, rendered or from the cache, or a 304 when the client holds this content already.

    `data` must hold every value the template shows that does not come from `context`'s fixed parts
    (plain tuples, rows, strings, numbers and datetimes: their repr is stable).
    """
    # Not the Host: absolute URLs come from the configured base URL.
    base = public_base(getattr(context.get("festival"), "public_base_url", ""))
    key = hashlib.sha256(
        repr((template, lang(), base, request.script_root, request.full_path, data)).encode() + _fingerprint()
    ).hexdigest()
    etag = key[:40]
    headers = {"Cache-Control": f"public, max-age={max_age}", "Vary": "Accept-Language"}
    if etag in request.if_none_match:
        response = current_app.response_class(status=304, headers=headers)
        response.set_etag(etag)
        return response
    pages = _cache() if not current_app.jinja_env.auto_reload else PageCache(0)
    html = pages.get(key)
    if html is None:
        html = render_html(template, **context)
        pages.put(key, html)
    response = current_app.response_class(html, mimetype="text/html", headers=headers)
    response.set_etag(etag)
    return response
