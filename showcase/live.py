"""Pushes to long-lived responses: "topic X changed", to every worker process's waiting streams.

The database stays the one truth; a push only wakes the streams that show a topic, which then read
what was committed. A change is announced inside the unit of work and published only after its commit
(a stream woken before the commit would read the old state); a rolled-back change publishes nothing.

Two buses: in-process (the embedded default: one process, its threads) and Redis pub/sub (several
workers or hosts, `SHOWCASE_PUBSUB_URL=redis://…`), which relays every message to each process's
in-process bus through one listening thread.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
CHANNEL = "showcase:live"
_ANNOUNCED = "showcase.live.announced"


class LocalBus:
    """Counts per topic and one condition: a waiting stream wakes when its topic's count moves on."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._generation = 0  # moves every topic on at once (a lost subscription: anything may have changed)
        self._changed = threading.Condition()

    def _count(self, topic: str) -> int:
        return self._counts.get(topic, 0) + self._generation

    def seen(self, topic: str) -> int:
        """The topic's count now: pass it to `wait` to sleep until the next change."""
        with self._changed:
            return self._count(topic)

    def publish(self, topic: str) -> None:
        """Wake every stream of `topic` in this process."""
        with self._changed:
            self._counts[topic] = self._counts.get(topic, 0) + 1
            self._changed.notify_all()

    def wait(self, topic: str, seen: int, timeout: float) -> int:
        """Block until the topic's count differs from `seen` or `timeout` seconds pass; the count then."""
        ends = time.monotonic() + max(0.0, timeout)
        with self._changed:
            while self._count(topic) == seen:
                left = ends - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return self._count(topic)

    @property
    def shared(self) -> bool:
        """Whether a publish reaches every process of every host right now (never, in-process)."""
        return False

    def close(self) -> None:
        """Nothing to release in-process."""


class RedisBus(LocalBus):
    """Publishes through Redis; a listening thread hands every message to this process's waiting streams.

    Redis being down never stops the app: publishing then wakes this process's streams only, and the
    listener subscribes again as soon as Redis answers.
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._pubsub = None
        self._subscribed = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="showcase-live", daemon=True)
        self._thread.start()

    def publish(self, topic: str) -> None:
        try:
            self._redis.publish(CHANNEL, topic)
        except redis.RedisError:  # a push lost is a stream a second late (it looks again), never a failed request
            log.warning("live: could not publish %s through Redis; waking this process only", topic)
            super().publish(topic)

    @property
    def shared(self) -> bool:
        return self._subscribed.is_set()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                if self._pubsub is None:
                    self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                    self._pubsub.subscribe(CHANNEL)
                    self._pubsub.get_message(timeout=1.0)  # the confirmation: from here on nothing is missed
                    self._subscribed.set()
                    self._wake_all()  # what was published while we were away is unknown: every topic looks again
                message = self._pubsub.get_message(timeout=1.0)
            except redis.RedisError:
                log.warning("live: Redis subscription lost; trying again in a second")
                self._subscribed.clear()
                self._pubsub = None
                self._stop.wait(1.0)
                continue
            if message and message.get("type") == "message":
                data = message["data"]
                LocalBus.publish(self, data.decode() if isinstance(data, bytes) else str(data))

    def _wake_all(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def close(self) -> None:
        self._subscribed.clear()
        self._stop.set()
        self._thread.join(timeout=3)
        try:
            if self._pubsub is not None:
                self._pubsub.close()
            self._redis.close()
        except redis.RedisError:  # closing a connection that is already gone
            log.debug("live: closing Redis", exc_info=True)


def init_app(app: Flask) -> None:
    """Give the app its bus (Redis when SHOWCASE_PUBSUB_URL names one) and publish announcements after commits."""
    url = app.config.get("PUBSUB_URL", "")
    app.extensions["showcase.live"] = RedisBus(url) if url else LocalBus()
    if not event.contains(Session, "after_commit", _publish_announced):
        event.listen(Session, "after_commit", _publish_announced)
        event.listen(Session, "after_rollback", _forget_announced)


def bus() -> LocalBus:
    """The current app's bus."""
    return current_app.extensions["showcase.live"]


def announce(session: Session, topic: str) -> None:
    """Publish `topic` once `session` commits (nothing if it rolls back)."""
    session.info.setdefault(_ANNOUNCED, {})[topic] = current_app.extensions["showcase.live"]


def _publish_announced(session: Session) -> None:
    announced: dict[str, Any] = session.info.pop(_ANNOUNCED, {})
    for topic, target in announced.items():
        target.publish(topic)


def _forget_announced(session: Session) -> None:
    session.info.pop(_ANNOUNCED, None)
