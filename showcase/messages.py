"""A service's message that a staff page can show in its reader's language (showcase.i18n.translate).

Standard library only, so pure cores (the show clock) and services mark their words without Flask:
`N_("Cue %(cue)s is %(over)s over its planned time.", cue=3, over="1:05")` is the English text for the
command line, logs and background jobs, and keeps the template (extracted into the catalogue: `N_` is
one of pybabel's keywords) and its parameters for the web edge.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """A service's message: the English text (what `str()`, the command line, logs and background jobs
    show) that keeps its catalogue template and parameters, so a staff page can word it in the reader's
    language (`translate`). A parameter that is a Message is translated too; any other stays as it is."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any] | None = None) -> Message:
        params = dict(params or {})
        text = super().__new__(cls, template % params if params else template)
        text.template, text.params = template, params
        return text

    def __reduce__(self):  # pickled (an RQ job's error) as the same message
        return (Message, (self.template, self.params))


def N_(template: str, **params: Any) -> Message:
    """Mark a service's message for the catalogue without translating it: English, with its template
    and `%(name)s` parameters kept for the page that shows it (`translate`)."""
    return Message(template, params)
