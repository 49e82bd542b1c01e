#!/usr/bin/env bash
# Posts ptlint's Markdown report as one pull request comment and, on every later run, edits that same comment
# in place: it is found by the hidden marker `<!-- ptlint -->` on its first line. Uses the `gh` CLI that GitHub's
# runners carry; the token needs `pull-requests: write`.
#
#   comment.sh REPORT.md
#
# Environment: GITHUB_REPOSITORY (owner/name), GH_TOKEN, GITHUB_EVENT_PATH (the pull_request event) or
# INPUT_PR_NUMBER (a workflow_run job that knows the number), GITHUB_STEP_SUMMARY, PTLINT_JSON_TOOL (jq or
# python3, to read the event).
# A pull request from a fork gets a read-only token: then nothing is posted, and the job summary says so.
# Never fails the job: a comment that cannot be written is a warning and a line in the summary.
set -uo pipefail

marker='<!-- ptlint -->'
report=${1:?usage: comment.sh REPORT.md}
repo=${GITHUB_REPOSITORY:-}
json_tool=${PTLINT_JSON_TOOL:-jq}

# summary_note TEXT: a paragraph in the job summary (when there is one) and a warning in the log.
summary_note() {
  echo "::warning title=ptlint comment::$1"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '\n> **ptlint did not comment on the pull request:** %s\n' "$1" >>"$GITHUB_STEP_SUMMARY"
  fi
}

# event_field PATH: a field of the event (`pull_request.number`), empty when absent.
event_field() {
  [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ] || return 0
  case "$json_tool" in
    jq) jq -r ".$1 // empty" "$GITHUB_EVENT_PATH" 2>/dev/null ;;
    python3)
      python3 -c '
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else value)
' "$GITHUB_EVENT_PATH" "$1" 2>/dev/null ;;
  esac
}

pr=${INPUT_PR_NUMBER:-}
if [ -z "$pr" ]; then
  pr=$(event_field pull_request.number)
  head_repo=$(event_field pull_request.head.repo.full_name)
  base_repo=$(event_field pull_request.base.repo.full_name)
  if [ -n "$pr" ] && [ -n "$head_repo" ] && [ "$head_repo" != "$base_repo" ]; then
    summary_note "this pull request comes from the fork \`$head_repo\`, and GitHub gives a fork's workflow a token \
that cannot write to pull requests. The report is in this summary; to comment on pull requests from forks, post \
it from a \`workflow_run\` workflow (see the README of ptlint, \"Pull requests from forks\")."
    exit 0
  fi
fi
if ! [[ "$pr" =~ ^[0-9]+$ ]]; then
  echo "::notice title=ptlint comment::not a pull request (no pull request number): no comment written"
  exit 0
fi
if [ -z "$repo" ]; then
  summary_note "GITHUB_REPOSITORY is not set, so the pull request is unknown."
  exit 0
fi
if ! command -v gh >/dev/null 2>&1; then
  summary_note "the \`gh\` CLI is not on this runner (GitHub's hosted runners carry it; install it on a self-hosted one)."
  exit 0
fi

body=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ptlint-comment.XXXXXX")
{
  echo "$marker"
  cat "$report"
} >"$body"

# The first comment of the pull request whose body starts with the marker.
existing=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" 2>/dev/null | head -n 1)
status=$?
if [ $status -ne 0 ]; then
  summary_note "the comments of pull request #$pr could not be read (does the token have \`pull-requests: write\`?)."
  exit 0
fi
if [ -n "$existing" ]; then
  if gh api --method PATCH "repos/$repo/issues/comments/$existing" -F "body=@$body" >/dev/null; then
    echo "ptlint: updated comment $existing on pull request #$pr"
  else
    summary_note "comment $existing on pull request #$pr could not be updated (does the token have \`pull-requests: write\`?)."
  fi
elif gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$body" >/dev/null; then
  echo "ptlint: commented on pull request #$pr"
else
  summary_note "pull request #$pr could not be commented on (does the token have \`pull-requests: write\`?)."
fi
rm -f "$body"
exit 0
