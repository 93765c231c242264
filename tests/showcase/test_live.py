"""The live bus: a stream sleeps until its topic changes; announcements publish after commit only."""

from __future__ import annotations

import threading
import time

import pytest

from showcase import live
from showcase.extensions import db


def test_a_waiting_stream_wakes_on_its_topic_only():
    bus = live.LocalBus()
    seen = bus.seen("show:1")
    woke: list[float] = []

    def waiter():
        started = time.monotonic()
        bus.wait("show:1", seen, 5.0)
        woke.append(time.monotonic() - started)

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.1)
    bus.publish("show:2")  # another show: no wake
    time.sleep(0.2)
    assert woke == []
    bus.publish("show:1")
    thread.join(timeout=5)
    assert len(woke) == 1 and 0.25 <= woke[0] < 2.0


def test_a_wait_returns_at_its_timeout_with_nothing_new():
    bus = live.LocalBus()
    started = time.monotonic()
    assert bus.wait("show:1", bus.seen("show:1"), 0.2) == 0
    assert time.monotonic() - started >= 0.19


def test_a_change_is_published_after_its_commit_and_not_after_a_rollback(app):
    with app.app_context():
        bus = live.bus()
        seen = bus.seen("show:9")
        live.announce(db.session, "show:9")
        db.session.rollback()
        assert bus.seen("show:9") == seen
        live.announce(db.session, "show:9")
        assert bus.seen("show:9") == seen  # not before the commit
        db.session.commit()
        assert bus.seen("show:9") == seen + 1


def test_redis_relays_a_publish_to_every_process_bus(redis_url):
    first, second = live.RedisBus(redis_url), live.RedisBus(redis_url)
    try:
        time.sleep(0.3)  # both subscribed
        seen, seen_here = second.seen("show:3"), first.seen("show:3")
        first.publish("show:3")
        assert second.wait("show:3", seen, 3.0) == seen + 1
        assert first.wait("show:3", seen_here, 3.0) == seen_here + 1  # the publisher's own streams too
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("app", [{"PUBSUB_URL": "redis://127.0.0.1:9/0"}], indirect=True)
def test_an_unreachable_redis_still_wakes_the_local_streams(app):
    bus = app.extensions["showcase.live"]
    seen = bus.seen("show:4")
    bus.publish("show:4")
    assert bus.seen("show:4") == seen + 1
