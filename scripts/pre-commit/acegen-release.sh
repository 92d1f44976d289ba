#!/usr/bin/env bash
# Runs the released acegen binary, without a Rust toolchain: the pre-commit hooks
# `acegen-check-release` and `acegen-diff-release` call it as `acegen-release.sh check …`.
# It downloads the release archive of the version in this repository's Cargo.toml (the
# `rev:` the hook is pinned to) once, checks its SHA-256 against the published checksum,
# keeps it under ${XDG_CACHE_HOME:-~/.cache}/acegen/, and runs it with the arguments given.
#
# Environment (optional):
#   ACEGEN_RELEASE_BASE_URL  where the archives are
#                            (default: https://github.com/acegen/acegen/releases/download)
#   ACEGEN_CACHE_DIR         where to keep the binaries (default: ${XDG_CACHE_HOME:-~/.cache}/acegen)
# Needs curl, tar (unzip on Windows) and sha256sum or shasum.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/../../Cargo.toml" | head -1)
[ -n "$version" ] || { echo "acegen-release.sh: no version in Cargo.toml" >&2; exit 2; }
base_url=${ACEGEN_RELEASE_BASE_URL:-https://github.com/acegen/acegen/releases/download}
cache=${ACEGEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/acegen}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  MINGW* | MSYS* | CYGWIN*) target=x86_64-pc-windows-msvc ;;
  *)
    echo "acegen-release.sh: no release binary for $(uname -s) $(uname -m); use the acegen-check hook (built with cargo)" >&2
    exit 2
    ;;
esac
case "$target" in *windows*) archive=zip exe=acegen.exe ;; *) archive=tar.gz exe=acegen ;; esac

name=acegen-$target
binary=$cache/v$version/$name/$exe
if [ ! -x "$binary" ]; then
  mkdir -p "$cache/v$version"
  download=$(mktemp -d "$cache/v$version/.download.XXXXXX")
  trap 'rm -rf "$download"' EXIT
  url=$base_url/v$version/$name.$archive
  echo "acegen-release.sh: downloading $url" >&2
  curl --fail --silent --show-error --location --output "$download/$name.$archive" "$url"
  curl --fail --silent --show-error --location --output "$download/$name.$archive.sha256" "$url.sha256"
  expected=$(cut -d' ' -f1 < "$download/$name.$archive.sha256")
  if command -v sha256sum > /dev/null; then
    actual=$(sha256sum "$download/$name.$archive" | cut -d' ' -f1)
  else
    actual=$(shasum -a 256 "$download/$name.$archive" | cut -d' ' -f1)
  fi
  if [ "$expected" != "$actual" ]; then
    echo "acegen-release.sh: $url: SHA-256 $actual, but the release says $expected; nothing installed" >&2
    exit 2
  fi
  case "$archive" in
    zip) unzip -q "$download/$name.$archive" -d "$download" ;;
    *) tar -xzf "$download/$name.$archive" -C "$download" ;;
  esac
  rm -rf "${cache:?}/v$version/$name"
  mv "$download/$name" "$cache/v$version/$name"
  rm -rf "$download"
fi
exec "$binary" "$@"
