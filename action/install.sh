#!/usr/bin/env bash
# Installs ptlint for the GitHub Action (action.yml) and says where, without touching GITHUB_PATH.
#
#   install.sh plan     decide how: `release` (INPUT_VERSION set and a release binary exists for the runner),
#                       `crate` (INPUT_VERSION set, no binary for the runner: cargo install from crates.io) or
#                       `source` (no INPUT_VERSION: build this action's own source); for the two cargo methods
#                       also the cache key of the build (the version, or a hash of the action's source files,
#                       since github.action_ref is empty inside composite actions).
#   install.sh install  do it: download the release archive and its .sha256 from the GitHub release and refuse
#                       it unless the SHA-256 matches, or `cargo install` into PTLINT_BUILD_ROOT (which the
#                       action caches) unless a cached build is already there.
# Both write `name=value` lines to GITHUB_OUTPUT; `install` writes `ptlint=<path of the binary>`.
#
# Environment: INPUT_VERSION (0.1.0 or v0.1.0), RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_ACTION_PATH,
# GITHUB_OUTPUT; PTLINT_BUILD_ROOT (default ~/.ptlint-action/build); PTLINT_RELEASE_URL (default the
# project's GitHub releases; tests point it at a file:// directory).
set -euo pipefail

release_url=${PTLINT_RELEASE_URL:-https://github.com/ptlint/ptlint/releases/download}
build_root=${PTLINT_BUILD_ROOT:-$HOME/.ptlint-action/build}
action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
version=${INPUT_VERSION:-}
version=${version#v}

output() {
  echo "$1=$2"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >>"$GITHUB_OUTPUT"
  fi
}

fail() {
  echo "::error title=ptlint install::$1"
  exit 1
}

# The release target for this runner (the targets release.yml builds), or nothing.
release_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

# A hash of what a source build compiles: the manifest, the lock file, src/ and rules/ of the action's checkout.
source_key() {
  (
    cd "$action_path"
    find Cargo.toml Cargo.lock src rules -type f | LC_ALL=C sort | while IFS= read -r file; do
      printf '%s %s\n' "$(sha256_of "$file")" "$file"
    done
  ) | {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
  } | cut -d ' ' -f 1
}

method() {
  if [ -z "$version" ]; then
    echo source
  elif [ -n "$(release_target)" ]; then
    echo release
  else
    echo crate
  fi
}

plan() {
  local how
  how=$(method)
  output method "$how"
  output target "$(release_target)"
  case "$how" in
    source) output cache-key "source-$(source_key)" ;;
    crate) output cache-key "crate-$version" ;;
    release) output cache-key "" ;;
  esac
}

download() {
  curl --fail --silent --show-error --location --retry 3 --proto "$1" --output "$3" "$2"
}

install_release() {
  local target asset exe url dir proto expected actual
  target=$(release_target)
  exe=""
  asset="ptlint-v$version-$target.tar.gz"
  case "$target" in
    *-windows-*) asset="ptlint-v$version-$target.zip"; exe=.exe ;;
  esac
  url="$release_url/v$version/$asset"
  proto='=https'
  case "$release_url" in
    file://*) proto='=file' ;;
  esac
  dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ptlint-release"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "Downloading $url"
  download "$proto" "$url.sha256" "$dir/$asset.sha256" ||
    fail "no checksum for ptlint $version at $url.sha256: is $version a released version?"
  download "$proto" "$url" "$dir/$asset" || fail "could not download $url"
  expected=$(cut -d ' ' -f 1 <"$dir/$asset.sha256" | tr 'A-F' 'a-f')
  actual=$(sha256_of "$dir/$asset")
  if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    rm -f "$dir/$asset"
    fail "$url.sha256 does not hold a SHA-256"
  fi
  if [ "$expected" != "$actual" ]; then
    rm -f "$dir/$asset"
    fail "checksum mismatch for $asset: expected $expected, got $actual; not installed"
  fi
  echo "SHA-256 verified: $actual  $asset"
  case "$asset" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$dir/$asset" -d "$dir"
      else
        7z x -y -o"$dir" "$dir/$asset" >/dev/null
      fi
      ;;
    *) tar -xzf "$dir/$asset" -C "$dir" ;;
  esac
  local binary="$dir/ptlint-v$version-$target/ptlint$exe"
  [ -x "$binary" ] || fail "$asset does not contain ptlint-v$version-$target/ptlint$exe"
  output ptlint "$binary"
}

install_with_cargo() {
  local binary="$build_root/bin/ptlint"
  case "${RUNNER_OS:-}" in
    Windows) binary="$binary.exe" ;;
  esac
  if [ -x "$binary" ]; then
    echo "ptlint restored from the cache: $binary"
  elif ! command -v cargo >/dev/null 2>&1; then
    fail "cargo is not on this runner, so ptlint cannot be built here. Give the action a \`version\` (a released \
ptlint, installed as a checksum-verified binary where one is built for the runner), or set up Rust first (for \
example with dtolnay/rust-toolchain) to build from source"
  elif [ "$1" = crate ]; then
    cargo install --locked --root "$build_root" ptlint --version "=$version"
  else
    cargo install --locked --root "$build_root" --path "$action_path"
  fi
  [ -x "$binary" ] || fail "cargo install did not produce $binary"
  output ptlint "$binary"
}

# The version goes into a URL and a cargo argument: only a plain version number is accepted.
if [ -n "$version" ] && ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  fail "version \`$version\` is not a version number like 0.1.0"
fi

case "${1:-}" in
  plan) plan ;;
  install)
    how=$(method)
    case "$how" in
      release) install_release ;;
      *) install_with_cargo "$how" ;;
    esac
    ;;
  *)
    echo "usage: install.sh plan|install" >&2
    exit 2
    ;;
esac
