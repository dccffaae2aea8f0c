// The committed binary: built from these sources, self-contained.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { treeSourceHash } from '../dist/index.mjs';
import { readElf } from './helpers/elf.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prebuild = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'ocrkit.node');
const require = createRequire(import.meta.url);

test('a prebuilt binary is committed for linux-x64', (t) => {
  t.true(fs.existsSync(path.join(root, 'prebuilds', 'linux-x64', 'ocrkit.node')));
});

test('the committed prebuild was built from the current native sources', (t) => {
  const addon = require(prebuild);
  t.regex(addon.sourceHash, /^[0-9a-f]{64}$/);
  t.is(
    addon.sourceHash,
    treeSourceHash(root),
    'prebuilds/ is stale: rebuild it with `npm run prebuild` (see README, Building from source)',
  );
});

test('the prebuild needs only the C/C++ runtime and leaves no ONNX Runtime symbol undefined', (t) => {
  const { needed, undefinedSymbols } = readElf(prebuild);
  const allowed = /^(libc|libm|libstdc\+\+|libgcc_s|libdl|libpthread|ld-linux-x86-64)\.so/;
  t.deepEqual(needed.filter((lib) => !allowed.test(lib)), [], `unexpected libraries: ${needed.join(', ')}`);
  t.deepEqual(undefinedSymbols.filter((s) => /^Ort|onnxruntime/.test(s)), []);
  t.deepEqual(undefinedSymbols.filter((s) => /^_ZN2cv|^png_|^jpeg_|^TIFF|^WebP|ClipperLib/.test(s)), []);
});

/** -1, 0 or 1 as version a ([2, 34]) is lower than, equal to or higher than b. */
const compareVersions = (a, b) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
};

test('the prebuild runs where the README says: glibc 2.28 and later, with no libstdc++ of its own needed', (t) => {
  const { needed, versions } = readElf(prebuild);
  const all = Object.values(versions).flat();
  // The highest version of a family the binary asks for: GLIBC_2.27 -> [2, 27].
  const glibc = all.filter((v) => v.startsWith('GLIBC_')).map((v) => v.slice('GLIBC_'.length).split('.').map(Number));
  const highest = glibc.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
  t.true(compareVersions(highest, [2, 28]) <= 0, `README says glibc >= 2.28; the binary needs ${all.join(', ')}`);
  // The ONNX Runtime library the package carries (runtime/) needs 2.28 itself: the README's floor.
  const runtime = readElf(path.join(root, 'runtime', 'linux-x64', 'libonnxruntime.so.1'));
  const runtimeGlibc = Object.values(runtime.versions).flat().filter((v) => v.startsWith('GLIBC_')).map((v) => v.slice('GLIBC_'.length).split('.').map(Number));
  t.deepEqual(runtimeGlibc.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b)), [2, 28]);
  // libstdc++ is linked in (binding/glibc_compat.cc): older systems have older ones.
  t.false(needed.some((lib) => lib.startsWith('libstdc++')), needed.join(', '));
  t.deepEqual(all.filter((v) => /^(GLIBCXX|CXXABI)_/.test(v)), []);
});

test('the native error-code list matches the TS one', async (t) => {
  const { ERROR_CODES } = await import('../dist/index.mjs');
  t.deepEqual(require(prebuild).errorCodes, [...ERROR_CODES]);
});
