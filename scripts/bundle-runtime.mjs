// Puts ONNX Runtime's CPU library into runtime/<platform>-<arch>/ for every platform a prebuilt addon ships for
// (prebuilds/<platform>-<arch>/): the file the onnxruntime-node npm package carries, at the version and SHA-256
// pinned in scripts/onnxruntime.json, taken out of that package's tarball (`npm pack <name>@<version>`: from the
// npm registry or its cache; the package is not installed, so its install script never runs). Run by `npm install`
// in this repository and by `npm pack` / `npm publish` (the prepare script); a library already in place with the
// pinned hash is kept.
//
// Why: onnxruntime-node's install script downloads CUDA provider libraries from outside the npm registry on
// Linux x64 whenever it is installed, so `npm install ocrkit` failed where only the registry is reachable, and it
// installed 288 MB of ONNX Runtime builds for five platforms to use one 45 MB library. lib/models.ts still prefers
// onnxruntime-node's library when a caller installs that package (for its CUDA providers).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pin = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'onnxruntime.json'), 'utf8'));
const log = (message) => console.error(`[bundle-runtime] ${message}`);
const fail = (message) => {
  log(message);
  process.exit(1);
};
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const targets = fs.readdirSync(path.join(root, 'prebuilds')).filter((d) => /^[a-z0-9]+-[a-z0-9]+$/.test(d));
if (targets.length === 0) fail('prebuilds/ has no <platform>-<arch> folder');
const needed = [];
for (const target of targets) {
  const library = pin.libraries[target];
  if (!library) fail(`scripts/onnxruntime.json pins no ONNX Runtime library for ${target}`);
  const to = path.join(root, 'runtime', target, path.basename(library.path));
  if (fs.existsSync(to) && sha256(to) === library.sha256) log(`${path.relative(root, to)}: up to date (${pin.package} ${pin.version})`);
  else needed.push({ target, library, to });
}
if (needed.length > 0) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-runtime-'));
  try {
    const spec = `${pin.package}@${pin.version}`;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    let packed;
    try {
      const out = execFileSync(npm, ['pack', spec, '--json', '--pack-destination', work], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
      });
      packed = path.join(work, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
    } catch (error) {
      fail(`could not fetch ${spec} from the npm registry (npm pack): ${String(error.stderr || error.message).trim().split('\n').slice(-3).join(' ')}`);
    }
    const members = needed.map(({ library }) => `package/${library.path}`);
    execFileSync('tar', ['-xzf', packed, '-C', work, ...members], { stdio: ['ignore', 'ignore', 'pipe'] });
    for (const { target, library, to } of needed) {
      const from = path.join(work, 'package', library.path);
      const got = sha256(from);
      if (got !== library.sha256) fail(`${spec}'s ${library.path} has SHA-256 ${got}, scripts/onnxruntime.json pins ${library.sha256}`);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, `${to}.partial`);
      fs.renameSync(`${to}.partial`, to);
      log(`${path.relative(root, to)}: ONNX Runtime for ${target} from ${spec} (${fs.statSync(to).size} bytes)`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
