"""gunicorn's settings, tied to the app's own. gunicorn reads `gunicorn.conf.py` from the folder it
starts in (the repository's root, where `bash manage.sh gunicorn` runs it, holds one that imports
this); elsewhere pass `--config python:dashboard.web.gunicorn_conf`.

Left to itself gunicorn believes `X-Forwarded-Proto` (and the other forwarding headers) from
127.0.0.1, whatever MEMBERSHIP_TRUSTED_PROXIES says, which flips the session cookie's Secure flag
and the scheme of the links the app publishes. Here gunicorn trusts no peer: the app applies
MEMBERSHIP_TRUSTED_PROXIES itself (werkzeug's ProxyFix, web/security.py), so the client's
address and the scheme are read by one rule, counting the same proxies.
"""
from __future__ import annotations

forwarded_allow_ips = ""  # no peer may set the scheme or the forwarded paths through gunicorn
