// The published package: npm pack, install into a clean folder, detect there.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectionFixtures } from './helpers/fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the packed tarball installs into a clean folder with nothing but the npm registry and reads text there; onnxruntime-node installed beside it is preferred', (t) => {
  t.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-pack-'));
  try {
    // The install runs as a user's would: no ONNXRUNTIME_NODE_INSTALL (CI sets it for the repository's own
    // install), so a dependency whose install script downloads from elsewhere would be run and fail here.
    const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true' };
    delete env.ONNXRUNTIME_NODE_INSTALL;
    delete env.npm_config_onnxruntime_node_install;
    // With its scripts: prepare puts ONNX Runtime's library into runtime/ (scripts/bundle-runtime.mjs).
    const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const info = JSON.parse(out.slice(out.indexOf('[')))[0];
    const files = info.files.map((f) => f.path);
    t.true(files.includes('prebuilds/linux-x64/ocrkit.node'));
    t.true(files.includes('runtime/linux-x64/libonnxruntime.so.1'));
    const bundled = info.files.find((f) => f.path === 'runtime/linux-x64/libonnxruntime.so.1');
    t.is(bundled.size, fs.statSync(path.join(root, 'runtime/linux-x64/libonnxruntime.so.1')).size);
    t.true(files.includes('dist/index.mjs') && files.includes('dist/index.d.ts') && files.includes('dist/cli.js'));
    t.false(files.some((f) => f.startsWith('cpp/') || f.startsWith('test/') || f.startsWith('node_modules/')));
    t.true(files.includes('THIRD_PARTY_NOTICES.md'));
    t.true(files.includes('fonts/DroidSansFallbackFull.ttf') && files.includes('fonts/DejaVuSans.ttf'));

    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    execFileSync(npm, ['install', '--no-save', path.join(dir, info.filename)], { cwd: app, env, stdio: 'pipe' });
    // ONNX Runtime is the library ocrkit carries: onnxruntime-node (288 MB for five platforms, and a download of
    // CUDA libraries at install) is not installed.
    t.false(fs.existsSync(path.join(app, 'node_modules', 'onnxruntime-node')));
    const image = detectionFixtures().find((f) => f.truth.lines.length > 0).file;
    const script = `
      const { createOcr, visualize } = require('ocrkit');
      (async () => {
        const engine = await createOcr();
        const regions = await engine.detect(${JSON.stringify(image)});
        const esm = await import('ocrkit');
        // The shipped fonts resolve inside the installed package.
        const drawn = await visualize(${JSON.stringify(image)}, { lines: regions.map((r) => ({ box: r.box, text: 'Text 文字' })) });
        console.log(JSON.stringify({ count: regions.length, esm: typeof esm.createOcr, png: drawn.subarray(1, 4).toString() }));
        await engine.dispose();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' }).trim());
    t.true(result.count > 0);
    t.is(result.esm, 'function');
    t.is(result.png, 'PNG');
    const cli = execFileSync(path.join(app, 'node_modules', '.bin', 'ocrkit'), ['--json', image], { cwd: app, encoding: 'utf8' });
    t.true(JSON.parse(cli.trim().split('\n')[0]).lines.length > 0);
    const version = execFileSync(path.join(app, 'node_modules', '.bin', 'ocrkit'), ['--version'], { cwd: app, encoding: 'utf8' });
    t.true(version.includes(path.join(app, 'node_modules', 'ocrkit', 'runtime', 'linux-x64', 'libonnxruntime.so.1')), version);

    // A caller who installs onnxruntime-node beside it (for the CUDA providers its install script fetches; skipped
    // here) gets that package's library.
    const pin = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'onnxruntime.json'), 'utf8'));
    execFileSync(npm, ['install', '--no-save', `onnxruntime-node@${pin.version}`, path.join(dir, info.filename)], {
      cwd: app,
      env: { ...env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
      stdio: 'pipe',
    });
    const withOrtNode = execFileSync(path.join(app, 'node_modules', '.bin', 'ocrkit'), ['--version'], { cwd: app, encoding: 'utf8' });
    t.true(withOrtNode.includes(path.join(app, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime.so.1')), withOrtNode);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
