// The text-line orientation classifier as a generic two-class image classifier, end to end with the project's own
// model (test/fixtures/rec-models/line_cls.onnx: ink in the bottom half reads '0', in the top half '180'): upside-down
// crops are turned before recognition, the turn is reported, and the label order is the definition's.
import test from 'ava';
import path from 'node:path';
import { createOcr } from '../dist/index.mjs';
import { fixturesDir } from './helpers/fixtures.mjs';
import fs from 'node:fs';
import os from 'node:os';

const dir = path.join(fixturesDir, 'rec-models');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'models.json'), 'utf8'));
const cls = manifest.models.find((m) => m.name === 'line_cls');
const cases = cls.cases.filter((c) => c.expected_label !== null);
const blank = cls.cases.find((c) => c.expected_label === null);
const norm = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase();

test('upside-down lines are turned and read; upright ones are left alone', async (t) => {
  const engine = await createOcr({ classifier: { modelPath: path.join(dir, cls.file) } });
  try {
    const results = await engine.recognizeCrops(cases.map((c) => path.join(dir, c.image)), { textLineOrientation: true });
    results.forEach((r, i) => {
      const c = cases[i];
      t.is(r.angle, Number(c.expected_label), c.name);
      t.is(norm(r.text), norm(c.text), c.name);
    });
    // Without the classifier the upside-down ones are not read correctly, and no angle is reported.
    const off = await engine.recognizeCrops(cases.map((c) => path.join(dir, c.image)));
    t.is(off[0].angle, undefined);
    t.true(off.some((r, i) => cases[i].expected_label === '180' && norm(r.text) !== norm(cases[i].text)));
    // A tie (no ink: 0.5 / 0.5) is under any threshold: not turned.
    const [tie] = await engine.recognizeCrops([path.join(dir, blank.image)], { textLineOrientation: true, textLineOrientationThreshold: 0.4 });
    t.is(tie.angle, 0);
  } finally {
    await engine.dispose();
  }
});

test('the label order is the definition\'s: [180, 0] reads the same model the other way round', async (t) => {
  const engine = await createOcr({ classifier: { modelPath: path.join(dir, cls.file), labels: [180, 0] } });
  try {
    const results = await engine.recognizeCrops(cases.map((c) => path.join(dir, c.image)), { textLineOrientation: true });
    results.forEach((r, i) => t.is(r.angle, cases[i].expected_label === '0' ? 180 : 0, cases[i].name));
  } finally {
    await engine.dispose();
  }
});

test('classifier options are validated', async (t) => {
  const e = await t.throwsAsync(createOcr({ classifier: { modelPath: path.join(dir, cls.file), labels: [0, 90] } }));
  t.is(e.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(e.message, /options\.classifier\.labels/);
  const r = await t.throwsAsync(createOcr({ classifier: { resize: 'crop' } }));
  t.regex(r.message, /options\.classifier\.resize/);
});

test('the classifier loads with the engine only when its calls turn it on; otherwise at the first call that does', async (t) => {
  const corrupt = path.join(os.tmpdir(), `ocrkit-corrupt-cls-${process.pid}.onnx`);
  fs.writeFileSync(corrupt, 'this is not a protobuf');
  const crops = cases.map((c) => path.join(dir, c.image));
  try {
    // A missing file fails createOcr either way.
    for (const detection of [{}, { textLineOrientation: true }]) {
      const missing = await t.throwsAsync(createOcr({ classifier: { modelPath: '/nonexistent/cls.onnx' }, detection }));
      t.is(missing.code, 'ERR_OCR_MODEL_LOAD');
      t.regex(missing.message, /not found/);
    }
    // Turned on by default: loaded (and a corrupt model refused) by createOcr.
    const eager = await t.throwsAsync(createOcr({ classifier: { modelPath: corrupt }, detection: { textLineOrientation: true } }));
    t.is(eager.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(eager.message, /corrupt-cls/);
    // Off by default: the engine starts without it; the first call that asks for it loads it, and fails alone.
    const engine = await createOcr({ classifier: { modelPath: corrupt } });
    try {
      const read = await engine.recognizeCrops(crops);
      t.is(read.length, crops.length);
      for (let i = 0; i < 2; i++) {
        const lazy = await t.throwsAsync(engine.recognizeCrops(crops, { textLineOrientation: true }));
        t.is(lazy.code, 'ERR_OCR_MODEL_LOAD', `try ${i + 1}`);
      }
      t.deepEqual(await engine.recognizeCrops(crops), read, 'the engine is still usable');
    } finally {
      await engine.dispose();
    }
    // A good model loaded at first use reads as one loaded with the engine, also when two calls ask for it at once.
    const lazyEngine = await createOcr({ classifier: { modelPath: path.join(dir, cls.file) }, concurrency: 2 });
    const eagerEngine = await createOcr({ classifier: { modelPath: path.join(dir, cls.file) }, detection: { textLineOrientation: true } });
    try {
      const [a, a2, b] = await Promise.all([
        lazyEngine.recognizeCrops(crops, { textLineOrientation: true }),
        lazyEngine.recognizeCrops(crops, { textLineOrientation: true }),
        eagerEngine.recognizeCrops(crops),
      ]);
      t.deepEqual(a, b);
      t.deepEqual(a2, b);
      t.true(a.some((r) => r.angle === 180));
    } finally {
      await Promise.all([lazyEngine.dispose(), eagerEngine.dispose()]);
    }
  } finally {
    fs.rmSync(corrupt);
  }
});
