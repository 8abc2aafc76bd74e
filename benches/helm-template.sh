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

printf '%-22s %10s %10s %10s %10s %8s\n' case kit_s kit_MiB helm_s helm_MiB ratio
for case in argo-cd-ha traefik-features grafana-features prometheus-features; do
  dir="$(mktemp -d)"
  for f in "$corpus/$case"/*; do
    b=$(basename "$f")
    if [[ "$b" == chart && -f "$f" && ! -d "$f" ]]; then ln -s "$corpus/$case/$(cat "$f")" "$dir/chart"; else ln -s "$f" "$dir/$b"; fi
  done
  eval "args=($(cat "$corpus/$case/ARGS"))"
  read -r kt km < <(measure "$kit" template "${args[@]}")
  read -r ht hm < <(measure "$helm" template "${args[@]}")
  printf '%-22s %10s %10s %10s %10s %7sx\n' "$case" "$kt" "$((km/1024))" "$ht" "$((hm/1024))" \
    "$(python3 -c "print(round($ht/max($kt,0.0001),1))")"
  rm -rf "$dir"
done
