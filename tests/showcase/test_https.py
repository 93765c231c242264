"""Strict-Transport-Security on every response served over HTTPS (directly or behind a proxy), never over HTTP."""

from __future__ import annotations

import ssl
import subprocess
import threading
import urllib.request

import pytest
from werkzeug.serving import make_server

from showcase.auth.access import requires

HSTS = "max-age=31536000; includeSubDomains"


def add_failing_route(app) -> None:
    def explode():
        raise RuntimeError("a bug")

    app.add_url_rule("/explode", "explode", requires("public")(explode))


def responses(client, **kwargs) -> dict[str, object]:
    """One response of each sort: a guest page, a redirect to sign in, a static file, the health check,
    an unknown URL, a wrong method and an unexpected error."""
    paths = ("/", "/staff/", "/static/css/guest.css", "/healthz", "/no/such/page", "/explode")
    found = {path: client.get(path, **kwargs) for path in paths}
    found["POST /healthz"] = client.post("/healthz", **kwargs)
    return found


def test_every_response_over_https_carries_hsts_and_none_over_http(app):
    add_failing_route(app)
    client = app.test_client()
    over_https = responses(client, base_url="https://festival.example")
    assert {key: r.status_code for key, r in over_https.items()} == {
        "/": 200,
        "/staff/": 302,
        "/static/css/guest.css": 200,
        "/healthz": 200,
        "/no/such/page": 404,
        "/explode": 500,
        "POST /healthz": 405,
    }
    for key, response in over_https.items():
        assert response.headers.getlist("Strict-Transport-Security") == [HSTS], key
    for key, response in responses(client).items():
        assert "Strict-Transport-Security" not in response.headers, key


@pytest.mark.parametrize("app", [{"PROXY_FIX": 1}], indirect=True)
def test_behind_a_proxy_the_forwarded_scheme_decides(app):
    client = app.test_client()
    assert client.get("/", headers={"X-Forwarded-Proto": "https"}).headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "http"}).headers
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_without_a_trusted_proxy_a_forwarded_scheme_is_ignored(client):
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "https"}).headers


@pytest.mark.parametrize(
    "app", [{"STRICT_TRANSPORT_SECURITY": "max-age=63072000; includeSubDomains; preload"}], indirect=True
)
def test_the_header_value_is_configurable(app):
    response = app.test_client().get("/", base_url="https://festival.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"


@pytest.mark.parametrize("app", [{"STRICT_TRANSPORT_SECURITY": ""}], indirect=True)
def test_an_empty_value_sends_no_header(app):
    response = app.test_client().get("/", base_url="https://festival.example")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response.headers


@pytest.fixture
def tls_server(app, tmp_path):
    """The app served over real TLS on loopback, with a self-signed certificate made for the test."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client_context = ssl.create_default_context(cafile=str(cert))
    client_context.check_hostname = False  # the certificate names an address, which is all we test here
    yield f"https://127.0.0.1:{server.server_port}", client_context
    server.shutdown()
    thread.join(timeout=5)


def test_a_real_tls_connection_gets_hsts_and_plain_http_does_not(tls_server, live_server):
    url, context = tls_server
    with urllib.request.urlopen(f"{url}/", context=context, timeout=30) as response:
        assert response.status == 200 and response.headers["Strict-Transport-Security"] == HSTS
    with urllib.request.urlopen(f"{live_server.url}/", timeout=30) as response:
        assert response.status == 200 and response.headers["Strict-Transport-Security"] is None
