"""Submissions import: parsed CSV rows become films, people and director credits.

Decisions:

* All or nothing: every row is checked before anything is written: its cells are read by csvio, its
  values go through the film services' own checks (`check_film_values`, the rules of
  showcase.films.fields that the film form obeys too), then it is compared with the database. One
  bad row and nothing is imported, with every problem listed by row and column.
* Idempotent: a row is matched to a film of the festival by its submission id (Film.external_id).
  A row that matches changes only what differs, so importing the same file again writes nothing.
* A cell left empty keeps what is stored (csvio cannot tell an empty cell from a missing column),
  and the status is only changed when the file names one other than the default "submitted", so a
  re-import never demotes a film the jury has moved on.
* New films need a running time (the film table requires one); existing films keep theirs.
* Directors, writers, producers and key cast are people matched by exact name (like the film form);
  when a row lists people of a role that differ from the film's, that role's credits are replaced and
  the others are kept. A role the row leaves empty keeps the film's credits.
* A language is stored in one spelling (showcase.films.languages): "普通话", "Mandarin" and "普通话
  Mandarin" become "普通话 Mandarin", so the language filter shows one entry.
* The plan carries what the preview shows besides counts: the file's column for each field, every
  column not imported, and each status word read as one of ours ("入围" → shortlisted).
* Writes are batched (codes issued in bulk, people looked up with IN lists, films flushed 500 at
  a time) so 2,300 rows take well under a second or two; one audit entry records the import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from showcase.audit.services import record
from showcase.db import chunked
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.csvio import ImportRejected, RowError, SubmissionRow, export_films, parse_submissions
from showcase.films.csvio.cells import RUNTIME_HELP
from showcase.films.csvio.columns import LABELS
from showcase.films.fields import DIRECTOR_NAME, PERSON_NAME
from showcase.films.languages import canonical_language
from showcase.films.models import Credit, Film, Person
from showcase.films.services import check_film_values, issue_short_codes
from showcase.validation import slugify

if TYPE_CHECKING:
    from showcase.auth.models import User

BATCH = 500
TEXT_FIELDS = ("title", "title_en", "synopsis", "synopsis_en", "country", "language", "subtitles")
# A row's list of people by field, and the credit role each becomes.
CREDIT_FIELDS = {"directors": "director", "writers": "writer", "producers": "producer", "cast": "cast"}
COMPARED = (*TEXT_FIELDS, "year", "runtime_seconds", "status", "contact_email")
Progress = Callable[[int], None]


@dataclass
class CleanRow:
    """A row's film values, ready for the database, and its people by credit role (roles it lists)."""

    row: int
    external_id: str
    values: dict[str, Any]
    credits: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class StoredFilm:
    """The compared values of a film already in the database (plain values, no ORM object)."""

    id: int
    values: dict[str, Any]
    credits: dict[str, tuple[str, ...]]


@dataclass
class ImportPlan:
    """What an import would do: rows to create and to update, and every problem found."""

    new: list[CleanRow] = field(default_factory=list)
    changed: list[tuple[int, CleanRow, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    status_words: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + self.unchanged


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    people_added: int


def plan_import(festival: Festival, data: bytes) -> ImportPlan:
    """Parse an uploaded CSV, check every row with the film services' rules, and compare it with the
    festival's films; writes nothing."""
    result = parse_submissions(data)
    plan = ImportPlan(
        errors=list(result.errors),
        warnings=list(result.warnings),
        columns=dict(result.columns),
        unused=list(result.unused),
        status_words=dict(result.status_words),
    )
    readable = {row.row for row in result.rows}
    rows = sorted((*result.rows, *result.partial), key=lambda row: row.row)
    if not rows:
        return plan  # the file itself was refused
    reported = {(error.row, error.column) for error in result.errors}
    existing = _existing_films(festival, [row.external_id for row in rows if row.external_id])
    new_rows = 0
    for row in rows:
        stored = existing.get(row.external_id)
        new_rows += stored is None
        clean, errors = _clean(row, result.columns, new=stored is None)
        plan.errors.extend(error for error in errors if (error.row, error.column) not in reported)
        if errors or row.row not in readable:
            continue
        if stored is None:
            plan.new.append(clean)
        elif changes := _changes(stored, clean):
            plan.changed.append((stored.id, clean, changes))
        else:
            plan.unchanged += 1
    _no_runtimes_at_all(plan, new_rows, _label(result.columns, "runtime_seconds"))
    plan.errors.sort(key=lambda error: error.row or 0)
    return plan


def import_submissions(
    festival: Festival, data: bytes, *, actor: User | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Import a submissions CSV all or nothing; ImportRejected lists every problem, nothing written."""
    plan = plan_import(festival, data)
    if plan.errors:
        raise ImportRejected(plan.errors)
    return apply_plan(festival, plan, actor=actor, progress=progress)


def apply_plan(
    festival: Festival, plan: ImportPlan, *, actor: User | None = None, progress: Progress | None = None
) -> ImportSummary:
    """Write a checked plan (flushes, never commits)."""
    tick = progress or (lambda _count: None)
    tick(plan.unchanged)
    if not plan.new and not plan.changed:
        return ImportSummary(0, 0, plan.unchanged, 0)
    names = [
        name
        for clean in (*plan.new, *(c for _f, c, _ch in plan.changed))
        for people in clean.credits.values()
        for name in people
    ]
    people, added = _people(names)
    try:
        _create(festival, plan.new, people, tick)
        _update(plan.changed, people, tick)
    except IntegrityError as exc:  # a concurrent import or edit took a submission id or slug first
        raise ImportRejected(
            [
                RowError(
                    None,
                    "",
                    "Another import or edit changed these films at the same time; nothing was imported. Try again.",
                )
            ]
        ) from exc
    record(
        actor=actor,
        action="import",
        entity=festival,
        after={
            "created": [c.external_id for c in plan.new],
            "updated": [c.external_id for _id, c, _ch in plan.changed],
            "unchanged": plan.unchanged,
        },
    )
    return ImportSummary(len(plan.new), len(plan.changed), plan.unchanged, added)


def _existing_films(festival: Festival, external_ids: list[str]) -> dict[str, StoredFilm]:
    """The festival's films with these submission ids, read as plain rows (cheap for thousands)."""
    rows = []
    for chunk in chunked(external_ids):
        rows.extend(
            db.session.execute(
                select(Film.id, Film.external_id, *(getattr(Film, name) for name in COMPARED)).where(
                    Film.festival_id == festival.id, Film.external_id.in_(chunk)
                )
            )
        )
    credits: dict[int, dict[str, list[str]]] = {}
    for chunk in chunked([row[0] for row in rows]):
        for film_id, role, name in db.session.execute(
            select(Credit.film_id, Credit.role, Person.name)
            .join(Person, Person.id == Credit.person_id)
            .where(Credit.film_id.in_(chunk), Credit.role.in_(CREDIT_FIELDS.values()))
            .order_by(Credit.film_id, Credit.display_order, Credit.id)
        ):
            credits.setdefault(film_id, {}).setdefault(role, []).append(name)
    return {
        row[1]: StoredFilm(
            row[0],
            dict(zip(COMPARED, row[2:], strict=True)),
            {role: tuple(names) for role, names in credits.get(row[0], {}).items()},
        )
        for row in rows
    }


def _label(columns: dict[str, str], name: str) -> str:
    """The column a message names: the file's own header, or ours when the file has none."""
    return columns.get(name) or LABELS.get(name) or name


def _clean(row: SubmissionRow, columns: dict[str, str], *, new: bool) -> tuple[CleanRow, list[RowError]]:
    """A row's film values through the film services' checks (check_film_values), row errors by column."""
    given = {name: getattr(row, name) for name in (*COMPARED, "external_id")}
    given["language"] = canonical_language(row.language)
    clean, problems = check_film_values(given)
    if row.runtime_seconds is None:  # an empty cell keeps an existing film's running time
        problems.pop("runtime_seconds", None)
        if new:
            problems["runtime_seconds"] = f"is empty; a new film needs a running time ({RUNTIME_HELP})."
    credits = {}
    for field_name, role in CREDIT_FIELDS.items():
        people = getattr(row, field_name)
        rule = DIRECTOR_NAME if role == "director" else PERSON_NAME
        for name in people:
            if problem := rule.problem(name):
                problems.setdefault(field_name, f"{problem} ({name[:40]}…)")
        if people:
            credits[role] = people
    errors = [RowError(row.row, _label(columns, name), problem) for name, problem in problems.items()]
    values = {name: clean[name] for name in COMPARED}
    return CleanRow(row.row, row.external_id, values, credits), errors


def _no_runtimes_at_all(plan: ImportPlan, new_rows: int, label: str) -> None:
    """One clear message instead of a runtime error on every row when the column is missing."""
    runtime_errors = [e for e in plan.errors if e.column == label and "needs a running time" in e.reason]
    if 1 < len(runtime_errors) == new_rows:
        others = [e for e in plan.errors if e not in runtime_errors]
        plan.errors[:] = [
            RowError(None, label, "no row has a running time: add a runtime/时长 column (every new film needs one)."),
            *others,
        ]


def _changes(film: StoredFilm, clean: CleanRow) -> dict[str, Any]:
    """The values that differ; empty cells and the default status keep what is stored."""
    changes = {}
    for name, value in clean.values.items():
        keep = value in ("", None) or (name == "status" and value == "submitted")
        if not keep and film.values[name] != value:
            changes[name] = value
    for field_name, role in CREDIT_FIELDS.items():
        people = clean.credits.get(role, ())
        if people and people != film.credits.get(role, ()):
            changes[field_name] = people
    return changes


def _people(names: Iterable[str]) -> tuple[dict[str, int], int]:
    """Person ids by name, everyone named found by exact name or added; and how many were added."""
    wanted = list(dict.fromkeys(names))
    found: dict[str, int] = {}
    for chunk in chunked(wanted):
        for person_id, name in db.session.execute(
            select(Person.id, Person.name).where(Person.name.in_(chunk)).order_by(Person.id)
        ):
            found.setdefault(name, person_id)
    missing = [name for name in wanted if name not in found]
    for chunk in chunked(missing):
        rows = db.session.execute(
            insert(Person).returning(Person.id, Person.name, sort_by_parameter_order=True),
            [{"name": name} for name in chunk],
        )
        found.update((name, person_id) for person_id, name in rows)
    return found, len(missing)


def _free_slugs(festival: Festival, rows: list[CleanRow]) -> list[str]:
    taken = set(db.session.scalars(select(Film.slug).where(Film.festival_id == festival.id)))
    slugs = []
    for clean in rows:
        base = slugify(
            clean.values["title_en"] or clean.values["title"], fallback=slugify(clean.external_id, fallback="film")
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base[:110]}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _create(festival: Festival, rows: list[CleanRow], people: dict[str, int], tick: Progress) -> None:
    """Bulk INSERTs (RETURNING ids in row order): the ORM unit of work costs seconds at this size."""
    if not rows:
        return
    codes = issue_short_codes(len(rows))
    slugs = _free_slugs(festival, rows)
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        params = [
            {
                **clean.values,
                "festival_id": festival.id,
                "external_id": clean.external_id,
                "code": codes[start + n],
                "slug": slugs[start + n],
                "version": 1,
            }
            for n, clean in enumerate(batch)
        ]
        ids = db.session.scalars(insert(Film).returning(Film.id, sort_by_parameter_order=True), params).all()
        credits = [
            credit for film_id, clean in zip(ids, batch, strict=True) for credit in _all_credits(film_id, clean, people)
        ]
        if credits:
            db.session.execute(insert(Credit), credits)
        tick(len(batch))


def _all_credits(film_id: int, clean: CleanRow, people: dict[str, int]) -> list[dict[str, Any]]:
    """A new film's credits, directors first, numbered through."""
    credits = [
        credit
        for role in CREDIT_FIELDS.values()
        for credit in _credits(film_id, role, clean.credits.get(role, ()), people)
    ]
    for position, credit in enumerate(credits):
        credit["display_order"] = position
    return credits


def _credits(film_id: int, role: str, names: tuple[str, ...], people: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"film_id": film_id, "person_id": people[name], "role": role, "display_order": n}
        for n, name in enumerate(names)
    ]


def _update(changed: list[tuple[int, CleanRow, dict[str, Any]]], people: dict[str, int], tick: Progress) -> None:
    """Changed films go through the ORM: few in practice, and their version must be bumped."""
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        films = {
            film.id: film
            for film in db.session.scalars(
                select(Film)
                .where(Film.id.in_([film_id for film_id, _c, _ch in batch]))
                .options(selectinload(Film.credits))
            )
        }
        for film_id, _clean_row, changes in batch:
            _apply(films[film_id], changes, people)
        db.session.flush()
        tick(len(batch))


def _apply(film: Film, changes: dict[str, Any], people: dict[str, int]) -> None:
    for name, value in changes.items():
        if name not in CREDIT_FIELDS:
            setattr(film, name, value)
    if not any(name in changes for name in CREDIT_FIELDS):
        return
    credits: list[Credit] = []
    for field_name, role in CREDIT_FIELDS.items():
        if field_name in changes:
            credits += [Credit(**values) for values in _credits(film.id, role, changes[field_name], people)]
        else:
            credits += [c for c in film.credits if c.role == role]
    film.credits = credits + [c for c in film.credits if c.role not in CREDIT_FIELDS.values()]
    for position, credit in enumerate(film.credits):
        credit.display_order = position


def _people_of(film: Film, role: str) -> tuple[str, ...]:
    return tuple(c.person.name for c in film.credits if c.role == role)


def submission_rows(festival: Festival) -> list[SubmissionRow]:
    """A festival's films as spreadsheet rows, with their directors (three queries in all)."""
    films = db.session.scalars(
        select(Film)
        .where(Film.festival_id == festival.id)
        .options(selectinload(Film.credits).selectinload(Credit.person))
        .order_by(Film.external_id, Film.id)
    )
    return [
        SubmissionRow(
            external_id=film.external_id or "",
            title=film.title,
            title_en=film.title_en,
            directors=_people_of(film, "director"),
            writers=_people_of(film, "writer"),
            producers=_people_of(film, "producer"),
            cast=_people_of(film, "cast"),
            subtitles=film.subtitles,
            runtime_seconds=film.runtime_seconds,
            synopsis=film.synopsis,
            synopsis_en=film.synopsis_en,
            country=film.country,
            year=film.year,
            language=film.language,
            contact_email=film.contact_email,
            status=film.status,
        )
        for film in films
    ]


def export_csv(festival: Festival) -> bytes:
    """The festival's films as a CSV that spreadsheets open safely and the import reads back."""
    return export_films(submission_rows(festival))


def export_xlsx(festival: Festival) -> bytes:
    """The festival's films as an Excel workbook: the CSV's columns, every cell text (never a formula)."""
    from showcase.films.csvio.xlsx import export_films_xlsx  # openpyxl, loaded only when a workbook is asked for

    return export_films_xlsx(submission_rows(festival), title=festival.slug)
