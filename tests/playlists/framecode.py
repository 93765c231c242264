"""Films whose every frame says which film and which frame it is, and a screen capture that reads them back.

What the audience sees is what counts, so the kiosk's cuts are judged from the screen itself: each generated
frame carries a row of black and white cells (film number, frame number, a checksum) drawn large enough to
survive scaling, H.264 and a downscaled grab; `capture()` records an X display with ffmpeg's x11grab at
50 grabs a second, each grab with its own clock time, and `read_screen()` decodes every grab into what was
on screen: a film's frame, black, something else (the desktop, a torn grab), and where the picture sat.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

FPS = 25
FRAME_BITS = 12  # frame numbers up to 4095: 2:43 at 25 fps
FILM_BITS = 4  # films 1-15
CHECK_BITS = 4
CELLS = FRAME_BITS + FILM_BITS + CHECK_BITS
GRAB_FPS = 50
GRAB_SIZE = (320, 180)  # grabs are scaled down to this before they are read
_BACKGROUNDS = [(70, 110, 160), (160, 90, 70), (80, 150, 90), (150, 130, 60), (120, 80, 150), (60, 140, 140)]


def _bits(film: int, frame: int) -> list[int]:
    check = (frame + (frame >> 4) + (frame >> 8) + film * 3) & 0xF
    value = frame | film << FRAME_BITS | check << (FRAME_BITS + FILM_BITS)
    return [(value >> n) & 1 for n in range(CELLS)]


def _decode_bits(bits: list[int]) -> tuple[int, int] | None:
    value = sum(bit << n for n, bit in enumerate(bits))
    frame = value & ((1 << FRAME_BITS) - 1)
    film = (value >> FRAME_BITS) & ((1 << FILM_BITS) - 1)
    if film == 0 or _bits(film, frame) != bits:
        return None
    return film, frame


def _cell_boxes(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """The cells of the code: two rows across the middle of the picture, each cell a 10th of its height."""
    per_row = CELLS // 2
    cell_w = width * 0.8 / per_row
    cell_h = height * 0.12
    boxes = []
    for n in range(CELLS):
        row, col = divmod(n, per_row)
        x0 = width * 0.1 + col * cell_w
        y0 = height * 0.5 - cell_h + row * cell_h
        boxes.append((round(x0), round(y0), round(x0 + cell_w), round(y0 + cell_h)))
    return boxes


def make_film(path: Path, *, film: int, frames: int, size: tuple[int, int] = (1280, 720), audio: bool = True) -> Path:
    """An H.264 film of `frames` frames at 25 fps, each frame coded with (film, frame number)."""
    width, height = size
    boxes = _cell_boxes(width, height)
    background = _BACKGROUNDS[(film - 1) % len(_BACKGROUNDS)]
    command = ["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24"]
    command += ["-s", f"{width}x{height}", "-r", str(FPS), "-i", "-"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency={220 * film}:sample_rate=48000", "-shortest"]
        command += ["-c:a", "aac", "-b:a", "64k"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(FPS), "-pix_fmt", "yuv420p"]
    command += ["-movflags", "+faststart", str(path)]
    encoder = subprocess.Popen(command, stdin=subprocess.PIPE)
    assert encoder.stdin is not None
    for frame in range(frames):
        picture = Image.new("RGB", size, background)
        draw = ImageDraw.Draw(picture)
        for bit, box in zip(_bits(film, frame), boxes, strict=True):
            draw.rectangle(box, fill=(255, 255, 255) if bit else (0, 0, 0))
        encoder.stdin.write(picture.tobytes())
    encoder.stdin.close()
    if encoder.wait() != 0:
        raise RuntimeError(f"ffmpeg could not write {path}")
    return path


@dataclass(frozen=True)
class Grab:
    """One grab of the screen: when (seconds, the capture's clock) and what it showed."""

    at: float
    film: int | None  # None: no coded frame readable
    frame: int | None
    black: bool  # (nearly) the whole screen black
    mean: float  # mean brightness 0-255
    where: Rect | None = None  # the rectangle the code was read in
    bars_black: bool = True  # the screen outside that rectangle is black (letterbox, pillarbox)


@dataclass(frozen=True)
class Rect:
    """Where the picture sits on screen, in screen pixels."""

    x: int
    y: int
    width: int
    height: int


def fitted(picture: tuple[int, int], screen: tuple[int, int]) -> Rect:
    """The rectangle a picture fills on a screen when scaled to fit with its aspect ratio kept."""
    scale = min(screen[0] / picture[0], screen[1] / picture[1])
    width, height = round(picture[0] * scale), round(picture[1] * scale)
    return Rect((screen[0] - width) // 2, (screen[1] - height) // 2, width, height)


def read_grab(gray: bytes, *, at: float, pictures: dict[int, Rect], screen: tuple[int, int]) -> Grab:
    """Decode one downscaled gray grab; `pictures` says where each film's picture must sit (screen pixels).

    A code read in a rectangle that is not its film's is refused: read in the wrong place, cells of one
    film can pass for another's.
    """
    mean = sum(gray) / len(gray)
    black = max(gray) < 40
    for picture in dict.fromkeys(pictures.values()):
        decoded = _read_code(gray, picture, screen)
        if decoded is not None and pictures.get(decoded[0]) == picture:
            return Grab(at, decoded[0], decoded[1], black, mean, picture, _bars_black(gray, picture, screen))
    return Grab(at, None, None, black, mean)


def _read_code(gray: bytes, picture: Rect, screen: tuple[int, int]) -> tuple[int, int] | None:
    gw, gh = GRAB_SIZE
    sx, sy = gw / screen[0], gh / screen[1]
    bits = []
    for x0, y0, x1, y1 in _cell_boxes(picture.width, picture.height):
        cx = (picture.x + (x0 + x1) / 2) * sx
        cy = (picture.y + (y0 + y1) / 2) * sy
        samples = [
            gray[int(cy + dy) * gw + int(cx + dx)]
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            if 0 <= int(cx + dx) < gw and 0 <= int(cy + dy) < gh
        ]
        if not samples:
            return None
        level = sum(samples) / len(samples)
        if 60 < level < 190:  # neither black nor white: not a cell of ours
            return None
        bits.append(1 if level >= 128 else 0)
    return _decode_bits(bits)


def _bars_black(gray: bytes, picture: Rect, screen: tuple[int, int]) -> bool:
    """Every grab pixel clearly outside the picture (one pixel of margin for scaling) is black."""
    gw, gh = GRAB_SIZE
    sx, sy = gw / screen[0], gh / screen[1]
    left, right = max(0, int(picture.x * sx) - 1), min(gw, int((picture.x + picture.width) * sx) + 1)
    top, bottom = max(0, int(picture.y * sy) - 1), min(gh, int((picture.y + picture.height) * sy) + 1)
    darkest = 0
    for y in range(gh):
        row = gray[y * gw : (y + 1) * gw]
        parts = [row] if not top <= y < bottom else [row[:left], row[right:]]
        darkest = max([darkest, *(max(part) for part in parts if part)])
    return darkest < 40


_PTS = re.compile(rb" pts:\s*(\d+) ")  # microseconds of the wall clock (x11grab's time base, kept by -copyts)


class Capture:
    """ffmpeg grabbing an X display at 50 grabs a second, scaled to GRAB_SIZE gray; read when it stops."""

    def __init__(self, display: str, screen: tuple[int, int], pictures: dict[int, Rect]) -> None:
        self.screen, self.pictures = screen, pictures
        self.grabs: list[Grab] = []  # filled by stop()
        self.origin: float | None = None  # the wall clock (time.time()) of the first grab: grab.at counts from it
        self._raw: list[bytes] = []
        self._times: list[float] = []
        gw, gh = GRAB_SIZE
        self._process = subprocess.Popen(
            [
                "ffmpeg",
                "-loglevel",
                "info",
                "-nostats",
                "-f",
                "x11grab",
                "-draw_mouse",
                "1",
                "-framerate",
                str(GRAB_FPS),
                "-video_size",
                f"{screen[0]}x{screen[1]}",
                "-i",
                f"{display}+0,0",
                "-copyts",
                "-vf",
                f"scale={gw}:{gh}:flags=area,format=gray,showinfo",
                "-fps_mode",
                "passthrough",
                "-f",
                "rawvideo",
                "-",
            ],  # fmt: skip
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._threads = [
            threading.Thread(target=self._read_times, daemon=True),
            threading.Thread(target=self._read_frames, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_times(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            found = _PTS.search(line)
            if found:
                self._times.append(int(found.group(1)) / 1e6)

    def _read_frames(self) -> None:
        # only collect the bytes while the show runs: decoding here would compete with the player for the GIL
        assert self._process.stdout is not None
        size = GRAB_SIZE[0] * GRAB_SIZE[1]
        while True:
            data = self._process.stdout.read(size)
            if len(data) < size:
                break
            self._raw.append(data)

    def stop(self) -> list[Grab]:
        """End the capture; every grab, in order, read."""
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        self.origin = self._times[0] if self._times else None
        times = [at - (self.origin or 0.0) for at in self._times]
        times += [len(times) / GRAB_FPS] * max(0, len(self._raw) - len(times))
        self.grabs = [
            read_grab(data, at=at, pictures=self.pictures, screen=self.screen)
            for data, at in zip(self._raw, times, strict=False)
        ]
        return list(self.grabs)


@contextlib.contextmanager
def capture(display: str, screen: tuple[int, int], pictures: dict[int, Rect]) -> Iterator[Capture]:
    """Grab the display while the block runs; after it, the Capture's `grabs` hold what it saw."""
    grabbing = Capture(display, screen, pictures)
    try:
        yield grabbing
    finally:
        grabbing.stop()


@dataclass(frozen=True)
class Cut:
    """One film-to-film cut as the screen showed it."""

    before: int  # film number
    after: int
    last_seen: bool  # the first film's last frame was on screen
    first_seen: bool  # the second film's first frame was on screen
    interruption: float  # seconds beyond one frame's time that the screen showed neither film moving
    black: float  # seconds of black grabs between the two
    grab_gap: float = 0.0  # the longest time between two grabs around the cut (a frame shorter than this may be missed)


def cuts(grabs: list[Grab], frames: dict[int, int]) -> list[Cut]:
    """Every change of film on screen, judged: `frames` gives each film's number of frames.

    The interruption is the time from the first grab of the old film's last shown frame to the first grab of
    the new film's first shown frame, less one frame's time (the last frame's own turn on screen): a freeze
    of the last frame, black, or a late start of the next film all count; a seamless cut scores about 0.
    """
    found = []
    runs = [grab for grab in grabs if grab.film is not None or grab.black]
    index = 0
    while index < len(runs):
        grab = runs[index]
        if grab.film is None:
            index += 1
            continue
        # the last grab of this film before another film appears
        end = index
        while end + 1 < len(runs) and (runs[end + 1].film in (None, grab.film)):
            end += 1
        if end + 1 >= len(runs):
            break
        nxt = runs[end + 1]
        old_frames = [g for g in runs[index : end + 1] if g.film == grab.film]
        last_frame = max(g.frame for g in old_frames)
        last_at = min(g.at for g in old_frames if g.frame == last_frame)
        new = [g for g in runs[end + 1 :] if g.film == nxt.film]
        first_frame = new[0].frame
        first_at = new[0].at
        between = [g for g in runs[index : end + 1] if g.film is None and g.black and g.at > last_at]
        around = [g.at for g in grabs if last_at - 3 / FPS <= g.at <= first_at + 1 / FPS]
        gap = max((b - a for a, b in zip(around, around[1:], strict=False)), default=0.0)
        found.append(
            Cut(
                before=grab.film,
                after=nxt.film,
                last_seen=last_frame == frames[grab.film] - 1,
                first_seen=first_frame == 0,
                interruption=max(0.0, first_at - last_at - 1 / FPS),
                black=len(between) / GRAB_FPS,
                grab_gap=gap,
            )
        )
        index = end + 1
    return found


def summary(grabs: list[Grab]) -> str:
    """What the screen showed, run by run: "1:0-49 · black×2 · 2:0-49" (for failure messages)."""
    runs: list[list] = []
    for grab in grabs:
        label = f"{grab.film}" if grab.film is not None else ("black" if grab.black else "other")
        if runs and runs[-1][0] == label:
            runs[-1][1].append(grab)
        else:
            runs.append([label, [grab]])
    parts = []
    for label, members in runs:
        if label in ("black", "other"):
            parts.append(f"{label}×{len(members)}")
        else:
            frames = [g.frame for g in members]
            parts.append(f"{label}:{frames[0]}-{frames[-1]}({len(members)})")
    return " · ".join(parts)
