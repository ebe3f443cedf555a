#!/usr/bin/env bash
# Runs every native Go fuzz target (func FuzzXxx in a _test.go file) in the
# module for a bounded time each, one target at a time (go test -fuzz takes
# exactly one target per run). Exits non-zero when any target finds a
# failure; the failing input is left under the package's testdata/fuzz/ so
# that a plain `go test` replays it.
#
#   FUZZTIME=10s scripts/fuzz.sh            # every package
#   FUZZTIME=1m  scripts/fuzz.sh ./internal/pii/...
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
FUZZTIME="${FUZZTIME:-10s}"
# Two cores are shared: bound the fuzzing workers unless told otherwise.
FUZZ_PARALLEL="${FUZZ_PARALLEL:-2}"

# Only packages whose test files declare a fuzz target: listing every
# package would compile the whole tree's tests for nothing.
roots=()
for a in "${@:-.}"; do roots+=("${a%/...}"); done
mapfile -t pkgs < <(grep -rlE --include='*_test.go' '^func Fuzz[A-Z0-9_]' "${roots[@]}" 2>/dev/null |
  xargs -r -n1 dirname | sort -u | sed 's#^\([^./]\)#./\1#')
if [ "${#pkgs[@]}" -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi

ran=0; failed=()
for pkg in "${pkgs[@]}"; do
  # -list prints the matching test names, then "ok <pkg> ..." (dropped).
  mapfile -t targets < <(go test -list '^Fuzz' "$pkg" | grep -E '^Fuzz[A-Za-z0-9_]*$' || true)
  for target in "${targets[@]}"; do
    echo "fuzz: $pkg $target for $FUZZTIME"
    if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -parallel "$FUZZ_PARALLEL" "$pkg"; then
      ran=$((ran + 1))
    else
      failed+=("$pkg $target")
    fi
  done
done

echo "fuzz: $ran passed, ${#failed[@]} failed ($FUZZTIME each)"
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'fuzz: FAILED %s\n' "${failed[@]}" >&2
  exit 1
fi
if [ "$ran" -eq 0 ]; then
  echo "fuzz: fuzz files found but no target listed" >&2
  exit 1
fi
