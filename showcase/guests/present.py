"""How guest pages word things in the reader's language: titles, dates, roles, prizes."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_skeleton
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from playlists.prizes import PrizeName, prize_name
from showcase.guests.queries import public_prize_names
from showcase.schedule.people import stage_lines

ROLE_LABELS = {
    "director": _l("Director"),
    "writer": _l("Writer"),
    "producer": _l("Producer"),
    "designer": _l("Designer"),
    "composer": _l("Composer"),
    "editor": _l("Editor"),
    "cinematographer": _l("Cinematographer"),
    "animator": _l("Animator"),
    "sound": _l("Sound"),
    "cast": _l("Cast"),
    "other": _l("Team"),
}
KIND_LABELS = {
    "screening": _l("Screening"),
    "ceremony": _l("Ceremony"),
    "panel": _l("Panel"),
    "talk": _l("Talk"),
    "break": _l("Break"),
    "gala": _l("Gala"),
    "reception": _l("Reception"),
    "other": _l("Event"),
}
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}
OG_LOCALES = {"zh": "zh_CN", "en": "en_GB"}


@lru_cache(maxsize=256)
def _day(day: date, lang: str) -> str:
    # Babel's formatting is slow next to a page render; a festival has only a handful of days.
    return format_skeleton("MMMMEEEEd", day, locale=BABEL_LOCALES[lang])


class Words:
    """Text helpers for one request's language and festival, handed to the templates as `w`."""

    def __init__(self, lang: str, festival=None, *, prizes: dict[int, PrizeName] | None = None) -> None:
        self.lang = lang
        self.other = "en" if lang == "zh" else "zh"
        self.festival = festival
        self._prizes = prizes  # loaded on first use unless given (the film page's data holds its own)

    def text(self, obj, field: str) -> str:
        """The field in the reader's language, falling back to the other one."""
        original, english = getattr(obj, field, ""), getattr(obj, f"{field}_en", "")
        return (english or original) if self.lang == "en" else (original or english)

    def other_text(self, obj, field: str) -> str:
        """The field in the other language, when it says something different."""
        shown = self.text(obj, field)
        original, english = getattr(obj, field, ""), getattr(obj, f"{field}_en", "")
        other = original if self.lang == "en" else english
        return other if other and other != shown else ""

    def local(self, value: datetime) -> datetime:
        return value.astimezone(self.festival.zone)

    def day(self, value: datetime | date) -> str:
        day = self.local(value).date() if isinstance(value, datetime) else value
        return _day(day, self.lang)

    def time(self, value: datetime) -> str:
        return self.local(value).strftime("%H:%M")

    def when(self, session) -> str:
        """Day, start and end of a session on the festival's wall clock."""
        return f"{self.day(session.starts_at)} {self.time(session.starts_at)}–{self.time(session.ends_at)}"

    def minutes(self, seconds: int) -> str:
        return _("%(n)d min", n=max(1, round(seconds / 60)))

    def stage(self, people) -> list[str]:
        """Who is on stage in a session, a line per role ("主持：骆轶航" / "Moderated by Luo Yihang")."""
        return stage_lines(people, self.lang)

    def role(self, role: str) -> str:
        return str(ROLE_LABELS.get(role, ROLE_LABELS["other"]))

    def kind(self, kind: str) -> str:
        return str(KIND_LABELS.get(kind, KIND_LABELS["other"]))

    def prize(self, award) -> str:
        """The prize an award (or a row with its id and placement) names, in the reader's language: the
        festival's vocabulary (playlists.prizes), with ties and sole winners judged on revealed awards."""
        if self._prizes is None:
            self._prizes = public_prize_names(self.festival.id) if self.festival is not None else {}
        name = self._prizes.get(award.id) or prize_name(award.placement)
        return name.pick(self.lang)

    def place(self, screen) -> str:
        """Screen and venue, or an empty string for a session without a screen."""
        if screen is None:
            return ""
        return f"{self.text(screen, 'name')} · {self.text(screen.venue, 'name')}"

    def place_of(self, row) -> str:
        """Screen and venue of a row with screen(_en) and venue(_en) columns; '' without a screen."""
        if not row.screen:
            return ""
        return f"{self.text(row, 'screen')} · {self.text(row, 'venue')}"

    @property
    def og_locale(self) -> str:
        return OG_LOCALES[self.lang]

    @property
    def other_og_locale(self) -> str:
        return OG_LOCALES[self.other]


def schedule_days(sessions: list, words: Words) -> list[tuple[str, list[tuple[str, list]]]]:
    """Sessions grouped by festival day, then by screen (screens in order, screenless ones last)."""
    days: dict[date, dict[tuple[int, int], tuple[str, list]]] = {}
    for session in sessions:
        day = words.local(session.starts_at).date()
        screen = session.screen
        key = (0, screen.id) if screen is not None else (1, 0)
        label = words.place(screen) if screen is not None else _("Other places")
        days.setdefault(day, {}).setdefault(key, (label, []))[1].append(session)
    return [(words.day(day), [screens[key] for key in sorted(screens)]) for day, screens in sorted(days.items())]
