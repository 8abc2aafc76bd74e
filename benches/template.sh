#!/usr/bin/env bash
# Benchmark `kit template` on a generated chart: 200 templates (each a Deployment, a Service
# and a ConfigMap, using partials, toYaml, nindent, quote and default) and a values file of
# 1,000 entries (200 apps of 5 fields).
#
#   benches/template.sh
#
# Prints the best wall time and the lowest peak RSS of KIT_BENCH_RUNS runs (GNU time when it
# is installed, else bash's `time` for the wall time alone).
#
# Environment:
#   KIT_BENCH_KIT        kit binary (default target/release/kit, built with
#                        `cargo build --release` first unless KIT_BENCH_NO_BUILD=1)
#   KIT_BENCH_RUNS       runs (default 5)
#   KIT_BENCH_TEMPLATES  templates (default 200)
#   KIT_BENCH_KEEP=1     keep the generated chart (its path is printed)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${KIT_BENCH_RUNS:-5}"
n="${KIT_BENCH_TEMPLATES:-200}"
target="${CARGO_TARGET_DIR:-$root/target}"
kit="${KIT_BENCH_KIT:-$target/release/kit}"
if [[ -z "${KIT_BENCH_KIT:-}" && "${KIT_BENCH_NO_BUILD:-}" != 1 ]]; then
  cargo build --release --quiet
fi

work="$(mktemp -d)"
if [[ "${KIT_BENCH_KEEP:-}" == 1 ]]; then
  echo "chart: $work/bench"
else
  trap 'rm -rf "$work"' EXIT
fi
chart="$work/bench"
mkdir -p "$chart/templates"

cat > "$chart/Chart.yaml" <<'EOF'
apiVersion: v2
name: bench
version: 1.0.0
appVersion: "3.1.4"
annotations:
  kit.dev/template-dialect: jinja
EOF

cat > "$chart/templates/_helpers.tpl" <<'EOF'
{% macro fullname(ctx) -%}
{{ printf("%s-%s", ctx.release.name, ctx.app) | trunc(63) | trimSuffix("-") }}
{%- endmacro %}

{% macro labels(ctx) -%}
app.kubernetes.io/name: {{ ctx.app }}
app.kubernetes.io/instance: {{ ctx.release.name }}
app.kubernetes.io/version: {{ ctx.chart.appVersion | quote }}
helm.sh/chart: {{ printf("%s-%s", ctx.chart.name, ctx.chart.version) }}
{%- endmacro %}
EOF

{
  echo "global:"
  echo "  registry: registry.example.com"
  echo "apps:"
  for i in $(seq -w 1 "$n"); do
    echo "  app$i:"
    echo "    replicas: $(( (10#$i % 5) + 1 ))"
    echo "    image: team/app$i"
    echo "    tag: \"1.$i.0\""
    echo "    port: $(( 8000 + 10#$i ))"
    echo "    env: {LOG_LEVEL: info, APP_ID: \"$i\"}"
  done
} > "$chart/values.yaml"

for i in $(seq -w 1 "$n"); do
  cat > "$chart/templates/app$i.yaml" <<EOF
{% set app = values.apps["app$i"] %}
{% set ctx = {"release": release, "chart": chart, "app": "app$i"} %}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include("fullname", ctx) }}
  labels:
    {{- include("labels", ctx) | nindent(4) }}
data:
  {{- toYaml(app.env) | nindent(2) }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include("fullname", ctx) }}
  labels:
    {{- include("labels", ctx) | nindent(4) }}
spec:
  ports:
    - port: {{ app.port }}
      targetPort: http
  selector:
    {{- include("labels", ctx) | nindent(4) }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include("fullname", ctx) }}
  labels:
    {{- include("labels", ctx) | nindent(4) }}
spec:
  replicas: {{ app.replicas | default(1) }}
  selector:
    matchLabels:
      {{- include("labels", ctx) | nindent(6) }}
  template:
    metadata:
      labels:
        {{- include("labels", ctx) | nindent(8) }}
    spec:
      containers:
        - name: app
          image: {{ printf("%s/%s:%s", values.global.registry, app.image, app.tag) | quote }}
          ports:
            - name: http
              containerPort: {{ app.port }}
          envFrom:
            - configMapRef:
                name: {{ include("fullname", ctx) }}
EOF
done

measure() {
  local best="" rss=""
  for _ in $(seq 1 "$runs"); do
    if [[ -x /usr/bin/time ]]; then
      local out
      out="$( { /usr/bin/time -f '%e %M' "$kit" template bench "$chart" > /dev/null; } 2>&1 | tail -1)"
      local t="${out% *}" m="${out#* }"
      if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
      if [[ -z "$rss" || "$m" -lt "$rss" ]]; then rss="$m"; fi
    else
      local start end
      start=$(date +%s.%N)
      "$kit" template bench "$chart" > /dev/null
      end=$(date +%s.%N)
      local t
      t=$(awk "BEGIN{printf \"%.3f\", $end - $start}")
      if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
    fi
  done
  echo "$best ${rss:-?}"
}

docs=$("$kit" template bench "$chart" | grep -c '^# Source:')
read -r t m < <(measure)
echo "kit template: $n templates, $(grep -c '^    ' "$chart/values.yaml") value lines, $docs documents"
echo "  best of $runs: ${t}s wall, peak RSS ${m} KB"
