// Execution providers on the CPU-only runtime onnxruntime-node ships.
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
  // Graph rewrites are for CPU-only sessions: a GPU provider asked for loads the models as given.
  t.deepEqual(engine.info().graphRewrites, { detector: 0, recognizer: 0 });
  await engine.dispose();
});
