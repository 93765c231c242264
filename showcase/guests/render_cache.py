"""Guest pages as ready bytes: a repeated request costs one tiny query, no page query and no rendering.

Two per-process stores, both thread-safe LRUs (gunicorn's gthread workers share one per process):

- Ready pages (`ready_page`): the finished response of a guest page — its bytes, their gzip, an ETag of
  the bytes — keyed by the URL, its language and the app's mount point, and stamped with the public
  content's stamp (showcase.guests.public_version: a version bumped in the transaction of every change
  guests could see, and the next moment the clock changes a page). A request whose stamp matches is
  answered from memory: the same bytes on every host, gzip when asked for, 304 on a matching ETag.
  Any other request runs the view and keeps what it answered under the stamp read *before* the view
  ran, so a page can only ever be stored under a version older than what it shows, never newer.
- Rendered film pages (`render_from_data`): after a change, a film page's queries run again, but a page
  whose rows did not change is not rendered again (keyed by the hash of what it shows).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path
from typing import Any

from flask import Response, current_app, request
from werkzeug.http import generate_etag

from showcase.guests import public_version
from showcase.guests.caching import GUEST_MAX_AGE, lang, public_base, render_html

DEFAULT_SIZE = 4096  # pages per worker process and store: a film page is ~8 KB (2 KB gzipped)
READY_STATUSES = (200, 404, 410)  # a film, an unknown code, a withdrawn one: all the same for everyone
VARY = "Accept-Encoding, Accept-Language"


class PageCache:
    """A thread-safe LRU of pages."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Any, page: Any) -> None:
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


def _store(name: str) -> PageCache:
    if current_app.jinja_env.auto_reload:  # templates edited while the dev server runs: keep nothing
        return PageCache(0)
    store = current_app.extensions.get(name)
    if store is None:
        store = PageCache(int(current_app.config.get("GUEST_PAGE_CACHE_SIZE", DEFAULT_SIZE)))
        current_app.extensions[name] = store
    return store


@dataclass
class ReadyPage:
    """One guest response, finished: what every request for its URL and language gets until the stamp moves."""

    stamp: tuple
    status: int
    body: bytes
    mimetype: str
    cache_control: str
    etag: str = ""
    _gzipped: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.etag = generate_etag(self.body)

    def gzipped(self) -> bytes:
        if self._gzipped is None:  # two threads may both compress: the same bytes (mtime 0), no harm
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped

    def respond(self) -> Response:
        """This page for this request: gzip when accepted, 304 when the client holds it (ETag per encoding)."""
        zipped = request.accept_encodings["gzip"] > 0
        etag = self.etag + "-gz" if zipped else self.etag
        headers = {"Cache-Control": self.cache_control, "Vary": VARY, "ETag": f'"{etag}"'}
        if self.status == 200 and request.if_none_match.contains_weak(etag):
            return current_app.response_class(status=304, headers=headers)
        if zipped:
            headers["Content-Encoding"] = "gzip"
        body = self.gzipped() if zipped else self.body
        return current_app.response_class(body, status=self.status, mimetype=self.mimetype, headers=headers)


def _ready(response: Response, stamp: tuple) -> ReadyPage | None:
    """The response as a ready page, when it is one that any guest may be given (public, complete)."""
    if response.status_code not in READY_STATUSES or not response.cache_control.public:
        return None
    if response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers:
        return None
    return ReadyPage(
        stamp=stamp,
        status=response.status_code,
        body=response.get_data(),
        mimetype=response.mimetype or "text/html",
        cache_control=response.headers["Cache-Control"],
    )


def ready_page(view: Callable[..., Response]) -> Callable[..., Response]:
    """Serve the view's answer from the ready pages while the public content stays as it was."""

    @wraps(view)
    def serve(**kwargs) -> Response:
        pages = _store("guest_ready_pages")
        if pages.size <= 0:
            return view(**kwargs)
        stamp = public_version.stamp()  # before the view: its page shows this version or a newer one
        # The configured base URL too (absolute links; the Host never counts).
        key = (request.script_root, request.full_path, lang(), public_base())
        page = pages.get(key)
        if page is None or page.stamp != stamp:
            response = view(**kwargs)
            page = _ready(response, stamp)
            if page is None:
                return response
            pages.put(key, page)
        return page.respond()

    return serve


@cache
def _build_fingerprint(template_folder: str, root_path: str) -> bytes:
    """Hash of the guest templates and compiled catalogues: a new build never reuses an old render."""
    digest = hashlib.sha256()
    folders = ((Path(root_path, template_folder), "guests/*"), (Path(root_path, "translations"), "*/LC_MESSAGES/*.mo"))
    for folder, pattern in folders:
        for path in sorted(Path(folder).glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _fingerprint() -> bytes:
    app = current_app
    roots = (app.template_folder or "templates", app.root_path)
    if app.jinja_env.auto_reload:
        return _build_fingerprint.__wrapped__(*roots)
    return _build_fingerprint(*roots)


def render_from_data(template: str, *, data: tuple, max_age: int = GUEST_MAX_AGE, **context) -> Response:
    """A 200 page, rendered, or taken from the pages rendered from the same data.

    `data` must hold every value the template shows that does not come from `context`'s fixed parts
    (plain tuples, rows, strings, numbers and datetimes: their repr is stable). The ETag and the 304
    are ready_page's.
    """
    # Not the Host: absolute URLs come from the configured base URL.
    base = public_base(getattr(context.get("festival"), "public_base_url", ""))
    key = hashlib.sha256(
        repr((template, lang(), base, request.script_root, request.full_path, data)).encode() + _fingerprint()
    ).hexdigest()
    pages = _store("guest_pages")
    html = pages.get(key)
    if html is None:
        html = render_html(template, **context)
        pages.put(key, html)
    headers = {"Cache-Control": f"public, max-age={max_age}", "Vary": "Accept-Language"}
    return current_app.response_class(html, mimetype="text/html", headers=headers)
