"""Audit the locked dependencies (requirements/dev.txt) for known vulnerabilities with pip-audit.

Exit status: 0 when every pin was audited and none is known to be vulnerable, 1 when some pin
is, 2 when pip-audit could not run for another reason. When no advisory source can be reached,
the script says so in one line starting with ``dependency audit: advisory source unreachable``
and exits 0 — or 3 when ``DEPENDENCY_AUDIT_REQUIRED=1`` — so a run without the network never
passes as if it had audited anything.

A source "answers" only if it knows the advisories of a canary pin that is certainly vulnerable
(Django 3.2.0): a package mirror that serves PyPI's JSON API without its vulnerability data
would otherwise make every audit come back clean.

Sources are tried in order (``DEPENDENCY_AUDIT_SERVICES``, default ``osv,pypi``); set
``DEPENDENCY_AUDIT_OSV_URL`` to use a self-hosted OSV API.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CANARY = "django==3.2.0"
PREFIX = "dependency audit:"
NETWORK_SIGNS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Timeout",
    "timed out",
    "HTTPError",
    "SSLError",
    "Temporary failure in name resolution",
    "ServiceError",
)

Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


@dataclass
class Report:
    """What one pip-audit run said: a report, or why there is none."""

    vulnerable: list[str] = field(default_factory=list)  # "name version: ID (fixed in …)"
    audited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "name: reason"
    unreachable: str = ""  # why the source could not be asked
    broken: str = ""  # pip-audit failed for another reason


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def parse(completed: subprocess.CompletedProcess[str]) -> Report:
    """Read pip-audit's JSON report (``-f json``) and its exit status."""
    try:
        data = json.loads(completed.stdout or "")
        dependencies = data["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = _last_line(completed.stderr or completed.stdout or "")
        if any(sign in (completed.stderr or "") for sign in NETWORK_SIGNS):
            return Report(unreachable=reason)
        return Report(broken=f"pip-audit exited {completed.returncode}: {reason}")
    report = Report()
    for dep in dependencies:
        name = dep.get("name", "?")
        if "skip_reason" in dep:
            report.skipped.append(f"{name}: {dep['skip_reason']}")
            continue
        report.audited.append(name)
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            report.vulnerable.append(
                f"{name} {dep.get('version', '?')}: {vuln.get('id', '?')} (fixed in {fixed})"
            )
    return report


def pip_audit_command(requirements: Path, service: str, osv_url: str = "") -> list[str]:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(requirements),
        "--no-deps",  # the lock pins the whole tree already
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "20",
    ]
    if osv_url and service == "osv":
        command += ["--osv-url", osv_url]
    return command


def run_pip_audit(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 1, "", "Timeout: pip-audit took too long")


def source_answers(service: str, run: Runner, osv_url: str = "") -> Report:
    """Ask ``service`` about the canary pin: ``unreachable`` is set unless it is flagged."""
    with tempfile.TemporaryDirectory() as tmp:
        canary = Path(tmp) / "canary.txt"
        canary.write_text(CANARY + "\n")
        report = parse(run(pip_audit_command(canary, service, osv_url)))
    if not (report.unreachable or report.broken or report.vulnerable):
        why = report.skipped[0] if report.skipped else "no advisory returned"
        report.unreachable = f"answers but knows no advisory for {CANARY} ({why})"
    return report


def audit(
    requirements: Path,
    *,
    services: Sequence[str],
    run: Runner = run_pip_audit,
    osv_url: str = "",
    required: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    """Audit ``requirements`` against the first source that answers; the exit status."""
    reasons = []
    for service in services:
        report = source_answers(service, run, osv_url)
        if not (report.unreachable or report.broken):
            report = parse(run(pip_audit_command(requirements, service, osv_url)))
        if report.broken:
            out(f"{PREFIX} pip-audit could not run ({service}): {report.broken}")
            return 2
        if report.unreachable:
            reasons.append(f"{service}: {report.unreachable}")
            continue
        return _verdict(report, requirements, service, out)
    out(
        f"{PREFIX} advisory source unreachable — {requirements.name} was NOT audited. "
        + "; ".join(reasons)
    )
    return 3 if required else 0


def _verdict(report: Report, requirements: Path, service: str, out: Callable[[str], None]) -> int:
    for line in report.skipped:
        out(f"{PREFIX} NOT audited: {line}")
    if report.vulnerable:
        for line in report.vulnerable:
            out(f"{PREFIX} VULNERABLE {line}")
        out(
            f"{PREFIX} FAILED — {len(report.vulnerable)} known vulnerabilities in "
            f"{requirements.name} (source: {service}); upgrade the pins above"
        )
        return 1
    out(
        f"{PREFIX} {len(report.audited)} pins in {requirements.name} audited against {service}: "
        "no known vulnerabilities"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    requirements = Path(args[0] if args else "requirements/dev.txt")
    services = [
        s.strip()
        for s in os.environ.get("DEPENDENCY_AUDIT_SERVICES", "osv,pypi").split(",")
        if s.strip()
    ]
    return audit(
        requirements,
        services=services,
        osv_url=os.environ.get("DEPENDENCY_AUDIT_OSV_URL", ""),
        required=os.environ.get("DEPENDENCY_AUDIT_REQUIRED") == "1",
    )


if __name__ == "__main__":
    sys.exit(main())
