"""The CI dependency audit fails on a known-vulnerable pin and never passes without a source."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "dependency_audit.py"

_spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
dependency_audit = importlib.util.module_from_spec(_spec)
sys.modules["dependency_audit"] = dependency_audit  # dataclasses look their module up
_spec.loader.exec_module(dependency_audit)

CANARY_FLAGGED = {
    "dependencies": [
        {
            "name": "django",
            "version": "3.2.0",
            "vulns": [{"id": "PYSEC-2021-98", "fix_versions": ["3.2.1"]}],
        }
    ],
    "fixes": [],
}


def _done(report: dict | None, returncode: int = 0, stderr: str = ""):
    stdout = json.dumps(report) if report is not None else ""
    return subprocess.CompletedProcess([], returncode, stdout, stderr)


class FakePipAudit:
    """Answers the canary and the real audit with prepared reports, per service."""

    def __init__(self, answers: dict[str, tuple]):
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def __call__(self, command: list[str]):
        service = command[command.index("--vulnerability-service") + 1]
        requirements = Path(command[command.index("--requirement") + 1])
        is_canary = requirements.name == "canary.txt"
        if is_canary:
            assert requirements.read_text().strip() == dependency_audit.CANARY
        self.calls.append((service, "canary" if is_canary else "audit"))
        canary, audit = self.answers[service]
        return canary if is_canary else audit


def _audit(fake, tmp_path, **kwargs):
    lines: list[str] = []
    requirements = tmp_path / "dev.txt"
    requirements.write_text("Django==5.2.19\nrequests==2.0.0\n")
    status = dependency_audit.audit(
        requirements,
        services=kwargs.pop("services", ["osv"]),
        run=fake,
        out=lines.append,
        **kwargs,
    )
    return status, lines


def test_a_vulnerable_pin_fails_the_audit_and_is_named(tmp_path):
    vulnerable = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {
                "name": "requests",
                "version": "2.0.0",
                "vulns": [{"id": "GHSA-x84v-xcm2-53pg", "fix_versions": ["2.3.0"]}],
            },
        ],
        "fixes": [],
    }
    fake = FakePipAudit({"osv": (_done(CANARY_FLAGGED, 1), _done(vulnerable, 1))})
    status, lines = _audit(fake, tmp_path)
    assert status == 1
    assert (
        "dependency audit: VULNERABLE requests 2.0.0: GHSA-x84v-xcm2-53pg (fixed in 2.3.0)" in lines
    )
    assert lines[-1].startswith("dependency audit: FAILED — 1 known vulnerabilities")


def test_clean_pins_pass_and_say_what_was_audited(tmp_path):
    clean = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "requests", "version": "2.34.2", "vulns": []},
        ],
        "fixes": [],
    }
    fake = FakePipAudit({"osv": (_done(CANARY_FLAGGED, 1), _done(clean))})
    status, lines = _audit(fake, tmp_path)
    assert status == 0
    assert lines == [
        "dependency audit: 2 pins in dev.txt audited against osv: no known vulnerabilities"
    ]


def test_an_unreachable_source_is_said_aloud_and_never_reported_as_audited(tmp_path):
    refused = _done(None, 1, "requests.exceptions.ConnectionError: Max retries exceeded")
    fake = FakePipAudit({"osv": (refused, refused)})
    status, lines = _audit(fake, tmp_path)
    assert status == 0
    assert len(lines) == 1
    assert lines[0].startswith("dependency audit: advisory source unreachable")
    assert "NOT audited" in lines[0]
    assert fake.calls == [("osv", "canary")]


def test_an_unreachable_source_fails_when_the_audit_is_required(tmp_path):
    refused = _done(None, 1, "NameResolutionError: Failed to resolve 'api.osv.dev'")
    fake = FakePipAudit({"osv": (refused, refused)})
    status, lines = _audit(fake, tmp_path, required=True)
    assert status == 3
    assert "advisory source unreachable" in lines[0]


def test_a_mirror_without_advisory_data_is_not_mistaken_for_a_clean_audit(tmp_path):
    """A package mirror serving PyPI's JSON API without vulnerabilities: everything would pass."""
    mirror = _done(
        {
            "dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}],
            "fixes": [],
        }
    )
    silent = _done({"dependencies": [{"name": "django", "version": "3.2.0", "vulns": []}]})
    clean = _done({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]})
    fake = FakePipAudit({"pypi": (mirror, clean), "osv": (silent, clean)})
    status, lines = _audit(fake, tmp_path, services=["pypi", "osv"])
    assert status == 0
    assert lines[0].startswith("dependency audit: advisory source unreachable")
    assert "knows no advisory for django==3.2.0" in lines[0]
    assert ("pypi", "audit") not in fake.calls and ("osv", "audit") not in fake.calls


def test_the_next_source_is_asked_when_the_first_is_unreachable(tmp_path):
    refused = _done(None, 1, "requests.exceptions.ConnectionError")
    vulnerable = _done(
        {
            "dependencies": [
                {
                    "name": "requests",
                    "version": "2.0.0",
                    "vulns": [{"id": "PYSEC-2014-13", "fix_versions": []}],
                }
            ]
        },
        1,
    )
    fake = FakePipAudit({"osv": (refused, refused), "pypi": (_done(CANARY_FLAGGED, 1), vulnerable)})
    status, lines = _audit(fake, tmp_path, services=["osv", "pypi"])
    assert status == 1
    assert "(fixed in no fixed release yet)" in lines[0]
    assert "source: pypi" in lines[-1]


def test_pip_audit_failing_for_another_reason_fails_the_step(tmp_path):
    broken = _done(None, 2, "pip-audit: error: invalid requirement: 'Django=5'")
    fake = FakePipAudit({"osv": (_done(CANARY_FLAGGED, 1), broken)})
    status, lines = _audit(fake, tmp_path)
    assert status == 2
    assert lines[0].startswith("dependency audit: pip-audit could not run")


FAKE_PIP_AUDIT = """
import json, sys
args = sys.argv[1:]
requirements = open(args[args.index("--requirement") + 1]).read()
vulns = [{"id": "PYSEC-0000-1", "fix_versions": ["9.9"]}] if "==" in requirements else []
name, version = requirements.split()[0].split("==")
print(json.dumps({"dependencies": [{"name": name.lower(), "version": version, "vulns": vulns}]}))
sys.exit(1 if vulns else 0)
"""


def test_the_ci_step_exits_non_zero_on_a_vulnerable_pin(tmp_path):
    """The script as CI runs it, with a stand-in pip-audit that flags every pin."""
    fake_package = tmp_path / "fake" / "pip_audit"
    fake_package.mkdir(parents=True)
    (fake_package / "__init__.py").write_text("")
    (fake_package / "__main__.py").write_text(FAKE_PIP_AUDIT)
    requirements = tmp_path / "dev.txt"
    requirements.write_text("Pillow==10.0.0\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "fake"), "DEPENDENCY_AUDIT_SERVICES": "osv"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(requirements)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "VULNERABLE pillow 10.0.0: PYSEC-0000-1 (fixed in 9.9)" in done.stdout


def test_ci_runs_the_audit_on_the_lock():
    """The development lock holds every production pin too, so auditing it covers both."""
    assert ".ci/dependency_audit.py requirements/dev.txt" in (ROOT / ".ci" / "run").read_text()
    assert (ROOT / "requirements" / "dev.txt").exists()
