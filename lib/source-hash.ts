import fs from 'node:fs';
import path from 'node:path';
import { loadNative, packageRoot } from './native.js';

/** The hash of the native sources the loaded binary was built from. */
export function nativeSourceHash(): string {
  return loadNative().sourceHash;
}

function walk(root: string, dir: string, extensions: string[], out: string[]): void {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, rel, extensions, out);
    else if (extensions.some((ext) => entry.name.endsWith(ext))) out.push(rel);
  }
}

/**
 * The same hash computed from a source tree (cmake/SourceHash.cmake): sha256
 * over "<path>\n<sha256 of file>\n" for the native sources sorted by path.
 * Only meaningful in a checkout (the npm package ships no C++ sources).
 */
export function treeSourceHash(root: string = packageRoot): string {
  const files: string[] = [];
  walk(root, 'cpp', ['.h', '.cc'], files);
  walk(root, 'binding', ['.h', '.cc'], files);
  walk(root, 'cmake', ['.cmake'], files);
  walk(root, 'scripts/deps', [''], files);
  files.push('CMakeLists.txt');
  if (fs.existsSync(path.join(root, 'scripts/build-deps.sh'))) files.push('scripts/build-deps.sh');
  // CMake's list(SORT) compares bytes, like this default sort of ASCII paths.
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Loaded here, not at the top: node:crypto takes ~7 ms to load, which every require('ocrkit') paid for this
  // function that only tests and `ocrkit --version` call.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  let manifest = '';
  for (const file of files) {
    const digest = createHash('sha256').update(fs.readFileSync(path.join(root, file))).digest('hex');
    manifest += `${file}\n${digest}\n`;
  }
  return createHash('sha256').update(manifest).digest('hex');
}
