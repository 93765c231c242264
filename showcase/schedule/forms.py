"""Forms of the schedule: the session form and the running-order builder's posted list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from showcase import durations
from showcase.festivals.models import Festival
from showcase.forms import choices
from showcase.i18n import translate
from showcase.labels import LABELS
from showcase.messages import N_, Message
from showcase.schedule.models import ITEM_KINDS, SESSION_KINDS, STAGE_ROLES, ScheduleSession
from showcase.schedule.people import ROLE_WORDS, Entry
from showcase.schedule.running_order import ItemDraft
from showcase.schedule.services import local_to_utc
from showcase.schedule.winners import FILL_MODES
from showcase.validation import optional_id, outside_days, parse_id

OVERRIDE_LABEL = N_("Override conflicts knowingly")
ITEM_FIELDS = (
    "item_id",
    "item_kind",
    "item_film",
    "item_award",
    "item_title",
    "item_title_en",
    "item_duration",
    "item_notes",
)
# Optional as a pair: a post without them (an older page, a script) gives each item its kind's cue mode.
CUE_FIELDS = ("item_cue_mode", "item_hard_start")
# Optional too (a post without it keeps no one on stage): "<person id>:<role>" pairs, space-separated.
PEOPLE_FIELD = "item_people"
CUE_MODE_LABELS = {"manual": N_("Waits for GO"), "follow": N_("Follows the cue before")}
HARD_START_HELP = N_("HH:MM on the festival's clock, or a date and time such as 2026-12-12T19:30")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", re.ASCII)
DURATION_HELP = N_("minutes:seconds, e.g. 5:30 (or h:mm:ss, 5m30s; a plain number means minutes)")
MAX_ITEM_SECONDS = 24 * 3600  # a typing slip beyond this would push cue times days past the festival


class SessionForm(FlaskForm):
    title = StringField(_l("Title"))
    title_en = StringField(_l("English title"))
    kind = SelectField(
        _l("Kind"), choices=choices((k, LABELS["session_kind"][k]) for k in SESSION_KINDS), default="screening"
    )
    screen_id = SelectField(
        _l("Screen"), coerce=optional_id, invalid_value_message=_l("That screen is not one of this festival's.")
    )
    starts_at = DateTimeLocalField(_l("Starts (festival time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends (festival time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    public = BooleanField(_l("Public (shown to guests)"), default=True)
    description = TextAreaField(_l("Description"))
    description_en = TextAreaField(_l("English description"))
    override_conflicts = BooleanField(_l(OVERRIDE_LABEL))
    version = HiddenField()
    days: tuple[date, date] | None = None  # the festival's first and last day, set by the view

    def validate_starts_at(self, field) -> None:
        self._within(field, label=N_("The start"), night_after=False)

    def validate_ends_at(self, field) -> None:
        self._within(field, label=N_("The end"), night_after=True)

    def _within(self, field, *, label: str, night_after: bool) -> None:
        if field.data is None or self.days is None:
            return  # not a time at all: the field has said so already
        if outside_days(field.data, *self.days, label=label, night_after=night_after):
            first, last = self.days
            raise ValidationError(translate(_outside_words(label, first, last, night_after=night_after)))

    def values(self) -> dict:
        """The session's values (times still on the festival's wall clock)."""
        return {
            name: fld.data
            for name, fld in self._fields.items()
            if name not in ("csrf_token", "version", "override_conflicts")
        }


def _outside_words(label: Message, first: date, last: date, *, night_after: bool) -> Message:
    """validation.outside_days' refusal as a Message (that function gives English text only)."""
    days = (
        f"{first:%Y-%m-%d}"
        if first == last
        else N_("%(first)s to %(last)s", first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}")
    )
    if night_after:
        return N_("%(label)s must be on a day of the festival (%(days)s, or the night after).", label=label, days=days)
    return N_("%(label)s must be on a day of the festival (%(days)s).", label=label, days=days)


def worded_clashes(clashes) -> list:
    """Clashes (showcase.schedule.clashes.Clash) with their text in the reader's language."""
    return [replace(clash, text=translate(clash.text)) for clash in clashes or ()]


class RunningOrderForm(FlaskForm):
    """The builder's fixed fields; the items themselves are repeated `item_*` fields in page order."""

    running_order_version = HiddenField()
    override_conflicts = BooleanField(_l(OVERRIDE_LABEL))
    fill_mode = SelectField(
        _l("Announce in this order"),
        choices=choices((mode, _l(words)) for mode, words in FILL_MODES.items()),
        default="categories",
        validate_choice=False,
    )
    new_kind = SelectField(
        _l("Kind"),
        choices=choices((k, LABELS["item_kind"][k]) for k in ITEM_KINDS if k != "film"),
        default="speech",
        validate_choice=False,
    )
    new_title = StringField(_l("Title"))
    new_duration = StringField(_l("Duration"), default="5:00")
    add_film = StringField(_l("Find a film"))  # the picker's text; the picked id is `add_film_id`
    # Someone on stage at one item: the item's place in the list, a role, and a person picked by name.
    person_item = SelectField(_l("At item"), choices=[], validate_choice=False)
    person_role = SelectField(_l("As"), choices=[], default="presenter", validate_choice=False)
    add_person = StringField(_l("Find a person"))  # the picked id is `add_person_id`
    new_person_name = StringField(_l("Name"))
    new_person_name_en = StringField(_l("English name"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person_role.choices = role_select_choices()


def role_select_choices():
    """Every stage role for a select, labelled in the page's language when it is shown."""
    return choices((role, _l(ROLE_WORDS[role])) for role in STAGE_ROLES)


class SessionPeopleForm(FlaskForm):
    """The session's people on stage: the list itself is repeated `person_id` / `person_role` fields."""

    version = HiddenField()
    override_conflicts = BooleanField(_l(OVERRIDE_LABEL))
    add_person = StringField(_l("Find a person"))  # the picked id is `add_person_id`
    add_role = SelectField(_l("As"), choices=[], default="speaker", validate_choice=False)
    new_person_name = StringField(_l("Name"))
    new_person_name_en = StringField(_l("English name"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_role.choices = role_select_choices()


def posted_people(formdata: MultiDict) -> tuple[list[Entry], str]:
    """The session page's list as posted (person ids and roles in page order), and what is wrong with it."""
    ids, roles = formdata.getlist("person_id"), formdata.getlist("person_role")
    if len(ids) != len(roles):
        return [], _("The list of people arrived incomplete. Reload the page and try again.")
    entries = []
    for text, role in zip(ids, roles, strict=True):
        person_id = parse_id(text.strip())
        if person_id is None:
            return [], _("“%(text)s” is not a person id. Reload the page and try again.", text=text)
        entries.append(Entry(person_id, role.strip()))
    return entries, ""


def parse_people(text: str) -> tuple[Entry, ...]:
    """An item's people from "<id>:<role> …"; ValueError naming the first piece that is not one."""
    entries = []
    for piece in (text or "").split():
        number, _sep, role = piece.partition(":")
        person_id = parse_id(number)
        if person_id is None or not role:
            raise ValueError(N_("“%(piece)s” is not a person on stage (id:role).", piece=piece))
        entries.append(Entry(person_id, role))
    return tuple(entries)


def people_text(entries) -> str:
    """An item's people as the builder posts them."""
    return " ".join(f"{e.person_id}:{e.role}" for e in entries)


def parse_duration(text: str | None) -> int:
    """Seconds from a running-order duration (showcase.durations: a bare number is minutes);
    ValueError with a clear message."""
    value = (text or "").strip()
    if value.startswith("-"):
        raise ValueError(N_("The duration cannot be negative."))
    total = durations.read(value)
    if total is None:
        raise ValueError(N_("“%(value)s” is not a duration: use %(help)s.", value=value, help=DURATION_HELP))
    if total > MAX_ITEM_SECONDS:
        raise ValueError(
            N_(
                "“%(value)s” is longer than %(hours)s hours, more than any item lasts.",
                value=value,
                hours=MAX_ITEM_SECONDS // 3600,
            )
        )
    return total


@dataclass
class PostedOrder:
    """The running order as posted: drafts in page order, the durations as typed, and what is wrong."""

    drafts: list[ItemDraft] = field(default_factory=list)
    durations: list[str] = field(default_factory=list)
    hard_starts: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def posted_items(formdata: MultiDict, *, festival: Festival, session: ScheduleSession) -> PostedOrder:
    """Parse the repeated `item_*` fields; bad values are reported per item, never dropped."""
    columns = {name: formdata.getlist(name) for name in ITEM_FIELDS}
    count = len(columns["item_kind"])
    for name in (*CUE_FIELDS, PEOPLE_FIELD):
        columns[name] = formdata.getlist(name) or [""] * count
    if any(len(values) != count for values in columns.values()):
        return PostedOrder(errors={"items": N_("The running order arrived incomplete. Reload the page and try again.")})
    posted = PostedOrder()
    for n in range(count):
        row = {name: values[n] for name, values in columns.items()}
        try:
            seconds = parse_duration(row["item_duration"])
        except ValueError as exc:
            posted.errors[f"items-{n + 1}-duration"] = _item_problem(n + 1, exc)
            seconds = 0
        try:
            hard_start = parse_hard_start(row["item_hard_start"], festival=festival, session=session)
        except ValueError as exc:
            posted.errors[f"items-{n + 1}-hard_start_at"] = _item_problem(n + 1, exc)
            hard_start = None
        try:
            people = parse_people(row[PEOPLE_FIELD])
        except ValueError as exc:
            posted.errors[f"items-{n + 1}-people"] = _item_problem(n + 1, exc)
            people = ()
        ids = {key: _optional_id(row[key]) for key in ("item_id", "item_film", "item_award")}
        for key, value in ids.items():
            if value is False:
                posted.errors[f"items-{n + 1}-{key}"] = N_(
                    "Item %(n)s: “%(text)s” is not a valid reference.", n=n + 1, text=row[key]
                )
        posted.drafts.append(
            ItemDraft(
                id=ids["item_id"] or None,
                kind=row["item_kind"].strip(),
                planned_seconds=seconds,
                title=row["item_title"],
                title_en=row["item_title_en"],
                notes=row["item_notes"],
                film_id=ids["item_film"] or None,
                award_id=ids["item_award"] or None,
                cue_mode=row["item_cue_mode"].strip(),
                hard_start_at=hard_start,
                people=people,
            )
        )
        posted.durations.append(row["item_duration"])
        posted.hard_starts.append(row["item_hard_start"])
    return posted


def _item_problem(n: int, exc: ValueError) -> Message:
    """ "Item 3: …" before why a posted value was refused (a Message stays one, for the page to word)."""
    return N_("Item %(n)s: %(problem)s", n=n, problem=exc.args[0] if exc.args else str(exc))


def parse_hard_start(text: str | None, *, festival: Festival, session: ScheduleSession) -> datetime | None:
    """A hard start typed on the festival's clock, as aware UTC; None when empty; ValueError when unreadable.

    HH:MM is the occurrence of that time nearest the session's start (so 00:30 in a session that starts
    at 23:00 is the next day's); a date and time (a datetime-local value) is taken as written.
    """
    value = (text or "").strip()
    if not value:
        return None
    if match := _CLOCK.fullmatch(value):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValueError(N_("“%(value)s” is not a time of day: use %(help)s.", value=value, help=HARD_START_HELP))
        start = session.starts_at.astimezone(festival.zone).replace(tzinfo=None)
        days = (start.date() + timedelta(days=k) for k in (-1, 0, 1))
        local = min((datetime.combine(day, time(hour, minute)) for day in days), key=lambda c: abs(c - start))
    elif _DATE_TIME.fullmatch(value):
        try:
            local = datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            raise ValueError(
                N_("“%(value)s” is not a date and time: use %(help)s.", value=value, help=HARD_START_HELP)
            ) from None
    else:
        raise ValueError(N_("“%(value)s” is not a hard start: use %(help)s.", value=value, help=HARD_START_HELP))
    return local_to_utc(festival, local)


def hard_start_text(at: datetime | None, *, festival: Festival, session: ScheduleSession) -> str:
    """A hard start as the builder shows it: HH:MM when that reads back to the same moment, else date and time."""
    if at is None:
        return ""
    local = at.astimezone(festival.zone)
    clock = f"{local:%H:%M}"
    try:
        same = local.second == 0 and parse_hard_start(clock, festival=festival, session=session) == at
    except ValueError:
        same = False
    return clock if same else f"{local:%Y-%m-%dT%H:%M}"


def _optional_id(text: str) -> int | None | bool:
    """An id, None for empty, False for garbage."""
    text = (text or "").strip()
    if not text:
        return None
    return parse_id(text) or False
