#!/usr/bin/env bash
# Benchmark `kit validate` against kubernetes-validate (PyPI 1.37.0, Python jsonschema).
#
#   benches/validate.sh
#
# Cases, each validated for Kubernetes 1.33 in strict mode by both tools:
#   (a) the largest file of the manifest corpus (by size; kuberay-operator, 3.1 MB of CRDs);
#   (b) a generated file of 10,000 resources (Deployments, Services, ConfigMaps in turn, each
#       realistic: probes, resources, env, volumes, labels).
# kit runs on one core (RAYON_NUM_THREADS=1), for resources per second on one core, and on
# every core (it reads a large file's documents and validates its resources in parallel),
# for the ratio; the best of KIT_BENCH_RUNS runs is kept each time. kubernetes-validate
# (single-threaded Python) runs once: it takes seconds to minutes. The script prints wall
# times, kit's resources per second on one core and the ratios.
#
# Environment:
#   KIT_BENCH_KIT        kit binary (default target/release/kit, built first unless
#                        KIT_BENCH_NO_BUILD=1)
#   KIT_BENCH_RUNS       kit runs per case (default 5)
#   KIT_BENCH_RESOURCES  size of the generated file (default 10000)
#   KIT_BENCH_CORPUS     manifest corpus (default ../shared/corpus/manifests)
#   KUBERNETES_VALIDATE  the reference (default .tools/venv/bin/kubernetes-validate,
#                        installed there with pip when missing)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${KIT_BENCH_RUNS:-5}"
resources="${KIT_BENCH_RESOURCES:-10000}"
corpus="${KIT_BENCH_CORPUS:-$root/../shared/corpus/manifests}"
say() { echo "bench: $*" >&2; }

kv="${KUBERNETES_VALIDATE:-$root/.tools/venv/bin/kubernetes-validate}"
if [ ! -x "$kv" ]; then
    say "installing kubernetes-validate==1.37.0 into .tools/venv"
    [ -x .tools/venv/bin/pip ] || python3 -m venv .tools/venv
    .tools/venv/bin/pip install --quiet --disable-pip-version-check kubernetes-validate==1.37.0 >&2
    kv="$root/.tools/venv/bin/kubernetes-validate"
fi

kit="${KIT_BENCH_KIT:-}"
if [ -z "$kit" ]; then
    target="${CARGO_TARGET_DIR:-$root/target}"
    [ "${KIT_BENCH_NO_BUILD:-}" = 1 ] || cargo build --release --quiet
    kit="$target/release/kit"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

largest="$(find "$corpus" -name '*.yaml' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)"
generated="$work/generated.yaml"
python3 - "$resources" > "$generated" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    app = f"app-{i // 3}"
    if i % 3 == 0:
        print(f"""---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: team-{i % 7}
  labels: {{app.kubernetes.io/name: {app}, tier: web}}
  annotations: {{example.com/owner: team-{i % 7}}}
spec:
  replicas: {1 + i % 5}
  selector:
    matchLabels: {{app.kubernetes.io/name: {app}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {app}, tier: web}}
    spec:
      containers:
      - name: web
        image: registry.example.com/{app}:1.{i % 10}.0
        ports:
        - {{name: http, containerPort: 8080}}
        env:
        - {{name: LOG_LEVEL, value: info}}
        - name: CONFIG
          valueFrom: {{configMapKeyRef: {{name: {app}, key: config}}}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /ready, port: http}}
        livenessProbe:
          httpGet: {{path: /healthz, port: 8080}}
          initialDelaySeconds: 10
        volumeMounts:
        - {{name: config, mountPath: /etc/{app}}}
      volumes:
      - name: config
        configMap: {{name: {app}}}""")
    elif i % 3 == 1:
        print(f"""---
apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: team-{i % 7}
  labels: {{app.kubernetes.io/name: {app}}}
spec:
  selector: {{app.kubernetes.io/name: {app}}}
  ports:
  - {{name: http, port: 80, targetPort: http}}""")
    else:
        print(f"""---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}
  namespace: team-{i % 7}
data:
  config: |
    level: info
    name: {app}
  replicas: "{i % 5}\"""")
PY


# wall time of one run (seconds, from the shell's clock)
once() {
    local start end
    start="$(date +%s.%N)"
    "$@" >/dev/null 2>&1 || true
    end="$(date +%s.%N)"
    python3 -c "print(f'{$end - $start:.3f}')"
}

# "wall cpu" seconds of kit's best run (by wall time) on $2 threads (0: one per core);
# cpu = user + system, which a busy machine inflates less than wall time
kit_best() {
    local best_wall="" best_cpu="" line wall cpu
    for _ in $(seq "$runs"); do
        RAYON_NUM_THREADS="$2" /usr/bin/time -o "$work/time" -f '%e %U %S' "$kit" validate --kubernetes-version 1.33 "$1" >/dev/null 2>&1 || true
        line="$(tail -1 "$work/time")"
        wall="$(echo "$line" | cut -d' ' -f1)"
        cpu="$(echo "$line" | python3 -c 'import sys; w,u,s=sys.stdin.read().split(); print(f"{float(u)+float(s):.3f}")')"
        if [ -z "$best_wall" ] || python3 -c "import sys; sys.exit(0 if $wall < $best_wall else 1)"; then
            best_wall="$wall"; best_cpu="$cpu"
        fi
    done
    echo "$best_wall $best_cpu"
}

count() { "$kit" validate --kubernetes-version 1.33 --output json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["resources"])'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall times grow with it)"
printf '%-30s %9s %8s %8s %11s %9s %11s %7s %7s\n' case resources 1core_s cpu_s res/s_1core all_s kv_strict_s ratio ratio1
for case in "$largest" "$generated"; do
    n="$(count "$case")"
    read -r kw kc <<<"$(kit_best "$case" 1)"
    read -r aw _ <<<"$(kit_best "$case" 0)"
    r="$(once "$kv" -k 1.33.0 --strict "$case")"
    name="$(basename "$case")"
    [ "$case" = "$generated" ] && name="generated ($resources resources)"
    python3 - "$name" "$n" "$kw" "$kc" "$aw" "$r" <<'PY'
import sys
name, n = sys.argv[1], int(sys.argv[2])
kw, kc, aw, r = (float(v) for v in sys.argv[3:7])
per_s = lambda t: n / t if t > 0 else float("inf")
ratio = lambda t: r / t if t > 0 else float("inf")
print(f"{name[:30]:<30} {n:>9} {kw:>8.3f} {kc:>8.3f} {per_s(kw):>11.0f} {aw:>9.3f} {r:>11.2f} {ratio(aw):>6.0f}x {ratio(kw):>6.0f}x")
PY
done
echo "1core_s, cpu_s, res/s_1core: kit on one core; all_s: kit on every core ($(nproc))"
echo "ratio = kubernetes-validate --strict wall time / kit's on every core; ratio1: on one core"
