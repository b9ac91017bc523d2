"""A Celery worker for the fault tests: ``python -m tests.services.faults_worker -n NAME``.

``--gate FILE``: PDF rendering stops (with the order row locked) after writing FILE, until the
process is killed: the test then knows the worker is in the middle of the task.
``--restore-after N``: the unacknowledged tasks of a dead worker are taken over after N seconds
(the broker's visibility timeout), checked every second.
"""

import argparse
import os
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", dest="name", required=True)
    parser.add_argument("--gate", type=Path)
    parser.add_argument("--restore-after", type=int)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    import django

    django.setup()
    from eventum.celery import app

    if args.restore_after is not None:
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "visibility_timeout": args.restore_after,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
    if args.gate is not None:
        from tickets.delivery import services as delivery

        def render_and_hang(*_args, **_kwargs) -> bytes:
            args.gate.write_text(str(os.getpid()))
            while True:  # held inside the task until the test kills this worker
                time.sleep(1)

        delivery.render_tickets_pdf = render_and_hang
    app.worker_main(
        ["worker", "-l", "warning", "-c", "2", "--without-gossip", "--without-mingle",
         "-n", args.name]
    )  # fmt: skip


if __name__ == "__main__":
    main()
