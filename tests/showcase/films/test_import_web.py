"""The import in the browser: upload → preview with every row error → confirm; export download."""

from __future__ import annotations

import io
import re

import pytest

from tests.conftest import csrf_token
from tests.showcase.films.support import GOOD, MALFORMED, SLUG, counts
from tests.showcase.jobs.support import wait_for_job

IMPORT = f"/staff/festivals/{SLUG}/films/import"
CONFIRM = f"{IMPORT}/confirm"
TOKEN_RE = re.compile(r'name="token"[^>]*value="([0-9a-f]{32})"')


def _db_counts(app):
    with app.app_context():
        return counts()


def _upload(client, data: bytes, name: str = "submissions.csv"):
    token = csrf_token(client, IMPORT)
    return client.post(
        IMPORT, data={"csrf_token": token, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _confirm(client, token: str):
    return client.post(CONFIRM, data={"csrf_token": csrf_token(client, IMPORT), "token": token})


def _stash(app):
    return list((__import__("pathlib").Path(app.config["UPLOAD_ROOT"]) / "imports").glob("*"))


def test_upload_preview_confirm_imports_2300_rows_and_reimport_changes_nothing(app, client, demo, login_as, big_csv):
    login_as("editor")
    before = _db_counts(app)
    preview = _upload(client, big_csv)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>2300</strong> new films" in html
    assert _db_counts(app) == before  # the preview writes nothing to the database
    token = TOKEN_RE.search(html).group(1)
    assert [p.name for p in _stash(app)] == [f"{token}.csv"]
    done = _confirm(client, token)
    assert done.status_code == 303 and "/staff/jobs/" in done.headers["Location"]  # the import runs as a job
    status = wait_for_job(client, done.headers["Location"])
    assert status["state"] == "done" and "2300 new films" in status["summary"]
    assert _db_counts(app)["Film"] == before["Film"] + 2300
    assert _stash(app) == []  # the kept upload is deleted after the import
    assert "2300 new films" in client.get(done.headers["Location"]).get_data(as_text=True)
    middle = _db_counts(app)
    again = _upload(client, big_csv).get_data(as_text=True)
    assert "<strong>0</strong> new films, <strong>0</strong> changed, <strong>2300</strong> unchanged" in again
    assert "Nothing to import" in again and _db_counts(app) == middle
    assert _stash(app) == []  # nothing to confirm, so the upload was not kept


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_uploads_show_every_row_error_and_write_nothing(app, client, demo, login_as, name):
    data, phrase = MALFORMED[name]
    login_as("editor")
    before = _db_counts(app)
    response = _upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in html and '<th scope="col">Row</th>' in html
    assert phrase.replace('"', "&#34;").replace("Row 2", "<td>2</td>") in html
    assert _db_counts(app) == before and _stash(app) == []


def test_a_12_mb_upload_gets_a_clear_message_not_an_error_page(app, client, demo, login_as):
    login_as("editor")
    before = _db_counts(app)
    response = _upload(client, b"a" * (12 * 1024 * 1024 + 1))
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than the upload limit of 10 MB" in html and "Upload and preview" in html
    assert _db_counts(app) == before


def test_confirm_accepts_only_the_token_this_browser_previewed(app, client, demo, login_as, make_user):
    login_as("editor")
    token = TOKEN_RE.search(_upload(client, GOOD).get_data(as_text=True)).group(1)
    before = _db_counts(app)
    for forged in ("../../../etc/passwd", "0" * 32, token.upper()):
        response = _confirm(client, forged)
        assert response.status_code == 400 and "expired or was already imported" in response.get_data(as_text=True)
    assert _db_counts(app) == before
    # A forged attempt ends the preview: the real token no longer works either.
    assert _confirm(client, token).status_code == 400
    other = app.test_client()
    from tests.conftest import login

    assert login(other, make_user("editor")).status_code == 302
    assert _stash(app) == []  # the abandoned preview's upload was removed
    before = _db_counts(app)
    token = TOKEN_RE.search(_upload(client, GOOD).get_data(as_text=True)).group(1)
    stolen = other.post(CONFIRM, data={"csrf_token": csrf_token(other, IMPORT), "token": token})
    assert stolen.status_code == 400 and _db_counts(app) == before
    done = _confirm(client, token)
    assert done.status_code == 303 and wait_for_job(client, done.headers["Location"])["state"] == "done"
    assert _db_counts(app)["Film"] == before["Film"] + 2


def test_viewers_cannot_import_but_can_export(app, client, demo, login_as):
    login_as("viewer")
    assert client.get(IMPORT).status_code == 403
    response = client.get(f"/staff/festivals/{SLUG}/films/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    assert text.startswith("submission_id,title") and "DEMO-FIREWORKS" in text


def test_export_download_neutralises_formula_cells(app, client, demo, login_as):
    from showcase.extensions import db
    from showcase.films.services import create_film
    from tests.showcase.films.support import festival

    with app.app_context():
        create_film(festival(), title="@cmd", title_en="=2+5", runtime_seconds=90, external_id="-1")
        db.session.commit()
    login_as("viewer")
    text = client.get(f"/staff/festivals/{SLUG}/films/export.csv").get_data().decode("utf-8-sig")
    assert "\r\n-1,'@cmd,'=2+5," in text  # a plain number keeps its minus, with no apostrophe
