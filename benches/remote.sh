#!/usr/bin/env bash
# Benchmark remote bases: a kustomization with five remote git bases, built by `kit build`
# (cold cache, then warm cache) and by `kubectl kustomize` (kustomize v5.8.1, which clones
# every remote base on every build), in one run; prints both ratios.
#
#   benches/remote.sh
#
# The five repositories are made here and reached as `file://` URLs (a form both tools
# accept; no machine here reaches a real host). Each holds a base of KIT_BENCH_REMOTE_RESOURCES
# Deployments and Services (default 20 each) and a tag `v1`; the overlay asks for
# `file:///…/repo-N//base?ref=v1`. Both tools must print the same bytes, or the run fails.
# Cold: kit with an empty cache directory (XDG_CACHE_HOME) every run. Warm: the cache of the
# previous runs kept (kit still asks each repository where `v1` points now, as a tag can
# move). Pinned: after `kit update`, `--offline` builds from kit.lock and the cache and asks
# no remote at all (`--locked` still asks, to refuse a moved ref). Best wall time of
# KIT_BENCH_RUNS runs (default 5).
#
# Environment: KIT_KUBECTL (default .tools/venv/bin/kubectl), KIT_BENCH_KIT (default
# target/release/kit, built first unless KIT_BENCH_NO_BUILD=1), KIT_BENCH_RUNS,
# KIT_BENCH_REMOTE_RESOURCES.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${KIT_BENCH_RUNS:-5}"
per_base="${KIT_BENCH_REMOTE_RESOURCES:-20}"
kit="${KIT_BENCH_KIT:-${CARGO_TARGET_DIR:-$root/target}/release/kit}"
kubectl="${KIT_KUBECTL:-$root/.tools/venv/bin/kubectl}"
if [[ -z "${KIT_BENCH_KIT:-}" && "${KIT_BENCH_NO_BUILD:-}" != 1 ]]; then cargo build --release --quiet; fi
[[ -x "$kubectl" ]] || { echo "kubectl not found at $kubectl: run scripts/install-test-tools or set KIT_KUBECTL" >&2; exit 2; }
command -v git >/dev/null || { echo "git is needed" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$work/home"; mkdir -p "$HOME"
git config --global user.email bench@example.com; git config --global user.name bench
git config --global init.defaultBranch main

# five repositories, each a base of Deployments and Services
for n in 1 2 3 4 5; do
  repo="$work/repo-$n"; mkdir -p "$repo/base"
  {
    echo "resources:"
    for i in $(seq "$per_base"); do echo "- app-$i.yaml"; done
    echo "labels:"; echo "- pairs: {team: team-$n}"
  } >"$repo/base/kustomization.yaml"
  for i in $(seq "$per_base"); do
    cat >"$repo/base/app-$i.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-$n-$i
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-$n-$i}
  template:
    metadata:
      labels: {app: app-$n-$i}
    spec:
      containers:
      - name: app
        image: registry.example.com/app-$n-$i:1.$i.0
        ports:
        - containerPort: 8080
        resources:
          limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: app-$n-$i
spec:
  selector: {app: app-$n-$i}
  ports:
  - port: 80
    targetPort: 8080
EOF
  done
  (cd "$repo" && git init -q && git add -A && git commit -qm base && git tag v1)
done
mkdir -p "$work/overlay"
{
  echo "resources:"
  for n in 1 2 3 4 5; do echo "- file://$work/repo-$n//base?ref=v1"; done
  echo "namespace: prod"
  echo "namePrefix: prod-"
} >"$work/overlay/kustomization.yaml"

"$kubectl" kustomize "$work/overlay" >"$work/kubectl.yaml"
XDG_CACHE_HOME="$work/cache-check" "$kit" build --quiet "$work/overlay" >"$work/kit.yaml"
cmp -s "$work/kubectl.yaml" "$work/kit.yaml" || { echo "kit and kubectl differ" >&2; diff "$work/kubectl.yaml" "$work/kit.yaml" | head -20 >&2; exit 1; }

# best wall seconds of $runs runs of "$@"; $before runs before each (not timed)
best() {
  local b=999999
  for _ in $(seq "$runs"); do
    eval "$before"
    local t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    local t1=$EPOCHREALTIME
    b=$(python3 -c "print(min($b, round($t1 - $t0, 4)))")
  done
  echo "$b"
}
before=':'
t_kubectl=$(best "$kubectl" kustomize "$work/overlay")
before='rm -rf "$work/cache-cold"'
t_cold=$(XDG_CACHE_HOME="$work/cache-cold" best "$kit" build --quiet "$work/overlay")
before=':'
XDG_CACHE_HOME="$work/cache-warm" "$kit" build --quiet "$work/overlay" >/dev/null
t_warm=$(XDG_CACHE_HOME="$work/cache-warm" best "$kit" build --quiet "$work/overlay")
# pinned: with kit.lock and --offline, a warm build asks no remote where its refs point now
# (--locked does ask, to refuse a moved ref)
XDG_CACHE_HOME="$work/cache-warm" "$kit" update --quiet "$work/overlay" >/dev/null
t_locked=$(XDG_CACHE_HOME="$work/cache-warm" best "$kit" build --quiet --offline "$work/overlay")

objects=$(grep -c '^kind:' "$work/kit.yaml")
echo "five remote bases (file:// git, $objects objects, identical output), best of $runs"
printf '%-32s %9s %8s\n' tool seconds ratio
printf '%-32s %9s %8s\n' "kubectl kustomize" "$t_kubectl" "1.0x"
printf '%-32s %9s %7sx\n' "kit build (cold cache)" "$t_cold" "$(python3 -c "print(round($t_kubectl/max($t_cold,0.0001),1))")"
printf '%-32s %9s %7sx\n' "kit build (warm cache)" "$t_warm" "$(python3 -c "print(round($t_kubectl/max($t_warm,0.0001),1))")"
printf '%-32s %9s %7sx\n' "kit build (kit.lock, --offline)" "$t_locked" "$(python3 -c "print(round($t_kubectl/max($t_locked,0.0001),1))")"
