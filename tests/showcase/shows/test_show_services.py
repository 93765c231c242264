"""Running a show through its services: GO, back, follows, pause, end, reset, the GO's holder, reveals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from showcase.audit.models import AuditLog
from showcase.awards.services import public_awards_for_films
from showcase.extensions import db
from showcase.schedule.services import append_item
from showcase.shows import services
from showcase.shows.models import CueRun
from showcase.shows.present import show_state
from showcase.shows.services import ShowConflict
from tests.builders import make_award, make_festival, make_film, make_session, make_user


@pytest.fixture
def night(ctx):
    """A ceremony: welcome (manual), the award announcement (manual), the winning film (follows), a second film
    (follows), closing words (manual); the award under embargo."""
    festival = make_festival()
    film = make_film(festival, runtime_seconds=120)
    other = make_film(festival, runtime_seconds=60)
    award = make_award(festival, film)
    session = make_session(festival, kind="ceremony")
    append_item(session, kind="speech", planned_seconds=300, title="致辞", title_en="Welcome")
    append_item(session, kind="award", planned_seconds=120, award_id=award.id, title="最佳影片", title_en="Best film")
    append_item(session, kind="film", planned_seconds=120, film_id=film.id, title=film.title)
    append_item(session, kind="film", planned_seconds=60, film_id=other.id, title=other.title)
    append_item(session, kind="speech", planned_seconds=180, title="闭幕", title_en="Closing")
    caller, second = make_user(role="editor"), make_user(role="editor")
    db.session.commit()
    return {"session": session, "award": award, "film": film, "caller": caller, "second": second}


def at(night, seconds: float):
    return night["session"].starts_at + timedelta(seconds=seconds)


def cue_ids(night) -> list[int]:
    return [item.id for item in night["session"].items]


def go(night, seconds: float, *, who: str = "caller"):
    show = services.show_for(night["session"])
    return services.go(show, actor=night[who], from_cue=show.cue_id, now=at(night, seconds))


def test_go_runs_the_show_cue_by_cue_and_records_what_happened(night):
    show = go(night, 0)
    assert (show.state, show.rehearsal, show.cue_id, show.run) == ("running", False, cue_ids(night)[0], 1)
    go(night, 330)
    go(night, 400)  # the award announcement ends: the winning film starts
    state = show_state(show, now=at(night, 700))  # both films have run by themselves since
    assert state["cue"]["id"] == cue_ids(night)[3] and state["cue_ended"] is True
    assert state["next"]["id"] == cue_ids(night)[4]
    runs = services.as_run(show)
    assert [(r.position, r.how, r.started_at, r.ended_at) for r in runs] == [
        (1, "go", at(night, 0), at(night, 330)),
        (2, "go", at(night, 330), at(night, 400)),
        (3, "go", at(night, 400), at(night, 520)),
        (4, "follow", at(night, 520), at(night, 580)),
    ]
    assert runs[0].started_by_id == night["caller"].id and runs[3].started_by_id is None
    assert state["over_under_seconds"] == 700 - 600  # the closing words, planned at 600, wait for GO at 700


def test_a_double_go_advances_one_cue(night):
    first = go(night, 0)
    stale = first.cue_id
    services.go(first, actor=night["caller"], from_cue=stale, now=at(night, 10))
    with pytest.raises(ShowConflict, match="moved on"):
        services.go(first, actor=night["caller"], from_cue=stale, now=at(night, 10.2))
    assert first.cue_id == cue_ids(night)[1]
    with pytest.raises(ShowConflict):
        services.go(first, actor=night["caller"], from_cue=None, now=at(night, 11))  # a GO pressed at standby


def test_one_person_holds_the_go_until_it_is_taken_over(night):
    show = go(night, 0)
    with pytest.raises(ShowConflict, match="holds the GO"):
        go(night, 5, who="second")
    services.take_over(show, actor=night["second"], now=at(night, 6))
    go(night, 7, who="second")
    with pytest.raises(ShowConflict, match="holds the GO"):
        go(night, 8)
    takeover = db.session.scalar(select(AuditLog).where(AuditLog.action == "show_take_over"))
    assert takeover.user_id == night["second"].id


def test_the_award_is_revealed_when_its_announcement_starts_not_before(night):
    film_id = night["film"].id
    go(night, 0)
    db.session.commit()
    assert public_awards_for_films([film_id], now=at(night, 100)) == {}
    go(night, 300)
    assert night["award"].revealed_at == at(night, 300)
    assert [a.id for a in public_awards_for_films([film_id], now=at(night, 301))[film_id]] == [night["award"].id]


def test_a_rehearsal_runs_the_show_and_reveals_nothing(night):
    show = services.rehearse(services.show_for(night["session"]), actor=night["caller"], now=at(night, -3600))
    services.go(show, actor=night["caller"], from_cue=show.cue_id, now=at(night, -3500))
    assert show.rehearsal and show.cue_id == cue_ids(night)[1]
    assert night["award"].revealed_at is None
    assert all(r.rehearsal for r in db.session.scalars(select(CueRun)))
    services.reset(show, actor=night["caller"], confirm=False, now=at(night, -3400))  # no confirmation needed
    assert (show.state, show.cue_id, show.rehearsal) == ("standby", None, False)


def test_back_starts_the_cue_before_again(night):
    show = go(night, 0)
    go(night, 300)
    services.back(show, actor=night["caller"], from_cue=show.cue_id, now=at(night, 310))
    assert show.cue_id == cue_ids(night)[0]
    assert [(r.position, r.how) for r in services.as_run(show)] == [(1, "go"), (2, "go"), (1, "back")]
    with pytest.raises(ShowConflict, match="no cue before"):
        services.back(show, actor=night["caller"], from_cue=show.cue_id, now=at(night, 320))


def test_pause_stops_the_clock_and_a_paused_film_does_not_end(night):
    show = go(night, 0)
    go(night, 300)
    go(night, 400)  # the film (120 s) starts
    services.pause(show, actor=night["caller"], now=at(night, 430))
    assert show_state(show, now=at(night, 900))["cue"]["id"] == cue_ids(night)[2]  # held, not ended
    services.resume(show, actor=night["caller"], now=at(night, 500))
    state = show_state(show, now=at(night, 560))
    assert state["cue"]["id"] == cue_ids(night)[2] and state["elapsed_seconds"] == 90
    state = show_state(show, now=at(night, 600))  # 400 + 120 + 70 paused = 590: the next film followed
    assert state["cue"]["id"] == cue_ids(night)[3] and state["elapsed_seconds"] == 10


def test_go_on_the_last_cue_ends_the_show_and_reset_after_a_live_show_needs_confirming(night):
    show = go(night, 0)
    for seconds in (10, 20, 30, 40):
        show = go(night, seconds)
    assert show.cue_id == cue_ids(night)[4]
    go(night, 50)
    assert show.state == "ended" and show.ended_at == at(night, 50)
    with pytest.raises(ShowConflict, match="ended"):
        go(night, 60)
    with pytest.raises(ShowConflict, match="confirm"):
        services.reset(show, actor=night["caller"], confirm=False, now=at(night, 70))
    services.reset(show, actor=night["caller"], confirm=True, now=at(night, 70))
    assert show.state == "standby" and night["award"].revealed_at is not None  # revealed awards stay revealed
    go(night, 80)
    assert show.run == 2 and [r.run for r in services.as_run(show)] == [2]


def test_every_go_is_in_the_audit_log(night):
    go(night, 0)
    go(night, 10)
    count = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "show_go"))
    assert count == 2


def test_a_stage_message_is_one_line_and_short(night):
    show = services.show_for(night["session"])
    services.send_message(show, actor=night["caller"], text="  Wrap up\n now ", now=at(night, 0))
    assert show.message == "Wrap up now"
    with pytest.raises(ShowConflict, match="at most 200"):
        services.send_message(show, actor=night["caller"], text="x" * 201, now=at(night, 1))
    assert show.message == "Wrap up now"


def test_a_session_without_a_running_order_cannot_start(ctx):
    festival = make_festival()
    session = make_session(festival)
    user = make_user()
    show = services.show_for(session)
    with pytest.raises(ShowConflict, match="no running order"):
        services.go(show, actor=user, from_cue=None, now=session.starts_at)
    assert show.state == "standby"


def test_a_shared_prize_announced_in_one_cue_reveals_every_winner_of_it(ctx):
    from showcase.awards.services import create_category, give_award
    from showcase.schedule.running_order import save_running_order
    from showcase.schedule.winners import winner_drafts

    festival = make_festival()
    first, second = make_film(festival, runtime_seconds=60), make_film(festival, runtime_seconds=60)
    category = create_category(festival, name="主竞赛", name_en="Main")
    shared = [give_award(category, film, placement=2) for film in (first, second)]
    session = make_session(festival, kind="ceremony")
    drafts = winner_drafts(festival, mode="lowest_first")  # one announcement for the shared second prize
    save_running_order(session, drafts, expected_version=session.running_order_version)
    assert [d.kind for d in drafts] == ["award", "film", "film"]
    caller = make_user()
    show = services.show_for(session)
    services.go(show, actor=caller, from_cue=None, now=session.starts_at)
    assert all(award.revealed_at == session.starts_at for award in shared)


def test_a_shared_prize_with_a_cue_per_winner_reveals_each_on_its_own_cue(ctx):
    from showcase.awards.services import create_category, give_award

    festival = make_festival()
    films = [make_film(festival, runtime_seconds=60) for _ in range(2)]
    category = create_category(festival, name="主竞赛", name_en="Main")
    awards = [give_award(category, film, placement=2) for film in films]
    session = make_session(festival, kind="ceremony")
    for award in awards:
        append_item(session, kind="award", planned_seconds=60, award_id=award.id)
    caller = make_user()
    show = services.show_for(session)
    services.go(show, actor=caller, from_cue=None, now=session.starts_at)
    assert awards[0].revealed_at is not None and awards[1].revealed_at is None
    services.go(show, actor=caller, from_cue=show.cue_id, now=session.starts_at + timedelta(seconds=60))
    assert awards[1].revealed_at is not None


def test_two_first_looks_at_a_show_at_once_make_one_show(app, backend):
    """Two requests open a show nobody has opened yet, at the same moment: both get the one row."""
    import threading

    from showcase.schedule.models import ScheduleSession
    from showcase.shows.models import Show

    with app.app_context():
        session_id = make_session(make_festival()).id
        db.session.commit()
    barrier, ids, errors = threading.Barrier(2), [], []

    def first_look():
        with app.app_context():
            try:
                session = db.session.get(ScheduleSession, session_id)
                barrier.wait(timeout=5)
                ids.append(services.show_for(session).id)
                db.session.commit()
            except Exception as exc:  # the test reports it
                errors.append(exc)

    threads = [threading.Thread(target=first_look) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    with app.app_context():
        assert errors == [] and len(ids) == 2 and len(set(ids)) == 1
        assert db.session.scalar(select(func.count()).select_from(Show)) == 1
