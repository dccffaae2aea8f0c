// The ONNX Runtime library: one per process, clear errors. Each ava test file
// runs in its own process, so this file controls the first load.
import test from 'ava';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr, OcrError } from '../dist/index.mjs';

const require = createRequire(import.meta.url);

test.serial('a missing runtime library is ERR_OCR_RUNTIME_LOAD naming the path', async (t) => {
  const error = await t.throwsAsync(createOcr({ runtimePath: '/nonexistent/libonnxruntime.so.1' }), {
    instanceOf: OcrError,
  });
  t.is(error.code, 'ERR_OCR_RUNTIME_LOAD');
  t.regex(error.message, /\/nonexistent\/libonnxruntime\.so\.1/);
});

test.serial('a file that is not ONNX Runtime is ERR_OCR_RUNTIME_LOAD', async (t) => {
  const fake = path.join(os.tmpdir(), `ocrkit-fake-${process.pid}.so`);
  fs.writeFileSync(fake, 'not a shared library');
  try {
    const error = await t.throwsAsync(createOcr({ runtimePath: fake }), { instanceOf: OcrError });
    t.is(error.code, 'ERR_OCR_RUNTIME_LOAD');
  } finally {
    fs.rmSync(fake);
  }
});

test.serial('an ONNX Runtime older than 1.21 is ERR_OCR_RUNTIME_LOAD saying so', async (t) => {
  const fake = fileURLToPath(new URL('./fixtures/fake-ort/libonnxruntime-old.so', import.meta.url));
  const error = await t.throwsAsync(createOcr({ runtimePath: fake }), { instanceOf: OcrError });
  t.is(error.code, 'ERR_OCR_RUNTIME_LOAD');
  t.regex(error.message, /1\.10\.0/);
  t.regex(error.message, /too old/);
});

test.serial('the first runtime wins; another path later is ERR_OCR_RUNTIME_LOAD', async (t) => {
  const engine = await createOcr();
  const { runtimePath } = engine.info();
  // The same library through another spelling of its path is the same runtime.
  const again = await createOcr({ runtimePath: path.join(path.dirname(runtimePath), '.', path.basename(runtimePath)) });
  await again.dispose();
  const copy = path.join(os.tmpdir(), `ocrkit-ort-copy-${process.pid}.so.1`);
  fs.copyFileSync(runtimePath, copy);
  try {
    const error = await t.throwsAsync(createOcr({ runtimePath: copy }), { instanceOf: OcrError });
    t.is(error.code, 'ERR_OCR_RUNTIME_LOAD');
    t.regex(error.message, /already loaded/);
  } finally {
    fs.rmSync(copy);
    await engine.dispose();
  }
});

// Which library createOcr loads without runtimePath (lib/models.ts): onnxruntime-node's when it is installed, else
// the one ocrkit's package carries (runtime/<platform>-<arch>/, put there when the package is packed).
test('the default runtime: onnxruntime-node first, then the library the package carries, else a typed error', (t) => {
  const { runtimeCandidates, pickRuntime } = require('../dist/models.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-runtime-pick-'));
  try {
    const pkg = path.join(dir, 'ocrkit');
    const ortNode = path.join(dir, 'onnxruntime-node');
    const carried = path.join(pkg, 'runtime', 'linux-x64', 'libonnxruntime.so.1');
    const fromOrtNode = path.join(ortNode, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime.so.1');
    t.deepEqual(runtimeCandidates(pkg, ortNode, 'linux', 'x64'), [fromOrtNode, carried]);
    t.deepEqual(runtimeCandidates(pkg, undefined, 'linux', 'x64'), [carried]);
    t.is(runtimeCandidates(pkg, undefined, 'darwin', 'arm64')[0], path.join(pkg, 'runtime', 'darwin-arm64', 'libonnxruntime.1.dylib'));

    const none = t.throws(() => pickRuntime(runtimeCandidates(pkg, ortNode, 'linux', 'x64'), 'linux', 'x64'), { instanceOf: OcrError });
    t.is(none.code, 'ERR_OCR_RUNTIME_LOAD');
    t.true(none.message.includes(fromOrtNode) && none.message.includes(carried), none.message);
    t.regex(none.message, /install onnxruntime-node .* or pass runtimePath/);

    fs.mkdirSync(path.dirname(carried), { recursive: true });
    fs.writeFileSync(carried, '');
    // onnxruntime-node installed without a library for this platform: the carried one.
    t.is(pickRuntime(runtimeCandidates(pkg, ortNode, 'linux', 'x64'), 'linux', 'x64'), carried);
    fs.mkdirSync(path.dirname(fromOrtNode), { recursive: true });
    fs.writeFileSync(fromOrtNode, '');
    t.is(pickRuntime(runtimeCandidates(pkg, ortNode, 'linux', 'x64'), 'linux', 'x64'), fromOrtNode);
    // An onnxruntime-node older than the C API ocrkit asks for (1.21) is passed over, not loaded and refused.
    const { usableOnnxruntimeNode } = require('../dist/models.js');
    for (const version of ['1.21.0', '1.30.0', '1.22.0-dev.20250101', '2.0.0']) t.true(usableOnnxruntimeNode({ version }), version);
    for (const version of ['1.20.1', '1.14.0', '0.9.0', 'latest', '', undefined]) t.false(usableOnnxruntimeNode({ version }), String(version));
    t.false(usableOnnxruntimeNode(null));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the library the package carries is the pinned one, and the one loaded here', async (t) => {
  const crypto = await import('node:crypto');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const pin = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'onnxruntime.json'), 'utf8'));
  const carried = path.join(root, 'runtime', 'linux-x64', 'libonnxruntime.so.1');
  t.is(crypto.createHash('sha256').update(fs.readFileSync(carried)).digest('hex'), pin.libraries['linux-x64'].sha256);
  // onnxruntime-node is not a dependency of the repository: the default is the carried library.
  const { defaultRuntimePath } = require('../dist/models.js');
  t.is(fs.realpathSync(defaultRuntimePath()), fs.realpathSync(carried));
  const engine = await createOcr({ runtimePath: carried });
  try {
    t.is(engine.info().runtimeVersion, pin.version);
  } finally {
    await engine.dispose();
  }
});
