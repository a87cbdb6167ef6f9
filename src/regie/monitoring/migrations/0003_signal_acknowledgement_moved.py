# SignalAcknowledgement moved to the casework app (casework 0006); the table is kept (state only).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_budget_allocation"),
        ("casework", "0006_signal_acknowledgement"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="SignalAcknowledgement")],
        ),
    ]
