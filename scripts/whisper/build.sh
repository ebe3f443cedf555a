#!/usr/bin/env bash
# Builds whisper.cpp's `whisper-server` from the source bundled in the npm
# package nodejs-whisper (MIT; cpp/whisper.cpp) into ./.tools/whisper/bin.
# Needs: npm, cmake, g++ (Debian packages cmake, g++). No model is fetched:
# the operator points HARBORDESK_WHISPER_MODEL at a ggml model file.
#
#   scripts/whisper/build.sh            # build (skips if already built)
#   WHISPER_FORCE=1 scripts/whisper/build.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.tools/whisper"
version="${NODEJS_WHISPER_VERSION:-0.3.1}"
jobs="${WHISPER_JOBS:-2}"

if [[ -x "$out/bin/whisper-server" && -z "${WHISPER_FORCE:-}" ]]; then
  echo "whisper-server already built: $out/bin/whisper-server"
  exit 0
fi
for tool in npm cmake g++ tar; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (apt-get install -y cmake g++ npm)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "nodejs-whisper@$version" >/dev/null)
tar -xzf "$work"/nodejs-whisper-*.tgz -C "$work"
src="$work/package/cpp/whisper.cpp"
[[ -f "$src/CMakeLists.txt" ]] || { echo "build.sh: no whisper.cpp source in nodejs-whisper@$version" >&2; exit 1; }

# Static, CPU-only, no network features: the server only needs libwhisper.
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_EXAMPLES=ON \
  -DWHISPER_SDL2=OFF -DWHISPER_CURL=OFF -DGGML_NATIVE=OFF >"$work/cmake.log" 2>&1 \
  || { tail -30 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --config Release -j "$jobs" --target whisper-server >"$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log" >&2; exit 1; }

mkdir -p "$out/bin"
bin="$(find "$work/build" -type f -name whisper-server -perm -u+x | head -1)"
[[ -n "$bin" ]] || { echo "build.sh: whisper-server not produced" >&2; exit 1; }
install -m 0755 "$bin" "$out/bin/whisper-server"
# The model-conversion script documents the ggml file layout; keep it beside the binary.
cp "$src/models/convert-pt-to-ggml.py" "$out/" 2>/dev/null || true
echo "$version" > "$out/VERSION"
echo "built $out/bin/whisper-server (whisper.cpp from nodejs-whisper@$version)"
