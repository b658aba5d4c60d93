# Read by gunicorn when it starts in this folder (as `bash manage.sh gunicorn ...` does): it trusts
# forwarding headers only as MEMBERSHIP_TRUSTED_PROXIES tells the app. See dashboard/web/gunicorn_conf.py.
from dashboard.web.gunicorn_conf import *  # noqa: F403
