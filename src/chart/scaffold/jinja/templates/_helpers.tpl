{# Named partials: include("fullname", ctx) in this chart, include("CHARTNAME.fullname", ctx) from others. #}

{# The chart's name, or values.nameOverride. #}
{% macro name(ctx) -%}
{{ ctx.values.nameOverride | default(ctx.chart.name) | trunc(63) | trimSuffix("-") }}
{%- endmacro %}

{# A name for the release's objects: RELEASE-CHART, or RELEASE alone when it already holds the chart's name. #}
{% macro fullname(ctx) -%}
{% if ctx.values.fullnameOverride %}
{{- ctx.values.fullnameOverride | trunc(63) | trimSuffix("-") }}
{%- else %}
{% set n = ctx.values.nameOverride | default(ctx.chart.name) %}
{% if n in ctx.release.name %}
{{- ctx.release.name | trunc(63) | trimSuffix("-") }}
{%- else %}
{{- printf("%s-%s", ctx.release.name, n) | trunc(63) | trimSuffix("-") }}
{%- endif %}
{%- endif %}
{%- endmacro %}

{% macro chartLabel(ctx) -%}
{{ printf("%s-%s", ctx.chart.name, ctx.chart.version) | replace("+", "_") | trunc(63) | trimSuffix("-") }}
{%- endmacro %}

{% macro selectorLabels(ctx) -%}
app.kubernetes.io/name: {{ include("name", ctx) }}
app.kubernetes.io/instance: {{ ctx.release.name }}
{%- endmacro %}

{% macro labels(ctx) -%}
helm.sh/chart: {{ include("chartLabel", ctx) }}
{{ include("selectorLabels", ctx) }}
app.kubernetes.io/version: {{ ctx.chart.appVersion | quote }}
app.kubernetes.io/managed-by: {{ ctx.release.service }}
{%- endmacro %}

{% macro serviceAccountName(ctx) -%}
{% if ctx.values.serviceAccount.create %}
{{- ctx.values.serviceAccount.name | default(include("fullname", ctx)) }}
{%- else %}
{{- ctx.values.serviceAccount.name | default("default") }}
{%- endif %}
{%- endmacro %}
