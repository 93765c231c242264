"""Does a file's real length fit the film's listed running time? Pure; the kiosk preflight and the media scan."""

from __future__ import annotations

# A running time in whole minutes may have been rounded up or down by up to a minute.
MINUTE = 60.0


def runtime_tolerance(runtime: float) -> float:
    """How far (seconds) a file's length may be from the listed runtime before it looks like the wrong file."""
    slack = max(2.0, 0.02 * runtime)
    if float(runtime).is_integer() and int(runtime) % 60 == 0:
        # ... but rounding never explains losing half the film (a 4 s file listed as one minute)
        slack += min(MINUTE, runtime / 2)
    return slack


def runtime_mismatch(seconds: float | None, runtime: float | None) -> str | None:
    """A warning when a file of `seconds` cannot be the film listed at `runtime` seconds, else None."""
    if not seconds or not runtime or seconds <= 0 or runtime <= 0:
        return None
    if abs(seconds - runtime) <= runtime_tolerance(runtime):
        return None
    how = "shorter" if seconds < runtime else "longer"
    return f"file lasts {clock(seconds)}, film listed at {clock(runtime)}: {how} than it should be (wrong file?)"


def clock(seconds: float) -> str:
    """m:ss (or h:mm:ss), rounded to the second."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
