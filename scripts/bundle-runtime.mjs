// Puts the ONNX Runtime CPU library into the package, for every platform a prebuilt addon ships for
// (prebuilds/<platform>-<arch>/): runtime/<platform>-<arch>/libonnxruntime.so.1, copied from the
// onnxruntime-node devDependency at its pinned version. Run by `npm pack` / `npm publish` (prepack).
//
// Why: onnxruntime-node's install script downloads CUDA provider libraries from outside the npm registry on
// Linux x64 whenever it is installed as a dependency, so `npm install ocrkit` failed where only the registry is
// reachable, and it installed 288 MB of ONNX Runtime builds for five platforms to use one 45 MB library. The
// library carried here is the same file onnxruntime-node ships (its bytes are checked against the installed
// package); lib/models.ts still prefers onnxruntime-node's when a caller installs it (for its CUDA providers).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(`[bundle-runtime] ${message}`);
  process.exit(1);
};

const pinned = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies?.['onnxruntime-node'];
if (!pinned) fail('package.json has no onnxruntime-node devDependency to take the library from');
const ortDir = path.join(root, 'node_modules', 'onnxruntime-node');
let installed;
try {
  installed = JSON.parse(fs.readFileSync(path.join(ortDir, 'package.json'), 'utf8')).version;
} catch {
  fail(`onnxruntime-node is not installed in ${ortDir} (run npm install first)`);
}
if (installed !== pinned) fail(`onnxruntime-node ${installed} is installed, package.json pins ${pinned} (run npm install)`);

const fileFor = (platform) => (platform === 'darwin' ? 'libonnxruntime.1.dylib' : platform === 'win32' ? 'onnxruntime.dll' : 'libonnxruntime.so.1');
const out = path.join(root, 'runtime');
fs.rmSync(out, { recursive: true, force: true });
const targets = fs.readdirSync(path.join(root, 'prebuilds')).filter((d) => /^[a-z0-9]+-[a-z0-9]+$/.test(d));
if (targets.length === 0) fail('prebuilds/ has no <platform>-<arch> folder');
for (const target of targets) {
  const [platform, arch] = target.split('-');
  const file = fileFor(platform);
  const from = path.join(ortDir, 'bin', 'napi-v6', platform, arch, file);
  if (!fs.existsSync(from)) fail(`onnxruntime-node ${installed} has no ${file} for ${target} (${from})`);
  const to = path.join(out, target, file);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  if (!fs.readFileSync(to).equals(fs.readFileSync(from))) fail(`the copy of ${from} differs from it`);
  console.error(`[bundle-runtime] ${path.relative(root, to)}: ONNX Runtime from onnxruntime-node ${installed} (${fs.statSync(to).size} bytes)`);
}
