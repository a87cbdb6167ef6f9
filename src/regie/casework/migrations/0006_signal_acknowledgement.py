# The model moved from the monitoring app to casework; its table stays as it is (state only).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("casework", "0005_log_epoch"),
        ("monitoring", "0002_budget_allocation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SignalAcknowledgement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(max_length=40)),
                        (
                            "due",
                            models.DateField(
                                help_text="The due date of the signal acknowledged; a later recurrence is a new signal"
                            ),
                        ),
                        ("note", models.TextField()),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="signal_acknowledgements",
                                to="casework.case",
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.municipality",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_signalacknowledgement",
                        "constraints": [
                            models.UniqueConstraint(fields=("case", "code", "due"), name="one_ack_per_signal")
                        ],
                    },
                ),
            ],
        ),
    ]
