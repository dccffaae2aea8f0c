// The ONNX Runtime library: one per process, clear errors. Each ava test file
// runs in its own process, so this file controls the first load.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr, OcrError } from '../dist/index.mjs';

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
