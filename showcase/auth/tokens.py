"""Staff API tokens: a show controller or a script acts with its user's role, by bearer token.

A token is shown once, when it is made; only its sha256 is stored (tokens are 256 random bits, so no salt or
stretching is needed, and the lookup is one indexed equality). Revoking a token, or deactivating its user,
stops it at the next request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from showcase.audit.services import record, snapshot
from showcase.auth.models import ApiToken, User
from showcase.db import utcnow
from showcase.errors import NotFound
from showcase.extensions import db
from showcase.messages import N_
from showcase.validation import Checker

PREFIX = "sct_"  # "showcase token": recognisable in a leaked config file or a secret scanner's rules
NAME_MAX = 100
# last_used_at is written at most this often per token: a controller polling every second costs no write each time
USED_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """What we store of a token: its sha256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def create_token(user: User, *, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for an active user; returns it and the raw token (shown once: only the hash is kept)."""
    checker = Checker()
    name = checker.text("name", name, label=N_("Name"), max_length=NAME_MAX)
    if not user.active:
        checker.fail("email", N_("%(email)s is deactivated: it cannot have API tokens.", email=user.email))
    checker.done()
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw))
    db.session.add(token)
    db.session.flush()
    record(actor=actor, action="create", entity=token, after=snapshot(token, exclude=("token_hash",)))
    return token, raw


def list_tokens(user: User | None = None) -> list[tuple[ApiToken, User]]:
    """Every token (of one user, when given) with its user, oldest first; revoked ones too."""
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return [(token, owner) for token, owner in db.session.execute(query)]


def get_token(token_id: int) -> ApiToken:
    """The token with this id; NotFound otherwise."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(N_("No API token with id %(token_id)s.", token_id=token_id))
    return token


def revoke_token(token: ApiToken, *, actor: User | None = None, now: datetime | None = None) -> bool:
    """Stop the token working from now on; False when it was revoked already (nothing changes then)."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or utcnow()
    db.session.flush()
    record(actor=actor, action="revoke", entity=token, after={"revoked_at": token.revoked_at.isoformat()})
    return True


def user_for_token(raw: str | None, *, now: datetime | None = None) -> User | None:
    """The active user holding this live (unrevoked) token, else None; notes when the token was last used."""
    if not raw:
        return None
    found = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None), User.active.is_(True))
    ).first()
    if found is None:
        return None
    token, user = found
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        token.last_used_at = now
    return user
