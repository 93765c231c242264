"""Staff API tokens: made once and shown once, stored hashed, revocable, dead with a deactivated account; the CLI."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tests.builders import make_user


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def _db():
    from showcase.extensions import db

    return db


def _every_stored_value(app) -> str:
    """Every row of every table, as text: what a database dump would hold."""
    from showcase.db import Base

    with app.app_context():
        rows = []
        for table in Base.metadata.sorted_tables:
            rows.extend(repr(tuple(row)) for row in _db().session.execute(select(table)))
        return "\n".join(rows)


def test_a_token_is_stored_only_as_its_sha256(app, ctx):
    from showcase.audit.models import AuditLog
    from showcase.auth.models import ApiToken
    from showcase.auth.tokens import create_token, user_for_token

    user = make_user(role="editor")
    token, raw = create_token(user, name="Stream Deck, hall 1")
    _db().session.commit()
    assert raw.startswith("sct_") and len(raw) > 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = _every_stored_value(app)
    assert token.token_hash in stored and raw not in stored and raw[4:] not in stored
    if app.config["DATABASE_URL"].startswith("sqlite:///"):  # the file itself, the write-ahead log too
        path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
        for file in (Path(path), Path(path + "-wal")):
            data = file.read_bytes() if file.exists() else b""
            assert raw.encode() not in data and raw[4:].encode() not in data
    entry = _db().session.scalar(select(AuditLog).where(AuditLog.entity_type == "ApiToken"))
    assert (entry.action, entry.entity_id, entry.after["name"]) == ("create", token.id, "Stream Deck, hall 1")
    assert "token_hash" not in entry.after
    assert user_for_token(raw) == user
    assert _db().session.get(ApiToken, token.id).last_used_at is not None


def test_wrong_revoked_and_deactivated_tokens_find_no_one(ctx):
    from showcase.auth.tokens import create_token, revoke_token, user_for_token

    kept, kept_raw = create_token(make_user(role="viewer"), name="kept")
    revoked, revoked_raw = create_token(make_user(role="admin"), name="revoked")
    leaver = make_user(role="editor")
    _, leaver_raw = create_token(leaver, name="leaver's deck")
    assert revoke_token(revoked) is True
    assert revoke_token(revoked) is False  # already revoked: nothing changes, no second audit entry
    leaver.active = False
    _db().session.commit()
    assert user_for_token(kept_raw) is not None
    for raw in (revoked_raw, leaver_raw, "", None, kept_raw + "x", kept_raw[:-1], kept.token_hash):
        assert user_for_token(raw) is None, raw


def test_last_used_is_written_at_most_once_a_minute(ctx):
    from showcase.auth.tokens import create_token, user_for_token
    from showcase.db import utcnow

    token, raw = create_token(make_user(role="viewer"), name="poller")
    now = utcnow()
    user_for_token(raw, now=now)
    assert token.last_used_at == now
    user_for_token(raw, now=now + timedelta(seconds=30))
    assert token.last_used_at == now  # a controller polling every second writes nothing each time
    user_for_token(raw, now=now + timedelta(seconds=61))
    assert token.last_used_at == now + timedelta(seconds=61)


def test_a_deactivated_account_gets_no_new_token_and_a_name_is_required(ctx):
    from showcase.auth.models import ApiToken
    from showcase.auth.tokens import create_token
    from showcase.errors import ValidationFailed

    leaver = make_user(role="editor")
    leaver.active = False
    for user, name, field in ((leaver, "deck", "email"), (make_user(role="editor"), "  ", "name")):
        try:
            create_token(user, name=name)
        except ValidationFailed as exc:
            assert field in exc.errors
        else:
            raise AssertionError("a token was made")
    assert _db().session.scalar(select(ApiToken)) is None


def test_cli_create_prints_the_token_once_and_list_and_revoke_work(app):
    from showcase.audit.models import AuditLog
    from showcase.auth.models import ApiToken
    from showcase.auth.tokens import user_for_token

    with app.app_context():
        editor, viewer = make_user(role="editor").email, make_user(role="viewer").email
        _db().session.commit()
    made = _run(app, "tokens", "create", "--email", editor.upper(), "--name", "Stream Deck 舞台")
    assert made.exit_code == 0, made.output
    raw = made.stdout.strip()  # stdout holds the token alone: TOKEN=$(showcase tokens create …) works
    assert raw.startswith("sct_") and "\n" not in raw and "shown once" in made.stderr
    assert _run(app, "tokens", "create", "--email", viewer, "--name", "wall display").exit_code == 0
    with app.app_context():
        token_id = _db().session.scalar(select(ApiToken.id).where(ApiToken.name == "Stream Deck 舞台"))
        assert user_for_token(raw).email == editor

    listed = _run(app, "tokens", "list")
    assert listed.exit_code == 0 and raw not in listed.output
    lines = listed.output.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{token_id}\t{editor}\teditor\tStream Deck 舞台\t")
    assert lines[0].endswith("\tactive")
    only = _run(app, "tokens", "list", "--email", viewer).output.strip().splitlines()
    assert len(only) == 1 and "\twall display\t" in only[0]

    revoked = _run(app, "tokens", "revoke", str(token_id))
    assert revoked.exit_code == 0 and f"Revoked token {token_id}." in revoked.output
    assert "\trevoked " in _run(app, "tokens", "list", "--email", editor).output
    assert "revoked already" in _run(app, "tokens", "revoke", str(token_id)).output
    with app.app_context():
        assert user_for_token(raw) is None
        actions = _db().session.scalars(
            select(AuditLog.action).where(AuditLog.entity_type == "ApiToken", AuditLog.entity_id == token_id)
        )
        assert sorted(actions) == ["create", "revoke"]


def test_cli_refuses_unknown_accounts_and_tokens_writing_nothing(app):
    from showcase.auth.models import ApiToken

    with app.app_context():
        email = make_user(role="editor").email
        _db().session.commit()
    cases = [
        (("tokens", "create", "--email", "nobody@example.org", "--name", "x"), "no account with e-mail"),
        (("tokens", "create", "--email", email, "--name", ""), "Name is required"),
        (("tokens", "create", "--email", email, "--name", "x" * 101), "longer than 100"),
        (("tokens", "revoke", "999999"), "No API token with id 999999"),
        (("tokens", "list", "--email", "nobody@example.org"), "no account with e-mail"),
    ]
    for args, message in cases:
        result = _run(app, *args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    with app.app_context():
        assert _db().session.scalar(select(ApiToken)) is None
