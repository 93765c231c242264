"""glibc's allocator as the kiosk runs it: a fixed mmap threshold, and freed memory trimmed away from the cuts."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import threading

import pytest

from playlists.kiosk import memory
from playlists.kiosk.link import local_delivery
from playlists.kiosk.runner import KioskOptions
from tests.playlists.kiosk_support import film_item, make_playlist, write_manifest

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the tuning is for glibc only")

# In a fresh process: free a card-sized block (glibc then raises its mmap threshold to its size, unless the
# threshold is fixed), then allocate a video picture, and say whether it got a mapping of its own.
_PICTURE_MAPPED = """
import ctypes, sys
from playlists.kiosk import memory
FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
class Info(ctypes.Structure):  # glibc's struct mallinfo2
    _fields_ = [(name, ctypes.c_size_t) for name in FIELDS.split()]
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = Info
if sys.argv[1] == "tuned":
    assert memory.tune()
libc.free(libc.malloc(2_800_000))
before = libc.mallinfo2().hblks
picture = libc.malloc(400_000)
print(libc.mallinfo2().hblks - before)
"""


def _picture_mapped(how: str) -> bool:
    out = subprocess.run([sys.executable, "-c", _PICTURE_MAPPED, how], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "1"


@glibc
def test_after_a_card_is_freed_a_picture_still_gets_its_own_mapping_only_when_tuned():
    assert not _picture_mapped("untuned")  # glibc's own rule, which made the kiosk's heaps grow
    assert _picture_mapped("tuned")


# In a fresh process: six threads each allocate (glibc gives each new thread a heap of its own while it may
# make more), then glibc's own statistics say how many heaps there are.
_HEAPS = """
import ctypes, sys, threading
from playlists.kiosk import memory
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
if sys.argv[1] == "tuned":
    assert memory.tune()
held, started, go = [], threading.Barrier(6), threading.Event()
def work():
    started.wait()
    held.append(libc.malloc(200_000 // 4))
    go.wait()
threads = [threading.Thread(target=work) for _ in range(6)]
for thread in threads:
    thread.start()
while len(held) < 6:
    pass
libc.malloc_stats()  # to stderr, a block per heap
go.set()
"""


def _heaps(how: str) -> int:
    out = subprocess.run([sys.executable, "-c", _HEAPS, how], capture_output=True, text=True, check=True)
    return sum(line.startswith("Arena ") for line in out.stderr.splitlines())


@glibc
def test_tuned_the_kiosk_keeps_two_heaps_however_many_threads_allocate():
    assert _heaps("untuned") > memory.ARENA_MAX  # glibc's own rule: a heap per new thread, up to 8 per core
    assert _heaps("tuned") <= memory.ARENA_MAX


@glibc
def test_trimmer_waits_for_the_item_to_open_and_stays_away_from_the_next_cut():
    trimmer = memory.Trimmer()
    assert not trimmer.tick(10.0, busy=False, remaining=None)  # no picture yet
    trimmer.picture(10.0)
    assert not trimmer.tick(10.0 + memory.TRIM_AFTER / 2, busy=False, remaining=5.0)
    assert not trimmer.tick(11.0, busy=True, remaining=5.0)  # the next item is opening
    assert not trimmer.tick(11.0, busy=False, remaining=memory.TRIM_CLEAR / 2)  # the cut is near
    assert trimmer.tick(11.0, busy=False, remaining=5.0)
    assert not trimmer.tick(12.0, busy=False, remaining=4.0)  # once per picture
    assert [ident for ident, _at, _took in trimmer.done] == [threading.get_ident()]


@pytest.mark.vlc
@glibc
def test_the_kiosk_trims_on_its_own_thread_between_cuts(kiosk_thread, clips, tmp_path, caplog):
    for name in ("long", "good1"):
        shutil.copy(clips[name], tmp_path / f"{name}.mp4")
    playlist = make_playlist(
        film_item("a", tmp_path / "long.mp4", duration=4.0),
        film_item("b", tmp_path / "long.mp4", duration=4.0),
        film_item("c", tmp_path / "good1.mp4"),
    )
    delivery = local_delivery(write_manifest(tmp_path, playlist))
    caplog.set_level("INFO", logger="showcase.kiosk")
    running = kiosk_thread(
        tmp_path / "state",
        setup=lambda kiosk, stop: kiosk.inbox.put(delivery),
        options=KioskOptions(exit_when_done=True),
    )
    running.thread.join(30)
    assert running.kiosk.shown == ["a", "b", "c"]
    pictures = [record.created for record in caplog.records if record.getMessage().startswith("picture: ")]
    trims = running.kiosk.trimmer.done
    assert len(trims) >= 2  # in each 4-second film at least
    for ident, at, _took in trims:
        assert ident == running.thread.ident
        since = at - max(p for p in pictures if p <= at)
        assert since >= memory.TRIM_AFTER
        later = [p for p in pictures if p > at]
        assert not later or min(later) - at >= memory.TRIM_CLEAR / 2
