from django.db import migrations

from regie.platform.dbutil import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [append_only_operation("casework_event")]
