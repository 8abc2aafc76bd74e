#!/bin/sh
# Install kit from a GitHub release: the archive for this platform, checked against the
# release's SHA256SUMS before anything is installed.
#
#   curl -fsSL https://github.com/kit-k8s/kit/releases/latest/download/install.sh | sh
#   sh install.sh --version v0.1.0 --to /usr/local/bin
#
# Options (or environment variables):
#   --version TAG  (KIT_VERSION)      a release tag such as v0.1.0; default: the latest release
#   --to DIR       (KIT_INSTALL_DIR)  where `kit` goes; default: ~/.local/bin
#   KIT_INSTALL_BASE_URL              the releases URL; default https://github.com/kit-k8s/kit/releases
#                                     (a mirror; tests/package.rs serves one on 127.0.0.1)
#
# The assets of a release (.github/workflows/release.yml makes them):
#   kit-<target>.tar.gz   `kit` at the top, for x86_64/aarch64-unknown-linux-musl (static)
#                         and x86_64/aarch64-apple-darwin (Windows: kit-<target>.zip)
#   SHA256SUMS            `sha256sum` lines for every asset
# Exit status: 0 installed, 1 refused or failed (nothing is installed then).
set -eu

base_url="${KIT_INSTALL_BASE_URL:-https://github.com/kit-k8s/kit/releases}"
version="${KIT_VERSION:-latest}"
to="${KIT_INSTALL_DIR:-${HOME:-}/.local/bin}"

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --version) [ $# -ge 2 ] || die "--version needs a tag, e.g. --version v0.1.0"; version="$2"; shift 2 ;;
        --version=*) version="${1#*=}"; shift ;;
        --to) [ $# -ge 2 ] || die "--to needs a directory"; to="$2"; shift 2 ;;
        --to=*) to="${1#*=}"; shift ;;
        -h|--help) sed -n '2,19p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (try --help)" ;;
    esac
done
[ -n "$to" ] || die "no install directory: set HOME, or pass --to DIR"

os="$(uname -s)"
arch="$(uname -m)"
case "$arch" in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) die "no prebuilt kit for the $arch processor; use 'pip install kit-k8s' or 'cargo install kit-k8s'" ;;
esac
case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin) target="$arch-apple-darwin" ;;
    *) die "no prebuilt kit for $os from this script; use 'pip install kit-k8s', or the release's zip on Windows" ;;
esac
asset="kit-$target.tar.gz"

case "$version" in
    latest) release_url="$base_url/latest/download" ;;
    v*) release_url="$base_url/download/$version" ;;
    *) release_url="$base_url/download/v$version" ;;
esac

if command -v curl >/dev/null 2>&1; then
    # 200 MB at most: the archive is about 10 MB.
    fetch() { curl --fail --silent --show-error --location --retry 3 --max-filesize 209715200 --output "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
    fetch() { wget --quiet --tries=3 --output-document="$2" "$1"; }
else
    die "neither curl nor wget is installed"
fi
if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
    sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
    die "neither sha256sum nor shasum is installed: cannot check the download"
fi

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t kit-install)"
trap 'rm -rf "$tmp"' EXIT INT TERM

say "downloading $release_url/$asset"
fetch "$release_url/$asset" "$tmp/$asset" || die "could not download $release_url/$asset"
fetch "$release_url/SHA256SUMS" "$tmp/SHA256SUMS" || die "could not download $release_url/SHA256SUMS"

# `sha256sum` lines: "<hex>  <name>" (or "<hex> *<name>" in binary mode).
expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$tmp/SHA256SUMS")"
[ -n "$expected" ] || die "SHA256SUMS of $release_url lists no $asset: refusing to install"
actual="$(sha256 "$tmp/$asset")"
[ "$actual" = "$expected" ] ||
    die "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual; refusing to install"

mkdir -p "$tmp/unpacked"
tar -xzf "$tmp/$asset" -C "$tmp/unpacked" || die "$asset is not a gzip tar archive"
[ -f "$tmp/unpacked/kit" ] || die "$asset has no 'kit' at its top"
mkdir -p "$to" || die "cannot create $to"
# Copy beside the destination, then rename: a running kit is never half-overwritten.
cp "$tmp/unpacked/kit" "$to/.kit.new" && chmod 755 "$to/.kit.new" && mv -f "$to/.kit.new" "$to/kit" ||
    die "cannot write $to/kit"
say "installed $("$to/kit" --version 2>/dev/null || echo kit) at $to/kit"
case ":${PATH:-}:" in
    *":$to:"*) ;;
    *) say "$to is not on your PATH; add it, e.g. export PATH=\"$to:\$PATH\"" ;;
esac
