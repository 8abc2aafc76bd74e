{{/*
Partials shared by this chart's templates. Helm keeps one namespace of `define`d names for a
chart and all its subcharts, so each name starts with the chart's: call them with
`include "CHARTNAME.NAME" .` (or `$` inside `range` and `with`).
*/}}

{{/* The chart's name, or .Values.nameOverride; 63 characters at most. */}}
{{- define "CHARTNAME.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The name of the release's objects: .Values.fullnameOverride if set, else RELEASE-NAME, or
RELEASE alone when it already holds NAME (so `helm install CHARTNAME` gives "CHARTNAME",
not "CHARTNAME-CHARTNAME").
*/}}
{{- define "CHARTNAME.fullname" -}}
{{- $base := include "CHARTNAME.name" . -}}
{{- $full := printf "%s-%s" .Release.Name $base -}}
{{- if contains $base .Release.Name -}}
{{- $full = .Release.Name -}}
{{- end -}}
{{- default $full .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* NAME-VERSION for the helm.sh/chart label ("+" is not allowed in a label value). */}}
{{- define "CHARTNAME.chartLabel" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The labels that select the release's pods: they must never change after install. */}}
{{- define "CHARTNAME.selectorLabels" -}}
app.kubernetes.io/name: {{ include "CHARTNAME.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Every object's labels: the selector labels and who made the object. */}}
{{- define "CHARTNAME.labels" -}}
helm.sh/chart: {{ include "CHARTNAME.chartLabel" . }}
{{ include "CHARTNAME.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The pods' ServiceAccount: the one this chart creates, or an existing one ("default"). */}}
{{- define "CHARTNAME.serviceAccountName" -}}
{{- $sa := .Values.serviceAccount -}}
{{- if $sa.create -}}
{{- default (include "CHARTNAME.fullname" .) $sa.name -}}
{{- else -}}
{{- default "default" $sa.name -}}
{{- end -}}
{{- end -}}
