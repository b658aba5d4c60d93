"""The headless Chromium that the browser tests and the page benchmarks drive through Playwright: Debian's
own (no browser download), with the flags a shared, GPU-less machine needs."""
from __future__ import annotations

import os
import shutil

CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
