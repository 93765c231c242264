"""Award categories, winners (ties, citations) and the embargo that hides winners until revealed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from showcase.errors import ValidationFailed
from tests.conftest import post_form

SLUG = "ai-shorts-2026"
AWARDS = f"/staff/festivals/{SLUG}/awards/"


def _festival():
    from showcase.festivals.services import get_festival

    return get_festival(SLUG)


def _film(slug: str):
    from showcase.extensions import db
    from showcase.films.models import Film

    return db.session.scalar(select(Film).where(Film.slug == slug))


def _rows(model) -> int:
    from showcase.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def _audit(action: str) -> int:
    from showcase.audit.models import AuditLog
    from showcase.extensions import db

    return db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))


def test_categories_are_created_edited_and_reordered(demo, ctx):
    from showcase.awards import services
    from showcase.extensions import db

    festival = _festival()
    new = services.create_category(festival, name="评审团特别奖", name_en="Jury Prize")
    services.update_category(new, name="评审团大奖", name_en="Grand Jury Prize", description="最高荣誉")
    services.move_category(new, offset=-1)
    db.session.commit()
    names = [c.name_en for c in services.list_categories(festival)]
    assert names == ["Main Competition", "Best Visual Design", "Grand Jury Prize", "Best Sound Design"]
    services.move_category(new, offset=-10)  # past the top: first
    assert [c.name_en for c in services.list_categories(festival)][0] == "Grand Jury Prize"
    assert [c.display_order for c in services.list_categories(festival)] == [1, 2, 3, 4]


def test_ties_share_a_placement_and_bad_winners_are_refused(demo, ctx, other_festival):
    from showcase.awards import services
    from showcase.awards.models import Award
    from showcase.extensions import db
    from showcase.films.models import Film

    festival = _festival()
    category = services.create_category(festival, name="观众奖")
    services.give_award(category, _film("tree"), placement=2, citation="并列")
    services.give_award(category, _film("alaya"), placement=2)
    db.session.commit()
    assert [a.placement for a in category.awards] == [2, 2]
    before = _rows(Award)
    other_film = db.session.get(Film, other_festival["film_id"])
    for film, placement, field, message in (
        (other_film, 1, "film", "another festival"),
        (_film("tree"), 1, "film", "already has a placement"),
        (_film("tides"), 0, "placement", "from 1"),
        (_film("tides"), "abc", "placement", "whole number"),
        (None, 1, "film", "Choose a film"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            services.give_award(category, film, placement=placement)
        assert message in caught.value.errors[field]
    db.session.rollback()
    assert _rows(Award) == before


def test_winners_are_edited_and_removed_with_an_audit_trail(demo, ctx):
    from showcase.awards import services
    from showcase.extensions import db

    award = services.list_categories(_festival())[0].awards[-1]
    services.update_award(award, placement=4, citation="新的评语", citation_en="New citation")
    db.session.commit()
    assert (award.placement, award.citation_en) == (4, "New citation")
    with pytest.raises(ValidationFailed):
        services.update_award(award, placement=-1)
    db.session.rollback()
    services.remove_award(award)
    db.session.commit()
    assert len(services.list_categories(_festival())[0].awards) == 4
    assert _audit("delete") == 1


def test_the_embargo_hides_winners_until_revealed(demo, ctx):
    from showcase.awards import services
    from showcase.db import utcnow
    from showcase.extensions import db

    festival = _festival()
    fireworks, tree = _film("fireworks"), _film("tree")
    assert services.public_categories(festival) == []
    assert services.public_awards_for_films([fireworks.id, tree.id]) == {}
    main, visual, _sound = services.list_categories(festival)
    services.reveal_category(main)
    db.session.commit()
    public = services.public_categories(festival)
    assert [p.category.name_en for p in public] == ["Main Competition"]
    assert [a.placement for a in public[0].awards] == [1, 2, 2, 3, 3]  # the shared second prize stays
    assert set(services.public_awards_for_films([fireworks.id, tree.id])) == {fireworks.id, tree.id}
    first_reveal = main.awards[0].revealed_at
    assert first_reveal is not None and abs(first_reveal - utcnow()) < timedelta(minutes=1)
    services.reveal_category(main)  # revealing again keeps the time guests first saw it
    assert main.awards[0].revealed_at == first_reveal
    services.unreveal_award(main.awards[0])
    db.session.commit()
    assert fireworks.id not in services.public_awards_for_films([fireworks.id])
    assert len(services.public_categories(festival)[0].awards) == 4
    # A reveal scheduled for later is still embargoed now.
    services.reveal_award(visual.awards[0], at=utcnow() + timedelta(hours=1))
    db.session.commit()
    assert [p.category.name_en for p in services.public_categories(festival)] == ["Main Competition"]
    later = utcnow() + timedelta(hours=2)
    assert len(services.public_categories(festival, now=later)) == 2
    services.unreveal_category(main)
    db.session.commit()
    assert services.public_categories(festival) == []
    assert _audit("reveal") == 3 and _audit("unreveal") == 2


# ---------------------------------------------------------------- pages


def test_the_awards_page_renders_for_viewers_without_editing_controls(app, client, demo, login_as):
    login_as("viewer")
    html = client.get(AWARDS).get_data(as_text=True)
    assert "Main Competition" in html and "烟花之下是我家" in html and "embargoed" in html
    assert "Add a winner" not in html and "Reveal all" not in html
    assert post_form(client, f"{AWARDS}categories", {"name": "x"}, token_from=AWARDS).status_code == 403


def _category_id(app, name_en: str) -> int:
    from showcase.awards.models import AwardCategory
    from showcase.extensions import db

    with app.app_context():
        return db.session.scalar(select(AwardCategory.id).where(AwardCategory.name_en == name_en))


def test_editors_add_categories_and_winners_and_reveal_them(app, client, demo, login_as):
    from showcase.awards.services import public_categories

    login_as("editor")
    assert (
        post_form(
            client, f"{AWARDS}categories", {"name": "最佳剧本", "name_en": "Best Script"}, token_from=AWARDS
        ).status_code
        == 303
    )
    category_id = _category_id(app, "Best Script")
    with app.app_context():
        code = _film("tides").code
    response = post_form(
        client,
        f"{AWARDS}categories/{category_id}/winners",
        {"film": code.upper(), "placement": "1", "citation": "<b>bold</b>"},
        token_from=AWARDS,
    )
    assert response.status_code == 303
    html = client.get(AWARDS).get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in html  # citations are escaped
    post_form(client, f"{AWARDS}categories/{category_id}/move", {"direction": "up"}, token_from=AWARDS)
    assert (
        post_form(client, f"{AWARDS}categories/{category_id}/reveal", {"confirm": "1"}, token_from=AWARDS).status_code
        == 303
    )
    with app.app_context():
        public = public_categories(_festival())
        assert [p.category.name_en for p in public] == ["Best Script"]
        assert public[0].category.display_order == 3


@pytest.mark.parametrize(
    "path, data, message",
    [
        ("categories", {"name": "  "}, "Category name is required"),
        ("winners", {"film": "nope", "placement": "1"}, "Choose a film of this festival"),
        ("winners", {"film": "fireworks", "placement": "first"}, "Placement must be a whole number"),
        ("winners", {"film": "fireworks", "placement": "0"}, "Placement must be a whole number"),
        ("winners", {"film": "fireworks", "placement": "1"}, "already has a placement"),
        ("winners", {"film": "OT-1", "placement": "1"}, "Choose a film of this festival"),
    ],
)
def test_bad_award_input_gets_a_clear_message_and_writes_nothing(
    app, client, demo, other_festival, login_as, path, data, message
):
    from showcase.audit.models import AuditLog
    from showcase.awards.models import Award, AwardCategory

    login_as("editor")
    category_id = _category_id(app, "Main Competition")
    url = f"{AWARDS}categories" if path == "categories" else f"{AWARDS}categories/{category_id}/winners"
    with app.app_context():
        before = (_rows(Award), _rows(AwardCategory), _rows(AuditLog))
    response = post_form(client, url, data, token_from=AWARDS)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert (_rows(Award), _rows(AwardCategory), _rows(AuditLog)) == before


def test_edit_pages_for_a_category_and_a_winner(app, client, demo, login_as):
    from showcase.awards.models import Award
    from showcase.extensions import db

    login_as("editor")
    category_id = _category_id(app, "Best Sound Design")
    path = f"{AWARDS}categories/{category_id}/edit"
    assert client.get(path).status_code == 200
    bad = post_form(client, path, {"name": "", "name_en": "x"})
    assert bad.status_code == 400 and "Category name is required" in bad.get_data(as_text=True)
    assert post_form(client, path, {"name": "最佳音效", "name_en": "Best Sound"}).status_code == 303
    with app.app_context():
        award_id = db.session.scalar(select(Award.id).where(Award.category_id == category_id))
    path = f"{AWARDS}winners/{award_id}/edit"
    bad = post_form(client, path, {"placement": "-2"})
    assert bad.status_code == 400 and "Placement must be a whole number" in bad.get_data(as_text=True)
    assert post_form(client, path, {"placement": "2", "citation_en": "Shared"}).status_code == 303
    with app.app_context():
        award = db.session.get(Award, award_id)
        assert (award.placement, award.citation_en, award.category.name_en) == (2, "Shared", "Best Sound")
    for verb in ("reveal", "delete"):  # both ask first (tests/showcase/test_confirmations.py): confirmed here
        assert (
            post_form(client, f"{AWARDS}winners/{award_id}/{verb}", {"confirm": "1"}, token_from=AWARDS).status_code
            == 303
        )
    with app.app_context():
        assert db.session.get(Award, award_id) is None


def test_another_festivals_category_is_not_found(app, client, demo, other_festival, login_as):
    from showcase.awards.services import create_category
    from showcase.extensions import db
    from showcase.festivals.models import Festival

    with app.app_context():
        category = create_category(db.session.get(Festival, other_festival["festival_id"]), name="别的")
        db.session.commit()
        category_id = category.id
    login_as("editor")
    assert client.get(f"{AWARDS}categories/{category_id}/edit").status_code == 404
    response = post_form(client, f"{AWARDS}categories/{category_id}/reveal", {}, token_from=AWARDS)
    assert response.status_code == 404


def test_the_awards_page_offers_to_mark_a_placed_film_as_winner(app, client, demo, login_as):
    from showcase.awards.services import give_award, list_categories
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.services import create_film

    with app.app_context():
        film = create_film(_festival(), title="新人奖影片", runtime_seconds=300, status="selected")
        give_award(list_categories(_festival())[1], film, placement=2)
        db.session.commit()
        film_id = film.id
    login_as("editor")
    html = client.get(AWARDS).get_data(as_text=True)
    assert html.count("Mark film as winner") == 1  # the demo's placed films are winners already
    path = f"/staff/festivals/{SLUG}/films/{film_id}/status"
    assert post_form(client, path, {"status": "winner"}, token_from=AWARDS).status_code == 303
    with app.app_context():
        assert db.session.get(Film, film_id).status == "winner"
    assert "Mark film as winner" not in client.get(AWARDS).get_data(as_text=True)
