#!/usr/bin/env bash
# Benchmark `kit lint` against checkov (PyPI), the reference for this comparison.
#
#   benches/lint.sh
#
# Cases, each linted by both tools in this run:
#   (a) the largest manifest file of ../shared/corpus/manifests;
#   (b) a generated file of 10,000 resources (Deployments, Services, ConfigMaps);
#   (c) one small Deployment (what a pre-commit hook sees; kit's target is under 20 ms).
# The best wall time of KIT_BENCH_RUNS runs (default 3; checkov: KIT_BENCH_SLOW_RUNS, default
# 1) is kept; the table prints kit's time, checkov's and the ratio.
#
# Environment:
#   KIT_BENCH_KIT      kit binary (default target/release/kit, built first unless
#                      KIT_BENCH_NO_BUILD=1)
#   KIT_BENCH_CHECKOV  checkov binary (default .tools/bench-venv/bin/checkov, installed with
#                      pip into that venv when missing)
#   KIT_BENCH_RESOURCES  size of the generated file (default 10000)
#   KIT_BENCH_CORPUS   manifests corpus (default /work/shared/corpus/manifests)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${KIT_BENCH_RUNS:-3}"
slow_runs="${KIT_BENCH_SLOW_RUNS:-1}"
resources="${KIT_BENCH_RESOURCES:-10000}"
corpus="${KIT_BENCH_CORPUS:-/work/shared/corpus/manifests}"
say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

[ -x /usr/bin/time ] || die "GNU time is needed (Debian package 'time')"

if [ -n "${KIT_BENCH_KIT:-}" ]; then
    kit="$KIT_BENCH_KIT"
else
    kit="$root/target/release/kit"
    if [ "${KIT_BENCH_NO_BUILD:-}" != 1 ]; then
        say "cargo build --release"
        cargo build --release --quiet || die "cargo build --release failed"
    fi
fi
checkov="${KIT_BENCH_CHECKOV:-$root/.tools/bench-venv/bin/checkov}"
if [ ! -x "$checkov" ]; then
    say "installing checkov into .tools/bench-venv (pip)"
    python3 -m venv "$root/.tools/bench-venv"
    "$root/.tools/bench-venv/bin/pip" install --quiet --disable-pip-version-check checkov >&2 ||
        die "could not install checkov"
    checkov="$root/.tools/bench-venv/bin/checkov"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/kit-lint-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# measure N CMD...: best wall seconds of N runs (exit codes ignored: findings are expected).
measure() {
    local n="$1" best="" t
    shift
    for ((r = 0; r < n; r++)); do
        /usr/bin/time -f '%e' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
        t="$(tail -n 1 "$work/time")"
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
    done
    echo "$best"
}

# A finer clock for the small case (GNU time prints hundredths).
measure_ms() {
    local n="$1" best="" t s e
    shift
    for ((r = 0; r < n; r++)); do
        s="$(date +%s%N)"
        "$@" >/dev/null 2>&1 || true
        e="$(date +%s%N)"
        t=$(((e - s) / 1000000))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best="$t"; fi
    done
    echo "$best"
}

rows=()
compare() { # compare LABEL FILE
    local label="$1" file="$2" k c
    say "$label: kit"
    k="$(measure "$runs" "$kit" lint "$file" --output json)"
    local kit_findings
    kit_findings="$(grep -o '"rule"' "$work/out" | wc -l)"
    say "$label: checkov"
    c="$(measure "$slow_runs" "$checkov" -f "$file" --framework kubernetes --quiet --compact -o json --soft-fail)"
    local checkov_findings
    checkov_findings="$(grep -o '"check_id"' "$work/out" | wc -l)"
    rows+=("$label|$k|$c|$kit_findings|$checkov_findings")
}

largest="$(find "$corpus" -name '*.yaml' -o -name '*.yml' 2>/dev/null | xargs -r ls -S 2>/dev/null | head -n 1 || true)"
[ -n "$largest" ] && compare "(a) $(basename "$largest") ($(($(wc -c <"$largest") / 1024)) KiB)" "$largest"

say "generating $resources resources"
for ((i = 0; i < resources; i++)); do
    case $((i % 3)) in
    0) printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  labels: {app: app-%d}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: app-%d}\n  template:\n    metadata:\n      labels: {app: app-%d}\n    spec:\n      containers:\n      - name: main\n        image: nginx:latest\n        ports: [{containerPort: 8080}]\n        resources:\n          limits: {cpu: 500m, memory: 128Mi}\n' "$i" "$i" "$i" "$i" ;;
    1) printf -- '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%d\nspec:\n  selector: {app: app-%d}\n  ports: [{port: 80, targetPort: 8080}]\n' "$i" $((i - 1)) ;;
    2) printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-%d\ndata:\n  mode: production\n' "$i" ;;
    esac
done >"$work/generated.yaml"
compare "(b) generated: $resources resources" "$work/generated.yaml"

printf -- 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n' >"$work/small.yaml"
say "(c) one small file"
small_kit="$(measure_ms 10 "$kit" lint "$work/small.yaml")"
small_checkov="$(measure_ms "$slow_runs" "$checkov" -f "$work/small.yaml" --framework kubernetes --quiet --compact --soft-fail)"

echo
printf '%-52s %9s %11s %8s %13s %17s\n' benchmark "kit s" "checkov s" speedup "kit findings" "checkov findings"
for r in "${rows[@]}"; do
    IFS='|' read -r label k c kf cf <<<"$r"
    printf '%-52s %9s %11s %8s %13s %17s\n' "${label:0:52}" "$k" "$c" \
        "$(awk -v k="$k" -v c="$c" 'BEGIN { if (k == 0) k = 0.005; printf "%.0fx", c / k }')" "$kf" "$cf"
done
printf '%-52s %8sms %10sms %8s\n' "(c) one small Deployment (pre-commit)" "$small_kit" "$small_checkov" \
    "$(awk -v k="$small_kit" -v c="$small_checkov" 'BEGIN { if (k == 0) k = 1; printf "%.0fx", c / k }')"
echo
echo "best of $runs runs for kit, $slow_runs for checkov; kit: $kit; checkov: $checkov"
