"""Flask extensions, created unbound: create_app() binds them to an app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from showcase.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# No default limits: only the routes that name a limit are throttled (guest pages never are).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
