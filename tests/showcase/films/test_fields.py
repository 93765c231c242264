"""showcase.films.fields: the one definition of what a film's fields may hold."""

from datetime import date

import pytest

from showcase.films.fields import (
    FILM_TEXT,
    PERSON_NAME,
    clean_email,
    runtime_problem,
    status_problem,
    year_problem,
)
from showcase.films.models import Credit, Film, Person


def test_the_film_table_is_sized_by_the_rules():
    for name, rule in FILM_TEXT.items():
        if name not in ("synopsis", "synopsis_en"):  # Text columns: no length in the table
            assert Film.__table__.c[name].type.length == rule.max_length, name
    assert Person.__table__.c["name"].type.length == PERSON_NAME.max_length
    assert Credit.__table__.c["role"].type.length >= 15


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "Original title is required."),
        ("x" * 500, None),
        ("x" * 501, "Original title is 501 characters long; the limit is 500."),
    ],
)
def test_text_rules_say_what_is_wrong(value, problem):
    assert FILM_TEXT["title"].problem(value) == problem


@pytest.mark.parametrize(
    ("seconds", "problem"),
    [
        (1, None),
        (36000, None),
        (0, "above zero"),
        (-5, "above zero"),
        (None, "above zero"),
        (True, "above zero"),
        (12.5, "above zero"),
        (36001, "longer than 10 hours"),
    ],
)
def test_runtime_rule(seconds, problem):
    found = runtime_problem(seconds)
    assert found is None if problem is None else problem in found


def test_year_rule_accepts_next_year_and_nothing_before_film():
    today = date(2026, 12, 3)
    assert year_problem(None, today=today) is None
    assert year_problem(1888, today=today) is None and year_problem(2027, today=today) is None
    assert year_problem(1887, today=today) == "1887 is not a plausible year: it must be between 1888 and 2027."
    assert "between 1888 and 2027" in year_problem(2028, today=today)


def test_status_rule_names_the_statuses():
    assert status_problem("winner") is None
    assert status_problem("入围") == (
        '"入围" is not a status; use one of: submitted, shortlisted, selected, winner, withdrawn.'
    )


@pytest.mark.parametrize(
    ("email", "clean"),
    [
        ("Name@Example.COM", "name@example.com"),
        (" o'brien@mail.example.co.uk ", "o'brien@mail.example.co.uk"),
        ("王@例子.中国", "王@例子.中国"),
        ("a.b+tag@xn--fiqs8s.xn--fiqz9s", "a.b+tag@xn--fiqs8s.xn--fiqz9s"),
        ("", ""),
    ],
)
def test_plausible_emails_are_kept_lower_cased(email, clean):
    assert clean_email(email) == clean


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("a@b", "not a valid e-mail"),
        ("a@@b.com", "more than one"),
        ("a@b..com", "not a valid e-mail"),
        (".a@b.com", "not a valid e-mail"),
        ("a b@c.com", "not a valid e-mail"),
        ("a\\b@c.com", "not a valid e-mail"),
        ("a@b.com;c@d.com", "more than one"),
        ("x" * 65 + "@example.com", "not a valid e-mail"),
    ],
)
def test_implausible_emails_are_refused(email, reason):
    with pytest.raises(ValueError, match=reason):
        clean_email(email)
