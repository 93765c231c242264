from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from showcase.awards.services import MAX_PLACEMENT
from showcase.validation import whole_number


class CategoryForm(FlaskForm):
    name = StringField(_l("Category name"))
    name_en = StringField(_l("English name"))
    description = TextAreaField(_l("Description"))

    def values(self) -> dict:
        return {"name": self.name.data, "name_en": self.name_en.data or "", "description": self.description.data or ""}


def placement_value(text: str | None) -> int | str:
    """The placement as a number when it is one; anything else goes to the service, which explains."""
    text = (text or "").strip()
    number = whole_number(text, maximum=MAX_PLACEMENT)
    return number if number is not None else text


class AwardForm(FlaskForm):
    placement = StringField(_l("Placement (1 = first prize; ties share a number)"), default="1")
    citation = TextAreaField(_l("Citation"))
    citation_en = TextAreaField(_l("English citation"))

    def values(self) -> dict:
        return {
            "placement": placement_value(self.placement.data),
            "citation": self.citation.data or "",
            "citation_en": self.citation_en.data or "",
        }


class WinnerForm(FlaskForm):
    """A winner: the film is picked by search (templates/_picker.html), its id in `film_id`."""

    film = StringField(_l("Film"))
    film_id = HiddenField()
    placement = AwardForm.placement
    citation = AwardForm.citation
    citation_en = AwardForm.citation_en
    values = AwardForm.values


class ActionForm(FlaskForm):
    """A button: only the CSRF token, and a direction for moves."""

    direction = HiddenField()

    def offset(self) -> int:
        return -1 if self.direction.data == "up" else 1
