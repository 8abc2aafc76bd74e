#!/usr/bin/env bash
# Benchmark `kit template` against `helm template` v3.17.2 on the largest charts of the helm
# corpus, in one run: best wall time and peak RSS of KIT_BENCH_RUNS runs each, and the ratio.
#
#   KIT_HELM3=/path/to/helm benches/helm-template.sh      # scripts/install-helm installs it
#
# Environment: KIT_BENCH_KIT (default target/release/kit, built first unless
# KIT_BENCH_NO_BUILD=1), KIT_HELM3 (default .tools/helm-v3.17.2/helm), KIT_BENCH_RUNS (5),
# KIT_CORPUS (default ../shared/corpus).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${KIT_BENCH_RUNS:-5}"
kit="${KIT_BENCH_KIT:-${CARGO_TARGET_DIR:-$root/target}/release/kit}"
helm="${KIT_HELM3:-$root/.tools/helm-v3.17.2/helm}"
corpus="${KIT_CORPUS:-$root/../shared/corpus}/helm"
if [[ -z "${KIT_BENCH_KIT:-}" && "${KIT_BENCH_NO_BUILD:-}" != 1 ]]; then cargo build --release --quiet; fi
[[ -x "$helm" ]] || { echo "helm v3.17.2 not found at $helm: run scripts/install-helm or set KIT_HELM3" >&2; exit 2; }
[[ -d "$corpus" ]] || { echo "corpus not found at $corpus" >&2; exit 2; }
home="$(mktemp -d)"; trap 'rm -rf "$home"' EXIT

# best wall seconds (bash's microsecond clock around the bare command) and lowest peak RSS
# (KiB, from a separate /usr/bin/time run) of $runs runs of "$@", run in $dir
measure() {
  local best=999999 rss=999999999
  cd "$dir"
  for _ in $(seq "$runs"); do
    local t0=$EPOCHREALTIME
    HOME="$home" "$@" >/dev/null 2>&1 || true
    local t1=$EPOCHREALTIME
    best=$(python3 -c "print(min($best, round($t1 - $t0, 4)))")
    HOME="$home" /usr/bin/time -o "$home/time" -f '%M' "$@" >/dev/null 2>&1 || true
    local m; m=$(tail -n 1 "$home/time")
    rss=$(( m < rss ? m : rss ))
  done
  cd "$root"
  echo "$best $rss"
}

# kube-prometheus-stack's packaged subcharts are not in the corpus: the chart is copied with
# those the corpus has (kube-state-metrics 8.4.0 and prometheus-node-exporter 4.56.1, the
# versions it pins; grafana 10.5.15 where it pins 12.11.1, which both tools render as it is)
# and without prometheus-windows-exporter (off by default) in its Chart.yaml.
assemble_kube_prometheus_stack() {
  local chart="$1/chart"
  cp -rL "$corpus/kube-prometheus-stack-default/chart" "$chart"
  cp -rL "$corpus/kube-state-metrics-default/chart" "$chart/charts/kube-state-metrics"
  cp -rL "$corpus/prometheus-node-exporter-default/chart" "$chart/charts/prometheus-node-exporter"
  cp -rL "$corpus/grafana-default/chart" "$chart/charts/grafana"
  python3 - "$chart/Chart.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
open(sys.argv[1], "w").write(re.sub(r"  - name: prometheus-windows-exporter\n(    .*\n)*", "", text))
PY
}

# output: whether both printed the same bytes ("same size" where the chart makes random
# passwords, whose lengths match).
printf '%-30s %10s %10s %10s %10s %8s  %s\n' case kit_s kit_MiB helm_s helm_MiB ratio output
for case in kube-prometheus-stack-default argo-cd-ha traefik-features grafana-features \
  prometheus-features; do
  dir="$(mktemp -d)"
  if [[ "$case" == kube-prometheus-stack-default ]]; then
    assemble_kube_prometheus_stack "$dir"
  else
    for f in "$corpus/$case"/*; do
      b=$(basename "$f")
      if [[ "$b" == chart && -f "$f" && ! -d "$f" ]]; then ln -s "$corpus/$case/$(cat "$f")" "$dir/chart"; else ln -s "$f" "$dir/$b"; fi
    done
  fi
  eval "args=($(cat "$corpus/$case/ARGS"))"
  (cd "$dir" && HOME="$home" "$kit" template "${args[@]}" >"$home/kit.out" 2>/dev/null) || true
  (cd "$dir" && HOME="$home" "$helm" template "${args[@]}" >"$home/helm.out" 2>/dev/null) || true
  if cmp -s "$home/kit.out" "$home/helm.out"; then same=same
  elif [[ $(wc -c <"$home/kit.out") == $(wc -c <"$home/helm.out") ]]; then same="same size"
  else same=DIFFERENT; fi
  read -r kt km < <(measure "$kit" template "${args[@]}")
  read -r ht hm < <(measure "$helm" template "${args[@]}")
  printf '%-30s %10s %10s %10s %10s %7sx  %s\n' "$case" "$kt" "$((km/1024))" "$ht" "$((hm/1024))" \
    "$(python3 -c "print(round($ht/max($kt,0.0001),1))")" "$same"
  rm -rf "$dir"
done
