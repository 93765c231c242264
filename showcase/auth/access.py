"""Deny by default: every route declares who may use it, and one hook enforces it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user

from showcase.auth.models import ROLES
from showcase.messages import N_

# Public routes need no login; kiosk routes check a kiosk's bearer token in the view, token routes a staff API
# token (showcase.auth.tokens) and the role it needs (the view's `token_role`, declared with the view).
ACCESS_LEVELS = ("public", "kiosk", "token", *ROLES)
BEARER_LEVELS = ("kiosk", "token")


def requires(access: str) -> Callable:
    """Declare who may call a view: 'public', 'kiosk', 'token', 'viewer', 'editor' or 'admin'."""
    if access not in ACCESS_LEVELS:
        raise ValueError(f"unknown access level {access!r}")

    def mark(view: Callable) -> Callable:
        view.access = access
        return view

    return mark


def access_of(endpoint: str) -> str | None:
    """The declared access level of an endpoint, or None when it declares none."""
    if endpoint == "static":
        return "public"
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def enforce_access():
    """before_request hook: refuse undeclared routes, send anonymous staff to login, 403 low roles."""
    if request.endpoint is None:
        return None  # 404/405 follow
    access = access_of(request.endpoint)
    if access is None:
        abort(403)
    if access == "public" or access in BEARER_LEVELS:
        return None  # bearer routes: the view checks the token (never a cookie) and answers 401/403 in JSON
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.has_role(access):
        abort(403, N_("This page needs the %(role)s role.", role=access))
    return None


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no //host, /\\host or absolute URLs)."""
    if not target:
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
