"""The staff programme page: options, the PDF and table-card downloads, each film's QR code."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from showcase.programmes.layout import PROOF_TEXT
from showcase.programmes.views import attachment
from tests.showcase.programmes.support import page_texts, squash

BASE = "/staff/festivals/ai-shorts-2026/programme"


def films(app) -> list:
    from showcase.extensions import db
    from showcase.films.models import Film

    with app.app_context():
        return [(f.id, f.code, f.title_en) for f in db.session.scalars(select(Film).order_by(Film.id))]


def pdf_texts(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    return page_texts(path)


def test_viewer_sees_options_and_every_film_qr_link(demo, client, login_as):
    login_as("viewer")
    response = client.get(f"{BASE}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Build the PDF" in html and f'href="{BASE}/"' in html  # the festival nav links here
    for film_id, code, _ in films(demo):
        assert f"{BASE}/films/{film_id}/qr.png" in html and f"{BASE}/films/{film_id}/qr.svg" in html
        assert f"http://127.0.0.1:5000/f/{code}" in html


def test_viewer_downloads_the_programme(demo, client, login_as, tmp_path):
    login_as("viewer")
    response = client.get(f"{BASE}/programme.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == 'attachment; filename="ai-shorts-2026-programme-a5-both.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    text = squash("".join(pdf_texts(response.data, tmp_path)))
    for _, _, title_en in films(demo):
        assert squash(title_en) in text
    assert squash("Second prize") not in text and squash("Technical rehearsal") not in text


def test_proof_download_is_marked_on_every_page(demo, client, login_as, tmp_path):
    login_as("viewer")
    response = client.get(
        f"{BASE}/programme.pdf",
        query_string={"size": "a4", "lang": "en", "bleed": "3", "booklet": "y", "include_embargoed": "y"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert 'filename="ai-shorts-2026-programme-a4-en-booklet-PROOF.pdf"' in response.headers["Content-Disposition"]
    texts = pdf_texts(response.data, tmp_path)
    assert all(PROOF_TEXT in t for t in texts)
    assert "Second prize (shared)" in "".join(texts)


def test_press_download_is_pdfx4_and_its_proof_report_reads_in_the_browser(demo, client, login_as):
    login_as("viewer")
    query = {"bleed": "3", "booklet": "y", "press": "y"}
    response = client.get(f"{BASE}/programme.pdf", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert 'filename="ai-shorts-2026-programme-a5-both-booklet-press.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert "/OutputIntents" in reader.trailer["/Root"] and len(reader.pages) % 4 == 0
    assert all("/TrimBox" in side and "/BleedBox" in side for side in reader.pages)
    report = client.get(f"{BASE}/programme.proof.txt", query_string={"bleed": "3", "booklet": "y"})
    assert report.status_code == 200 and report.mimetype == "text/plain"
    assert report.headers["Content-Disposition"].startswith("inline;") and "no-store" in report.headers["Cache-Control"]
    text = report.get_data(as_text=True)
    assert text.startswith("Proof report — READY for press") and "A5 spread" in text


def test_press_build_without_a_profile_is_explained_not_a_500(demo, client, login_as, tmp_path):
    demo.config["PROGRAMME_CMYK_PROFILE"] = str(tmp_path / "missing.icc")
    login_as("viewer")
    for path in ("programme.pdf?press=y", "programme.proof.txt"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 400 and "no colour profile at" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"size": "a3"}, "Not a valid choice"),
        ({"lang": "fr"}, "Not a valid choice"),
        ({"bleed": "-1"}, "Bleed must be a number of millimetres from 0 to 20."),
        ({"bleed": "lots"}, "Not a valid float value"),
    ],
)
def test_bad_options_show_the_form_again_with_the_error(demo, client, login_as, query, message):
    login_as("viewer")
    response = client.get(f"{BASE}/programme.pdf", query_string=query)
    assert response.status_code == 400
    assert response.mimetype == "text/html" and message in response.get_data(as_text=True)


def test_no_public_base_url_is_explained_not_a_500(demo, client, login_as):
    from showcase.extensions import db
    from showcase.festivals.services import get_festival

    with demo.app_context():
        get_festival("ai-shorts-2026").public_base_url = ""
        db.session.commit()
    login_as("viewer")
    page = client.get(f"{BASE}/")
    assert page.status_code == 200 and "no public base URL" in page.get_data(as_text=True)
    response = client.get(f"{BASE}/programme.pdf")
    assert response.status_code == 400 and "public base URL" in response.get_data(as_text=True)
    film_id = films(demo)[0][0]
    assert client.get(f"{BASE}/films/{film_id}/qr.png").status_code == 400


def test_table_cards_download(demo, client, login_as):
    login_as("viewer")
    response = client.get(f"{BASE}/cards.pdf", query_string={"lang": "zh"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ai-shorts-2026-table-cards.pdf"'
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_film_qr_downloads(demo, client, login_as, tmp_path, kind):
    login_as("viewer")
    film_id, code, _ = films(demo)[0]
    response = client.get(f"{BASE}/films/{film_id}/qr.{kind}")
    assert response.status_code == 200
    assert response.mimetype == {"png": "image/png", "svg": "image/svg+xml"}[kind]
    assert response.headers["Content-Disposition"] == f'attachment; filename="ai-shorts-2026-{code}-qr.{kind}"'
    if kind == "png":
        path = tmp_path / "qr.png"
        path.write_bytes(response.data)
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True).stdout
        assert decoded.split() == [f"http://127.0.0.1:5000/f/{code}"]
    else:
        assert response.data.startswith(b"<svg") and b"<script" not in response.data


def test_qr_of_an_unknown_film_is_404(demo, client, login_as):
    login_as("viewer")
    assert client.get(f"{BASE}/films/999999/qr.png").status_code == 404
    assert client.get("/staff/festivals/no-such/programme/programme.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(demo, client):
    response = client.get(f"{BASE}/programme.pdf")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ai-shorts-2026-programme.pdf", 'attachment; filename="ai-shorts-2026-programme.pdf"'),
        ('节目"册\r\n../x.pdf', 'attachment; filename="x.pdf"'),
        ("\u4e2d", 'attachment; filename="download"'),
    ],
)
def test_attachment_names_are_plain_ascii(name, expected):
    assert attachment(name) == expected


@pytest.mark.browser
def test_staff_download_the_pdf_from_the_page(demo, live_server, page, make_user):
    from tests.conftest import browser_login

    email = make_user("viewer")
    browser_login(page, live_server.url, email)
    page.goto(f"{live_server.url}/staff/festivals/ai-shorts-2026")
    page.get_by_role("link", name="Programme").click()
    page.get_by_label("Page size").select_option("a4")
    page.get_by_role("button", name="Build the PDF").click()
    page.wait_for_url(f"{live_server.url}/staff/jobs/*")  # the build runs as a job: its page shows progress
    with page.expect_download() as info:
        page.get_by_role("link", name="Download ai-shorts-2026-programme-a4-both.pdf").click(timeout=60_000)
    download = info.value
    assert download.suggested_filename == "ai-shorts-2026-programme-a4-both.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
