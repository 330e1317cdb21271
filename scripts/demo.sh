#!/usr/bin/env bash
# Run the whole job on the shipped Shopify sample against a local sandbox:
# start the sandbox on a free loopback port, validate the sample, import it,
# print the import summary and where the reports are, then stop the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."

sample=samples/shopify_customers_export.csv
out=demo-run
rm -rf "$out"
mkdir -p "$out"

# The sandbox prints its URL, then a ready line; read them from its output.
exec 3< <(exec twc-import sandbox --port 0 --log-level warning)
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT

url=""
while IFS= read -r -t 60 line <&3; do
  echo "$line"
  case "$line" in
    "Sandbox listening on "*) url=${line#Sandbox listening on } ;;
    "Sandbox ready"*) break ;;
  esac
done
if [[ -z "$url" ]]; then
  echo "The sandbox did not start; see the messages above." >&2
  exit 1
fi

# Exit status 1 means some rows were rejected, which the sample is built to show.
run() {
  local status=0
  "$@" || status=$?
  if ((status > 1)); then
    echo "Command failed with exit status $status: $*" >&2
    exit "$status"
  fi
}

echo
echo "== Dry run: twc-import validate $sample -m shopify"
run twc-import --quiet validate "$sample" -m shopify -o "$out/validate"

echo
echo "== Import: twc-import import $sample -m shopify --base-url $url --tenant demo"
TWC_TOKEN=demo-token run twc-import --quiet import "$sample" -m shopify -o "$out/import" \
  --base-url "$url" --tenant demo

echo
echo "== $out/import/summary.json"
cat "$out/import/summary.json"
echo
echo "Reports of the dry run: $out/validate/"
echo "Reports of the import:  $out/import/ (rejects.csv lists every row that did not get in, with its reasons)"
