#!/usr/bin/env bash
# The service tier's live checks, driven by curl and xrdcp: the peer of the check suite in
# bench/service-tier.bench.ts. Same operations, same Host names (curl --resolve), no
# evidence kept. Inputs (environment): NS, XCACHE, ORIGIN, FILE, CACHE_DATA, MLFLOW, TRITON,
# HUB, HUB_TOKEN, SERVICEX (loopback ports and the tier's parameters); exits non-zero on any
# failure.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
c() { curl -sS --fail-with-body --max-time 60 "$@"; }

# XCache: the origin's bytes through the cache, twice; the .cinfo counts both accesses.
xrdcp --nopbar -f "$ORIGIN/$FILE" "$tmp/origin"
xrdcp --nopbar -f "root://127.0.0.1:$XCACHE//$ORIGIN/$FILE" "$tmp/first"
cmp "$tmp/origin" "$tmp/first"
xrdcp --nopbar -f "root://127.0.0.1:$XCACHE//$ORIGIN/$FILE" "$tmp/second"
cmp "$tmp/origin" "$tmp/second"
xrdpfc_print -v "$CACHE_DATA/$FILE.cinfo" | grep -q 'N_acc_total='

# MLflow through its Service name.
m="http://mlflow.$NS.svc:$MLFLOW/api/2.0/mlflow"
r=(--resolve "mlflow.$NS.svc:$MLFLOW:127.0.0.1" -H 'content-type: application/json')
exp=$(c "${r[@]}" -X POST "$m/experiments/create" -d "{\"name\":\"bench-$RANDOM$RANDOM\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["experiment_id"])')
run=$(c "${r[@]}" -X POST "$m/runs/create" -d "{\"experiment_id\":\"$exp\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["info"]["run_id"])')
c "${r[@]}" -X POST "$m/runs/log-parameter" -d "{\"run_id\":\"$run\",\"key\":\"k\",\"value\":\"v\"}" >/dev/null
c "${r[@]}" -X POST "$m/runs/log-metric" -d "{\"run_id\":\"$run\",\"key\":\"m\",\"value\":1.5,\"timestamp\":0,\"step\":0}" >/dev/null
c "${r[@]}" "$m/runs/get?run_id=$run" | grep -q '"value": "v"'
c "${r[@]}" -X POST "$m/experiments/delete" -d "{\"experiment_id\":\"$exp\"}" >/dev/null

# Triton: health, the model (loaded by the suite's check before), one inference.
t="http://127.0.0.1:$TRITON/v2"
c "$t/health/live" >/dev/null
c "$t/health/ready" >/dev/null
c "$t/models/shoppe-add/ready" >/dev/null
c -X POST "$t/models/shoppe-add/infer" -H 'content-type: application/json' \
  -d '{"inputs":[{"name":"INPUT0","shape":[4],"datatype":"FP32","data":[1,2,3,4]},{"name":"INPUT1","shape":[4],"datatype":"FP32","data":[10,20,30,40]}]}' |
  grep -q '\[11.0,22.0,33.0,44.0\]'

# JupyterHub: API version, a user's server started and stopped (curl cannot open the
# terminal WebSocket the suite reads the environment through).
h="http://127.0.0.1:$HUB/hub/api"
a=(-H "Authorization: token $HUB_TOKEN")
c "$h" | grep -q '"version"'
u="bench-$RANDOM"
c "${a[@]}" -X POST "$h/users/$u" >/dev/null
c "${a[@]}" -X POST "$h/users/$u/server" >/dev/null
until c "${a[@]}" "$h/users/$u" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["servers"].get("",{}).get("ready") else 1)'; do sleep 0.3; done
c "${a[@]}" -X DELETE "$h/users/$u/server" >/dev/null || true
c "${a[@]}" -X DELETE "$h/users/$u" >/dev/null || true

# ServiceX: its API and about page; one raw-uproot request over a one-file list, read back,
# its transformer Deployment read through the app, and cancelled.
s="http://127.0.0.1:$SERVICEX/servicex"
c "$s" | grep -q '"uproot-raw"'
c "http://127.0.0.1:$SERVICEX/about" | grep -q 'ServiceX version: servicex-'
q='[{"treename": "events", "filter_name": ["x"]}]'
body=$(python3 -c 'import json,sys; print(json.dumps({"title": "bench", "file-list": ["root://xcache:1094//store/bench.root"], "selection": sys.argv[1], "codegen": "uproot-raw", "result-destination": "object-store", "result-format": "parquet"}))' "$q")
id=$(c -X POST "$s/transformation" -H 'content-type: application/json' -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["request_id"])')
c "$s/transformation/$id" | grep -q '"files": 1'
c "$s/transformation/$id/deployment-status" >/dev/null
c "$s/transformation/$id/cancel" >/dev/null
