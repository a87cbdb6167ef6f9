"""DRF's authtoken table held every token's key in clear; Regie's tokens replace it (regie.api.tokens). The old
keys stop working with the switch; the table is dropped so that no clear key stays behind."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]
