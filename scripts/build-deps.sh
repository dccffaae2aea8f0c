#!/usr/bin/env bash
# Builds ocrkit's native dependencies from Debian 12 (bookworm) source packages
# into a cache prefix, reproducibly (the configured mirror's snapshot pins the
# versions; they are recorded in <prefix>/VERSIONS.txt):
#   - static, position-independent OpenCV 4.6 (core, imgproc, imgcodecs) with
#     PIC static zlib, libpng, libjpeg-turbo, libtiff and Debian's libwebp.a;
#   - Clipper 6.4.2 (polyclipping) as a static PIC library;
#   - ONNX Runtime C/C++ headers (1.21, from trixie's libonnxruntime-dev .deb;
#     only the headers: the runtime library is loaded at run time).
# Consumer: CMakeLists.txt finds everything under OCRKIT_DEPS_DIR (default
# .deps/prefix). Re-running skips finished parts (stamp files).
#
#   bash scripts/build-deps.sh            # ~12 min on 2 cores
#   OCRKIT_DEPS_DIR=/path bash scripts/build-deps.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
deps=${OCRKIT_DEPS_DIR:-$repo/.deps}
prefix=$deps/prefix
src=$deps/src
logs=$deps/logs
jobs=${JOBS:-$(nproc)}
mkdir -p "$prefix/lib" "$prefix/include" "$src" "$logs" "$deps/stamps"

log() { echo "[build-deps] $*"; }
run_logged() { # name cmd...
  local name=$1; shift
  if ! "$@" >"$logs/$name.log" 2>&1; then
    echo "[build-deps] $name failed; last lines of $logs/$name.log:" >&2
    tail -n 40 "$logs/$name.log" >&2
    exit 1
  fi
}
done_stamp() { [ -f "$deps/stamps/$1" ]; }
stamp() { touch "$deps/stamps/$1"; }

# --- build tools (root only, when missing) ----------------------------------
need=()
for pkg in build-essential cmake nasm pkg-config dpkg-dev libwebp-dev xz-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "[build-deps] missing packages: ${need[*]} (run as root or install them)" >&2; exit 1; fi
  log "installing ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- a private apt configuration: deb-src of bookworm, deb of trixie ---------
# The mirror is read from the system's configuration (never hard-coded).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "[build-deps] no Debian mirror configured in /etc/apt" >&2; exit 1; }
apt_dir=$deps/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
cat >"$apt_dir/sources.list" <<SRC
deb-src $mirror bookworm main
deb $mirror trixie main
SRC
apt_private=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=-"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root"
  -o "Acquire::Check-Valid-Until=false")
if ! done_stamp apt-lists; then
  log "reading package lists (private configuration)"
  run_logged apt-update apt-get "${apt_private[@]}" update
  stamp apt-lists
fi

fetch_source() { # package -> unpacks the orig tarball into $src/<package>, echoes the dir
  local pkg=$1
  if [ ! -d "$src/$pkg" ]; then
    mkdir -p "$src/dl-$pkg"
    (cd "$src/dl-$pkg" && run_logged "source-$pkg" apt-get "${apt_private[@]}" source --download-only "$pkg/bookworm")
    if [ "$pkg" = opencv ]; then
      # OpenCV: the upstream tarball as is (Debian's patches concern its packaging).
      local orig
      orig=$(ls "$src/dl-$pkg"/*.orig.tar.* | head -n 1)
      mkdir -p "$src/$pkg"
      tar -xf "$orig" -C "$src/$pkg" --strip-components=1
    else
      # Codecs and Clipper: with Debian's patches applied (they carry security fixes).
      run_logged "unpack-$pkg" dpkg-source --no-check -x "$(ls "$src/dl-$pkg"/*.dsc | head -n 1)" "$src/$pkg"
    fi
    ls "$src/dl-$pkg"/*.dsc | xargs -n1 basename >>"$prefix/VERSIONS.txt.tmp"
    sort -u "$prefix/VERSIONS.txt.tmp" >"$prefix/VERSIONS.txt"
  fi
}

cmake_static() { # name source-dir extra-args...
  local name=$1 dir=$2; shift 2
  rm -rf "$src/build-$name"
  run_logged "configure-$name" cmake -S "$dir" -B "$src/build-$name" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR="$prefix/lib" -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_SHARED_LIBS=OFF -DCMAKE_PREFIX_PATH="$prefix" "$@"
  run_logged "build-$name" cmake --build "$src/build-$name" -j "$jobs"
  run_logged "install-$name" cmake --install "$src/build-$name"
}

# --- ONNX Runtime headers -----------------------------------------------------
if ! done_stamp ort-headers; then
  log "ONNX Runtime headers (trixie libonnxruntime-dev)"
  rm -rf "$src/ort" && mkdir -p "$src/ort"
  (cd "$src/ort" && run_logged ort-download apt-get "${apt_private[@]}" download libonnxruntime-dev)
  dpkg-deb -x "$src/ort"/libonnxruntime-dev_*.deb "$src/ort/x"
  rm -rf "$prefix/include/onnxruntime"
  cp -r "$src/ort/x/usr/include/onnxruntime" "$prefix/include/onnxruntime"
  basename "$src/ort"/libonnxruntime-dev_*.deb >>"$prefix/VERSIONS.txt.tmp"
  sort -u "$prefix/VERSIONS.txt.tmp" >"$prefix/VERSIONS.txt"
  stamp ort-headers
fi

# --- codecs -------------------------------------------------------------------
if ! done_stamp zlib; then
  log "zlib"; fetch_source zlib
  # Debian's orig tarball lacks the files zlib's CMake build lists: use configure.
  (cd "$src/zlib" && run_logged configure-zlib env CFLAGS="-O2 -fPIC" ./configure --static --prefix="$prefix" \
    --libdir="$prefix/lib" && run_logged build-zlib make -j "$jobs" && run_logged install-zlib make install)
  stamp zlib
fi
if ! done_stamp libpng; then
  log "libpng"; fetch_source libpng1.6
  cmake_static libpng "$src/libpng1.6" -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF -DPNG_EXECUTABLES=OFF \
    -DZLIB_ROOT="$prefix" -DZLIB_LIBRARY="$prefix/lib/libz.a" -DZLIB_INCLUDE_DIR="$prefix/include" -DPNG_ARM_NEON=off
  stamp libpng
fi
if ! done_stamp libjpeg; then
  log "libjpeg-turbo"; fetch_source libjpeg-turbo
  cmake_static libjpeg "$src/libjpeg-turbo" -DENABLE_SHARED=OFF -DENABLE_STATIC=ON -DWITH_TURBOJPEG=OFF \
    -DWITH_JPEG8=OFF -DREQUIRE_SIMD=ON
  stamp libjpeg
fi
if ! done_stamp libtiff; then
  log "libtiff"; fetch_source tiff
  cmake_static libtiff "$src/tiff" -Dzlib=ON -Djpeg=ON -Dold-jpeg=OFF -Djbig=OFF -Dlerc=OFF -Dlzma=OFF -Dzstd=OFF \
    -Dwebp=OFF -Dlibdeflate=OFF -Dpixarlog=ON -Djpeg12=OFF -Dcxx=OFF -Dtiff-tools=OFF -Dtiff-tests=OFF \
    -Dtiff-contrib=OFF -Dtiff-docs=OFF -DZLIB_LIBRARY="$prefix/lib/libz.a" -DZLIB_INCLUDE_DIR="$prefix/include" \
    -DJPEG_LIBRARY="$prefix/lib/libjpeg.a" -DJPEG_INCLUDE_DIR="$prefix/include"
  stamp libtiff
fi
if ! done_stamp libwebp; then
  log "libwebp (Debian's static archives are PIC)"
  for a in libwebp.a libsharpyuv.a; do
    f=$(find /usr/lib -name "$a" | head -n 1)
    [ -n "$f" ] && cp -f "$f" "$prefix/lib/$a"
  done
  mkdir -p "$prefix/include/webp" && cp -f /usr/include/webp/*.h "$prefix/include/webp/"
  dpkg-query -W -f='libwebp-dev ${Version}\n' libwebp-dev >>"$prefix/VERSIONS.txt.tmp"
  sort -u "$prefix/VERSIONS.txt.tmp" >"$prefix/VERSIONS.txt"
  stamp libwebp
fi

# --- Clipper ----------------------------------------------------------------
if ! done_stamp clipper; then
  log "Clipper (polyclipping)"; fetch_source libpolyclipping
  mkdir -p "$src/build-clipper" "$prefix/include/polyclipping"
  cpp_dir=$(dirname "$(find "$src/libpolyclipping" -name clipper.cpp | head -n 1)")
  run_logged clipper g++ -O2 -fPIC -std=c++11 -c "$cpp_dir/clipper.cpp" -o "$src/build-clipper/clipper.o"
  rm -f "$prefix/lib/libpolyclipping.a"
  ar rcs "$prefix/lib/libpolyclipping.a" "$src/build-clipper/clipper.o"
  cp -f "$cpp_dir/clipper.hpp" "$prefix/include/polyclipping/clipper.hpp"
  stamp clipper
fi

# --- OpenCV -----------------------------------------------------------------
# Upstream source plus ocrkit's patches (scripts/deps/opencv-*.patch); the stamp
# records the patches' hash, so a changed patch rebuilds OpenCV from a fresh unpack.
opencv_patches=("$repo"/scripts/deps/opencv-*.patch)
opencv_id="patches $(cat "${opencv_patches[@]}" | sha256sum | cut -c1-16)"
if ! done_stamp opencv || [ "$(cat "$deps/stamps/opencv")" != "$opencv_id" ]; then
  log "OpenCV (core, imgproc, imgcodecs; ~7 min on 2 cores)"
  rm -rf "$src/opencv" "$deps/stamps/opencv"; fetch_source opencv
  for p in "${opencv_patches[@]}"; do run_logged "patch-opencv" patch -d "$src/opencv" -p1 -f -i "$p"; done
  webp_libs="$prefix/lib/libwebp.a"
  [ -f "$prefix/lib/libsharpyuv.a" ] && webp_libs="$webp_libs;$prefix/lib/libsharpyuv.a"
  off=()
  for o in IPP ITT OPENCL ADE TBB OPENMP EIGEN LAPACK GTK QT VTK FFMPEG GSTREAMER V4L 1394 OPENEXR JASPER OPENJPEG \
    GDAL GDCM PROTOBUF QUIRC VA VA_INTEL CUDA IMGCODEC_HDR IMGCODEC_SUNRASTER IMGCODEC_PXM IMGCODEC_PFM AVIF \
    OPENVX HALIDE VULKAN CAROTENE KLEIDICV FLATBUFFERS; do off+=("-DWITH_$o=OFF"); done
  cmake_static opencv "$src/opencv" -DBUILD_LIST=core,imgproc,imgcodecs "${off[@]}" \
    -DWITH_JPEG=ON -DWITH_PNG=ON -DWITH_WEBP=ON -DWITH_TIFF=ON \
    -DBUILD_JPEG=OFF -DBUILD_PNG=OFF -DBUILD_ZLIB=OFF -DBUILD_WEBP=OFF -DBUILD_TIFF=OFF -DBUILD_OPENJPEG=OFF \
    -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOCS=OFF -DBUILD_opencv_apps=OFF \
    -DBUILD_JAVA=OFF -DBUILD_opencv_python3=OFF -DBUILD_opencv_python2=OFF -DBUILD_opencv_java=OFF \
    -DOPENCV_GENERATE_PKGCONFIG=OFF -DOPENCV_FORCE_3RDPARTY_BUILD=OFF -DBUILD_ITT=OFF -DCV_TRACE=OFF \
    -DOPENCV_ENABLE_NONFREE=OFF -DENABLE_PRECOMPILED_HEADERS=OFF -DOPENCV_LIB_INSTALL_PATH=lib \
    -DOPENCV_3P_LIB_INSTALL_PATH=lib/opencv4/3rdparty -DOPENCV_CONFIG_INSTALL_PATH=lib/cmake/opencv4 \
    -DZLIB_LIBRARY="$prefix/lib/libz.a" -DZLIB_INCLUDE_DIR="$prefix/include" \
    -DPNG_LIBRARY="$prefix/lib/libpng16.a" -DPNG_PNG_INCLUDE_DIR="$prefix/include" \
    -DJPEG_LIBRARY="$prefix/lib/libjpeg.a" -DJPEG_INCLUDE_DIR="$prefix/include" \
    -DTIFF_LIBRARY="$prefix/lib/libtiff.a" -DTIFF_INCLUDE_DIR="$prefix/include" \
    -DWEBP_LIBRARY="$webp_libs" -DWEBP_INCLUDE_DIR="$prefix/include"
  echo "$opencv_id" >"$deps/stamps/opencv"
fi

# --- check: a static program decodes every format and offsets a polygon -------
log "checking the prefix"
check=$deps/check-deps
g++ -std=c++17 -O1 "$repo/scripts/deps/check-deps.cc" -o "$check" -I"$prefix/include/opencv4" -I"$prefix/include" \
  "$prefix/lib/libopencv_imgcodecs.a" "$prefix/lib/libopencv_imgproc.a" "$prefix/lib/libopencv_core.a" \
  "$prefix/lib/libtiff.a" "$prefix/lib/libpng16.a" "$prefix/lib/libjpeg.a" "$prefix/lib/libwebp.a" \
  $( [ -f "$prefix/lib/libsharpyuv.a" ] && echo "$prefix/lib/libsharpyuv.a" ) "$prefix/lib/libz.a" \
  "$prefix/lib/libpolyclipping.a" -lpthread -ldl
if ldd "$check" | grep -E -q 'libpng|libjpeg|libtiff|libwebp|libz\.|libopencv'; then
  echo "[build-deps] the check program links a shared codec or OpenCV library:" >&2; ldd "$check" >&2; exit 1
fi
"$check"
log "done: $prefix ($(du -sh "$prefix/lib" | cut -f1) of libraries)"
