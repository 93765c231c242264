"""The venue screen follows the show: the session's kiosks play its show playlist, cue by cue.

A show playlist (showcase.kiosks: one item per cue; films play, every other cue is a card shown until the next
command; an item waits for its GO unless it follows a film) is published when a cue starts and the running
order changed since its latest version, and given to the kiosks on the session's screen. Each cue that starts
queues a standing jump to its item, with the cue's timing: a kiosk that was away gets only the latest, and
starts a film at the place the show has reached. Nothing here refuses a GO: a show playlist always publishes (a
film with no file yet is a card with its title), and the kiosks are told, not asked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from showcase.kiosks import publishing
from showcase.kiosks import services as kiosks
from showcase.kiosks.models import Playlist

if TYPE_CHECKING:
    from showcase.auth.models import User
    from showcase.schedule.models import RunningOrderItem
    from showcase.shows.models import Show


def prepare(show: Show, *, actor: User | None = None) -> Playlist:
    """Publish the show playlist if it is missing or out of date and put it on the screen's kiosks, so the first
    GO is a cut to a picture already prepared (call it when the show is set up, before its first GO)."""
    playlist = publishing.publish_show(show.session, actor=actor)
    kiosks.put_on_screen(playlist, show.session.screen_id, actor=actor)
    return playlist


def cue(show: Show, item: RunningOrderItem, *, at: datetime, actor: User | None) -> None:
    """Put the cue's picture on the session's screen: every kiosk there jumps to its item."""
    playlist = prepare(show, actor=actor)
    key = _key_of(playlist, show, item)
    timing = _timing(show, at)
    for kiosk in kiosks.kiosks_on_screen(show.session.screen_id):
        kiosks.queue_command(kiosk, "jump", item_key=key, timing=timing, standing=True, actor=actor)


def pause(show: Show, *, paused: bool, actor: User | None) -> None:
    """Pause or resume the screen with the show; a jump the kiosk has not taken yet is brought up to date first."""
    playlist = prepare(show, actor=actor)
    for kiosk in kiosks.kiosks_on_screen(show.session.screen_id):
        if show.cue_id is not None and _untaken_jump(kiosk):
            item = next(i for i in show.session.items if i.id == show.cue_id)
            key = _key_of(playlist, show, item)
            kiosks.queue_command(kiosk, "jump", item_key=key, timing=_timing(show), standing=True, actor=actor)
        kiosks.queue_command(kiosk, "pause" if paused else "play", standing=True, actor=actor)


def finish(show: Show, *, actor: User | None) -> None:
    """The show ended or was reset: the screen goes black (stop), and stays the show's for its next run."""
    for kiosk in kiosks.kiosks_on_screen(show.session.screen_id):
        kiosks.queue_command(kiosk, "stop", standing=True, actor=actor)


def _key_of(playlist: Playlist, show: Show, item: RunningOrderItem) -> str:
    """The show playlist's item for a cue: the same position in the running order."""
    position = [entry.id for entry in show.session.items].index(item.id)
    return playlist.items[position].key


def _timing(show: Show, at: datetime | None = None) -> kiosks.Timing:
    """When the current cue was at 0 s on the show's clock (its pauses taken out), and where it stands if paused."""
    started = at or show.cue_started_at
    assert started is not None
    return kiosks.Timing(started + timedelta(seconds=show.paused_seconds or 0.0), show.paused_at)


def _untaken_jump(kiosk) -> bool:
    return any(c.command == "jump" for c in kiosks.pending_commands(kiosk))
