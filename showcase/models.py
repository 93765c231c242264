"""Imports every domain's models so that metadata (and Alembic) sees all tables."""

from showcase.audit.models import AuditLog
from showcase.auth.models import ApiToken, User
from showcase.awards.models import Award, AwardCategory
from showcase.festivals.models import Festival, Screen, Venue
from showcase.films.models import Credit, Film, MediaAsset, Person, ShortCode
from showcase.guests.models import PublicVersion
from showcase.jobs.models import Job
from showcase.jury.models import Assignment, Conflict, JuryCriterion, JuryRound, RoundFilm, RoundJuror, Score
from showcase.kiosks.models import Kiosk, KioskCommand, Playlist, PlaylistItem, PlaylistVersion
from showcase.schedule.models import ItemPerson, RunningOrderItem, ScheduleSession, SessionPerson
from showcase.shows.models import CueRun, Show

__all__ = [
    "ApiToken",
    "Assignment",
    "Conflict",
    "JuryCriterion",
    "JuryRound",
    "RoundFilm",
    "RoundJuror",
    "Score",
    "CueRun",
    "Show",
    "AuditLog",
    "Award",
    "AwardCategory",
    "Credit",
    "Festival",
    "ItemPerson",
    "Film",
    "Job",
    "Kiosk",
    "KioskCommand",
    "MediaAsset",
    "Person",
    "Playlist",
    "PlaylistItem",
    "PlaylistVersion",
    "PublicVersion",
    "RunningOrderItem",
    "ScheduleSession",
    "Screen",
    "SessionPerson",
    "ShortCode",
    "User",
    "Venue",
]
