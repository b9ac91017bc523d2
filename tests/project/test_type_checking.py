"""``make lint`` type-checks the project with mypy and the Django plugin: strictly where the
rules of the house live (services, selectors, tasks, models), a baseline elsewhere."""

import re
import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRICT_FLAGS = {
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "check_untyped_defs",
    "disallow_untyped_calls",
    "disallow_any_generics",
    "warn_return_any",
}
STRICT_APPS = ("privacy", "organizers", "eventum")
# Strict in their models, services and selectors (their packages' too); their views, forms
# and admin are not checked yet.
BASELINE_APPS = ("tickets", "events")
CONCEPTS = ("models", "services", "selectors", "tasks")
BASELINE_CONCEPTS = ("models", "services", "selectors")


def _mypy() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def _overrides_with(flag: str) -> list[str]:
    modules: list[str] = []
    for override in _mypy()["overrides"]:
        if override.get(flag) is True:
            module = override["module"]
            modules += [module] if isinstance(module, str) else module
    return modules


def _covered(module: str, patterns: list[str]) -> bool:
    """mypy's override matching: ``a.b`` exactly, ``a.b.*`` for ``a.b`` and its submodules,
    ``a.*.b`` for ``b`` in any package of ``a``."""
    for pattern in patterns:
        if pattern.endswith(".*") and module == pattern[:-2]:
            return True
        if module == pattern or ("*" in pattern and fnmatchcase(module, pattern)):
            return True
    return False


def _modules_of(app: str, concept: str) -> list[str]:
    """``app.concept`` and, for a package, each of its modules."""
    package = ROOT / app / concept
    if package.is_dir():
        return [f"{app}.{concept}"] + [
            f"{app}.{concept}.{path.stem}"
            for path in sorted(package.glob("*.py"))
            if path.stem != "__init__"
        ]
    return [f"{app}.{concept}"] if (ROOT / app / f"{concept}.py").exists() else []


def test_mypy_runs_with_the_django_plugin_on_every_app():
    mypy = _mypy()
    assert mypy["plugins"] == ["mypy_django_plugin.main"]
    assert set(mypy["files"]) == set(STRICT_APPS + BASELINE_APPS)
    assert mypy["python_version"] == "3.11"
    django_stubs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["django-stubs"]
    assert django_stubs["django_settings_module"] == "eventum.settings"


def test_make_lint_runs_mypy_after_ruff():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M).group(1).split("\n")
    assert [line.strip() for line in lint if line.strip()] == [
        "$(BIN)/ruff check .",
        "$(BIN)/ruff format --check .",
        "$(BIN)/mypy",
    ]
    assert "make lint" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_cache_stays_out_of_git_and_the_image():
    assert _mypy()["cache_dir"] == ".mypy_cache"
    assert ".mypy_cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".mypy_cache" in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()


def test_one_override_carries_every_strict_flag():
    strict = [
        override
        for override in _mypy()["overrides"]
        if override.get("disallow_untyped_defs") is True
    ]
    assert len(strict) == 1
    assert all(strict[0].get(flag) is True for flag in STRICT_FLAGS)


@pytest.mark.parametrize("app", STRICT_APPS)
def test_services_selectors_tasks_and_models_are_checked_strictly(app):
    strict = _overrides_with("disallow_untyped_defs")
    modules = [module for concept in CONCEPTS for module in _modules_of(app, concept)]
    assert modules, f"{app} has none of {CONCEPTS}"
    missing = [module for module in modules if not _covered(module, strict)]
    assert missing == [], f"not in the strict mypy override: {missing}"


def test_every_strict_module_named_exists():
    for pattern in _overrides_with("disallow_untyped_defs"):
        path = pattern.removesuffix(".*").replace(".", "/")
        found = [p for p in ROOT.glob(path) if p.is_dir()] + list(ROOT.glob(f"{path}.py"))
        assert found, pattern


def _packages_of(app: str) -> list[str]:
    """``app`` and each of its sub-packages that holds code (not migrations or templates)."""
    return [app] + [
        f"{app}.{path.parent.name}"
        for path in sorted((ROOT / app).glob("*/__init__.py"))
        if path.parent.name not in ("migrations", "templatetags", "management")
    ]


@pytest.mark.parametrize("app", BASELINE_APPS)
def test_models_services_and_selectors_of_every_package_are_strict(app):
    strict = _overrides_with("disallow_untyped_defs")
    modules = [
        module
        for package in _packages_of(app)
        for concept in BASELINE_CONCEPTS
        for module in _modules_of(package.replace(".", "/"), concept)
    ]
    assert len(modules) >= 6
    missing = [module for module in modules if not _covered(module.replace("/", "."), strict)]
    assert missing == [], f"not in the strict mypy override: {missing}"
    # The rest of the app (views, forms, admin) is still outside the check, the strict part
    # is taken back out of that baseline by an override of its own.
    baseline = _overrides_with("ignore_errors")
    assert f"{app}.*" in baseline
    unignored = [
        module
        for override in _mypy()["overrides"]
        if override.get("ignore_errors") is False
        for module in (
            [override["module"]] if isinstance(override["module"], str) else override["module"]
        )
    ]
    assert sorted(p for p in unignored if p.startswith(f"{app}.")) == sorted(
        p for p in strict if p.startswith(f"{app}.")
    )


def test_the_type_checkers_are_development_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dev = {
        re.split(r"[\[<>=]", spec)[0].lower() for spec in project["optional-dependencies"]["dev"]
    }
    assert {"mypy", "django-stubs", "celery-types"} <= dev
