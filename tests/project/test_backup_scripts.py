"""deploy/backup.sh and deploy/restore.sh parse and guard their input (run for real in
tests/services/test_backup_restore.py against PostgreSQL)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "deploy" / "backup.sh", ROOT / "deploy" / "restore.sh"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_parse_and_stop_on_errors(script):
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    assert "set -euo pipefail" in script.read_text()
    assert os.access(script, os.X_OK)


def test_restore_refuses_to_run_without_a_backup_folder():
    result = subprocess.run(
        ["bash", str(SCRIPTS[1])], capture_output=True, text=True, check=False, env={}
    )
    assert result.returncode == 2
    assert "usage" in result.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_refuse_to_run_without_their_settings(script, tmp_path):
    env = {"PATH": os.environ["PATH"]}
    result = subprocess.run(
        ["bash", str(script), str(tmp_path)], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": "sqlite:///var/eventum.sqlite3",
        "MEDIA_ROOT": str(tmp_path),
        "PRIVATE_MEDIA_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        ["bash", str(SCRIPTS[0]), str(tmp_path / "backups")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert not (tmp_path / "backups").exists()
