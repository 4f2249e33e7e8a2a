"""History of target revisions (规划调整); revisions recorded before it get their creation as the first record."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def record_existing_revisions(apps, schema_editor):
    revisions = apps.get_model("indicators", "TargetRevision")
    history = apps.get_model("indicators", "HistoricalTargetRevision")
    fields = [f.attname for f in revisions._meta.concrete_fields]
    history.objects.bulk_create(
        [
            history(
                **{name: getattr(revision, name) for name in fields},
                history_date=revision.created_at,
                history_user_id=revision.created_by_id,
                history_type="+",
                history_change_reason="目标调整（启用历史记录前）",
            )
            for revision in revisions.objects.all().iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_change_stamp'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalTargetRevision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('document', models.CharField(max_length=300, verbose_name='调整依据文件')),
                ('revised_on', models.DateField(verbose_name='调整日期')),
                ('reason', models.TextField(verbose_name='调整理由')),
                ('old_target_text', models.CharField(blank=True, max_length=300, verbose_name='原目标')),
                ('new_target_text', models.CharField(blank=True, max_length=300, verbose_name='新目标')),
                ('old_baseline_value', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='原基期值')),
                ('new_baseline_value', models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True, verbose_name='新基期值')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='记录时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator', verbose_name='指标')),
            ],
            options={
                'verbose_name': 'historical 目标调整',
                'verbose_name_plural': 'historical 目标调整',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(record_existing_revisions, migrations.RunPython.noop),
    ]
