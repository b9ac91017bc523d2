"""Publishes the privacy policy the portal starts with (version 1.0, Russian text)."""

import hashlib
from pathlib import Path

from django.db import migrations
from django.utils import timezone

POLICY_FILE = Path(__file__).resolve().parent.parent / "policy_texts" / "1.0.ru.txt"


def publish_initial_policy(apps, schema_editor):
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    if PolicyVersion.objects.filter(version="1.0").exists():
        return
    text = POLICY_FILE.read_text(encoding="utf-8").strip()
    # The same hash PolicyVersion.compute_hash() gives for ru text with empty kk/en.
    content_hash = hashlib.sha256("\n\x1e\n".join([text, "", ""]).encode()).hexdigest()
    PolicyVersion.objects.create(
        version="1.0",
        text=text,
        text_ru=text,
        published_at=timezone.now(),
        content_hash=content_hash,
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(publish_initial_policy, migrations.RunPython.noop)]
