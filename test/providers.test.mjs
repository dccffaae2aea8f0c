// Execution providers on the CPU-only ONNX Runtime the package carries (runtime/, the build onnxruntime-node ships).
import test from 'ava';
import { createOcr, OcrError } from '../dist/index.mjs';

test('an unavailable provider is ERR_OCR_PROVIDER_UNAVAILABLE with ONNX Runtime’s message', async (t) => {
  for (const name of ['cuda', 'tensorrt']) {
    const error = await t.throwsAsync(createOcr({ providers: [{ name, options: { device_id: 0 } }, 'cpu'] }), {
      instanceOf: OcrError,
    });
    t.is(error.code, 'ERR_OCR_PROVIDER_UNAVAILABLE', error.message);
    t.regex(error.message, new RegExp(`'${name}'`));
  }
});

test('CANN and OpenVINO are reported unavailable too', async (t) => {
  for (const name of ['cann', 'openvino']) {
    const error = await t.throwsAsync(createOcr({ providers: [name] }), { instanceOf: OcrError });
    t.is(error.code, 'ERR_OCR_PROVIDER_UNAVAILABLE', error.message);
  }
});

test('allowCpuFallback skips unavailable providers and reports what runs', async (t) => {
  const engine = await createOcr({ providers: ['cuda', 'cpu'], allowCpuFallback: true });
  t.deepEqual(engine.info().providers, ['cpu']);
  // Left on the CPU, it runs as an engine that asked for it: the CPU's graph rewrites and parallel recognition runs
  // (without them it ran 2-3.7x slower). Graph rewrites are for CPU sessions only.
  const cpu = await createOcr();
  t.deepEqual(engine.info().graphRewrites, cpu.info().graphRewrites);
  t.true(engine.info().graphRewrites.recognizer > 0);
  t.is(engine.info().recognitionParallelism, cpu.info().recognitionParallelism);
  await Promise.all([engine.dispose(), cpu.dispose()]);
  // Given, the options hold.
  const asked = await createOcr({ providers: ['cuda'], allowCpuFallback: true, graphRewrites: false, recognitionParallelism: 1 });
  t.deepEqual(asked.info().graphRewrites, { detector: 0, recognizer: 0 });
  t.is(asked.info().recognitionParallelism, 1);
  await asked.dispose();
});
