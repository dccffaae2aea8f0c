#!/usr/bin/env bash
# Builds the shipped binary prebuilds/<platform>-<arch>/ocrkit.node from the
# current sources (needs the dependency prefix of scripts/build-deps.sh).
# Run once per submission, last, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .deps/prefix/lib/cmake/opencv4/OpenCVConfig.cmake ] || bash scripts/build-deps.sh
rm -rf prebuilds build
npx prebuildify --napi --strip --node-gyp="$PWD/scripts/cmake-js-shim.js"
node=$(ls prebuilds/*/*.node)
echo "built $node ($(du -h "$node" | cut -f1))"
echo "dynamic dependencies:"; ldd "$node"
if nm -D -u "$node" | grep -q Ort; then
  echo "error: $node leaves ONNX Runtime symbols undefined" >&2
  exit 1
fi
