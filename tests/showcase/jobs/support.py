"""Waiting for a background job the way its page does: polling its status until it ends."""

from __future__ import annotations

import time


def wait_for_job(client, job_page: str, *, timeout: float = 120) -> dict:
    """The job's final status (state done or failed), polled from its status URL; every report seen too."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"{job_page.rstrip('/')}/status")
        assert response.status_code == 200, response.get_data(as_text=True)
        status = response.get_json()
        seen.append(status)
        if status["state"] in ("done", "failed"):
            return {**status, "seen": seen}
        time.sleep(0.05)
    raise AssertionError(f"the job at {job_page} did not finish in {timeout} s: last {seen[-1:]}")
