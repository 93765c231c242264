"""People on stage at running-order items, in the builder: adding someone to an item (picked by name, or
new), taking them off, and the names and role words the builder page shows.

Like the builder's other buttons these change the posted list and show it again unsaved; only Save
writes the running order. A new person is the one thing written at once (they exist from then on,
whether or not the running order is saved).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from showcase.errors import ValidationFailed
from showcase.i18n import translate
from showcase.schedule.people import (
    ROLE_WORDS,
    Entry,
    PersonPick,
    create_person,
    people_by_id,
    person_label,
    pick_person,
    role_label,
)
from showcase.schedule.running_order import ItemDraft
from showcase.validation import MAX_ID, whole_number

if TYPE_CHECKING:
    from showcase.auth.models import User

PERSON_VERBS = ("add-person", "new-person", "remove-person")


class PersonNotPicked(ValueError):
    """The people picker named no one person: why, and the people to choose from."""

    def __init__(self, pick: PersonPick) -> None:
        super().__init__(pick.problem)
        self.pick = pick


def person_operation(
    verb: str,
    arg: str,
    drafts: list[ItemDraft],
    *,
    item: str,
    role: str,
    picked: list[str],
    text: str,
    new_name: str = "",
    new_name_en: str = "",
    actor: User | None = None,
) -> tuple[list[ItemDraft], str]:
    """The list with someone added to or taken off an item, and what happened in words.

    ValueError (in words) for an item or role that is not there; PersonNotPicked when the name finds
    no one person. The role and the person are checked again when the running order is saved.
    """
    if verb == "remove-person":
        place, _sep, number = arg.partition(":")
        index, k = _index(place, drafts), whole_number(number, maximum=MAX_ID)
        people = list(drafts[index].people)
        if k is None or not 0 <= k < len(people):
            raise ValueError(_("that person is no longer on stage at this item."))
        gone = people.pop(k)
        who = _names([gone]).get(gone.person_id, f"#{gone.person_id}")
        return _with(drafts, index, people), _("Took %(person)s off «%(item)s».", person=who, item=_name(drafts[index]))
    index = _index(item, drafts)
    if role not in ROLE_WORDS:
        raise ValueError(_("choose a role for the person (%(roles)s).", roles=", ".join(map(role_label, ROLE_WORDS))))
    if verb == "new-person":
        try:
            person = create_person(name=new_name, name_en=new_name_en, actor=actor)
        except ValidationFailed as exc:
            raise ValueError(" ".join(translate(m) for m in exc.errors.values())) from exc
    else:
        pick = pick_person(ids=picked, text=text)
        if pick.person is None:
            raise PersonNotPicked(pick)
        person = pick.person
    entry = Entry(person.id, role)
    if entry in drafts[index].people:
        raise ValueError(_("%(person)s is already %(role)s at «%(item)s».", **_words(person, role, drafts[index])))
    changed = _with(drafts, index, [*drafts[index].people, entry])
    return changed, _("Added %(person)s as %(role)s at «%(item)s».", **_words(person, role, drafts[index]))


def _index(text: str, drafts: list[ItemDraft]) -> int:
    index = whole_number(text, maximum=MAX_ID)
    if index is None or not 0 <= index < len(drafts):
        raise ValueError(_("choose an item of the running order for the person."))
    return index


def _with(drafts: list[ItemDraft], index: int, people: list[Entry]) -> list[ItemDraft]:
    return [replace(d, people=tuple(people)) if n == index else d for n, d in enumerate(drafts)]


def _name(draft: ItemDraft) -> str:
    return draft.title or draft.title_en or draft.kind


def _words(person, role: str, draft: ItemDraft) -> dict[str, str]:
    return {"person": person_label(person), "role": role_label(role), "item": _name(draft)}


def _names(entries) -> dict[int, str]:
    return {pid: person_label(p) for pid, p in people_by_id(e.person_id for e in entries).items()}


def stage_context(drafts: list[ItemDraft]) -> dict:
    """What the builder page needs to show items' people: their names and the role words."""
    return {
        "stage_names": _names(e for d in drafts for e in d.people),
        "stage_roles": {role: role_label(role) for role in ROLE_WORDS},
    }
