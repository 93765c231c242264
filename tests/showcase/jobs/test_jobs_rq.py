"""With JOBS_REDIS_URL the app queues jobs in Redis and a real `showcase jobs worker` process runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.conftest import csrf_token
from tests.showcase.jobs.support import wait_for_job

BASE = "/staff/festivals/ai-shorts-2026/programme"
SHOWCASE = str(Path(sys.executable).with_name("showcase"))


def _worker_env(app) -> dict[str, str]:
    names = ("DATABASE_URL", "SECRET_KEY", "UPLOAD_ROOT", "MEDIA_ROOT", "JOBS_REDIS_URL", "JOBS_QUEUE")
    return {
        **os.environ,
        "SHOWCASE_INSTANCE_PATH": app.instance_path,
        **{f"SHOWCASE_{name}": str(app.config[name]) for name in names},
    }


def test_a_build_queued_in_redis_is_run_by_an_rq_worker_and_the_app_sees_it(demo, client, login_as, redis_url):
    from showcase.jobs.runners import RqRunner, init_app, kinds

    demo.config.update(JOBS_REDIS_URL=redis_url, JOBS_QUEUE=f"test-{uuid.uuid4().hex[:8]}")
    with demo.app_context():
        init_app(demo, kinds())
        assert isinstance(demo.extensions["showcase.jobs"]["runner"], RqRunner)
    login_as("viewer")
    token = csrf_token(client, f"{BASE}/")
    response = client.post(f"{BASE}/build", data={"csrf_token": token, "action": "build", "size": "a5"})
    page = response.headers["Location"]
    assert response.status_code == 303 and page.startswith("/staff/jobs/")
    time.sleep(0.3)
    assert client.get(f"{page}/status").get_json()["state"] == "queued"  # nothing runs it in this process
    worker = subprocess.Popen(
        [SHOWCASE, "jobs", "worker", "--burst"],
        env=_worker_env(demo),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = wait_for_job(client, page, timeout=120)
        output, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            print(worker.communicate()[0])
    assert worker.returncode == 0, output
    assert status["state"] == "done", (status, output)
    assert status["done"] == status["total"] > 0  # the worker's progress reports reached the app's database
    assert {s["state"] for s in status["seen"]} >= {"queued", "done"}
    pdf = client.get(status["download"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with demo.app_context():
        from showcase.jobs.services import get_job

        assert get_job(int(page.rsplit("/", 1)[1])).runner == "rq"


def test_the_worker_refuses_to_start_without_redis(demo):
    result = subprocess.run(
        [SHOWCASE, "jobs", "worker", "--burst"],
        env={**_worker_env(demo), "SHOWCASE_JOBS_REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "JOBS_REDIS_URL is not set" in result.stderr
