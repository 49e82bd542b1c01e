#!/usr/bin/env bash
# Runs ptlint for the GitHub Action (action.yml): one check in the requested format that also writes SARIF,
# JSON and Markdown from the same run; an optional Markdown job summary, an optional pull request comment
# (`comment: true`, see comment.sh), and the `findings`, `monthly-cost`, `monthly-cost-change`, `sarif-file`
# and `markdown-file` outputs. With `compare-to`, the run also reports the cost change against that base.
# Inputs arrive as INPUT_* environment variables (action.yml sets them; tests set them directly).
# Exits with ptlint's own exit code: 0 clean, 1 findings at or above `fail-on`, 2 ptlint could not do its job.
set -uo pipefail

ptlint=${PTLINT:-ptlint}
# The token is for `gh` alone (comment.sh): ptlint reads templates and needs none.
github_token=${INPUT_GITHUB_TOKEN:-${GH_TOKEN:-}}
unset INPUT_GITHUB_TOKEN GH_TOKEN
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

# `git:REF` reads REF from the local repository. A pull request's checkout is often shallow and holds no base
# branch: then the branch is fetched (one commit deep) as `origin/REF` before ptlint reads it.
compare_to=${INPUT_COMPARE_TO:-}
if [[ "$compare_to" == git:* ]]; then
  ref=${compare_to#git:}
  if git rev-parse --verify --quiet "$ref^{commit}" >/dev/null 2>&1; then
    :
  elif git rev-parse --verify --quiet "origin/$ref^{commit}" >/dev/null 2>&1; then
    compare_to="git:origin/$ref"
  elif git fetch --quiet --no-tags --depth=1 origin "+refs/heads/$ref:refs/remotes/origin/$ref" 2>/dev/null; then
    compare_to="git:origin/$ref"
  else
    echo "::warning title=ptlint::compare-to: cannot find or fetch \`$ref\`; the cost change is not reported"
    compare_to=""
  fi
fi
if [ -n "$compare_to" ]; then
  common+=(--compare-to "$compare_to")
fi
sarif=()
if [ -n "$sarif_file" ]; then
  sarif=(--sarif-file "$sarif_file")
fi

# One run: the check in the requested format on the log, and from the same analysis the SARIF, the JSON the
# outputs are read from, and the Markdown of the job summary and the pull request comment.
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ptlint.XXXXXX")
json_report="$work/ptlint.json"
markdown_report="$work/ptlint.md"
"$ptlint" check ${common[@]+"${common[@]}"} --format "$format" --fail-on "$fail_on" \
  ${sarif[@]+"${sarif[@]}"} --json-file "$json_report" --markdown-file "$markdown_report" -- "${paths[@]}"
status=$?

if [ "$step_summary" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$markdown_report" ]; then
  cat "$markdown_report" >>"$GITHUB_STEP_SUMMARY"
fi

report=""
if [ -f "$json_report" ]; then
  report=$(cat "$json_report")
fi
json_tool=${PTLINT_JSON_TOOL:-}
if [ -z "$json_tool" ]; then
  if command -v jq >/dev/null 2>&1; then
    json_tool=jq
  elif command -v python3 >/dev/null 2>&1; then
    json_tool=python3
  fi
fi
# report_field OBJECT KEY: a top-level object's field of the JSON report, empty when absent.
report_field() {
  case "$json_tool" in
    jq) printf '%s' "$report" | jq -r ".\"$1\".\"$2\" // empty" 2>/dev/null ;;
    python3)
      printf '%s' "$report" | python3 -c '
import json, sys
try:
    value = (json.load(sys.stdin).get(sys.argv[1]) or {}).get(sys.argv[2])
except Exception:
    value = None
print("" if value is None else value)
' "$1" "$2" 2>/dev/null ;;
  esac
}
findings=""
monthly_cost=""
monthly_cost_change=""
if [ -n "$report" ] && [ -n "$json_tool" ]; then
  findings=$(report_field summary findings)
  monthly_cost=$(report_field summary monthly_cost)
  monthly_cost_change=$(report_field diff monthly_cost_change)
elif [ -z "$json_tool" ]; then
  echo "::warning title=ptlint::neither jq nor python3 is available: the findings and monthly-cost outputs are empty"
fi

if [ "${INPUT_COMMENT:-false}" = "true" ]; then
  if [ -f "$markdown_report" ]; then
    GH_TOKEN="$github_token" PTLINT_JSON_TOOL="$json_tool" bash "$(dirname "$0")/comment.sh" "$markdown_report"
  else
    echo "::warning title=ptlint::no Markdown report was written, so no pull request comment either"
  fi
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "findings=$findings"
    echo "monthly-cost=$monthly_cost"
    echo "monthly-cost-change=$monthly_cost_change"
    echo "sarif-file=$sarif_file"
    echo "markdown-file=$markdown_report"
  } >>"$GITHUB_OUTPUT"
fi

exit "$status"
