#!/usr/bin/env bash
# Publishes the `cloudarchive` CLI as one native binary into .cloudarchive/bin (or $1) and prints the PATH line.
# NativeAOT when a C toolchain is present (clang, else gcc: the AOT linker step needs one), else a self-contained
# ReadyToRun single file. No root needed. Usage: tools/install-cli.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$PWD/.cloudarchive/bin}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 2 ;;
esac
case "$(uname -s)" in
  Linux) rid="linux-$arch" ;;
  Darwin) rid="osx-$arch" ;;
  *) echo "unsupported OS $(uname -s); run the CLI with: dotnet run --project src/CloudArchive.Cli --" >&2; exit 2 ;;
esac
mode=aot
if command -v clang >/dev/null; then
  linker=()
elif command -v gcc >/dev/null; then
  linker=(-p:CppCompilerAndLinker=gcc)
else
  mode=r2r
fi
# Publish into a scratch directory and copy only the binary: OUTPUT_DIR may be a directory of other programs (~/bin).
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
if [ "$mode" = aot ]; then
  echo "Publishing cloudarchive with NativeAOT for $rid (a few minutes the first time)..." >&2
  # ${linker[@]+...}: an empty array is "unbound" under `set -u` in bash 3.2 (macOS).
  dotnet publish src/CloudArchive.Cli -c Release -r "$rid" -p:PublishAot=true ${linker[@]+"${linker[@]}"} -o "$stage" >&2
else
  echo "No C toolchain (clang or gcc) for NativeAOT: publishing a self-contained ReadyToRun single file for $rid..." >&2
  dotnet publish src/CloudArchive.Cli -c Release -r "$rid" --self-contained -p:PublishSingleFile=true -p:PublishReadyToRun=true -o "$stage" >&2
fi
mkdir -p "$out"
install -m 755 "$stage/cloudarchive" "$out/cloudarchive"
echo "Installed $out/cloudarchive ($mode). Put it on PATH with:" >&2
echo "export PATH=\"$out:\$PATH\""
