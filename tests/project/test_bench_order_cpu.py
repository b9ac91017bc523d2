"""The CPU-per-order bench (issue 24's figures) runs end to end and checks its own sales."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = [sys.executable, "-m", "bench.order_cpu"]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mode", [[], ["--interleave"]], ids=["blocks", "steps"])
def test_the_order_cpu_bench_reports_every_figure_and_sells_exactly_m(tmp_path, mode):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    output = tmp_path / "order_cpu.json"
    # its own throwaway SQLite database in memory, whatever database this run of the tests uses
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EVENTUM_SERVICES"}
    }
    env["TMPDIR"] = str(scratch)
    done = subprocess.run(
        [*BENCH, "--orders", "2", "--rounds", "1", "--output", str(output), *mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(output.read_text())
    assert report["interleaved"] is bool(mode)
    assert set(report["figures"]) == {
        "event page (session)",
        "queue poll",
        "free order",
        "paid order",
    }
    for name, figure in report["figures"].items():
        assert figure["to_trivial"] > 0, name
        assert figure["target"] is not None, name
    assert report["figures"]["free order"]["count"] == 2
    assert report["figures"]["paid order"]["count"] == 2
    for kind in ("free", "paid"):
        check = report["check"][kind]
        assert (check["sold"], check["quantity"], check["oversold"]) == (2, 2, 0), kind
        assert check["turned_away"] == 1, kind  # the buyer after the last ticket
        assert report["worker"][kind]["pdf_ms_per_order"] > 0, kind  # tickets were rendered
    assert "free order" in done.stdout
    assert list(scratch.iterdir()) == []  # the run's PDFs and media are gone
