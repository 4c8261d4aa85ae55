"""A form renderer that writes Django's stock widget markup in Python instead of through templates.

Django renders every widget, option and attribute list through its own template engine: the pain
entry form alone is ~140 template renders, most of the fixed cost of the patient's dashboard
(docs/web.md, "Speed"). The functions here produce byte-for-byte the HTML of the stock templates
(django/forms/templates/django/forms/widgets/*.html, Django 5.2) for the widgets painwise uses;
tests/web/test_form_renderer.py compares them with the templates for every field of every form, so a
Django upgrade that changes the markup fails there. Any other template goes to the stock renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

Widget = Mapping[str, Any]
W = "django/forms/widgets/"


def _text(value: Any) -> str:
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _attrs(widget: Widget) -> str:
    out = []
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"')
    return "".join(out)


def _input(widget: Widget) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget)}>'


def _option(widget: Widget) -> str:
    """An option as its template includes it. Nested includes keep their file's final newline (only the
    outermost render is stripped), hence the "\n"s: the stock markup has them too."""
    template = widget["template_name"]
    if template == W + "select_option.html":
        return f'<option value="{_text(widget["value"])}"{_attrs(widget)}>{_text(widget["label"])}</option>\n'
    if template not in INPUT_OPTIONS:
        raise _Unsupported(template)
    if widget["wrap_label"]:
        label_for = f' for="{_text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
        html = f"<label{label_for}>{_input(widget)}\n {_text(widget['label'])}</label>\n"
    else:
        html = f"{_input(widget)}\n\n"
    # radio_option.html and checkbox_option.html include input_option.html and add their own newline
    return html if template == W + "input_option.html" else html + "\n"


def _select(widget: Widget) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget)}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_option(option)}" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: Widget) -> str:
    widget_id = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    id_attr = f' id="{_text(widget_id)}"' if widget_id else ""
    class_attr = f' class="{_text(css)}"' if css else ""
    parts = [f"<div{id_attr}{class_attr}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        parts.extend(f"<div>\n    {_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: Widget) -> str:
    body = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget)}>\n{body}</textarea>'


INPUT_OPTIONS = (W + "radio_option.html", W + "checkbox_option.html", W + "input_option.html")


class _Unsupported(Exception):
    """A nested option template this module does not write: fall back to the templates."""


WRITERS: dict[str, Callable[[Widget], str]] = {
    **{W + f"{name}.html": _input for name in ("input", "text", "number", "email", "password", "hidden", "date",
                                               "datetime", "time", "url", "search", "tel", "checkbox")},
    W + "select.html": _select,
    W + "radio.html": _multiple_input,
    W + "checkbox_select.html": _multiple_input,
    W + "textarea.html": _textarea,
}  # fmt: skip


class FastWidgetRenderer(DjangoTemplates):
    """FORM_RENDERER: stock widget templates written in Python; every other template rendered as usual."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString:
        writer = WRITERS.get(template_name)
        widget = context.get("widget")
        if writer is not None and widget is not None and widget.get("template_name") == template_name:
            try:
                return mark_safe(writer(widget))  # noqa: S308 - every value above is escaped
            except _Unsupported:
                pass
        return SafeString(super().render(template_name, context, request))
