{# Named partials: include("fullname", ctx) in this chart, include("web.fullname", ctx) anywhere. #}
{% macro fullname(ctx) -%}
{% if ctx.values.fullnameOverride %}{{ ctx.values.fullnameOverride | trunc(63) | trimSuffix("-") }}
{%- elif ctx.chart.name in ctx.release.name %}{{ ctx.release.name | trunc(63) | trimSuffix("-") }}
{%- else %}{{ printf("%s-%s", ctx.release.name, ctx.chart.name) | trunc(63) | trimSuffix("-") }}
{%- endif %}
{%- endmacro %}

{% macro selectorLabels(ctx) -%}
app.kubernetes.io/name: {{ ctx.chart.name }}
app.kubernetes.io/instance: {{ ctx.release.name }}
{%- endmacro %}

{% macro labels(ctx) -%}
helm.sh/chart: {{ printf("%s-%s", ctx.chart.name, ctx.chart.version) }}
{{ include("selectorLabels", ctx) }}
app.kubernetes.io/version: {{ ctx.chart.appVersion | quote }}
app.kubernetes.io/managed-by: {{ ctx.release.service }}
{%- endmacro %}
