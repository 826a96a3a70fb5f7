# jq over kubectl-style pod lists, a deployment, JSON lines events, and invalid input.
## jq-not-running-pods
jq -r '.items[] | select(.status.phase != "Running") | .metadata.name' data/pods.json
## jq-pod-count
jq '.items | length' data/pods.json
## jq-names-compact
jq -c '[.items[].metadata.name]' data/pods.json
## jq-restarts-tsv
jq -r '.items[] | [.metadata.name, (.status.containerStatuses[0].restartCount // 0)] | @tsv' data/pods.json
## jq-crashloop-reason
jq -r '.items[].status.containerStatuses[]? | select(.state.waiting.reason == "CrashLoopBackOff") | .name' data/pods.json
## jq-pods-by-node
jq -r '.items | group_by(.spec.nodeName) | .[] | "\(.[0].spec.nodeName // "unscheduled") \(length)"' data/pods.json
## jq-sort-by-restarts
jq -r '[.items[] | {n: .metadata.name, r: (.status.containerStatuses[0].restartCount // 0)}] | sort_by(.r) | reverse | .[:3][] | "\(.r) \(.n)"' data/pods.json
## jq-keys-metadata
jq -c '.items[0].metadata | keys' data/pods.json
## jq-to-entries-labels
jq -r '.items[0].metadata.labels | to_entries[] | "\(.key)=\(.value)"' data/pods.json
## jq-map-images
jq -r '.items | map(.spec.containers[0].image) | unique | .[]' data/pods.json
## jq-csv-output
jq -r '.items[] | [.metadata.namespace, .metadata.name, .status.phase] | @csv' data/pods.json
## jq-exit-status-e-false
jq -e '.status.readyReplicas == .spec.replicas' data/deploy.json
echo "rc=$?"
## jq-exit-status-e-null
jq -e '.spec.paused' data/deploy.json
echo "rc=$?"
## jq-exit-status-e-true
jq -e '.status.updatedReplicas == 4' data/deploy.json
echo "rc=$?"
## jq-deploy-env
jq -r '.spec.template.spec.containers[0].env[] | "\(.name)=\(.value)"' data/deploy.json
## jq-annotation-key-with-dots
jq -r '.metadata.annotations["deployment.kubernetes.io/revision"]' data/deploy.json
## jq-slurp-jsonl
jq -s 'length' data/events.jsonl
## jq-slurp-group-reasons
jq -s -r 'group_by(.reason) | .[] | "\(.[0].reason) \(map(.count) | add)"' data/events.jsonl
## jq-jsonl-select-warnings
jq -r 'select(.type == "Warning") | .object + ": " + .message' data/events.jsonl
## jq-null-input-object
jq -n '{service: "orders", replicas: 4, healthy: false}'
## jq-null-input-args
jq -n --arg svc payments --arg ns prod '{svc: $svc, ns: $ns}'
## jq-argjson
jq -n --argjson limit 5 '[range(0; $limit)] | map(. * 10)'
## jq-sort-keys
jq -S '.status' data/deploy.json
## jq-tab-indent
jq --tab '.spec.strategy' data/deploy.json
## jq-indent-one
jq --indent 1 '.spec.template.spec.containers[0].ports' data/deploy.json
## jq-compact-stream
jq -c '.items[] | {name: .metadata.name, ns: .metadata.namespace}' data/pods.json
## jq-invalid-json
jq . data/bad.json
echo "rc=$?"
## jq-invalid-json-stdin
echo '{"replicas": 3,,}' | jq .replicas
echo "rc=$?"
## jq-missing-file
jq . data/missing.json
echo "rc=$?"
## jq-bad-filter
jq '.items[' data/pods.json
echo "rc=$?"
## jq-raw-string-stdin
echo '"orders"' | jq -r .
## jq-any-all
jq '[.items[].status.phase] | (any(. == "Failed"), all(. == "Running"))' data/pods.json
## jq-has-key
jq '.items | map(has("spec")) | unique' data/pods.json
## jq-if-then-else
jq -r '.items[] | if .status.phase == "Running" then "ok   \(.metadata.name)" else "FAIL \(.metadata.name)" end' data/pods.json
## jq-memory-requests
jq -r '.items[].spec.containers[].resources.requests.memory' data/pods.json | sort | uniq -c
## jq-namespaces-unique
jq -r '[.items[].metadata.namespace] | unique | join(",")' data/pods.json
## jq-path-pending-message
jq -r '.items[] | select(.status.phase == "Pending") | .status.conditions[0].message' data/pods.json
## jq-length-string
echo '{"msg":"Back-off restarting failed container"}' | jq '.msg | length'
## jq-del-field
jq -c 'del(.metadata, .status) | keys' data/deploy.json
## jq-update-replicas-to-file
jq '.spec.replicas = 6' data/deploy.json > deploy-scaled.json
jq '.spec.replicas' deploy-scaled.json
## jq-tostring-tonumber
jq -r '.spec.template.spec.containers[0].env[] | select(.name == "CACHE_TTL") | .value | tonumber * 2' data/deploy.json
## jq-min-max-by
jq -s -r '(max_by(.count) | .reason), (min_by(.count) | .reason)' data/events.jsonl
## jq-empty-input
jq . data/empty.csv
echo "rc=$?"
## jq-first-last
jq -r '(.items | first | .metadata.name), (.items | last | .metadata.name)' data/pods.json
## jq-string-interpolation-test
jq -r '.items[] | select(.metadata.name | test("^api-")) | .spec.nodeName' data/pods.json
## jq-split-image-tag
jq -r '.items[].spec.containers[0].image | split(":") | .[1]' data/pods.json
## jq-number-formatting
echo '[1.0, 1.50, 1e3, 0.1, 100000000000000000000, 3.14159265358979323846, -0]' | jq -c .
## jq-arithmetic-float
jq -n '0.1 + 0.2, 10 / 3, 7 % 3, 1e1000'
## jq-large-integer-precision
echo '{"id": 10000000000000000001}' | jq .id
## jq-string-functions
jq -r '.items[].metadata.name | ascii_upcase | ltrimstr("API-")' data/pods.json | head -n 3
## jq-regex-sub
jq -r '.items[].spec.containers[0].image | sub("^registry.example.com/"; "")' data/pods.json
## jq-regex-capture
jq -c '.items[0].spec.containers[0].image | capture("(?<repo>[^/]+)/(?<name>[^:]+):(?<tag>.+)")' data/pods.json
## jq-test-flags
jq -r '.items[].metadata.name | select(test("API"; "i"))' data/pods.json
## jq-format-sh
jq -r '.items[:2][] | @sh "kubectl delete pod \(.metadata.name)"' data/pods.json
## jq-format-base64-uri
jq -rn '"user:pa ss" | @base64, @uri, @html, @json'
## jq-reduce
jq '[.items[].status.containerStatuses[]?.restartCount] | reduce .[] as $r (0; . + $r)' data/pods.json
## jq-with-entries
jq -c '.status | with_entries(select(.value != 4))' data/deploy.json
## jq-paths-leaf
jq -c '[paths(scalars)] | length' data/deploy.json
## jq-flatten-unique-by
jq -c '[.items[] | {app: .metadata.labels.app, ns: .metadata.namespace}] | unique_by(.ns) | map(.ns)' data/pods.json
## jq-inputs-null
jq -n '[inputs | select(.count > 5) | .reason]' data/events.jsonl
## jq-join-output
jq -j '.items[].metadata.name, "\n"' data/pods.json | head -n 2
## jq-ascii-output
echo '"déploiement ✓"' | jq -a .
## jq-error-function
jq -n '"payments down" | error'
echo "rc=$?"
## jq-error-object
jq -n '{code: 5} | error'
echo "rc=$?"
## jq-halt-error
jq -n '"fatal: stop\n" | halt_error'
echo "rc=$?"
## jq-env-access
INCIDENT=INC-42 jq -rn 'env.INCIDENT'
## jq-tostream-free-getpath
jq -r 'getpath(["spec","strategy","rollingUpdate","maxSurge"])' data/deploy.json
## jq-sort-mixed-types
jq -c -n '[3, "a", null, true, [1], {"a":1}, 1.5, false] | sort'
## jq-keys-unsorted-vs-keys
jq -c '.status | keys_unsorted, keys' data/deploy.json
## jq-limit-first-n
jq -c '[limit(2; .items[].metadata.name)]' data/pods.json
## jq-indices-contains
jq -c '.spec.template.spec.containers[0].env | map(.name) | (index("LOG_LEVEL"), contains(["DB_HOST"]))' data/deploy.json
## jq-tojson-fromjson
jq -r '.spec.strategy | tojson' data/deploy.json
echo '"{\"a\":[1,2]}"' | jq -c 'fromjson'
## jq-raw-input
jq -R -r 'split(",") | .[0]' data/services.csv | head -n 3
## jq-raw-input-slurp
jq -R -s 'split("\n") | map(select(length > 0)) | length' data/hosts.txt
## jq-multiple-files
jq -r '.kind' data/deploy.json data/pods.json
## jq-exit-status-with-no-output
jq -e '.items[] | select(.metadata.name == "nope")' data/pods.json
echo "rc=$?"
## jq-seq-output-free-stream
jq -c --stream 'select(length == 2)' data/deploy.json | head -n 3
## jq-slurp-multiple-files
jq -s 'map(.kind)' data/deploy.json data/pods.json
## jq-object-construction-shortcut
jq -c '.items[] | {name: .metadata.name, phase: .status.phase} | select(.phase != "Running")' data/pods.json
## jq-alternative-operator-false
echo '{"ready": false}' | jq '.ready // "default"'
## jq-optional-error-suppress
echo '[1, "a", null]' | jq -c '[.[] | tonumber?]'
## jq-try-catch
echo '"x"' | jq 'try tonumber catch "not a number"'
## jq-splits-ascii
jq -r '.metadata.annotations | to_entries[0].key | split("/") | .[0]' data/deploy.json
## jq-dates-free-todate
jq -n '1710230400 | todate'
## jq-format-text-tsv-escape
jq -rn '["a\tb", "c\\d", "e\nf"] | @tsv'
## jq-csv-quotes
jq -rn '["say \"hi\"", 1, null, true] | @csv'
