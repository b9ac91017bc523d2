"""One form style for the whole portal: every form and field renders through templates/forms/.

``FORM_RENDERER`` points here, so ``{{ form }}``, ``{{ field.as_field_group }}`` and allauth's
``fields`` element (overridden in templates/allauth/elements/) produce the same markup: label,
field, help text and the errors next to the field they are about.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
