"""docker-compose.yml is checked here because no Docker engine runs in CI."""

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_production_service(compose):
    assert {"db", "redis", "web", "queue", "worker", "beat", "migrate", "proxy"} <= set(
        compose["services"]
    )


@pytest.mark.parametrize("service", ["db", "redis", "web", "queue", "worker"])
def test_long_running_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


@pytest.mark.parametrize("service", ["web", "queue", "worker"])
def test_scalable_services_have_no_fixed_name_or_host_port(compose, service):
    spec = compose["services"][service]
    assert "container_name" not in spec
    assert "ports" not in spec, "a host port would stop --scale from starting a second copy"


def test_gunicorn_target_and_config_exist(compose):
    command = compose["services"]["web"]["command"]
    assert command[0] == "gunicorn"
    module_name, _, attribute = command[1].partition(":")
    assert hasattr(importlib.import_module(module_name), attribute)
    config = command[command.index("--config") + 1]
    assert (ROOT / config).is_file()


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_commands_name_the_project_app(compose, service):
    command = compose["services"][service]["command"]
    assert command[:3] == ["celery", "-A", "eventum"]
    assert command[3] == service if service == "beat" else command[3] == "worker"
    assert importlib.import_module("eventum.celery").app.main == "eventum"


def test_migrate_runs_manage_py(compose):
    command = compose["services"]["migrate"]["command"]
    assert command[:3] == ["python", "manage.py", "migrate"]
    assert (ROOT / "manage.py").is_file()


def test_app_services_share_production_environment(compose):
    for name in ("web", "queue", "worker", "beat", "migrate"):
        env = compose["services"][name]["environment"]
        assert env["EVENTUM_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")


def test_files_the_compose_file_mounts_exist(compose):
    for spec in compose["services"].values():
        for volume in spec.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source


def test_dockerfile_installs_pinned_dependencies_and_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements/base.txt" in dockerfile
    assert "libharfbuzz-subset0" in dockerfile
    for copied in re.findall(r"^COPY (.+) \S+$", dockerfile, flags=re.MULTILINE):
        for name in copied.split():
            assert (ROOT / name).exists(), name


def test_image_never_contains_secrets_or_local_data():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", "var", "backups", ".git"} <= ignored
    assert "deploy/tls" in ignored, "the TLS private key must never be baked into the image"
    gitignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in gitignored


def test_workers_yield_the_cpu_to_the_web_tier(compose):
    """Sharing a host, PDF rendering must not slow down buyers during an on-sale rush."""
    web_shares = compose["services"]["web"].get("cpu_shares", 1024)
    assert compose["services"]["worker"]["cpu_shares"] < web_shares


def test_app_services_trust_exactly_the_one_proxy_in_front(compose):
    """nginx is the only proxy: each per-address limit counts the entry it appends."""
    proxies = [spec for spec in compose["services"].values() if "nginx" in spec.get("image", "")]
    assert len(proxies) == 1
    for name in ("web", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_COUNT"] == str(len(proxies))


def test_only_the_proxy_is_reachable_from_outside(compose):
    """Anyone reaching gunicorn directly could write X-Forwarded-For and X-Forwarded-Proto."""
    published = {name for name, spec in compose["services"].items() if spec.get("ports")}
    assert published == {"proxy"}
    assert set(compose["services"]["proxy"]["ports"]) == {"80:80", "443:443"}


def test_certificates_and_challenges_are_never_committed():
    for folder in ("deploy/tls", "deploy/acme"):
        rules = (ROOT / folder / ".gitignore").read_text().splitlines()
        assert "*" in rules and "!.gitignore" in rules
