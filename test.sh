#!/usr/bin/env bash
# Builds Jevm in Release and runs every test (unit, property and conformance tests, on every engine).
# Ends with one plain line: "N passed, M failed, K skipped".
# Conformance data: $JEVM_ETHTESTS, or ../shared/ethtests beside the repository.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! dotnet build Jevm.sln -c Release -nologo -warnaserror >"$log" 2>&1; then
  grep -E ": (error|warning) " "$log" | sort -u
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# The NuGet package (issue #11): packing must keep working; the package is thrown away.
pkgdir=$(mktemp -d)
if ! dotnet pack src/Package -c Release --no-build -o "$pkgdir" -nologo -v q >"$log" 2>&1; then
  cat "$log"
  echo "dotnet pack failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
rm -rf "$pkgdir"

dotnet test --project tests/Jevm.Tests/Jevm.Tests.csproj -c Release --no-build "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

total=$(grep -E '^\s+total:' "$log" | tail -1 | grep -oE '[0-9]+')
failed=$(grep -E '^\s+failed:' "$log" | tail -1 | grep -oE '[0-9]+')
passed=$(grep -E '^\s+succeeded:' "$log" | tail -1 | grep -oE '[0-9]+')
skipped=$(grep -E '^\s+skipped:' "$log" | tail -1 | grep -oE '[0-9]+')
if [ -z "$total" ]; then
  echo "the test run printed no summary (exit code $rc)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
if [ "$rc" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  # The test host died (a crash counts no failed test): that is a failure, not a pass.
  echo "the test run ended with exit code $rc and no failed test: counted as one failure"
  failed=1
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$rc" -ne 0 ] || [ "${failed:-0}" -ne 0 ]; then exit 1; fi
exit 0
