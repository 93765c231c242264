"""A second step for what cannot be undone (or stops a show), the same for every view.

A POST without `confirm=1` changes nothing: it answers a page that says what would happen, with a
Confirm button (a form carrying the CSRF token, the fields that were posted and `confirm=1`) and a
Cancel link back to where the user was. It works without JavaScript; static/js/confirm.js shows the
same step in a dialog. The CSRF check runs before the view, on both POSTs.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask.typing import ResponseReturnValue

CONFIRM_FIELD = "confirm"
IRREVERSIBLE = "This cannot be undone."
NOT_CARRIED = frozenset({"csrf_token", CONFIRM_FIELD})


def is_confirmed() -> bool:
    """Whether this request is the confirmed POST of a confirmation step."""
    return request.method == "POST" and request.form.get(CONFIRM_FIELD) == "1"


def confirm_then(
    question: str,
    then: Callable[[], ResponseReturnValue],
    *,
    cancel: str,
    label: str = "Confirm",
    consequence: str = IRREVERSIBLE,
) -> ResponseReturnValue:
    """`then()` on the confirmed POST; otherwise the confirmation page, and nothing is done."""
    if is_confirmed():
        return then()
    carried = [(name, value) for name, value in request.form.items(multi=True) if name not in NOT_CARRIED]
    return render_template(
        "_confirm.html",
        question=question,
        consequence=consequence,
        label=label,
        cancel=cancel,
        action=request.path,
        carried=carried,
    ), 200
