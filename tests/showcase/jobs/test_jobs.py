"""Background jobs run in the web process when no Redis is configured: progress, results, failures."""

from __future__ import annotations

import threading
from pathlib import Path

from showcase.jobs.services import ABANDONED, JobResult
from tests.conftest import csrf_token, login
from tests.showcase.films.support import GOOD, MALFORMED, counts
from tests.showcase.jobs.support import wait_for_job

BASE = "/staff/festivals/ai-shorts-2026/programme"


def _start_build(client, **options):
    token = csrf_token(client, f"{BASE}/")
    return client.post(f"{BASE}/build", data={"csrf_token": token, "action": "build", **options})


def _jobs_folder(app) -> list[Path]:
    folder = Path(app.instance_path) / "jobs"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_without_redis_jobs_run_on_threads_of_the_web_process(demo):
    from showcase.jobs.runners import InProcessRunner

    assert not demo.config["JOBS_REDIS_URL"]
    with demo.app_context():
        from showcase.jobs import runners

        assert isinstance(runners.runner(), InProcessRunner)


def test_a_programme_build_reports_progress_and_its_pdf_is_downloadable(demo, client, login_as, make_user):
    login_as("viewer")
    response = _start_build(client, size="a5", lang="both", bleed="0")
    assert response.status_code == 303 and response.headers["Location"].startswith("/staff/jobs/")
    page = response.headers["Location"]
    status = wait_for_job(client, page)
    assert status["state"] == "done", status
    assert status["done"] == status["total"] > 0 and status["message"] == "Laying out the film pages"
    assert "pages" in status["summary"] and status["download"] == f"{page}/download"
    html = client.get(page).get_data(as_text=True)
    assert "Download ai-shorts-2026-programme-a5-both.pdf" in html and "<noscript>" not in html
    pdf = client.get(status["download"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == "attachment; filename=ai-shorts-2026-programme-a5-both.pdf"
    assert pdf.headers["Cache-Control"] == "private, no-store"
    with demo.app_context():
        from showcase.jobs.models import Job
        from showcase.jobs.services import get_job

        job: Job = get_job(int(page.rsplit("/", 1)[1]))
        assert job.runner.startswith("process ") and job.started_at and job.finished_at
    assert [p.name for p in _jobs_folder(demo)] == [f"{job.id}.pdf"]  # no partial file left beside it
    other = demo.test_client()  # another viewer: no such job, and no file
    login(other, make_user("viewer"))
    for path in (page, f"{page}/status", f"{page}/download"):
        assert other.get(path).status_code == 404


def test_progress_is_seen_while_the_job_runs(demo, client, login_as):
    """A job reporting steps one by one: the page's status shows each before the job ends."""
    from showcase.jobs import runners

    steps, release = 4, [threading.Event() for _ in range(4)]

    def stepwise(job, *, steps: int) -> JobResult:
        for n in range(1, steps + 1):
            assert release[n - 1].wait(10)
            job.progress(n, steps, f"step {n}")
        return JobResult(f"{steps} steps")

    demo.extensions[runners.EXTENSION]["kinds"]["test-steps"] = stepwise
    email = login_as("viewer")
    with demo.test_request_context():
        from showcase.auth.models import User
        from showcase.extensions import db

        user = db.session.query(User).filter_by(email=email).one()
        job_id = runners.start(kind="test-steps", festival_id=None, requested_by_id=user.id, params={"steps": steps})
    page = f"/staff/jobs/{job_id}"
    seen = []
    for n in range(steps):
        release[n].set()
        for _ in range(200):
            status = client.get(f"{page}/status").get_json()
            if status["done"] == n + 1:
                break
            threading.Event().wait(0.02)
        seen.append((status["done"], status["total"], status["message"], status["state"]))
    assert seen[:3] == [(n, steps, f"step {n}", "running") for n in (1, 2, 3)]
    final = wait_for_job(client, page)
    assert final["state"] == "done" and final["summary"] == "4 steps" and final["download"] is None


def test_a_build_that_fails_says_why_and_leaves_no_file(demo, client, login_as, tmp_path):
    demo.config["PROGRAMME_CMYK_PROFILE"] = str(tmp_path / "missing.icc")
    login_as("viewer")
    response = _start_build(client, size="a5", lang="both", bleed="3", press="y")
    status = wait_for_job(client, response.headers["Location"])
    assert status["state"] == "failed" and status["download"] is None
    assert status["error"].startswith("The programme could not be built:") and "no colour profile at" in status["error"]
    assert "Traceback" not in status["error"]
    assert _jobs_folder(demo) == []  # the partial PDF was removed
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no colour profile at" in html and 'role="alert"' in html
    assert client.get(f"{response.headers['Location']}/download").status_code == 404


def test_an_import_with_a_bad_row_fails_as_a_job_and_writes_nothing(demo, client, login_as):
    from showcase.films.stash import stash_upload
    from showcase.jobs import runners

    email = login_as("editor")
    data, phrase = MALFORMED["missing title"]
    with demo.test_request_context():
        from showcase.auth.models import User
        from showcase.extensions import db
        from showcase.festivals.services import get_festival

        before = counts()
        user = db.session.query(User).filter_by(email=email).one()
        festival = get_festival("ai-shorts-2026")
        token = stash_upload(Path(demo.config["UPLOAD_ROOT"]), data)
        params = {"festival_id": festival.id, "token": token, "actor_id": user.id}
        job_id = runners.start(kind="films-import", festival_id=festival.id, requested_by_id=user.id, params=params)
    status = wait_for_job(client, f"/staff/jobs/{job_id}")
    assert status["state"] == "failed" and status["error"].startswith("Nothing was imported: 1 problem.")
    with demo.app_context():
        assert counts() == before
    assert list((Path(demo.config["UPLOAD_ROOT"]) / "imports").glob("*")) == []  # the upload is not kept
    assert _jobs_folder(demo) == []


def test_an_unknown_failure_is_logged_and_staff_read_a_short_reason(demo, client, login_as, caplog):
    from showcase.jobs import runners

    def broken(job) -> JobResult:
        job.output(".pdf")
        Path(job.output(".pdf")).write_bytes(b"%PDF half")
        raise RuntimeError("disk on fire")

    demo.extensions[runners.EXTENSION]["kinds"]["test-broken"] = broken
    email = login_as("viewer")
    with demo.test_request_context():
        from showcase.auth.models import User
        from showcase.extensions import db

        user = db.session.query(User).filter_by(email=email).one()
        job_id = runners.start(kind="test-broken", festival_id=None, requested_by_id=user.id, params={})
    status = wait_for_job(client, f"/staff/jobs/{job_id}")
    assert status["state"] == "failed" and "server log" in status["error"] and "disk on fire" not in status["error"]
    assert "disk on fire" in caplog.text
    assert _jobs_folder(demo) == []


def test_a_job_left_running_by_a_stopped_process_is_marked_failed(demo, client, login_as):
    import socket

    from showcase.jobs.services import create_job

    email = login_as("viewer")
    with demo.app_context():
        from showcase.auth.models import User
        from showcase.extensions import db

        user = db.session.query(User).filter_by(email=email).one()
        gone = f"process {socket.gethostname()[:80]} 999999999"  # no such pid
        job_id = create_job(kind="programme", festival_id=None, requested_by_id=user.id, params={}, runner=gone)
    status = client.get(f"/staff/jobs/{job_id}/status").get_json()
    assert status["state"] == "failed" and status["error"] == ABANDONED


def test_the_confirmed_web_import_runs_as_a_job(demo, client, login_as):
    from tests.showcase.films.test_import_web import TOKEN_RE, _confirm, _upload

    login_as("editor")
    token = TOKEN_RE.search(_upload(client, GOOD).get_data(as_text=True)).group(1)
    done = _confirm(client, token)
    status = wait_for_job(client, done.headers["Location"])
    assert status["state"] == "done" and status["summary"].startswith("Imported: 2 new films")
    assert status["done"] == status["total"] == 2


def test_the_page_hands_proof_and_cards_to_their_downloads_and_refuses_bad_options(demo, client, login_as):
    login_as("viewer")
    token = csrf_token(client, f"{BASE}/")
    cards = client.post(f"{BASE}/build", data={"csrf_token": token, "action": "cards", "size": "a5", "lang": "en"})
    assert cards.status_code == 303 and cards.headers["Location"].startswith(f"{BASE}/cards.pdf?")
    assert "lang=en" in cards.headers["Location"] and "csrf_token" not in cards.headers["Location"]
    assert client.get(cards.headers["Location"]).data.startswith(b"%PDF")
    proof = client.post(f"{BASE}/build", data={"csrf_token": token, "action": "proof", "size": "a4"})
    assert proof.status_code == 303 and proof.headers["Location"].startswith(f"{BASE}/programme.proof.txt?")
    bad = client.post(f"{BASE}/build", data={"csrf_token": token, "action": "build", "size": "a3"})
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)
    assert client.post(f"{BASE}/build", data={"action": "build"}).status_code == 400  # no CSRF token
    assert _jobs_folder(demo) == []


def test_a_build_without_a_public_base_url_is_refused_on_the_page(demo, client, login_as):
    from showcase.extensions import db
    from showcase.festivals.services import get_festival

    with demo.app_context():
        get_festival("ai-shorts-2026").public_base_url = ""
        db.session.commit()
        from showcase.jobs.models import Job

        before = db.session.query(Job).count()
    login_as("viewer")
    response = _start_build(client, size="a5")
    assert response.status_code == 400 and "no public base URL" in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.query(Job).count() == before  # no job was started
