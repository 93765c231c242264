"""Judging rounds: create them, add jurors, assign films, take scores, rank, and feed the results on.

Services take plain arguments and models and raise ValidationFailed / NotFound with messages marked by N_
(English on the command line, the reader's language on a page). Every write is audited. The pure cores
(jury.assignment, jury.ranking) do the arithmetic.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from showcase.audit.services import record
from showcase.auth.models import User
from showcase.awards.models import AwardCategory
from showcase.awards.services import give_award
from showcase.db import chunked, utcnow
from showcase.errors import NotFound, ValidationFailed
from showcase.extensions import db
from showcase.festivals.models import Festival
from showcase.films.models import Credit, Film
from showcase.films.services import set_status
from showcase.jury import assignment, ranking
from showcase.jury.models import METHODS, Assignment, Conflict, JuryCriterion, JuryRound, RoundFilm, RoundJuror, Score
from showcase.messages import N_, Message
from showcase.validation import FIRST_YEAR, LAST_YEAR, Checker

CRITERION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_CRITERIA = 12
MAX_PER_FILM = 50
SCALE_LIMIT = 1000  # a scale's ends lie within ±this
JUROR_ROLE = "juror"


# ---------------------------------------------------------------- rounds


def parse_criteria(spec: str) -> list[tuple[str, float, str, str]]:
    """ "story/故事/Story:2,craft:1" → [("story", 2.0, "故事", "Story"), ("craft", 1.0, "craft", "craft")]: a name
    (the score sheet's column), optionally its Chinese and English labels, and a weight (1 when left out)."""
    checker = Checker()
    out: list[tuple[str, float, str, str]] = []
    for part in (p.strip() for p in (spec or "").split(",")):
        if not part:
            continue
        head, colon, weight_text = part.rpartition(":")
        if not colon:
            head, weight_text = part, ""
        name, *labels = [x.strip() for x in head.split("/")]
        name = name.lower()
        label, label_en = (labels + [name, name])[:2] if labels else (name, name)
        try:
            weight = float(weight_text) if weight_text.strip() else 1.0
        except ValueError:
            weight = math.nan
        if not CRITERION_NAME.match(name):
            checker.fail(
                "criteria",
                N_("A criterion name is a lower-case word of letters, digits and _ (“%(name)s” is not).", name=name),
            )
        elif not (math.isfinite(weight) and 0 < weight <= 100):
            checker.fail("criteria", N_("The weight of %(name)s must be a number above 0 and at most 100.", name=name))
        elif len(labels) > 2 or not label or not label_en or max(len(label), len(label_en)) > 100:
            checker.fail(
                "criteria", N_("Write a criterion as name/中文/English:weight (“%(part)s” is not).", part=part)
            )
        out.append((name, weight, label or name, label_en or label or name))
    if not out:
        checker.fail("criteria", N_("A round needs at least one criterion, e.g. “story:2,craft:1”."))
    elif len({c[0] for c in out}) != len(out):
        checker.fail("criteria", N_("Each criterion is named once."))
    elif len(out) > MAX_CRITERIA:
        checker.fail("criteria", N_("A round has at most %(n)s criteria.", n=MAX_CRITERIA))
    checker.done()
    return out


def parse_scale(spec: str) -> tuple[int, int]:
    """ "1-10" → (1, 10)."""
    match = re.fullmatch(r"\s*(-?\d{1,4})\s*[-–]\s*(-?\d{1,4})\s*", spec or "")
    if not match or not -SCALE_LIMIT <= int(match[1]) < int(match[2]) <= SCALE_LIMIT:
        raise ValidationFailed({"scale": N_("The scale is written low-high with whole numbers, e.g. 1-10.")})
    return int(match[1]), int(match[2])


def create_round(
    festival: Festival,
    *,
    name: str,
    criteria: list[tuple],
    scale: tuple[int, int] = (1, 10),
    per_film: int = 3,
    from_round: JuryRound | None = None,
    method: str = "mean",
    blind: bool = True,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    actor: User | None = None,
) -> JuryRound:
    """A new round with its criteria and its films: the films advancing from `from_round` (which must be
    closed), else every film of the festival not withdrawn."""
    checker = Checker()
    name = checker.text("name", name, label=N_("Name"), max_length=200)
    checker.choice("method", method, label=N_("Method"), choices=METHODS)
    if not isinstance(per_film, int) or not 1 <= per_film <= MAX_PER_FILM:
        checker.fail("per_film", N_("Scores per film must be a whole number from 1 to %(n)s.", n=MAX_PER_FILM))
    if opens_at and closes_at and closes_at <= opens_at:
        checker.fail("closes_at", N_("A round closes after it opens."))
    if from_round is not None:
        if from_round.festival_id != festival.id:
            checker.fail("from_round", N_("That round is another festival's."))
        elif not from_round.closed:
            checker.fail("from_round", N_("Close round %(id)s before starting the next from it.", id=from_round.id))
    checker.done()
    if from_round is not None:
        film_ids = list(
            db.session.scalars(
                select(RoundFilm.film_id).where(RoundFilm.round_id == from_round.id, RoundFilm.advances.is_(True))
            )
        )
        if not film_ids:
            raise ValidationFailed({"from_round": N_("No film advances from round %(id)s.", id=from_round.id)})
    else:
        film_ids = list(
            db.session.scalars(select(Film.id).where(Film.festival_id == festival.id, Film.status != "withdrawn"))
        )
    jury_round = JuryRound(
        festival_id=festival.id,
        name=name,
        from_round_id=from_round.id if from_round else None,
        per_film=per_film,
        scale_min=scale[0],
        scale_max=scale[1],
        method=method,
        blind=blind,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    jury_round.criteria = [
        JuryCriterion(
            name=c[0],
            label=c[2] if len(c) > 2 else c[0],
            label_en=c[3] if len(c) > 3 else c[0],
            weight=c[1],
            position=i,
        )
        for i, c in enumerate(criteria)
    ]
    db.session.add(jury_round)
    db.session.flush()
    db.session.add_all(RoundFilm(round_id=jury_round.id, film_id=film_id) for film_id in film_ids)
    db.session.flush()
    record(actor=actor, action="create", entity=jury_round, after={"name": name, "films": len(film_ids)})
    return jury_round


def festival_time(festival: Festival, text: str | None, field: str) -> datetime | None:
    """A wall-clock time written on the festival's clock ("2026-06-01 09:00") as an aware UTC datetime."""
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise ValidationFailed({field: N_("Write the time as 2026-06-01 09:00.")}) from None
    if not FIRST_YEAR <= local.year <= LAST_YEAR:  # year 1 or 9999 is a slip (and leaves datetime's range in UTC)
        raise ValidationFailed(
            {field: N_("The time must be between the years %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)}
        )
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(festival.timezone))
    return local.astimezone(UTC)


def get_round(round_id: int) -> JuryRound:
    found = db.session.get(JuryRound, round_id)
    if found is None:
        raise NotFound(N_("There is no round %(id)s.", id=round_id))
    return found


def round_film_ids(jury_round: JuryRound) -> list[int]:
    return list(
        db.session.scalars(
            select(RoundFilm.film_id).where(RoundFilm.round_id == jury_round.id).order_by(RoundFilm.film_id)
        )
    )


def _require_open(jury_round: JuryRound) -> None:
    if jury_round.closed:
        raise ValidationFailed({"round": N_("Round %(id)s is closed: its scores are final.", id=jury_round.id)})


# ---------------------------------------------------------------- jurors and conflicts


def add_jurors(jury_round: JuryRound, emails: Iterable[str], *, actor: User | None = None) -> list[User]:
    """Add the accounts with these e-mails (role juror) to the round; all or none."""
    emails = [e.strip().lower() for e in emails if e.strip()]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))} if emails else {}
    problems = [e for e in emails if e not in users or users[e].role != JUROR_ROLE]
    if not emails or problems:
        raise ValidationFailed(
            {
                "email": N_(
                    "No juror account for: %(emails)s (make one with showcase users create … --role juror).",
                    emails=", ".join(problems) or "(none given)",
                )
            }
        )
    present = set(db.session.scalars(select(RoundJuror.user_id).where(RoundJuror.round_id == jury_round.id)))
    added = [users[e] for e in dict.fromkeys(emails) if users[e].id not in present]
    db.session.add_all(RoundJuror(round_id=jury_round.id, user_id=u.id) for u in added)
    db.session.flush()
    for user in added:
        record(actor=actor, action="add-juror", entity=jury_round, after={"juror": user.email})
    return added


def round_jurors(jury_round: JuryRound) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(RoundJuror, RoundJuror.user_id == User.id)
            .where(RoundJuror.round_id == jury_round.id)
            .order_by(User.email)
        )
    )


def declare_conflict(
    juror: User, festival: Festival, *, film: Film | None = None, person_id: int | None = None, reason: str = ""
) -> Conflict:
    """Record a juror's conflict of interest with a film (or a person) and take the juror off every open
    round's assignment it touches; `reassign` then gives those films to other jurors."""
    if (film is None) == (person_id is None):
        raise ValidationFailed({"conflict": N_("Name a film or a person.")})
    conflict = Conflict(
        festival_id=festival.id,
        user_id=juror.id,
        film_id=film.id if film else None,
        person_id=person_id,
        reason=(reason or "").strip()[:300],
    )
    db.session.add(conflict)
    db.session.flush()
    touched = _conflicted_films(festival.id, {juror.id}).get(juror.id, set())
    open_rounds = select(JuryRound.id).where(JuryRound.festival_id == festival.id, JuryRound.closed_at.is_(None))
    db.session.execute(
        delete(Assignment).where(
            Assignment.user_id == juror.id, Assignment.film_id.in_(touched), Assignment.round_id.in_(open_rounds)
        )
    )
    record(
        actor=juror, action="declare-conflict", entity=conflict, after={"film": conflict.film_id, "person": person_id}
    )
    return conflict


def _conflicted_films(festival_id: int, user_ids: set[int]) -> dict[int, set[int]]:
    """Film ids each juror may not judge: films named in a conflict, and films crediting a named person."""
    out: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(Conflict.user_id, Conflict.film_id, Conflict.person_id).where(
            Conflict.festival_id == festival_id, Conflict.user_id.in_(user_ids)
        )
    ).all()
    people: dict[int, set[int]] = defaultdict(set)
    for user_id, film_id, person_id in rows:
        if film_id is not None:
            out[user_id].add(film_id)
        else:
            people[person_id].add(user_id)
    if people:
        for person_id, film_id in db.session.execute(
            select(Credit.person_id, Credit.film_id).where(Credit.person_id.in_(people))
        ):
            for user_id in people[person_id]:
                out[user_id].add(film_id)
    return out


# ---------------------------------------------------------------- assignment


def assign_round(jury_round: JuryRound, *, actor: User | None = None) -> assignment.Plan:
    """Give every film of the round `per_film` jurors (balanced, conflicts honoured), keeping the
    assignments already made; returns the plan."""
    _require_open(jury_round)
    films = round_film_ids(jury_round)
    jurors = [u.id for u in round_jurors(jury_round)]
    if not jurors:
        raise ValidationFailed({"jurors": N_("Round %(id)s has no jurors yet.", id=jury_round.id)})
    blocked = _conflicted_films(jury_round.festival_id, set(jurors))
    conflicts = {(j, f) for j, films_of in blocked.items() for f in films_of}
    existing = db.session.execute(
        select(Assignment.user_id, Assignment.film_id).where(Assignment.round_id == jury_round.id)
    ).all()
    short = [f for f in films if len(jurors) - sum((j, f) in conflicts for j in jurors) < jury_round.per_film]
    if short:
        names = db.session.scalars(select(func.coalesce(Film.external_id, Film.title)).where(Film.id.in_(short[:10])))
        raise ValidationFailed(
            {
                "assignment": N_(
                    "Each film needs %(need)s jurors free of conflicts, and %(count)s film(s) have fewer (%(films)s). "
                    "Add jurors (this round has %(jurors)s) or ask for fewer scores per film.",
                    need=jury_round.per_film,
                    count=len(short),
                    films=", ".join(sorted(names)) + (" …" if len(short) > 10 else ""),
                    jurors=len(jurors),
                )
            }
        )
    plan = assignment.assign(
        films, jurors, per_film=jury_round.per_film, conflicts=conflicts, existing=[tuple(r) for r in existing]
    )
    kept = {tuple(r) for r in existing}
    stale = [pair for pair in kept if pair not in set(plan.pairs())]
    for chunk in chunked(stale):
        for user_id, film_id in chunk:
            db.session.execute(
                delete(Assignment).where(
                    Assignment.round_id == jury_round.id, Assignment.user_id == user_id, Assignment.film_id == film_id
                )
            )
    new = [pair for pair in plan.pairs() if pair not in kept]
    if new:
        db.session.execute(
            Assignment.__table__.insert(),
            [{"round_id": jury_round.id, "user_id": j, "film_id": f, "manual": False} for j, f in new],
        )
    record(
        actor=actor,
        action="assign",
        entity=jury_round,
        after={"added": len(new), "removed": len(stale), "spread": plan.spread},
    )
    return plan


def _juror_and_film(jury_round: JuryRound, email: str, submission_id: str) -> tuple[User, Film]:
    juror = next((u for u in round_jurors(jury_round) if u.email == (email or "").strip().lower()), None)
    if juror is None:
        raise ValidationFailed({"email": N_("%(email)s is not a juror of this round.", email=email)})
    key = (submission_id or "").strip()
    film = db.session.scalar(
        select(Film)
        .join(RoundFilm, RoundFilm.film_id == Film.id)
        .where(RoundFilm.round_id == jury_round.id, (Film.external_id == key) | (Film.code == key))
    )
    if film is None:
        raise ValidationFailed({"film": N_("Submission %(id)s is not in this round.", id=key)})
    return juror, film


def add_assignment(jury_round: JuryRound, email: str, submission_id: str, *, actor: User | None = None) -> Assignment:
    """Assign one film to one juror by hand (kept by every later automatic run); never across a conflict."""
    _require_open(jury_round)
    juror, film = _juror_and_film(jury_round, email, submission_id)
    if film.id in _conflicted_films(jury_round.festival_id, {juror.id}).get(juror.id, set()):
        raise ValidationFailed(
            {"film": N_("%(email)s declared a conflict of interest with this film.", email=juror.email)}
        )
    exists = db.session.scalar(
        select(Assignment.id).where(
            Assignment.round_id == jury_round.id, Assignment.user_id == juror.id, Assignment.film_id == film.id
        )
    )
    if exists:
        raise ValidationFailed({"film": N_("This film is already assigned to %(email)s.", email=juror.email)})
    assigned = Assignment(round_id=jury_round.id, user_id=juror.id, film_id=film.id, manual=True)
    db.session.add(assigned)
    db.session.flush()
    record(actor=actor, action="assign-by-hand", entity=jury_round, after={"juror": juror.email, "film": film.id})
    return assigned


def remove_assignment(jury_round: JuryRound, email: str, submission_id: str, *, actor: User | None = None) -> None:
    """Take a film off a juror by hand; refused once they have scored it (their score would be lost)."""
    _require_open(jury_round)
    juror, film = _juror_and_film(jury_round, email, submission_id)
    where = (Score.round_id == jury_round.id, Score.user_id == juror.id, Score.film_id == film.id)
    if db.session.scalar(select(Score.id).where(*where)):
        raise ValidationFailed(
            {"film": N_("%(email)s has scored this film already: the score stays.", email=juror.email)}
        )
    gone = db.session.execute(
        delete(Assignment).where(
            Assignment.round_id == jury_round.id, Assignment.user_id == juror.id, Assignment.film_id == film.id
        )
    ).rowcount
    if not gone:
        raise ValidationFailed({"film": N_("This film is not assigned to %(email)s.", email=juror.email)})
    record(actor=actor, action="unassign-by-hand", entity=jury_round, after={"juror": juror.email, "film": film.id})


def assignments(jury_round: JuryRound) -> list[tuple[str, str]]:
    """(juror e-mail, submission id or film id) of every assignment, by juror then film."""
    rows = db.session.execute(
        select(User.email, Film.external_id, Film.id)
        .join(Assignment, Assignment.user_id == User.id)
        .join(Film, Film.id == Assignment.film_id)
        .where(Assignment.round_id == jury_round.id)
        .order_by(User.email, Film.external_id, Film.id)
    ).all()
    return [(email, external_id or str(film_id)) for email, external_id, film_id in rows]


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class ScoreRow:
    """One line of a score sheet as read: where it came from, for the error messages."""

    line: int
    juror_email: str
    submission_id: str
    values: Mapping[str, Any]
    comment: str = ""


def check_values(jury_round: JuryRound, values: Mapping[str, Any]) -> tuple[dict[str, float], str | None]:
    """The criteria's values as numbers on the round's scale, or the reason they are not."""
    clean: dict[str, float] = {}
    for criterion in jury_round.criteria:
        raw = values.get(criterion.name)
        text = "" if raw is None else str(raw).strip()
        try:
            number = float(text)
        except ValueError:
            return clean, N_("%(name)s: “%(value)s” is not a number.", name=criterion.name, value=text)
        if not math.isfinite(number) or not jury_round.scale_min <= number <= jury_round.scale_max:
            return clean, N_(
                "%(name)s: %(value)s is outside the scale %(low)s–%(high)s.",
                name=criterion.name,
                value=text,
                low=jury_round.scale_min,
                high=jury_round.scale_max,
            )
        clean[criterion.name] = number
    return clean, None


def scoring_window_problem(jury_round: JuryRound, now: datetime | None = None) -> Message | None:
    """Why a juror may not score now (the round's window), or None."""
    now = now or utcnow()
    if jury_round.opens_at and now < jury_round.opens_at:
        return N_("Scoring opens at %(at)s (UTC).", at=f"{jury_round.opens_at:%Y-%m-%d %H:%M}")
    if jury_round.closes_at and now >= jury_round.closes_at:
        return N_("Scoring closed at %(at)s (UTC).", at=f"{jury_round.closes_at:%Y-%m-%d %H:%M}")
    return None


def save_score(jury_round: JuryRound, juror: User, film_id: int, values: Mapping[str, Any], comment: str = "") -> Score:
    """A juror's scores for one assigned film (replacing earlier ones); refused once the round is closed or
    outside its scoring window."""
    _require_open(jury_round)
    if problem := scoring_window_problem(jury_round):
        raise ValidationFailed({"round": problem})
    assigned = db.session.scalar(
        select(Assignment.id).where(
            Assignment.round_id == jury_round.id, Assignment.user_id == juror.id, Assignment.film_id == film_id
        )
    )
    if assigned is None:
        raise NotFound(N_("This film is not assigned to you in this round."))
    clean, problem = check_values(jury_round, values)
    if problem:
        raise ValidationFailed({"values": problem})
    score = db.session.scalar(
        select(Score).where(Score.round_id == jury_round.id, Score.user_id == juror.id, Score.film_id == film_id)
    )
    if score is None:
        score = Score(round_id=jury_round.id, user_id=juror.id, film_id=film_id)
        db.session.add(score)
    score.values, score.comment, score.updated_at = clean, (comment or "").strip()[:5000], utcnow()
    db.session.flush()
    return score


def import_scores(jury_round: JuryRound, rows: list[ScoreRow], *, actor: User | None = None) -> int:
    """Scores from a spreadsheet, all or nothing: every row must name a juror of the round and a film
    assigned to them, with a value on the scale for every criterion; a pair given twice is refused."""
    _require_open(jury_round)
    jurors = {u.email: u.id for u in round_jurors(jury_round)}
    films: dict[str, int] = {}
    film_ids = round_film_ids(jury_round)
    for chunk in chunked(film_ids):
        for film_id, external_id in db.session.execute(select(Film.id, Film.external_id).where(Film.id.in_(chunk))):
            films[str(film_id)] = film_id
            if external_id:
                films[external_id] = film_id
    assigned = {
        tuple(row)
        for row in db.session.execute(
            select(Assignment.user_id, Assignment.film_id).where(Assignment.round_id == jury_round.id)
        )
    }
    errors: list[str] = []
    seen: set[tuple[int, int]] = set()
    clean_rows: list[tuple[int, int, dict[str, float], str]] = []
    for row in rows:
        where = f"line {row.line}"
        user_id = jurors.get(row.juror_email.strip().lower())
        film_id = films.get(row.submission_id.strip())
        if user_id is None:
            errors.append(f"{where}: {row.juror_email!r} is not a juror of this round.")
            continue
        if film_id is None:
            errors.append(f"{where}: submission {row.submission_id!r} is not in this round.")
            continue
        if (user_id, film_id) not in assigned:
            errors.append(f"{where}: {row.submission_id} is not assigned to {row.juror_email}.")
            continue
        if (user_id, film_id) in seen:
            errors.append(f"{where}: {row.juror_email} scores {row.submission_id} a second time.")
            continue
        seen.add((user_id, film_id))
        clean, problem = check_values(jury_round, row.values)
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        clean_rows.append((user_id, film_id, clean, row.comment))
    if errors:
        shown = errors[:20] + ([f"… and {len(errors) - 20} more."] if len(errors) > 20 else [])
        raise ValidationFailed({"file": N_("Nothing was imported: %(errors)s", errors=" ".join(shown))})
    if not clean_rows:
        raise ValidationFailed({"file": N_("The file has no scores.")})
    existing = {
        (s.user_id, s.film_id): s for s in db.session.scalars(select(Score).where(Score.round_id == jury_round.id))
    }
    now, new = utcnow(), []
    for user_id, film_id, clean, comment in clean_rows:
        score = existing.get((user_id, film_id))
        if score is None:
            new.append(
                {
                    "round_id": jury_round.id,
                    "user_id": user_id,
                    "film_id": film_id,
                    "values": clean,
                    "comment": comment,
                    "updated_at": now,
                }
            )
        else:
            score.values, score.comment, score.updated_at = clean, comment, now
    if new:
        db.session.execute(Score.__table__.insert(), new)
    db.session.flush()
    record(actor=actor, action="import-scores", entity=jury_round, after={"rows": len(clean_rows)})
    return len(clean_rows)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class ResultRow:
    rank: int | None
    film_id: int
    submission_id: str
    title: str
    title_en: str
    score: float | None
    raw_mean: float
    n_scores: int
    first_places: int
    flag: str


def results(jury_round: JuryRound, *, method: str | None = None) -> list[ResultRow]:
    """The round's fair ranking (jury.ranking) with each film's submission id and titles."""
    rows = db.session.execute(
        select(Score.user_id, Score.film_id, Score.values).where(Score.round_id == jury_round.id)
    ).all()
    criteria = [ranking.Criterion(c.name, c.weight) for c in jury_round.criteria]
    ranked = ranking.rank(
        (ranking.Score(u, f, v) for u, f, v in rows),
        criteria,
        required=jury_round.per_film,
        method=method or jury_round.method,
        films=round_film_ids(jury_round),
    )
    films = {}
    for chunk in chunked([r.film for r in ranked]):
        films.update({f.id: f for f in db.session.scalars(select(Film).where(Film.id.in_(chunk)))})
    return [
        ResultRow(
            r.rank,
            r.film,
            films[r.film].external_id or str(r.film),
            films[r.film].title,
            films[r.film].title_en,
            r.score,
            r.raw_mean,
            r.n_scores,
            r.first_places,
            r.flag,
        )
        for r in ranked
    ]


def progress(jury_round: JuryRound) -> dict[str, tuple[int, int]]:
    """Per juror e-mail: (films scored, films assigned)."""
    assigned: dict[str, int] = dict(
        db.session.execute(
            select(User.email, func.count(Assignment.id))
            .join(Assignment, Assignment.user_id == User.id)
            .where(Assignment.round_id == jury_round.id)
            .group_by(User.email)
        ).all()
    )
    scored = dict(
        db.session.execute(
            select(User.email, func.count(Score.id))
            .join(Score, Score.user_id == User.id)
            .where(Score.round_id == jury_round.id)
            .group_by(User.email)
        ).all()
    )
    return {email: (scored.get(email, 0), total) for email, total in sorted(assigned.items())}


def close_round(jury_round: JuryRound, *, advance: int = 0, actor: User | None = None) -> list[ResultRow]:
    """Close the round (scores become final, blind lifts) and mark its top `advance` ranked films (and any
    sharing the last rank) as advancing to the next round; returns the results."""
    _require_open(jury_round)
    if not isinstance(advance, int) or advance < 0:
        raise ValidationFailed({"advance": N_("Advance a whole number of films (0 or more).")})
    rows = results(jury_round)
    ranked = [r for r in rows if r.rank is not None]
    cut = ranked[advance - 1].rank if 0 < advance <= len(ranked) else (ranked[-1].rank if ranked and advance else 0)
    advancing = {r.film_id for r in ranked if r.rank is not None and advance and r.rank <= cut}
    for round_film in db.session.scalars(select(RoundFilm).where(RoundFilm.round_id == jury_round.id)):
        round_film.advances = round_film.film_id in advancing
    jury_round.closed_at = utcnow()
    _promote(advancing, actor=actor)
    db.session.flush()
    record(actor=actor, action="close", entity=jury_round, after={"advancing": len(advancing)})
    return rows


# A film advancing from a round moves one step up, never down and never past "selected" (only an award
# makes a winner, and a withdrawn film stays withdrawn).
PROMOTION = {"submitted": "shortlisted", "shortlisted": "selected"}


def _promote(film_ids: Iterable[int], *, actor: User | None) -> None:
    for chunk in chunked(list(film_ids)):
        for film in db.session.scalars(select(Film).where(Film.id.in_(chunk)).order_by(Film.id)):
            if film.status in PROMOTION:
                set_status(film, PROMOTION[film.status], actor=actor)


# ---------------------------------------------------------------- into the awards


@dataclass(frozen=True)
class Proposal:
    """A winner the ranking proposes for an award category: ties share a placement."""

    film_id: int
    submission_id: str
    title: str
    placement: int
    rank: int


def propose_winners(jury_round: JuryRound, *, places: int) -> list[Proposal]:
    """The top `places` ranked films of a closed round as placements 1, 2, 3…; films sharing a rank share a
    placement (and a tie at the cut is proposed whole); flagged films are never proposed."""
    if not jury_round.closed:
        raise ValidationFailed({"round": N_("Close round %(id)s before proposing winners from it.", id=jury_round.id)})
    if not isinstance(places, int) or not 1 <= places <= 99:
        raise ValidationFailed({"places": N_("Propose from 1 to 99 prizes.")})
    ranked = [r for r in results(jury_round) if r.rank is not None]
    if not ranked:
        raise ValidationFailed({"round": N_("Round %(id)s has no ranked film.", id=jury_round.id)})
    cut = ranked[min(places, len(ranked)) - 1].rank
    chosen = [r for r in ranked if r.rank <= cut]
    placement_of = {rank: n for n, rank in enumerate(sorted({r.rank for r in chosen}), start=1)}
    return [Proposal(r.film_id, r.submission_id, r.title, placement_of[r.rank], r.rank) for r in chosen]


def confirm_winners(
    jury_round: JuryRound, category_id: int, proposals: list[Proposal], *, actor: User | None = None
) -> int:
    """Give the proposed awards in a category (embargoed until staff reveal them) and make the films winners;
    all or nothing (a film already placed in the category refuses the lot). Returns how many were given."""
    category = db.session.get(AwardCategory, category_id)
    if category is None or category.festival_id != jury_round.festival_id:
        raise ValidationFailed({"category": N_("Choose an award category of this festival.")})
    for proposal in proposals:
        film = db.session.get(Film, proposal.film_id)
        give_award(category, film, placement=proposal.placement, actor=actor)
        if film.status != "winner":
            set_status(film, "winner", actor=actor)
    record(
        actor=actor,
        action="propose-winners",
        entity=jury_round,
        after={"category": category.id, "awards": len(proposals)},
    )
    return len(proposals)


# ---------------------------------------------------------------- what a juror sees


@dataclass(frozen=True)
class JurorRound:
    round: JuryRound
    festival_name: str
    assigned: int
    scored: int


def juror_rounds(juror: User) -> list[JurorRound]:
    """The rounds this juror sits on, open ones first, with how many of their films they have scored."""
    rounds = db.session.execute(
        select(JuryRound, Festival.name)
        .join(RoundJuror, RoundJuror.round_id == JuryRound.id)
        .join(Festival, Festival.id == JuryRound.festival_id)
        .where(RoundJuror.user_id == juror.id)
        .order_by(JuryRound.closed_at.is_not(None), JuryRound.id.desc())
    ).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for round_id, n in db.session.execute(
        select(Assignment.round_id, func.count()).where(Assignment.user_id == juror.id).group_by(Assignment.round_id)
    ):
        counts[round_id][0] = n
    for round_id, n in db.session.execute(
        select(Score.round_id, func.count()).where(Score.user_id == juror.id).group_by(Score.round_id)
    ):
        counts[round_id][1] = n
    return [JurorRound(r, name, *counts[r.id]) for r, name in rounds]


def juror_round(round_id: int, juror: User) -> JuryRound:
    """A round this juror sits on; NotFound for any other (a juror learns nothing of rounds not theirs)."""
    jury_round = db.session.get(JuryRound, round_id)
    sits = jury_round is not None and db.session.scalar(
        select(RoundJuror.id).where(RoundJuror.round_id == round_id, RoundJuror.user_id == juror.id)
    )
    if not sits:
        raise NotFound(N_("There is no such round among yours."))
    return jury_round


def juror_films(jury_round: JuryRound, juror: User) -> list[tuple[Film, Score | None]]:
    """The films assigned to this juror in the round, by title, each with the juror's own score (never another's)."""
    rows = db.session.execute(
        select(Film, Score)
        .join(Assignment, (Assignment.film_id == Film.id) & (Assignment.round_id == jury_round.id))
        .outerjoin(Score, (Score.film_id == Film.id) & (Score.round_id == jury_round.id) & (Score.user_id == juror.id))
        .where(Assignment.user_id == juror.id)
        .order_by(Film.title, Film.id)
    ).all()
    return [(film, score) for film, score in rows]


def juror_film(jury_round: JuryRound, juror: User, film_id: int) -> tuple[Film, Score | None]:
    """One film assigned to this juror with their own score; NotFound for a film not assigned to them
    (another juror's, a conflicted one, one of another round)."""
    row = db.session.execute(
        select(Film, Score)
        .join(Assignment, (Assignment.film_id == Film.id) & (Assignment.round_id == jury_round.id))
        .outerjoin(Score, (Score.film_id == Film.id) & (Score.round_id == jury_round.id) & (Score.user_id == juror.id))
        .where(Assignment.user_id == juror.id, Film.id == film_id)
    ).first()
    if row is None:
        raise NotFound(N_("This film is not assigned to you in this round."))
    return row[0], row[1]


def festival_rounds(festival: Festival) -> list[JuryRound]:
    return list(
        db.session.scalars(select(JuryRound).where(JuryRound.festival_id == festival.id).order_by(JuryRound.id))
    )


def film_video(film: Film, media_root: str) -> Path | None:
    """The film's registered video file under the media root, when it is there (never a path outside it)."""
    asset = film.media_asset
    if asset is None:
        return None
    root = Path(media_root).resolve()
    path = (root / asset.path).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None
