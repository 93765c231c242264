"""Judging from spreadsheets, end to end through `showcase jury …`, on SQLite and PostgreSQL: a round, its
jurors, a balanced assignment that honours conflicts, scores imported all or nothing, the fair ranking."""

from __future__ import annotations

import csv
import io
import random

import pytest
from sqlalchemy import func, select

SLUG = "ai-shorts-2026"


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def jurors(make_user):
    return [make_user("juror", email=f"juror{n}@example.org") for n in range(4)]


def _round(app, *extra: str, per_film: str = "2") -> int:
    result = run(
        app,
        "jury",
        "round",
        "create",
        "--festival",
        SLUG,
        "--name",
        "Pre-selection",
        "--criteria",
        "story:2,craft:1",
        "--scale",
        "1-10",
        "--per-film",
        per_film,
        *extra,
    )
    assert result.exit_code == 0, result.output
    return int(result.output.strip())


def _assignments(app, round_id: int, tmp_path) -> list[dict]:
    out = tmp_path / "assignments.csv"
    result = run(app, "jury", "assignments", "--round", str(round_id), "--out", str(out))
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


def _table(app, sql_model, **where) -> int:
    from showcase.extensions import db

    with app.app_context():
        query = select(func.count()).select_from(sql_model)
        for key, value in where.items():
            query = query.where(getattr(sql_model, key) == value)
        return db.session.scalar(query)


def test_a_round_from_the_command_line_to_its_results(app, demo, jurors, tmp_path):
    from showcase.jury.models import Score

    round_id = _round(app)
    result = run(app, "jury", "jurors", "add", "--round", str(round_id), *(x for j in jurors for x in ("--email", j)))
    assert result.exit_code == 0 and "Added 4 juror(s)" in result.output, result.output
    result = run(app, "jury", "assign", "--round", str(round_id))
    assert result.exit_code == 0 and "7 films, 14 assignments, 3–4 films per juror" in result.output, result.output
    rows = _assignments(app, round_id, tmp_path)
    assert len(rows) == 14 and set(rows[0]) == {"juror_email", "submission_id"}

    # Every juror scores their films; one criterion is weighted twice.
    sheet = tmp_path / "scores.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Juror Email", "Submission ID", "story", "craft", "comment"])
        for n, row in enumerate(rows):
            writer.writerow([row["juror_email"], row["submission_id"], 3 + n % 7, 5, "好片" if n % 2 else ""])
    result = run(app, "jury", "import-scores", "--round", str(round_id), str(sheet))
    assert result.exit_code == 0 and "Imported 14 scores" in result.output, result.output
    assert _table(app, Score, round_id=round_id) == 14

    out = tmp_path / "results.csv"
    result = run(app, "jury", "results", "--round", str(round_id), "--format", "csv", "--out", str(out))
    assert result.exit_code == 0 and "7 films ranked, 0 flagged" in result.output, result.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(table[0]) == ["rank", "submission_id", "title", "score", "raw_mean", "n_scores", "flag", "title_en"]
    assert table[0]["rank"] == "1" and all(r["n_scores"] == "2" for r in table)
    assert [float(r["score"]) for r in table] == sorted((float(r["score"]) for r in table), reverse=True)

    xlsx = tmp_path / "results.xlsx"
    assert run(app, "jury", "results", "--round", str(round_id), "--format", "xlsx", "--out", str(xlsx)).exit_code == 0
    from openpyxl import load_workbook

    sheet_rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert sheet_rows[0][:2] == ("rank", "submission_id") and len(sheet_rows) == 8
    assert all(isinstance(v, str) for row in sheet_rows for v in row if v is not None)  # text cells only

    # Closed with the top three advancing; the next round takes exactly those films.
    assert run(app, "jury", "round", "close", "--round", str(round_id), "--advance", "3").exit_code == 0
    final = _round(app, "--from-round", str(round_id))
    from showcase.jury.models import RoundFilm

    assert _table(app, RoundFilm, round_id=final) == 3
    result = run(app, "jury", "import-scores", "--round", str(round_id), str(sheet))
    assert result.exit_code == 1 and "closed" in result.output


def test_a_bad_score_sheet_imports_nothing_and_says_every_line_wrong(app, demo, jurors, tmp_path):
    from showcase.jury.models import Score

    round_id = _round(app)
    run(app, "jury", "jurors", "add", "--round", str(round_id), *(x for j in jurors for x in ("--email", j)))
    run(app, "jury", "assign", "--round", str(round_id))
    rows = _assignments(app, round_id, tmp_path)
    sheet = tmp_path / "bad.csv"
    good = [[r["juror_email"], r["submission_id"], "7", "8"] for r in rows[3:]]
    bad = [
        ["stranger@example.org", rows[0]["submission_id"], "7", "8"],
        [rows[0]["juror_email"], "NO-SUCH-FILM", "7", "8"],
        [rows[1]["juror_email"], rows[1]["submission_id"], "11", "8"],  # outside 1-10
        [rows[2]["juror_email"], rows[2]["submission_id"], "seven", "8"],
        good[0],  # the same pair twice
    ]
    sheet.write_text("\n".join(",".join(r) for r in [["juror_email", "submission_id", "story", "craft"], *good, *bad]))
    result = run(app, "jury", "import-scores", "--round", str(round_id), str(sheet))
    assert result.exit_code == 1
    for expected in (
        "not a juror of this round",
        "NO-SUCH-FILM",
        "outside the scale 1–10",
        "not a number",
        "a second time",
    ):
        assert expected in result.output, (expected, result.output)
    assert _table(app, Score, round_id=round_id) == 0
    missing = tmp_path / "missing.csv"
    missing.write_text("juror_email,submission_id,story\n")
    result = run(app, "jury", "import-scores", "--round", str(round_id), str(missing))
    assert result.exit_code == 1 and "no column craft" in result.output


def test_conflicts_of_interest_are_honoured_and_a_declared_one_reassigns(app, demo, jurors, tmp_path):
    from showcase.auth.models import User
    from showcase.extensions import db
    from showcase.festivals.services import get_festival
    from showcase.films.models import Credit, Film
    from showcase.jury.services import assign_round, declare_conflict, get_round

    round_id = _round(app, per_film="3")
    run(app, "jury", "jurors", "add", "--round", str(round_id), *(x for j in jurors for x in ("--email", j)))
    with app.app_context():
        festival = get_festival(SLUG)
        juror = db.session.scalar(select(User).where(User.email == jurors[0]))
        film = db.session.scalar(select(Film).where(Film.slug == "fireworks"))
        director = db.session.scalar(select(Credit.person_id).where(Credit.film_id == film.id))
        declare_conflict(juror, festival, person_id=director)  # a conflict with a person: every film they made
        db.session.commit()
    assert run(app, "jury", "assign", "--round", str(round_id)).exit_code == 0
    pairs = {(r["juror_email"], r["submission_id"]) for r in _assignments(app, round_id, tmp_path)}
    with app.app_context():
        fireworks = db.session.scalar(select(Film.external_id).where(Film.slug == "fireworks"))
        other = db.session.scalar(select(Film).where(Film.slug == "tree"))
        assert (jurors[0], fireworks) not in pairs
        mine = (jurors[1], other.external_id) in pairs
        juror = db.session.scalar(select(User).where(User.email == jurors[1 if mine else 2]))
        declare_conflict(juror, get_festival(SLUG), film=other, reason="my cousin's film")
        plan = assign_round(get_round(round_id))
        db.session.commit()
        assert juror.id not in plan.jurors_of[other.id] and len(plan.jurors_of[other.id]) == 3
        assert plan.spread <= 1


def test_bad_round_arguments_are_refused_with_a_reason(app, demo, jurors, make_user):
    for args, expected in (
        (["--criteria", "Story!:2"], "lower-case word"),
        (["--criteria", "story:0"], "above 0"),
        (["--criteria", "story,story"], "named once"),
        (["--scale", "10-1"], "low-high"),
        (["--per-film", "0"], "from 1 to"),
        (["--from-round", "999999"], "no round 999999"),
    ):
        base = {"--criteria": "story:1", "--scale": "1-10", "--per-film": "2"}
        base.update(dict(zip(args[::2], args[1::2], strict=True)))
        result = run(
            app, "jury", "round", "create", "--festival", SLUG, "--name", "R", *(x for kv in base.items() for x in kv)
        )
        assert result.exit_code == 1 and expected in result.output, (args, result.output)
    round_id = _round(app)
    viewer = make_user("viewer")
    result = run(app, "jury", "jurors", "add", "--round", str(round_id), "--email", viewer)
    assert result.exit_code == 1 and "No juror account" in result.output
    result = run(app, "jury", "assign", "--round", str(round_id))
    assert result.exit_code == 1 and "no jurors yet" in result.output


def test_2300_films_times_3_jurors_of_scores_import_all_or_nothing(app, make_user, tmp_path, big_festival):
    """The model festival's size: 2,300 films, 20 jurors, 3 each — 6,900 scores in one workbook."""
    from openpyxl import Workbook

    from showcase.jury.models import Score

    result = run(
        app,
        "jury",
        "round",
        "create",
        "--festival",
        big_festival,
        "--name",
        "Pre-selection",
        "--criteria",
        "story:2,craft:1",
        "--per-film",
        "3",
    )
    round_id = int(result.output.strip())
    emails = [make_user("juror", email=f"big{n}@example.org") for n in range(20)]
    run(app, "jury", "jurors", "add", "--round", str(round_id), *(x for e in emails for x in ("--email", e)))
    result = run(app, "jury", "assign", "--round", str(round_id))
    assert result.exit_code == 0 and "2300 films, 6900 assignments, 345–345 films per juror" in result.output
    rows = _assignments(app, round_id, tmp_path)
    assert len(rows) == 6900
    rng = random.Random(1)
    book = Workbook()
    sheet = book.active
    sheet.append(["juror_email", "submission_id", "story", "craft"])
    for row in rows:
        sheet.append([row["juror_email"], row["submission_id"], rng.randint(1, 10), rng.randint(1, 10)])
    sheet.append([rows[5]["juror_email"], rows[5]["submission_id"], 12, 3])  # one bad line at the very end
    bad = tmp_path / "scores-bad.xlsx"
    book.save(bad)
    result = run(app, "jury", "import-scores", "--round", str(round_id), str(bad))
    assert result.exit_code == 1 and "line 6902" in result.output
    assert _table(app, Score, round_id=round_id) == 0  # nothing, not 6,900
    sheet.delete_rows(sheet.max_row)
    good = tmp_path / "scores.xlsx"
    book.save(good)
    result = run(app, "jury", "import-scores", "--round", str(round_id), str(good))
    assert result.exit_code == 0 and "Imported 6900 scores" in result.output, result.output
    assert _table(app, Score, round_id=round_id) == 6900


def _scored_round(app, jurors, tmp_path, table: dict[int, list[int]]) -> tuple[int, list[str]]:
    """A round of the demo's films, every film to every juror, scored from `table`: juror index → scores in
    submission-id order."""
    round_id = _round(app, per_film=str(len(table)))
    run(
        app,
        "jury",
        "jurors",
        "add",
        "--round",
        str(round_id),
        *(x for j in jurors[: len(table)] for x in ("--email", j)),
    )
    assert run(app, "jury", "assign", "--round", str(round_id)).exit_code == 0
    films = sorted({r["submission_id"] for r in _assignments(app, round_id, tmp_path)})
    sheet = tmp_path / "s.csv"
    lines = ["juror_email,submission_id,story,craft"]
    for n, scores in table.items():
        lines += [f"{jurors[n]},{film},{s},{s}" for film, s in zip(films, scores, strict=True)]
    sheet.write_text("\n".join(lines))
    assert run(app, "jury", "import-scores", "--round", str(round_id), str(sheet)).exit_code == 0
    return round_id, films


def test_closing_promotes_the_advancing_films_and_the_final_ranking_becomes_embargoed_awards(
    app, demo, jurors, tmp_path
):
    from showcase.audit.models import AuditLog
    from showcase.awards.models import Award
    from showcase.extensions import db
    from showcase.films.models import Film

    # Two jurors agree: film 0 first, films 1 and 2 tied second, then the rest.
    round_id, films = _scored_round(app, jurors, tmp_path, {0: [10, 8, 8, 5, 4, 3, 2], 1: [9, 7, 7, 4, 3, 2, 1]})
    result = run(app, "jury", "winners", "--round", str(round_id), "--places", "3")
    assert result.exit_code == 1 and "Close round" in result.output
    with app.app_context():
        db.session.execute(Film.__table__.update().values(status="submitted"))
        db.session.commit()
    assert run(app, "jury", "round", "close", "--round", str(round_id), "--advance", "4").exit_code == 0
    with app.app_context():
        status = dict(db.session.execute(select(Film.external_id, Film.status)).all())
    assert [status[f] for f in films] == ["shortlisted"] * 4 + ["submitted"] * 3

    result = run(app, "jury", "winners", "--round", str(round_id), "--places", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["1:", "2:", "2:"]  # the tie at the cut comes whole, sharing 2nd
    from showcase.awards.services import create_category
    from showcase.festivals.services import get_festival

    with app.app_context():
        category = create_category(get_festival(SLUG), name="新人奖", name_en="Newcomer Award")
        db.session.commit()
        before, category_id = 0, category.id
    result = run(
        app, "jury", "winners", "--round", str(round_id), "--places", "2", "--category", str(category_id), "--confirm"
    )
    assert result.exit_code == 0 and "Gave 3 award(s), embargoed" in result.output, result.output
    with app.app_context():
        given = db.session.execute(
            select(Film.external_id, Award.placement, Award.revealed_at)
            .join(Award, Award.film_id == Film.id)
            .where(Award.category_id == category_id)
            .order_by(Award.placement, Film.external_id)
        ).all()
        assert len(given) == before + 3
        new = [(sid, place) for sid, place, revealed in given if sid in films[:3]]
        assert sorted(new) == sorted([(films[0], 1), (films[1], 2), (films[2], 2)])
        assert all(revealed is None for sid, _p, revealed in given if sid in films[:3])  # under embargo
        assert {db.session.scalar(select(Film.status).where(Film.external_id == f)) for f in films[:3]} == {"winner"}
        actions = set(db.session.scalars(select(AuditLog.action)))
        assert {"close", "propose-winners", "status", "import-scores", "assign"} <= actions
    # Confirming again refuses the lot: those films already hold a placement there.
    again = run(
        app, "jury", "winners", "--round", str(round_id), "--places", "2", "--category", str(category_id), "--confirm"
    )
    assert again.exit_code == 1 and "already has a placement" in again.output


def test_criteria_in_both_languages_a_scoring_window_and_assignments_by_hand(app, demo, jurors, tmp_path):
    from datetime import timedelta

    from showcase.auth.models import User
    from showcase.db import utcnow
    from showcase.extensions import db
    from showcase.jury import services
    from showcase.jury.models import Assignment, JuryRound

    round_id = _round(app, "--criteria", "story/故事/Story:2,craft/技术/Craft:1", "--opens", "2027-06-01 09:00")
    with app.app_context():
        jury_round = db.session.get(JuryRound, round_id)
        assert [(c.name, c.label, c.label_en, c.weight) for c in jury_round.criteria] == [
            ("story", "故事", "Story", 2.0),
            ("craft", "技术", "Craft", 1.0),
        ]
        assert jury_round.opens_at.isoformat() == "2027-06-01T01:00:00+00:00"  # 09:00 in Shanghai
    bad = run(app, "jury", "round", "create", "--festival", SLUG, "--name", "R", "--criteria", "story/a/b/c:1")
    assert bad.exit_code == 1 and "name/中文/English:weight" in bad.output
    bad = run(
        app,
        "jury",
        "round",
        "create",
        "--festival",
        SLUG,
        "--name",
        "R",
        "--criteria",
        "story",
        "--opens",
        "2026-06-02 09:00",
        "--closes",
        "2026-06-01 09:00",
    )
    assert bad.exit_code == 1 and "closes after it opens" in bad.output
    bad = run(
        app, "jury", "round", "create", "--festival", SLUG, "--name", "R", "--criteria", "story", "--opens", "soon"
    )
    assert bad.exit_code == 1 and "2026-06-01 09:00" in bad.output
    for far in ("0001-01-01 00:00", "9999-12-31 23:59"):
        bad = run(
            app, "jury", "round", "create", "--festival", SLUG, "--name", "R", "--criteria", "story", "--closes", far
        )
        assert bad.exit_code == 1 and "between the years 1900 and 2200" in bad.output, far

    run(app, "jury", "jurors", "add", "--round", str(round_id), "--email", jurors[0], "--email", jurors[1])
    result = run(
        app, "jury", "assignment", "add", "--round", str(round_id), "--email", jurors[0], "--film", "DEMO-FIREWORKS"
    )
    assert result.exit_code == 0, result.output
    again = run(
        app, "jury", "assignment", "add", "--round", str(round_id), "--email", jurors[0], "--film", "DEMO-FIREWORKS"
    )
    assert again.exit_code == 1 and "already assigned" in again.output
    assert run(app, "jury", "assign", "--round", str(round_id)).exit_code == 0
    pairs = {(r["juror_email"], r["submission_id"]) for r in _assignments(app, round_id, tmp_path)}
    assert (jurors[0], "DEMO-FIREWORKS") in pairs  # the automatic run kept the assignment made by hand
    with app.app_context():
        jury_round = services.get_round(round_id)
        juror = db.session.scalar(select(User).where(User.email == jurors[0]))
        film_id = db.session.scalar(select(Assignment.film_id).where(Assignment.user_id == juror.id).limit(1))
        with pytest.raises(services.ValidationFailed, match="Scoring opens at 2027-06-01 01:00"):
            services.save_score(jury_round, juror, film_id, {"story": 5, "craft": 5})
        jury_round.opens_at, jury_round.closes_at = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1)
        services.save_score(jury_round, juror, film_id, {"story": 5, "craft": 5})
        db.session.commit()
        scored = db.session.scalar(select(services.Film.external_id).where(services.Film.id == film_id))
    refused = run(app, "jury", "assignment", "remove", "--round", str(round_id), "--email", jurors[0], "--film", scored)
    assert refused.exit_code == 1 and "scored this film already" in refused.output
    stranger = run(
        app, "jury", "assignment", "add", "--round", str(round_id), "--email", "x@example.org", "--film", scored
    )
    assert stranger.exit_code == 1 and "not a juror of this round" in stranger.output


def test_too_few_jurors_is_explained_by_submission_id_with_what_to_do(app, demo, jurors):
    round_id = _round(app, per_film="3")
    run(app, "jury", "jurors", "add", "--round", str(round_id), "--email", jurors[0])
    result = run(app, "jury", "assign", "--round", str(round_id))
    assert result.exit_code == 1
    assert "7 film(s) have fewer (DEMO-" in result.output and "Add jurors (this round has 1)" in result.output
