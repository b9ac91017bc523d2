"""A request's duration counts from the front proxy's stamp when the header is believed."""

import time

import pytest
from django.test import RequestFactory

from eventum.request_timing import LONGEST_WAIT_SECONDS, request_elapsed_ms


def _request(stamp: str | None):
    headers = {"HTTP_X_REQUEST_START": stamp} if stamp is not None else {}
    return RequestFactory().get("/", **headers)


@pytest.fixture
def believed(settings):
    settings.REQUEST_START_HEADER = "X-Request-Start"


def test_the_proxys_stamp_counts_the_wait_before_the_view(believed):
    started = time.perf_counter()
    waited = request_elapsed_ms(_request(f"t={time.time() - 0.8:.3f}"), started)
    assert 790 <= waited <= 1500


def test_a_stamp_in_plain_seconds_is_read_too(believed):
    waited = request_elapsed_ms(_request(f"{time.time() - 0.3:.3f}"), time.perf_counter())
    assert 290 <= waited <= 1000


def test_without_the_setting_no_stamp_is_believed(settings):
    settings.REQUEST_START_HEADER = ""
    started = time.perf_counter()
    assert request_elapsed_ms(_request(f"t={time.time() - 30:.3f}"), started) < 1000


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "t=",
        "t=soon",
        "t=nan",
        "t=+3600",  # an hour in the future (seconds from now)
        f"t=-{LONGEST_WAIT_SECONDS + 3600:.0f}",  # an hour longer ago than believed
    ],
)
def test_a_stamp_that_cannot_be_right_leaves_the_views_own_time(believed, stamp):
    if stamp[2:3] in ("+", "-"):  # relative to now, so that the test ids stay the same
        stamp = f"t={time.time() + float(stamp[2:]):.3f}"
    started = time.perf_counter() - 0.05
    assert 50 <= request_elapsed_ms(_request(stamp), started) < 1000
    assert 50 <= request_elapsed_ms(_request(None), started) < 1000
