"""The big screen as the audience sees it: the kiosk on a real X display (Xvfb, no window manager), its
picture grabbed 50 times a second and read back frame by frame from codes burned into generated films."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from playlists.format import Item, to_json
from playlists.kiosk.link import local_delivery
from playlists.kiosk.runner import KioskOptions
from tests.playlists.framecode import FPS, Rect, capture, cuts, fitted, make_film, summary
from tests.playlists.kiosk_support import film_item, make_playlist

pytestmark = [pytest.mark.vlc, pytest.mark.display]

FRAMES = 50  # two seconds a film
CARD_SECONDS = 1.0
SCREEN = (1280, 720)
VLC_OPTIONS = ("--aout=dummy",)  # no sound card here; the picture is what is measured


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> dict[str, tuple[Path, tuple[int, int]]]:
    """Films 1-3 in 720p, film 4 in 1080p, film 5 in 4:3 (960x720): name → (path, size)."""
    root = tmp_path_factory.mktemp("coded")
    sizes = {1: (1280, 720), 2: (1280, 720), 3: (1280, 720), 4: (1920, 1080), 5: (960, 720)}
    return {
        f"film{n}": (make_film(root / f"film{n}.mp4", film=n, frames=FRAMES, size=size), size)
        for n, size in sizes.items()
    }


def show(kiosk_thread, x_display, tmp_path, films, names, *, screen=SCREEN, geometry=None, settle=1.0, before=None):
    """Play `names` once on a new X display of `screen` size; every grab of the screen meanwhile.

    `before(display)` runs on the display before the kiosk starts (e.g. starts a window manager)."""
    from playlists.kiosk.player import Player
    from playlists.kiosk.screen import Geometry, Screen

    display = x_display(*screen)
    if before is not None:
        before(display)
    folder = tmp_path / "show"
    folder.mkdir()
    items = []
    for n, name in enumerate(names):
        if name.startswith("card:"):  # a title card of one second
            text = name.removeprefix("card:")
            items.append(Item(key=f"k{n}", kind="card", title=text, card_text=text, card_seconds=CARD_SECONDS))
            continue
        path, _size = films[name]
        target = folder / f"{n}-{path.name}"
        target.symlink_to(path)
        items.append(film_item(f"k{n}", target, duration=FRAMES / FPS))
    manifest = folder / "show.json"
    manifest.write_text(to_json(make_playlist(*items)), encoding="utf-8")
    area = Geometry.parse(geometry) if geometry else None
    shown = area or Geometry(*screen)
    pictures = {}
    for name, (_path, size) in films.items():
        fit = fitted(size, (shown.width, shown.height))
        pictures[int(name.removeprefix("film"))] = Rect(shown.x + fit.x, shown.y + fit.y, fit.width, fit.height)
    with capture(display, screen, pictures) as grabbing:
        time.sleep(0.5)  # the grab is running before the kiosk starts

        def player():
            return Player(headless=False, screen=Screen(area, display_name=display), extra_args=VLC_OPTIONS)

        running = kiosk_thread(
            tmp_path / "state",
            setup=lambda kiosk, _stop: kiosk.inbox.put(local_delivery(manifest)),
            options=KioskOptions(exit_when_done=True),
            make_player=player,
        )
        running.thread.join(30 + len(names) * FRAMES / FPS)
        assert not running.thread.is_alive(), "the kiosk did not finish the show"
        time.sleep(settle)
    return grabbing.grabs, pictures


def test_every_cut_shows_the_last_and_the_first_frame_with_nothing_between(kiosk_thread, x_display, tmp_path, coded):
    names = ["film1", "film2", "film3", "film4", "film1", "film2", "film3"]
    grabs, _pictures = show(kiosk_thread, x_display, tmp_path, coded, names)
    seen = [grab for grab in grabs if grab.film is not None]
    assert seen, "no coded frame was ever on screen"
    found = cuts(grabs, {n: FRAMES for n in range(1, 6)})
    story = summary(grabs)
    assert [(cut.before, cut.after) for cut in found] == [(1, 2), (2, 3), (3, 4), (4, 1), (1, 2), (2, 3)], story
    assert all(cut.first_seen for cut in found), story  # every film starts at its first frame
    assert all(cut.black == 0 for cut in found), story  # never black between films
    # The cut waits for the last frame's turn by the film's clock; on this 2-core machine, with the screen
    # grabbed and read at the same time, a last frame now and then reaches the screen a frame late and is
    # cut off (bench_cuts.py: about 1 cut in 20). Allowed once here; more is a regression.
    assert sum(not cut.last_seen for cut in found) <= 1, story
    gaps = sorted(cut.interruption for cut in found)
    assert gaps[len(gaps) // 2] <= 1 / FPS + 0.001, f"median interruption over one frame: {gaps}"
    assert sum(gap > 2 / FPS + 0.001 for gap in gaps) <= 1, f"more than one cut froze over two frames: {gaps}"
    # The films in the middle of the show play through. The grab runs every 20 ms, so a frame not seen was not
    # on screen: libvlc dropped it as late. Decoding 1080p in software on two cores, beside the grab, it now
    # and then drops one (never in 720p here; with a core kept busy, one to four a film). An isolated drop
    # holds a frame for two frame times, which the audience does not see; two in a row would be a stall.
    for film, allowed in ((3, 0), (4, DROPS_1080P)):
        assert_plays_through(grabs, film, range(1, FRAMES - 1), allowed=allowed)


# A 1080p film decoded in software on two cores beside the grab may lose this many isolated frames.
DROPS_1080P = 2


def assert_plays_through(grabs, film: int, frames: range, *, allowed: int) -> None:
    """Every frame of `frames` reached the screen, but for at most `allowed`, none two in a row.

    A frame is judged lost only where the grab kept looking: if the grabs either side of where it belonged lie
    more than a frame's time apart (the grabber itself was held up), it may have come and gone unseen; at most
    one such frame is excused, for a grabber that keeps stalling measures nothing."""
    shown = {grab.frame for grab in grabs if grab.film == film}
    missed = sorted(set(frames) - shown)
    unseen = [frame for frame in missed if _grab_stalled(grabs, film, frame)]
    assert len(unseen) <= 1, f"the grab stalled where film {film}'s frames {unseen} belonged: nothing was measured"
    lost = [frame for frame in missed if frame not in unseen]
    assert len(lost) <= allowed, f"film {film} lost frames: {lost}"
    in_a_row = [a for a, b in zip(lost, lost[1:], strict=False) if b == a + 1]
    assert not in_a_row, f"film {film} lost frames in a row: {lost}"


def _grab_stalled(grabs, film: int, frame: int) -> bool:
    """Whether the grabs between the film's last frame before `frame` and its first after lie over a frame apart."""
    before = [n for n, grab in enumerate(grabs) if grab.film == film and grab.frame is not None and grab.frame < frame]
    after = [n for n, grab in enumerate(grabs) if grab.film == film and grab.frame is not None and grab.frame > frame]
    if not before or not after:
        return False
    around = grabs[before[-1] : after[0] + 1]
    return any(b.at - a.at > 1 / FPS + 0.002 for a, b in zip(around, around[1:], strict=False))


@pytest.fixture
def window_manager():
    """Start openbox on a display and wait until it manages it; stopped at the end."""
    started = []

    def start(display: str) -> None:
        from Xlib import display as xdisplay

        if shutil.which("openbox") is None:
            pytest.fail("openbox is missing: `make test` installs the Debian package openbox")
        process = subprocess.Popen(
            ["openbox"], env={**os.environ, "DISPLAY": display}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        watcher = xdisplay.Display(display)
        check = watcher.intern_atom("_NET_SUPPORTING_WM_CHECK")
        deadline = time.monotonic() + 10
        while watcher.screen().root.get_full_property(check, 0) is None:  # an EWMH manager announces itself
            assert time.monotonic() < deadline and process.poll() is None, "openbox did not start"
            time.sleep(0.05)
        watcher.close()

    yield start
    for process in started:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("managed", [False, True], ids=["bare X", "openbox"])
def test_a_picture_of_another_shape_fills_the_screen_on_black(
    kiosk_thread, x_display, tmp_path, coded, window_manager, managed
):
    grabs, pictures = show(
        kiosk_thread, x_display, tmp_path, coded, ["film4", "film5"], before=window_manager if managed else None
    )
    # a code is read only where its film's picture must sit: 1080p scaled to the whole 720p screen, 4:3
    # pillarboxed in the middle
    assert pictures[4] == Rect(0, 0, 1280, 720) and pictures[5] == Rect(160, 0, 960, 720)
    # (the show's very first item is opened on screen, not ahead: its frame 0 may come and go unseen)
    assert_plays_through(grabs, 4, range(1, FRAMES), allowed=DROPS_1080P)
    assert_plays_through(grabs, 5, range(FRAMES), allowed=0)
    assert all(grab.bars_black for grab in grabs if grab.film == 5)  # black bars left and right


def test_the_screen_option_places_the_picture_on_one_output(kiosk_thread, x_display, tmp_path, coded):
    grabs, _pictures = show(
        kiosk_thread, x_display, tmp_path, coded, ["film1"], screen=(1600, 900), geometry="1280x720+160+90"
    )
    seen = [grab for grab in grabs if grab.film == 1]
    assert {grab.frame for grab in seen} >= set(range(1, FRAMES)), summary(grabs)  # frame 0: see above
    assert all(grab.bars_black for grab in seen)  # nothing outside the kiosk's output area lights up


def test_no_pointer_shows_over_the_kiosk(x_display):
    """With the pointer over the kiosk's window (and its panes), the X server draws an empty pointer."""
    from Xlib import display as xdisplay

    from playlists.kiosk.screen import Screen

    name = x_display(*SCREEN)
    probe = xdisplay.Display(name)
    probe.xfixes_query_version()

    def pointer_pixels() -> list[int]:
        probe.screen().root.warp_pointer(SCREEN[0] // 2, SCREEN[1] // 2)
        probe.sync()
        image = probe.xfixes_get_cursor_image(probe.screen().root)
        return [pixel for pixel in image.cursor_image if pixel >> 24]  # pixels with any opacity

    assert pointer_pixels(), "the bare X screen should show the default pointer"  # the check can fail
    screen = Screen(display_name=name)
    try:
        assert pointer_pixels() == []
        screen.show(1)
        assert pointer_pixels() == []
    finally:
        screen.close()
        probe.close()


@pytest.mark.parametrize(
    ("text", "geometry"),
    [("1920x1080+0+0", (1920, 1080, 0, 0)), ("1280x720+1920+0", (1280, 720, 1920, 0)), (" 800x600-10+5 ", None)],
)
def test_screen_geometry_is_read_from_width_height_and_offsets(text, geometry):
    from playlists.kiosk.screen import Geometry

    if geometry is None:
        found = Geometry.parse(text)
        assert (found.width, found.height, found.x, found.y) == (800, 600, -10, 5)
        return
    assert Geometry.parse(text) == Geometry(*geometry)
    assert str(Geometry.parse(text)) == text


@pytest.mark.parametrize("text", ["1920x1080", "0x720+0+0", "big", "1920x1080+0", "-5x5+0+0"])
def test_a_bad_screen_option_is_refused_with_its_shape(text, capsys):
    from playlists.kiosk.options import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--playlist", "p.json", "--cache-dir", "/tmp/k", f"--screen={text}"])
    assert "is not a screen geometry like 1920x1080+0+0" in capsys.readouterr().err


def test_without_a_display_the_kiosk_says_so(monkeypatch, tmp_path):
    from playlists.kiosk.runner import main

    monkeypatch.delenv("DISPLAY", raising=False)
    assert main(["--playlist", str(tmp_path / "p.json"), "--cache-dir", str(tmp_path / "k")]) == 2


def test_without_a_graphics_card_the_kiosk_draws_with_the_x11_output(x_display, caplog):
    """OpenGL on Xvfb is drawn on the CPU (1.65 of two cores for a 1080p film against 0.12 for X11 output)."""
    from playlists.kiosk.player import Player, video_output
    from playlists.kiosk.screen import Screen

    screen = Screen(display_name=x_display(320, 180))
    try:
        assert not screen.renders_in_hardware()  # Xvfb offers no direct rendering (DRI2, DRI3, NV-GLX)
        assert video_output(screen, ()) == ("--vout=xcb_x11", "--avcodec-hw=none")
        assert video_output(screen, ("--vout=gl",)) == ()  # a venue's own choice stands
        assert video_output(None, ()) == ()  # headless: the dummy outputs
        for extra in (VLC_OPTIONS, (*VLC_OPTIONS, "--vout=xcb_x11")):  # the kiosk's choice, then a venue's
            player = Player(headless=False, screen=screen, extra_args=extra)
            player.close()
        assert "could not set" not in caplog.text  # both players took the output again after set_xwindow
    finally:
        screen.close()


def test_the_kiosk_turns_the_screen_saver_off(x_display):
    from Xlib import display

    from playlists.kiosk.screen import Screen

    name = x_display(320, 180)
    watcher = display.Display(name)
    assert watcher.get_screen_saver().timeout == 600  # X's default: blank after ten minutes without input
    screen = Screen(display_name=name)
    try:
        assert watcher.get_screen_saver().timeout == 0
    finally:
        screen.close()
        watcher.close()


def test_a_title_card_between_films_is_cut_to_and_from_like_a_film(kiosk_thread, x_display, tmp_path, coded):
    grabs, _pictures = show(kiosk_thread, x_display, tmp_path, coded, ["film1", "card:二等奖 Second prize", "film2"])
    story = summary(grabs)
    # film 1 to its last frame (as at a film-to-film cut, now and then the last one comes a frame late and is
    # cut off: see the cut test), film 2 from its first
    ending = max(g.frame for g in grabs if g.film == 1)
    last_of_1 = min(g.at for g in grabs if g.film == 1 and g.frame == ending)
    first_of_2 = min((g.at for g in grabs if g.film == 2 and g.frame == 0), default=None)
    assert ending >= FRAMES - 2 and first_of_2 is not None, story
    between = [g for g in grabs if last_of_1 < g.at < first_of_2 and g.film is None]
    card = [g for g in between if not g.black]
    assert card and not [g for g in between if g.black], story  # the card, and never black around it
    # the card follows film 1's last frame and film 2 follows the card, each within two frames
    assert card[0].at - last_of_1 <= 2 / FPS + 0.02, story
    assert first_of_2 - card[-1].at <= 2 / FPS + 0.02, story
    shown = card[-1].at - card[0].at
    assert abs(shown - CARD_SECONDS) <= 0.15, f"card shown {shown:.2f} s: {story}"
