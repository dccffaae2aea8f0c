#!/usr/bin/env bash
# Builds the committed test fixture test/fixtures/fake-ort/libonnxruntime-old.so
# (a fake ONNX Runtime 1.10 for the "runtime too old" test; linux-x64).
set -euo pipefail
cd "$(dirname "$0")/../test/fixtures/fake-ort"
gcc -shared -fPIC -O2 -s -o libonnxruntime-old.so fake_ort.c
ls -l libonnxruntime-old.so
