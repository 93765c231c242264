"""People on stage: their roles in both languages, finding a person by name, and checking a list of
(person, role) entries for a session or for one running-order item.

Like `awards.picking` (which it mirrors for people), its messages are in the request's language: the
session-people page, the running-order builder and the picker's JSON endpoint read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select

from showcase.audit.services import record, snapshot
from showcase.awards.picking import like_pattern
from showcase.db import chunked
from showcase.extensions import db
from showcase.films.fields import PERSON_NAME, PERSON_NAME_EN
from showcase.films.models import Person
from showcase.i18n import N_
from showcase.schedule.models import STAGE_ROLES, ItemPerson, RunningOrderItem, SessionPerson
from showcase.validation import Checker, parse_id

if TYPE_CHECKING:
    from showcase.auth.models import User

MAX_QUERY = 100
MAX_RESULTS = 10
# What a role is called on a staff page (a select, a badge).
ROLE_WORDS = {
    "moderator": N_("Moderator"),
    "speaker": N_("Speaker"),
    "host": N_("Host"),
    "presenter": N_("Presenter"),
    "guest": N_("Guest"),
}
# The line a guest page, the schedule feed or the programme prints under a session, in both languages
# (the programme is printed outside any request, so these are not in the catalogue):
# role: (Chinese, English for one person, English for several).
ROLE_LINES = {
    "moderator": ("主持", "Moderated by", "Moderated by"),
    "host": ("司仪", "Hosted by", "Hosted by"),
    "speaker": ("嘉宾", "Speaker:", "Speakers:"),
    "presenter": ("颁奖嘉宾", "Presented by", "Presented by"),
    "guest": ("特邀嘉宾", "Guest:", "Guests:"),
}
LINE_ORDER = ("moderator", "host", "speaker", "presenter", "guest")


class Entry(NamedTuple):
    """One person on stage, as an editor submits it."""

    person_id: int
    role: str


def role_label(role: str) -> str:
    """A role's name in the request's language (an unknown stored value as it is)."""
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def role_choices() -> list[tuple[str, str]]:
    """(value, label) of every role, for a select."""
    return [(role, role_label(role)) for role in STAGE_ROLES]


def stage_people(session_ids: Iterable[int]) -> dict[int, list[tuple[str, Person]]]:
    """(role, person) of each session, for guests and print: the session's people in their order, then
    those at its items in running order. Not the people at film items: while results are secret a film
    item's place may say a prize, and a film's team is on its own page anyway."""
    ids = list(set(session_ids))
    found: dict[int, list[tuple[str, Person]]] = {}
    if not ids:
        return found
    for chunk in chunked(ids):
        rows = db.session.execute(
            select(SessionPerson.session_id, SessionPerson.role, Person)
            .join(Person, SessionPerson.person_id == Person.id)
            .where(SessionPerson.session_id.in_(chunk))
            .order_by(SessionPerson.session_id, SessionPerson.display_order, SessionPerson.id)
        )
        for session_id, role, person in rows:
            found.setdefault(session_id, []).append((role, person))
    for chunk in chunked(ids):
        rows = db.session.execute(
            select(RunningOrderItem.session_id, ItemPerson.role, Person)
            .join(ItemPerson, ItemPerson.item_id == RunningOrderItem.id)
            .join(Person, ItemPerson.person_id == Person.id)
            .where(RunningOrderItem.session_id.in_(chunk), RunningOrderItem.kind != "film")
            .order_by(RunningOrderItem.session_id, RunningOrderItem.position, ItemPerson.display_order)
        )
        for session_id, role, person in rows:
            listed = found.setdefault(session_id, [])
            if (role, person) not in listed:
                listed.append((role, person))
    return found


def person_name(person: Person, language: str) -> str:
    """A person's name in a language: Chinese the name as written, English the English name when there is one."""
    if language == "en":
        return person.name_en or person.name
    return person.name or person.name_en


def person_label(person: Person) -> str:
    """How a person is named in a picker or a staff list: both names."""
    if person.name_en and person.name_en != person.name:
        return f"{person.name} · {person.name_en}"
    return person.name


def stage_lines(people: Iterable[tuple[str, Person]], language: str) -> list[str]:
    """Lines such as "主持：骆轶航" / "Moderated by Luo Yihang" for (role, person) pairs in their order, one
    line per role (moderator, host, speakers, presenters, guests); `language` "zh", "en" or "both"."""
    grouped: dict[str, list[Person]] = {}
    for role, person in people:
        listed = grouped.setdefault(role, [])
        if person not in listed:
            listed.append(person)
    lines = []
    for role in [*LINE_ORDER, *sorted(set(grouped) - set(LINE_ORDER))]:
        if role not in grouped:
            continue
        zh_word, one, several = ROLE_LINES.get(role, (role, role + ":", role + ":"))
        zh = f"{zh_word}：" + "、".join(person_name(p, "zh") for p in grouped[role])
        en = f"{one if len(grouped[role]) == 1 else several} " + ", ".join(person_name(p, "en") for p in grouped[role])
        lines.append({"zh": zh, "en": en}.get(language, f"{zh} / {en}"))
    return lines


def check_entries(checker: Checker, entries: Sequence[Entry], *, field: str, what: str, known: set[int]) -> None:
    """Note in `checker` each bad entry (a role not known, a person not known, someone listed twice in one
    role) under `field`; `what` names the list in the message ("Item 3: "), `known` the person ids that exist."""
    seen: set[Entry] = set()
    for entry in entries:
        if entry.role not in STAGE_ROLES:
            words = ", ".join(role_label(r) for r in STAGE_ROLES)
            checker.fail(
                field,
                N_("%(what)sunknown role “%(role)s” (one of %(roles)s).", what=what, role=entry.role, roles=words),
            )
        elif entry.person_id not in known:
            checker.fail(
                field, N_("%(what)sno person has the id %(id)s: search for them again.", what=what, id=entry.person_id)
            )
        elif entry in seen:
            checker.fail(
                field,
                N_(
                    "%(what)sthe same person is listed twice as %(role)s.",
                    what=what,
                    role=ROLE_WORDS.get(entry.role, entry.role),
                ),
            )
        seen.add(entry)


def relink(links: list, entries: list[Entry], make: Callable[[Entry], object]) -> list:
    """The links for `entries`, in their order: a kept (person, role) keeps its row, so the unique
    (owner, person, role) never sees a row inserted before the old one is deleted."""
    old = {(link.person_id, link.role): link for link in links}
    kept = []
    for order, entry in enumerate(entries):
        link = old.pop((entry.person_id, entry.role), None) or make(entry)
        if link.display_order != order:
            link.display_order = order
        kept.append(link)
    return kept


def known_people(ids: Iterable[int]) -> set[int]:
    """Which of these person ids exist."""
    wanted = {i for i in ids if isinstance(i, int)}
    if not wanted:
        return set()
    return set(db.session.scalars(select(Person.id).where(Person.id.in_(wanted))))


def people_by_id(ids: Iterable[int]) -> dict[int, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(wanted)))}


def query_problem(text: str) -> str | None:
    """Why `text` (stripped) cannot be searched for, or None."""
    if not text:
        return _("Type part of a name, in Chinese or English.")
    if len(text) > MAX_QUERY:
        return _("Type at most %(n)d characters.", n=MAX_QUERY)
    return None


def person_matches(text: str, *, limit: int = MAX_RESULTS) -> tuple[list[Person], bool]:
    """People whose name (either language) holds `text`, names that start with it first; and whether
    there were more than `limit`."""
    pattern = like_pattern(text)
    prefix = pattern[1:]
    rank = case(
        (or_(func.lower(Person.name) == text.lower(), func.lower(Person.name_en) == text.lower()), 0),
        (or_(Person.name.ilike(prefix, escape="\\"), Person.name_en.ilike(prefix, escape="\\")), 1),
        else_=2,
    )
    people = list(
        db.session.scalars(
            select(Person)
            .where(or_(Person.name.ilike(pattern, escape="\\"), Person.name_en.ilike(pattern, escape="\\")))
            .order_by(rank, func.lower(Person.name_en), Person.name, Person.id)
            .limit(limit + 1)
        )
    )
    return people[:limit], len(people) > limit


@dataclass
class PersonPick:
    """What the editor picked: the person, or why none (and the people to choose from when several match)."""

    person: Person | None = None
    problem: str = ""
    choices: list[Person] = field(default_factory=list)
    text: str = ""  # what was typed, offered as a new person's name when nobody matches


def pick_person(*, ids: Sequence[str], text: str) -> PersonPick:
    """The person picked by id (the picker's hidden field, or a choice), else the one `text` matches."""
    chosen = next((i for i in ids if i.strip()), "")
    if chosen:
        person = db.session.get(Person, parse_id(chosen) or 0)
        if person is None:
            return PersonPick(problem=_("That person is not known (any more): search for them again."))
        return PersonPick(person)
    text = (text or "").strip()
    problem = query_problem(text)
    if problem:
        return PersonPick(problem=_("Choose a person. %(hint)s", hint=problem))
    people, more = person_matches(text)
    exact = [p for p in people if text.lower() in (p.name.lower(), (p.name_en or "").lower())]
    if len(exact) == 1 or len(people) == 1:
        return PersonPick((exact or people)[0])
    if not people:
        return PersonPick(
            problem=_("Nobody is called “%(text)s”: add them as a new person below.", text=text), text=text
        )
    if more:
        message = _("More than %(n)d people match “%(text)s”: choose one below or type more.", n=len(people), text=text)
    else:
        message = _("%(n)d people match “%(text)s”: choose one below.", n=len(people), text=text)
    return PersonPick(problem=message, choices=people, text=text)


def create_person(*, name: str, name_en: str = "", actor: User | None = None) -> Person:
    """A new person (someone on stage who made no film); ValidationFailed for a missing or overlong name."""
    checker = Checker()
    clean = checker.text("new_person_name", name, label=N_("Name"), max_length=PERSON_NAME.max_length)
    clean_en = checker.text(
        "new_person_name_en", name_en, label=N_("English name"), max_length=PERSON_NAME_EN.max_length, required=False
    )
    checker.done()
    person = Person(name=clean, name_en=clean_en)
    db.session.add(person)
    db.session.flush()
    record(actor=actor, action="create", entity=person, after=snapshot(person))
    return person
