#!/usr/bin/env bash
# Benchmark `kit build` against `kubectl kustomize` (the reference, kustomize v5.8.1).
#
#   benches/build.sh
#
# Cases:
#   (a) the largest case of the kustomize corpus (/work/shared/corpus/kustomize, by size of
#       expected.yaml), built from inside its input/ directory with its ENTRY and FLAGS;
#   (b) 50 overlays of a generated base of 2,000 resources (Deployments, Services,
#       ConfigMaps), each with namePrefix, namespace, commonLabels, images and replicas:
#       one `kit build overlays/overlay-1 ... overlays/overlay-50` process against
#       50 `kubectl kustomize overlays/overlay-N` processes. kubectl needs about half a
#       minute per overlay of this size on the 2-core machine, so by default it runs the
#       first KIT_BENCH_KUBECTL_SAMPLE overlays and its time is scaled to 50 (marked "~");
#   (c) one of those overlays, with each tool;
#   (d) a patch-heavy overlay of the same base: a strategic-merge and a JSON patch applied to
#       every Deployment through target selectors, a replacing configMapGenerator (content
#       hash, name references), replacements and vars.
# Run it with KIT_BENCH_RESOURCES=500 and 2000 to see how each tool's time grows.
# Each measurement is run several times; the best wall time and the lowest peak RSS are kept
# (GNU time: `/usr/bin/time -f '%e %M'`; for a series of processes, the peak of the largest).
#
# Environment:
#   KIT_KUBECTL           reference kubectl (default .tools/venv/bin/kubectl, installed by
#                         scripts/install-test-tools when missing)
#   KIT_BENCH_KIT         kit binary (default target/release/kit, built with
#                         `cargo build --release` first unless KIT_BENCH_NO_BUILD=1)
#   KIT_BENCH_RUNS        runs per measurement (default 3)
#   KIT_BENCH_SLOW_RUNS   runs of the kubectl series in (b) (default 1)
#   KIT_BENCH_KUBECTL_SAMPLE  overlays kubectl builds in (b) (default 3; 50 = all, ~25 min)
#   KIT_BENCH_RESOURCES, KIT_BENCH_OVERLAYS  tree size (default 2000 and 50; smaller for a
#                         quick check of the script)
#   KIT_BENCH_CORPUS      corpus directory (default /work/shared/corpus/kustomize)
#   KIT_BENCH_KEEP=1      keep the generated tree (its path is printed)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${KIT_BENCH_RUNS:-3}"
slow_runs="${KIT_BENCH_SLOW_RUNS:-1}"
corpus="${KIT_BENCH_CORPUS:-/work/shared/corpus/kustomize}"
resources="${KIT_BENCH_RESOURCES:-2000}"
overlays="${KIT_BENCH_OVERLAYS:-50}"
sample="${KIT_BENCH_KUBECTL_SAMPLE:-3}"
[ "$sample" -gt "$overlays" ] && sample="$overlays"

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

# --- tools -----------------------------------------------------------------------------------

if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (Debian package 'time')"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq time >/dev/null ||
        die "could not install GNU time; install the Debian package 'time'"
fi

kubectl="${KIT_KUBECTL:-$root/.tools/venv/bin/kubectl}"
if [ ! -x "$kubectl" ]; then
    kubectl="$(scripts/install-test-tools | tail -n 1)" || die "could not install the reference kubectl"
fi
"$kubectl" version --client 2>/dev/null | grep -q 'Kustomize Version: v5.8.1' ||
    say "warning: $kubectl does not report Kustomize Version v5.8.1"

if [ -n "${KIT_BENCH_KIT:-}" ]; then
    kit="$KIT_BENCH_KIT"
else
    kit="$root/target/release/kit"
    if [ "${KIT_BENCH_NO_BUILD:-}" != 1 ]; then
        say "cargo build --release"
        cargo build --release --quiet || die "cargo build --release failed"
    fi
fi
[ -x "$kit" ] || die "kit binary not found: $kit"

work="$(mktemp -d "${TMPDIR:-/tmp}/kit-bench.XXXXXX")"
if [ "${KIT_BENCH_KEEP:-}" = 1 ]; then
    say "keeping the generated tree in $work"
else
    trap 'rm -rf "$work"' EXIT
fi

# --- the generated tree: base/ with 2,000 resources, overlays/overlay-1..50 -----------------

generate() {
    local dir="$work/tree"
    mkdir -p "$dir/base"
    local per_file=50 files=$(((resources + 49) / 50))
    {
        echo "apiVersion: kustomize.config.k8s.io/v1beta1"
        echo "kind: Kustomization"
        echo "resources:"
        for ((f = 0; f < files; f++)); do printf -- '- resources-%02d.yaml\n' "$f"; done
    } >"$dir/base/kustomization.yaml"
    local i n prev next
    for ((f = 0; f < files; f++)); do
        for ((j = 0; j < per_file; j++)); do
            i=$((f * per_file + j))
            [ "$i" -lt "$resources" ] || break
            printf -v n '%04d' "$i"
            printf -v prev '%04d' $((i - 1))
            printf -v next '%04d' $((i + 2))
            echo "---"
            case $((i % 3)) in
            0) printf '%s\n' \
                "apiVersion: apps/v1" \
                "kind: Deployment" \
                "metadata:" \
                "  name: app-$n" \
                "  labels:" \
                "    app: app-$n" \
                "    tier: backend" \
                "  annotations:" \
                "    description: \"Deployment number $n of the benchmark, with a long description that wraps\"" \
                "spec:" \
                "  replicas: 2" \
                "  selector:" \
                "    matchLabels:" \
                "      app: app-$n" \
                "  template:" \
                "    metadata:" \
                "      labels:" \
                "        app: app-$n" \
                "    spec:" \
                "      serviceAccountName: default" \
                "      containers:" \
                "      - name: main" \
                "        image: nginx:1.25" \
                "        args: [\"--port=8080\", \"--verbose\"]" \
                "        ports:" \
                "        - containerPort: 8080" \
                "          name: http" \
                "        env:" \
                "        - name: CONFIG" \
                "          valueFrom:" \
                "            configMapKeyRef:" \
                "              name: cfg-$next" \
                "              key: mode" \
                "        resources:" \
                "          limits:" \
                "            cpu: 500m" \
                "            memory: 128Mi" \
                "      - name: sidecar" \
                "        image: repo.io:5000/team/proxy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ;;
            1) printf '%s\n' \
                "apiVersion: v1" \
                "kind: Service" \
                "metadata:" \
                "  name: svc-$n" \
                "  labels:" \
                "    app: app-$prev" \
                "spec:" \
                "  type: ClusterIP" \
                "  selector:" \
                "    app: app-$prev" \
                "  ports:" \
                "  - name: http" \
                "    port: 80" \
                "    targetPort: http" \
                "    protocol: TCP" ;;
            2) printf '%s\n' \
                "apiVersion: v1" \
                "kind: ConfigMap" \
                "metadata:" \
                "  name: cfg-$n" \
                "data:" \
                "  mode: \"production\"" \
                "  port: \"8080\"" \
                "  enabled: \"true\"" \
                "  config.yaml: |" \
                "    server:" \
                "      port: 8080" \
                "      name: app-$n" \
                "    features: [a, b, c]" ;;
            esac
        done >"$dir/base/resources-$(printf '%02d' "$f").yaml"
    done
    for ((o = 1; o <= overlays; o++)); do
        mkdir -p "$dir/overlays/overlay-$o"
        printf '%s\n' \
            "apiVersion: kustomize.config.k8s.io/v1beta1" \
            "kind: Kustomization" \
            "resources:" \
            "- ../../base" \
            "namePrefix: o$o-" \
            "namespace: ns-$o" \
            "commonLabels:" \
            "  overlay: o$o" \
            "  env: prod" \
            "images:" \
            "- name: nginx" \
            "  newTag: \"1.$o\"" \
            "- name: repo.io:5000/team/proxy" \
            "  newName: registry.example.com/proxy" \
            "replicas:" \
            "- name: app-0000" \
            "  count: $o" \
            >"$dir/overlays/overlay-$o/kustomization.yaml"
    done
    # A patch-heavy overlay: strategic-merge and JSON patches on every Deployment (by
    # selector), a generated ConfigMap (hash suffix, referenced by name), replacements and vars.
    local heavy="$dir/overlays/heavy"
    mkdir -p "$heavy"
    printf '%s\n' "mode=canary" "level=debug" >"$heavy/app.env"
    printf '%s\n' \
        "apiVersion: kustomize.config.k8s.io/v1beta1" \
        "kind: Kustomization" \
        "resources:" \
        "- ../../base" \
        "namePrefix: heavy-" \
        "namespace: heavy" \
        "labels:" \
        "- pairs: {team: platform}" \
        "  includeSelectors: false" \
        "  includeTemplates: true" \
        "configMapGenerator:" \
        "- name: cfg-0002" \
        "  behavior: replace" \
        "  envs: [app.env]" \
        "patches:" \
        "- target: {kind: Deployment, labelSelector: tier=backend}" \
        "  patch: |" \
        "    apiVersion: apps/v1" \
        "    kind: Deployment" \
        "    metadata: {name: any}" \
        "    spec:" \
        "      template:" \
        "        spec:" \
        "          containers:" \
        "          - name: main" \
        "            env:" \
        "            - {name: EXTRA, value: \"1\"}" \
        "            resources:" \
        "              requests: {cpu: 100m}" \
        "- target: {kind: Deployment}" \
        "  patch: |" \
        "    - op: add" \
        "      path: /spec/template/metadata/annotations" \
        "      value: {patched: \"true\"}" \
        "    - op: replace" \
        "      path: /spec/replicas" \
        "      value: 3" \
        "replacements:" \
        "- source: {kind: ConfigMap, name: cfg-0002, fieldPath: metadata.name}" \
        "  targets:" \
        "  - select: {kind: Deployment}" \
        "    fieldPaths: [spec.template.metadata.annotations.config]" \
        "    options: {create: true}" \
        "vars:" \
        "- name: SVC" \
        "  objref: {kind: Service, name: svc-0001, apiVersion: v1}" \
        >"$heavy/kustomization.yaml"
}

# --- measuring -------------------------------------------------------------------------------

# measure N CMD...: runs CMD (in the current directory) N times; prints "best_seconds min_peak_kb",
# or "failed" if any run fails. Its stdout of the last run is left in $work/out.
measure() {
    local n="$1" best_t="" best_m="" t m
    shift
    for ((r = 0; r < n; r++)); do
        if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err"; then
            say "failed: $*"
            grep -v '^Command exited' "$work/err" | tail -n 5 | sed 's/^/bench:   /' >&2
            echo "failed"
            return 0
        fi
        read -r t m <"$work/time"
        if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then best_t="$t"; fi
        if [ -z "$best_m" ] || [ "$m" -lt "$best_m" ]; then best_m="$m"; fi
    done
    echo "$best_t $best_m"
}

# Runs kubectl kustomize on the first $sample overlays in turn (one process each), for measure.
kubectl_series() {
    local o
    for ((o = 1; o <= sample; o++)); do
        "$kubectl" kustomize "overlays/overlay-$o" || return 1
    done
}
export -f kubectl_series
export kubectl sample

rows=()
# row LABEL KIT_RESULT KUBECTL_RESULT SAME
row() { rows+=("$1|$2|$3|$4"); }

same_output() { # same_output FILE FILE
    if cmp -s "$1" "$2"; then echo "identical"; else echo "DIFFERENT"; fi
}

# (a) the largest corpus case
largest="$(ls -S "$corpus"/*/expected.yaml 2>/dev/null | head -n 1 || true)"
if [ -n "$largest" ]; then
    case_dir="$(dirname "$largest")"
    name="$(basename "$case_dir")"
    entry="$(cat "$case_dir/ENTRY")"
    read -r -a flags <<<"$(cat "$case_dir/FLAGS" 2>/dev/null || true)"
    say "(a) $name: $(($(wc -c <"$largest") / 1024)) KiB of output"
    pushd "$case_dir/input" >/dev/null
    kit_a="$(measure "$runs" "$kit" build "$entry" "${flags[@]}")"
    cp "$work/out" "$work/kit-a.yaml"
    kubectl_a="$(measure "$runs" "$kubectl" kustomize "$entry" "${flags[@]}")"
    popd >/dev/null
    same="n/a"
    [ "$kit_a" != failed ] && same="$(same_output "$work/kit-a.yaml" "$largest")"
    row "(a) corpus: $name" "$kit_a" "$kubectl_a" "$same"
else
    say "(a) skipped: no corpus under $corpus"
fi

say "generating $resources resources and $overlays overlays in $work/tree"
generate
cd "$work/tree"
overlay_dirs=()
for ((o = 1; o <= overlays; o++)); do overlay_dirs+=("overlays/overlay-$o"); done

# (b) 50 overlays: one kit process with many roots against 50 kubectl processes
say "(b) $overlays overlays of $resources resources"
kit_b="$(measure "$runs" "$kit" build "${overlay_dirs[@]}")"
say "(b) kubectl: $sample of the $overlays overlays, one process each"
kubectl_b="$(measure "$slow_runs" bash -c kubectl_series)"
if [ "$kubectl_b" != failed ] && [ "$sample" -lt "$overlays" ]; then
    read -r t m <<<"$kubectl_b"
    kubectl_b="~$(awk -v t="$t" -v s="$sample" -v n="$overlays" 'BEGIN { printf "%.2f", t * n / s }') $m"
fi
row "(b) $overlays overlays x $resources resources" "$kit_b" "$kubectl_b" "n/a"

# (c) one overlay of the 2,000 resources
say "(c) one overlay of $resources resources"
kit_c="$(measure "$runs" "$kit" build overlays/overlay-1)"
cp "$work/out" "$work/kit-c.yaml"
kubectl_c="$(measure "$runs" "$kubectl" kustomize overlays/overlay-1)"
same="n/a"
[ "$kit_c" != failed ] && [ "$kubectl_c" != failed ] && same="$(same_output "$work/kit-c.yaml" "$work/out")"
row "(c) 1 overlay x $resources resources" "$kit_c" "$kubectl_c" "$same"

# (d) the patch-heavy overlay of the same base
say "(d) patches, generator, replacements and vars over $resources resources"
kit_d="$(measure "$runs" "$kit" build overlays/heavy)"
cp "$work/out" "$work/kit-d.yaml"
kubectl_d="$(measure "$runs" "$kubectl" kustomize overlays/heavy)"
same="n/a"
[ "$kit_d" != failed ] && [ "$kubectl_d" != failed ] && same="$(same_output "$work/kit-d.yaml" "$work/out")"
row "(d) patch-heavy overlay x $resources resources" "$kit_d" "$kubectl_d" "$same"

# --- the table -------------------------------------------------------------------------------

echo
printf '%s\n' "${rows[@]}" | awk -F'|' '
function num(x) { sub(/^~/, "", x); return x + 0 }
function ratio(a, b) { a = num(a); b = num(b); if (a == 0) a = 0.01; return sprintf("%.1fx", b / a) }
BEGIN {
    printf "%-50s %8s %10s %8s %8s %11s %9s  %s\n", "benchmark", "kit s", "kubectl s", "speedup", "kit MB", "kubectl MB", "mem ratio", "output"
}
{
    split($2, k, " "); split($3, c, " ")
    kt = (k[1] == "failed") ? "failed" : k[1]; ct = (c[1] == "failed") ? "failed" : c[1]
    km = (k[1] == "failed") ? "-" : sprintf("%.1f", k[2] / 1024); cm = (c[1] == "failed") ? "-" : sprintf("%.1f", c[2] / 1024)
    sp = (kt == "failed" || ct == "failed") ? "-" : ratio(k[1], c[1])
    if (substr(c[1], 1, 1) == "~" && sp != "-") sp = "~" sp
    mr = (kt == "failed" || ct == "failed") ? "-" : ratio(k[2], c[2])
    printf "%-50s %8s %10s %8s %8s %11s %9s  %s\n", substr($1, 1, 50), kt, ct, sp, km, cm, mr, $4
}'
echo
[ "$sample" -lt "$overlays" ] &&
    echo "~ kubectl in (b): $sample of $overlays overlays timed, scaled to $overlays (KIT_BENCH_KUBECTL_SAMPLE=$overlays times all)"
echo "best of $runs runs (the kubectl series in (b): $slow_runs); speedup = kubectl time / kit time,"
echo "mem ratio = kubectl peak RSS / kit peak RSS; kit: $kit; kubectl: $kubectl"
