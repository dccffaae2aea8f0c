#!/usr/bin/env bash
# Builds test/fuzz's libFuzzer targets (clang, ASan + UBSan, against Debian's OpenCV as the C++ tests are) and runs
# each from seeds: the fixtures' images and fonts, small TIFFs of many layouts (test/fuzz/seeds), small models
# holding the graph rewrites' patterns and the inputs that once failed (test/fuzz/regressions); the detectors'
# post-processing starts from nothing, recognition decoding and dictionary text from the inputs that once failed.
# Fails on any crash, sanitizer report, leak, timeout or broken promise; the input that did it is kept under
# $OCRKIT_FUZZ_DIR/artifacts (default /tmp/ocrkit-fuzz). Installs clang and libopencv-dev when run as root.
# Usage: bash scripts/fuzz.sh [SECONDS]   each target SECONDS (default 60) from a random seed: to hunt
#        bash scripts/fuzz.sh ci          seed 1 and a fixed number of inputs per target (under a minute each on 2
#                                         cores): CI's; what it explores barely moves from run to run (the
#                                         binary's embedded paths differ), so a failure there points at the change
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-60}
work=${OCRKIT_FUZZ_DIR:-/tmp/ocrkit-fuzz}
if [ "$mode" != ci ] && ! [[ "$mode" =~ ^[0-9]+$ ]]; then
  echo "usage: bash scripts/fuzz.sh [SECONDS | ci]" >&2
  exit 2
fi

if [ "$(id -u)" = 0 ]; then
  need=()
  command -v clang++ >/dev/null || need+=(clang)
  dpkg -s libopencv-dev >/dev/null 2>&1 || need+=(libopencv-dev)
  dpkg -s libtiff-dev >/dev/null 2>&1 || need+=(libtiff-dev)
  dpkg -s libpolyclipping-dev >/dev/null 2>&1 || need+=(libpolyclipping-dev)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" cmake make >/dev/null
  fi
  # libFuzzer's runtime is a package of its own in Debian (libclang-rt-N-dev).
  major=$(clang++ -dumpversion | cut -d. -f1)
  if ! ls /usr/lib/llvm-"$major"/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "libclang-rt-$major-dev" >/dev/null
  fi
fi

rm -rf "$work" && mkdir -p "$work/artifacts"
CC=clang CXX=clang++ cmake -S "$root/test/fuzz" -B "$work/build" -DOCRKIT_DEPS_DIR=/nonexistent \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" -j "$(nproc)" >/dev/null

# Seeds (libFuzzer cuts each to the target's -max_len).
mkdir -p "$work/seeds/image" "$work/seeds/model" "$work/seeds/font" "$work/seeds/text" "$work/seeds/empty"
find "$root/test/fixtures/images" "$root/test/fixtures/bad" -type f ! -name '*.json' ! -name '*.txt' \
  -exec cp {} "$work/seeds/image/" \;
"$work/build/fuzz_seeds" "$work/seeds/model"
cp "$root/test/fixtures/rec-models/doc_cls.onnx" "$root"/test/fuzz/regressions/*.onnx "$work/seeds/model/"
cp "$root/fonts/DejaVuSans.ttf" "$work/seeds/font/"
cp "$root"/test/fuzz/regressions/decode-text-*.bin "$work/seeds/text/"
cp "$root"/test/fuzz/regressions/decode-image-*.tif "$work/seeds/image/"
cp "$root"/test/fuzz/seeds/*.tif "$work/seeds/image/"  # small TIFFs of the layouts libtiff's samples reader takes
# decode_image_fuzz reads its first byte as the EXIF option and decodes the rest: the same images behind a flag
# byte (as they were, shifted by one, every seed failed as an unknown format before reaching a decoder).
mkdir -p "$work/seeds/decode"
for seed in "$work"/seeds/image/*; do
  { printf '\001'; cat "$seed"; } >"$work/seeds/decode/$(basename "$seed")"
done

run() {  # target seeds max_len ci_runs
  local target=$1 seeds=$2 max_len=$3 ci_runs=$4 budget
  mkdir -p "$work/corpus/$target"
  if [ "$mode" = ci ]; then
    budget=(-seed=1 -runs="$ci_runs" -max_total_time=300)
    echo "== $target: $ci_runs inputs from seed 1 and $(ls "$seeds" | wc -l) seeds (up to $max_len bytes)"
  else
    budget=(-max_total_time="$mode")
    echo "== $target: $mode s from $(ls "$seeds" | wc -l) seeds (inputs up to $max_len bytes)"
  fi
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$work/build/$target" "$work/corpus/$target" "$seeds" "${budget[@]}" -max_len="$max_len" \
    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" \
    >"$work/$target.log" 2>&1 || { tail -60 "$work/$target.log"; echo "FAILED: $target (input under $work/artifacts)"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$target.log" | tr '\n' ' '
  echo "corpus $(ls "$work/corpus/$target" | wc -l) inputs"
}
run probe_image_fuzz "$work/seeds/image" 4096 2000000
run decode_image_fuzz "$work/seeds/decode" 16384 300000
run rewrite_model_fuzz "$work/seeds/model" 16384 1000000
run font_fuzz "$work/seeds/font" 800000 30000
run db_postprocess_fuzz "$work/seeds/empty" 9222 120000
run map_postprocess_fuzz "$work/seeds/empty" 24000 100000
run decode_text_fuzz "$work/seeds/text" 4096 1000000
echo "fuzzing: no crash"
