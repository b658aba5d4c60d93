"""WSGI entry point for several server processes:

    MEMBERSHIP_HOST=0.0.0.0 MEMBERSHIP_ADMIN_PASSWORD=... gunicorn -w 4 -b 0.0.0.0:8050 'dashboard.web.wsgi:server'

gunicorn, not the app, decides the address it listens on, so the app cannot see it. MEMBERSHIP_HOST
tells it; when unset the app assumes the safe case, that other machines can reach it, so editing
needs MEMBERSHIP_ADMIN_PASSWORD (set MEMBERSHIP_HOST=127.0.0.1 when gunicorn binds to loopback only;
even then a request from another address, or through a proxy, is refused without the password).
Each worker builds its own app; they share nothing but data/, and each one reloads the data
when the file changes, so a change written by one worker is served by all of them at once.
"""
from __future__ import annotations

import sys

from dashboard.config import Settings
from dashboard.web.app import create_app
from dashboard.web.first_paint import start

settings = Settings.under_wsgi()
app = create_app(settings)
start(app)  # the chart's images for the first paint, made in the background (shared by the workers)
if settings.public_url_warning:
    print(f"membership: warning: {settings.public_url_warning}", file=sys.stderr)
server = app.server
