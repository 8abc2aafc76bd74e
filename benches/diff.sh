#!/usr/bin/env bash
# Benchmark `kit diff` on two renders of a generated base of 2,000+ resources.
#
#   benches/diff.sh
#
# The base holds KIT_BENCH_RESOURCES resources (default 2,400: Deployments, Services and
# ConfigMaps, a third each). Three overlays of it:
#   old      namespace bench, images tag 1.0, a configMapGenerator;
#   new      image tag 1.1 (every Deployment changes), one generator literal changed (a
#            hash-suffix rename, and every Deployment's reference to it);
#   renamed  the old overlay with a namePrefix: every object renamed, so rename detection
#            compares every removed object with every added one of its kind.
# Measured (best wall time of KIT_BENCH_RUNS, GNU time's peak RSS):
#   (a) kit diff old new                  (render both, compare, print the unified diff)
#   (b) kit build old; kit build new; diff -u   (the same renders, one text diff; no object
#       pairing, no masking: the baseline a script would use)
#   (c) kit diff old renamed              (the rename-detection worst case)
# dyff (the YAML-aware diff tool) is a Go binary with no PyPI or npm package, so it is not
# compared here.
#
# Environment:
#   KIT_BENCH_KIT         kit binary (default $CARGO_TARGET_DIR or target, release/kit, built
#                         with `cargo build --release` first unless KIT_BENCH_NO_BUILD=1)
#   KIT_BENCH_RUNS        runs per measurement (default 3)
#   KIT_BENCH_RESOURCES   base size (default 2400)
#   KIT_BENCH_KEEP=1      keep the generated tree (its path is printed)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${KIT_BENCH_RUNS:-3}"
resources="${KIT_BENCH_RESOURCES:-2400}"

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 1; }

if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (Debian package 'time')"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq time >/dev/null ||
        die "could not install GNU time; install the Debian package 'time'"
fi

if [ -n "${KIT_BENCH_KIT:-}" ]; then
    kit="$KIT_BENCH_KIT"
else
    kit="${CARGO_TARGET_DIR:-$root/target}/release/kit"
    if [ "${KIT_BENCH_NO_BUILD:-}" != 1 ]; then
        say "cargo build --release"
        cargo build --release --quiet || die "cargo build --release failed"
    fi
fi
[ -x "$kit" ] || die "kit binary not found: $kit"

work="$(mktemp -d "${TMPDIR:-/tmp}/kit-bench-diff.XXXXXX")"
if [ "${KIT_BENCH_KEEP:-}" = 1 ]; then
    say "tree kept in $work"
else
    trap 'rm -rf "$work"' EXIT
fi

# --- the tree --------------------------------------------------------------------------------

mkdir -p "$work/base" "$work/old" "$work/new" "$work/renamed"
per=$(( (resources + 2) / 3 ))
{
    echo "resources:"
    for i in $(seq 1 "$per"); do echo "- app-$i.yaml"; done
} > "$work/base/kustomization.yaml"
for i in $(seq 1 "$per"); do
    cat > "$work/base/app-$i.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-$i
  labels: {app: app-$i, tier: web}
spec:
  replicas: $(( i % 3 + 1 ))
  selector: {matchLabels: {app: app-$i}}
  template:
    metadata: {labels: {app: app-$i, tier: web}}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:latest
        ports: [{containerPort: 8080}]
        envFrom: [{configMapRef: {name: shared-config}}]
        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: app-$i
  labels: {app: app-$i}
spec:
  selector: {app: app-$i}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-$i-settings
data:
  APP_ID: "$i"
  REGION: eu-west-$(( i % 4 ))
  FEATURE_FLAGS: "search,checkout,reviews"
EOF
done
overlay() {
    local dir="$1" tag="$2" level="$3" prefix="$4"
    {
        echo "namespace: bench"
        [ -n "$prefix" ] && echo "namePrefix: $prefix"
        echo "resources: [../base]"
        echo "images: [{name: registry.example.com/app, newTag: \"$tag\"}]"
        echo "configMapGenerator:"
        echo "- name: shared-config"
        echo "  literals: [LOG_LEVEL=$level, CACHE=on]"
    } > "$work/$dir/kustomization.yaml"
}
overlay old 1.0 info ""
overlay new 1.1 debug ""
overlay renamed 1.0 info "shop-"

"$kit" build "$work/old" > "$work/old.yaml"
"$kit" build "$work/new" > "$work/new.yaml"
objects=$(grep -c '^kind:' "$work/old.yaml")
say "$objects objects per render ($(du -k "$work/old.yaml" | cut -f1) KB of YAML)"

# --- measurements ----------------------------------------------------------------------------

best() { # best wall seconds and its peak RSS in MB over $runs runs of "$@"
    local best_t="" best_m=""
    for _ in $(seq 1 "$runs"); do
        local out
        /usr/bin/time -o "$work/time" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
        out=$(tail -n 1 "$work/time")
        local t="${out% *}" m="${out#* }"
        if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t="$t"; best_m="$m"; fi
    done
    echo "$best_t $(( best_m / 1024 ))"
}

read -r a_t a_m < <(best "$kit" diff "$work/old" "$work/new" --color never)
read -r c_t c_m < <(best "$kit" diff "$work/old" "$work/renamed" --color never)
cat > "$work/baseline.sh" <<EOF
#!/usr/bin/env bash
"$kit" build "$work/old" > "$work/a.yaml"
"$kit" build "$work/new" > "$work/b.yaml"
diff -u "$work/a.yaml" "$work/b.yaml"
exit 0
EOF
chmod +x "$work/baseline.sh"
read -r b_t b_m < <(best "$work/baseline.sh")

summary=$("$kit" diff "$work/old" "$work/new" --output summary | tail -n 1 || true)
renamed=$("$kit" diff "$work/old" "$work/renamed" --output summary | tail -n 1 || true)
unified_lines=$("$kit" diff "$work/old" "$work/new" --color never | wc -l || true)
plain_lines=$(diff -u "$work/old.yaml" "$work/new.yaml" | wc -l || true)

echo "objects per render:                 $objects"
echo "(a) kit diff old new:               ${a_t}s, ${a_m} MB  ($summary; $unified_lines lines)"
echo "(b) kit build x2 + diff -u:         ${b_t}s, ${b_m} MB  (one text diff; $plain_lines lines)"
echo "(c) kit diff old renamed:           ${c_t}s, ${c_m} MB  ($renamed)"
