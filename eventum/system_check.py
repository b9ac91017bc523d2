"""``python -m eventum.system_check``: are the system libraries WeasyPrint needs installed?

Prints a clear message and exits 1 instead of a traceback when they are missing.
"""

import sys

HINT = (
    "WeasyPrint (PDF tickets) needs the Pango and HarfBuzz system libraries.\n"
    "On Debian/Ubuntu:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0 fonts-dejavu-core\n"
    "On macOS:          brew install pango\n"
)


def main() -> int:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        sys.stderr.write(f"Missing system library: {exc}\n\n{HINT}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
