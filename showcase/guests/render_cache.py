"""Guest pages as ready bytes: a repeated request costs one tiny query, no page query and no rendering.

Three per-process stores, all thread-safe LRUs (gunicorn's gthread workers share one per process):

- Ready pages (`ready_page`): the finished response of a guest page — its bytes, their gzip, an ETag of
  the bytes — keyed by the URL, its language and the app's mount point, and stamped with the public
  content's stamp (showcase.guests.public_version: a version bumped in the transaction of every change
  guests could see, and the next moment the clock changes a page). A request whose stamp matches is
  answered from memory: the same bytes on every host, gzip when asked for, 304 on a matching ETag.
  Any other request runs the view and keeps what it answered under the stamp read *before* the view
  ran, so a page can only ever be stored under a version older than what it shows, never newer.
- Ready answers (`ReadyResponses`, WSGI middleware): the exact answer Flask gave a request that a ready
  page answered, replayed to the same request (byte for byte in what the answer depends on) while the
  stamp holds, before Flask's request handling starts.
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
from functools import cache, partial, wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.http import generate_etag

from showcase.guests import public_version
from showcase.guests.caching import GUEST_MAX_AGE, lang, public_base, render_html

DEFAULT_SIZE = 4096  # pages per worker process and store: a film page is ~8 KB (2 KB gzipped)
READY_STATUSES = (200, 404, 410)  # a film, an unknown code, a withdrawn one: all the same for everyone
READY_MARK = "showcase.ready_page"  # WSGI environ key: this answer is a ready page: (its stamp, how to read it)
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


def _site_stamp(**_kwargs) -> tuple:
    return public_version.stamp()


def ready_page(view: Callable[..., Response], *, stamp_of: Callable[..., tuple] = _site_stamp):
    """Serve the view's answer from the ready pages while the public content stays as it was.

    `stamp_of` is given the view's arguments and says what the page depends on (by default the site's
    stamp; a film page adds where that film is playing: `ready_film_page`).
    """

    @wraps(view)
    def serve(**kwargs) -> Response:
        pages = _store("guest_ready_pages")
        if pages.size <= 0:
            return view(**kwargs)
        restamp = partial(stamp_of, **kwargs)
        stamp = restamp()  # before the view: its page shows this version or a newer one
        # The configured base URL too (absolute links; the Host never counts).
        key = (request.script_root, request.full_path, lang(), public_base())
        page = pages.get(key)
        if page is None or page.stamp != stamp:
            response = view(**kwargs)
            page = _ready(response, stamp)
            if page is None:
                return response
            pages.put(key, page)
        request.environ[READY_MARK] = (page.stamp, restamp)  # ReadyResponses may answer it from now on
        return page.respond()

    return serve


def ready_film_page(view: Callable[..., Response]):
    """ready_page for a view of `code`: a kiosk's "now playing" changes only the pages of its films."""
    return ready_page(view, stamp_of=lambda code: public_version.film_stamp(code.strip().lower()))


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


# What a ready answer depends on in the request, read straight from the WSGI environ: its URL (mount
# point, path, query), the language asked for, gzip or not, the ETag held, and the Host and scheme (the
# page ignores both, but Flask's routing answers by them when SERVER_NAME is set).
_REQUEST_KEY = (
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_IF_NONE_MATCH",
    "HTTP_HOST",
    "wsgi.url_scheme",
)
_STATUSES = frozenset(("200 OK", "304 NOT MODIFIED", "404 NOT FOUND", "410 GONE"))


@dataclass(frozen=True)
class _Answer:
    stamp: tuple
    restamp: Callable[[], tuple]  # the page's stamp as it is now
    status: str
    headers: list[tuple[str, str]]
    body: bytes


class ReadyResponses:
    """WSGI middleware: a request Flask has answered with a ready page is answered again without Flask.

    The same request — every part of it the answer depends on (`_REQUEST_KEY`), byte for byte — gets
    the very status, headers and body Flask gave it, as long as the public content's stamp is the one
    that page was kept under: ready_page's own rule, minus the request context, the hooks and the
    routing that produced the same answer the first time. A hit costs a dict lookup and the stamp (no
    query at all with the live bus on Redis). Anything else, and every request while guest pages are
    not kept (GUEST_PAGE_CACHE_SIZE 0, templates reloading), goes to Flask.
    """

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._answers: PageCache | None = None

    def _store(self) -> PageCache | None:
        size = int(self.app.config.get("GUEST_PAGE_CACHE_SIZE", DEFAULT_SIZE))
        if size <= 0 or self.app.jinja_env.auto_reload:
            return None
        if self._answers is None or self._answers.size != 2 * size:
            self._answers = PageCache(2 * size)  # a page is asked for with and without its ETag
        return self._answers

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        answers = self._store()
        if answers is None:
            return self.wsgi_app(environ, start_response)
        key = tuple(environ.get(name, "") for name in _REQUEST_KEY)
        answer = answers.get(key)
        if answer is not None and answer.stamp == self._stamp(answer.restamp):
            start_response(answer.status, list(answer.headers))
            return [answer.body]
        return self._through_flask(environ, start_response, answers, key)

    def _stamp(self, restamp: Callable[[], tuple]) -> tuple | None:
        try:
            with self.app.app_context():
                return restamp()
        except Exception:  # the database is away: Flask answers, with its own error page
            return None

    def _through_flask(self, environ, start_response, answers: PageCache, key: tuple):
        seen: list = []

        def keep_start_response(status, headers, exc_info=None):
            seen[:] = [status, list(headers), exc_info]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep_start_response)
        mark = environ.get(READY_MARK)
        if mark is None or not seen or seen[2] is not None or seen[0].upper() not in _STATUSES:
            return body
        headers = {name.lower(): value for name, value in seen[1]}
        if "set-cookie" in headers or "cookie" in headers.get("vary", "").lower():
            return body  # never the case for a public answer; never replayed if it were
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        answers.put(key, _Answer(stamp=mark[0], restamp=mark[1], status=seen[0], headers=seen[1], body=data))
        return [data]
