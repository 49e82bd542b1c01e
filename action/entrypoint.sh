#!/usr/bin/env bash
# Runs ptlint for the GitHub Action (action.yml): one check in the requested format that also writes
# SARIF, an optional Markdown job summary, and the `findings`, `monthly-cost` and `sarif-file` outputs.
# Inputs arrive as INPUT_* environment variables (action.yml sets them; tests set them directly).
# Exits with ptlint's own exit code: 0 clean, 1 findings at or above `fail-on`, 2 ptlint could not do its job.
set -uo pipefail

ptlint=${PTLINT:-ptlint}
format=${INPUT_FORMAT:-github}
fail_on=${INPUT_FAIL_ON:-error}
sarif_file=${INPUT_SARIF_FILE-ptlint.sarif}
step_summary=${INPUT_STEP_SUMMARY:-true}

if ! command -v "$ptlint" >/dev/null 2>&1; then
  echo "::error title=ptlint::ptlint is not on PATH (the action's install step should have put it there)"
  exit 2
fi

case "$fail_on" in
  none | off | false) fail_on=never ;;
esac

# Paths are separated by spaces or newlines; globs are left to ptlint (which walks directories itself).
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
set +f
if [ ${#paths[@]} -eq 0 ]; then
  paths=(.)
fi

common=()
if [ -n "${INPUT_CONFIG:-}" ]; then
  common+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_USAGE_FILE:-}" ]; then
  common+=(--usage "$INPUT_USAGE_FILE")
fi
sarif=()
if [ -n "$sarif_file" ]; then
  sarif=(--sarif-file "$sarif_file")
fi

# The check itself: its exit code is the action's.
"$ptlint" check ${common[@]+"${common[@]}"} --format "$format" --fail-on "$fail_on" \
  ${sarif[@]+"${sarif[@]}"} -- "${paths[@]}"
status=$?

if [ "$step_summary" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$ptlint" check ${common[@]+"${common[@]}"} --format markdown --fail-on never -- "${paths[@]}" \
    >>"$GITHUB_STEP_SUMMARY" || true
fi

# Outputs from the JSON report: jq when the runner has it, else python3.
report=$("$ptlint" check ${common[@]+"${common[@]}"} --format json --fail-on never -- "${paths[@]}" 2>/dev/null) || true
json_tool=${PTLINT_JSON_TOOL:-}
if [ -z "$json_tool" ]; then
  if command -v jq >/dev/null 2>&1; then
    json_tool=jq
  elif command -v python3 >/dev/null 2>&1; then
    json_tool=python3
  fi
fi
summary_field() {
  case "$json_tool" in
    jq) printf '%s' "$report" | jq -r ".summary.\"$1\" // empty" 2>/dev/null ;;
    python3)
      printf '%s' "$report" | python3 -c '
import json, sys
try:
    value = json.load(sys.stdin)["summary"].get(sys.argv[1])
except Exception:
    value = None
print("" if value is None else value)
' "$1" 2>/dev/null ;;
  esac
}
findings=""
monthly_cost=""
if [ -n "$report" ] && [ -n "$json_tool" ]; then
  findings=$(summary_field findings)
  monthly_cost=$(summary_field monthly_cost)
elif [ -z "$json_tool" ]; then
  echo "::warning title=ptlint::neither jq nor python3 is available: the findings and monthly-cost outputs are empty"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "findings=$findings"
    echo "monthly-cost=$monthly_cost"
    echo "sarif-file=$sarif_file"
  } >>"$GITHUB_OUTPUT"
fi

exit "$status"
