"""showcase: a festival screening and showcase event manager."""


def create_app(overrides=None):
    """Build the Flask application (see showcase.app.create_app)."""
    from showcase.app import create_app as factory

    return factory(overrides)
