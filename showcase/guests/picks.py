"""A guest's favourites: kept in their browser, sent to us only as ?sessions=1,2&films=abc."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from showcase.festivals.models import Festival
from showcase.guests import queries
from showcase.schedule.models import ScheduleSession

MAX_PICKS = 100  # per kind: more than any programme a guest can attend, and it keeps the query small
CODE_RE = re.compile(r"^[0-9a-z]{1,16}$")


class BadPicks(ValueError):
    """The favourites in the URL cannot be read; the message is fit for the guest."""


@dataclass(frozen=True)
class Picks:
    session_ids: tuple[int, ...] = ()
    film_codes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.session_ids or self.film_codes)

    def args(self) -> dict[str, str]:
        """The picks as query arguments, for url_for."""
        args = {}
        if self.session_ids:
            args["sessions"] = ",".join(map(str, self.session_ids))
        if self.film_codes:
            args["films"] = ",".join(self.film_codes)
        return args


def _items(raw: str) -> list[str]:
    items = list(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))
    if len(items) > MAX_PICKS:
        raise BadPicks(_("At most %(n)d favourites of each kind, please.", n=MAX_PICKS))
    return items


def parse_picks(args: Mapping[str, str]) -> Picks:
    """Session ids and film codes from the query string; BadPicks when they are malformed or too many."""
    sessions = _items(args.get("sessions", ""))
    if not all(item.isascii() and item.isdigit() and len(item) <= 9 for item in sessions):
        raise BadPicks(_("Session numbers must be whole numbers separated by commas."))
    codes = [item.lower() for item in _items(args.get("films", ""))]
    if not all(CODE_RE.match(code) for code in codes):
        raise BadPicks(_("Film codes are letters and digits separated by commas."))
    return Picks(tuple(int(s) for s in sessions), tuple(codes))


def picked_sessions(festival: Festival, picks: Picks) -> list[ScheduleSession]:
    """The public sessions picked directly or through a picked film, in time order."""
    ids = set(picks.session_ids) | set(queries.session_ids_showing(list(picks.film_codes), festival))
    return queries.public_sessions(festival, session_ids=sorted(ids)) if ids else []
