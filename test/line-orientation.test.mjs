// The text-line orientation classifier as a generic two-class image classifier, end to end with the project's own
// model (test/fixtures/rec-models/line_cls.onnx: ink in the bottom half reads '0', in the top half '180'): upside-down
// crops are turned before recognition, the turn is reported, and the label order is the definition's.
import test from 'ava';
import path from 'node:path';
import { createOcr } from '../dist/index.mjs';
import { fixturesDir } from './helpers/fixtures.mjs';
import fs from 'node:fs';

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
