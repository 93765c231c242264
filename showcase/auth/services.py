"""Staff accounts: create, authenticate, change passwords, end sessions."""

from __future__ import annotations

import hmac
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from showcase.audit.services import record, snapshot
from showcase.auth.models import ROLES, User, new_session_token
from showcase.db import utcnow
from showcase.errors import ShowcaseError
from showcase.extensions import db
from showcase.i18n import LANGUAGES, N_
from showcase.validation import Checker, normalise_email

MIN_PASSWORD_LENGTH = 10


class LoginFailed(ShowcaseError):
    status = 401


def hash_password(password: str) -> str:
    """An scrypt hash with the configured cost (PASSWORD_HASH_METHOD)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """Compared against when the account does not exist, so both paths cost one hash check."""
    return generate_password_hash("not-a-real-password", method=method)


def _check_password(checker: Checker, password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        checker.fail(
            "password",
            N_(
                "Password must be at least %(min_password_length)s characters.", min_password_length=MIN_PASSWORD_LENGTH
            ),
        )


def find_user(email: str) -> User | None:
    """The account with this e-mail address, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(*, email: str, name: str, role: str, password: str, actor: User | None = None) -> User:
    """Create a staff account; ValidationFailed lists every bad field."""
    checker = Checker()
    try:
        email = normalise_email(email)
    except ValueError:
        checker.fail("email", N_("Enter a valid e-mail address."))
    name = checker.text("name", name, label=N_("Name"), max_length=200)
    checker.choice("role", role, label=N_("Role"), choices=ROLES)
    _check_password(checker, password)
    if "email" not in checker.errors and find_user(email):
        checker.fail("email", N_("An account with this e-mail address already exists."))
    checker.done()
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record(actor=actor, action="create", entity=user, after=snapshot(user))
    return user


def authenticate(email: str, password: str) -> User:
    """The active user with these credentials; LoginFailed otherwise (same message either way)."""
    user = find_user(email or "")
    stored = user.password_hash if user else _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    ok = check_password_hash(stored, password or "")
    if not (user and ok and user.active):
        raise LoginFailed(N_("Wrong e-mail address or password."))
    user.last_login_at = utcnow()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every login cookie and remember cookie issued to this user."""
    user.session_token = new_session_token()
    db.session.flush()


def set_password(user: User, password: str, *, actor: User | None = None) -> None:
    """Change the password and end every existing session of the account."""
    checker = Checker()
    _check_password(checker, password)
    checker.done()
    user.password_hash = hash_password(password)
    end_sessions(user)
    record(actor=actor, action="set_password", entity=user)


def change_own_password(user: User, *, current: str, new: str) -> None:
    """A user changes their own password after proving the current one."""
    if not check_password_hash(user.password_hash, current or ""):
        raise LoginFailed(N_("The current password is wrong."))
    set_password(user, new, actor=user)


def set_language(user: User, language: str | None) -> None:
    """Store the user's interface language: 'zh', 'en', or none to follow the browser."""
    checker = Checker()
    if language:
        checker.choice("language", language, label=N_("Language"), choices=LANGUAGES)
    checker.done()
    user.language = language or None
    db.session.flush()


def user_from_cookie_id(value: str) -> User | None:
    """flask-login's user loader: 'id:token' must match a live session token."""
    user_id, _, token = (value or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))
