"""Length limits for editors' long text, checked by model validation (the admin and import_content):
10,000 characters for Markdown bodies, 2,000 for a value's detail, a guide's summary and a role's
other titles; Markdown fields also refuse text the site could not render quickly
(roles/markdown.py). Validators and help text only: no column changes."""

import django.core.validators
import roles.markdown
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('roles', '0006_editors_permissions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='comparison',
            name='intro',
            field=models.TextField(blank=True, help_text='Markdown, up to 10,000 characters.', validators=[django.core.validators.MaxLengthValidator(10000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='comparison',
            name='verdict',
            field=models.TextField(blank=True, help_text='Markdown, up to 10,000 characters.', validators=[django.core.validators.MaxLengthValidator(10000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='comparisonsection',
            name='body',
            field=models.TextField(help_text='Markdown, up to 10,000 characters.', validators=[django.core.validators.MaxLengthValidator(10000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='faq',
            name='answer',
            field=models.TextField(help_text='Markdown, up to 10,000 characters.', validators=[django.core.validators.MaxLengthValidator(10000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='guide',
            name='summary',
            field=models.TextField(blank=True, help_text='Markdown, up to 2,000 characters.', validators=[django.core.validators.MaxLengthValidator(2000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='guidestep',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown, up to 10,000 characters.', validators=[django.core.validators.MaxLengthValidator(10000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='role',
            name='alternative_titles',
            field=models.TextField(blank=True, help_text='One title per line, up to 2,000 characters in all.', validators=[django.core.validators.MaxLengthValidator(2000)]),
        ),
        migrations.AlterField(
            model_name='role',
            name='description',
            field=models.TextField(blank=True, help_text='Markdown, up to 10,000 characters.', validators=[django.core.validators.MaxLengthValidator(10000), roles.markdown.MarkdownValidator()]),
        ),
        migrations.AlterField(
            model_name='rolecriterionvalue',
            name='detail',
            field=models.TextField(blank=True, help_text='Markdown, up to 2,000 characters.', validators=[django.core.validators.MaxLengthValidator(2000), roles.markdown.MarkdownValidator()]),
        ),
    ]
