"""The log epoch table (regie.platform.dbutil.EPOCH_TABLE): a row per maintenance-mode block, so deletions are detectable
without counting the event log."""

from django.db import migrations


def forwards(apps, schema_editor):
    from regie.platform.dbutil import epoch_table_sql

    schema_editor.execute(epoch_table_sql(schema_editor.connection.vendor))


def backwards(apps, schema_editor):
    from regie.platform.dbutil import EPOCH_TABLE

    schema_editor.execute(f"DROP TABLE IF EXISTS {EPOCH_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_name_prefix_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
