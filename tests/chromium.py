"""Where the browser tests find Debian's Chromium (never a downloaded browser build)."""

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()
