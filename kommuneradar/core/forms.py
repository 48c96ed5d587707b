"""Django's form rendering in Det Fælles Designsystem's markup, for every form of the site.

`{{ form }}` and `{{ field.as_field_group }}` use the templates below, and every text input,
select and textarea gets DKFDS's class through core's copies of Django's widget templates
(core comes before django.forms in INSTALLED_APPS, so its copies win)."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class DesignSystemRenderer(TemplatesSetting):
    """Labels, hints and error messages as DKFDS form groups; an error summary above a form
    with errors, linking to each field."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
