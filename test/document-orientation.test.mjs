// Document orientation end to end with the project's own classifier (test/fixtures/rec-models/doc_cls.onnx: the
// darkest 32-px edge strip wins, see its README): pages turned 90/180/270 degrees are read upright, and the boxes come
// back in the frame of the page as given.
import test from 'ava';
import path from 'node:path';
import { createOcr, OcrError } from '../dist/index.mjs';
import { fixturesDir, imagesDir } from './helpers/fixtures.mjs';
import { readPngRgb, rotateClockwise } from './helpers/png.mjs';

const modelDir = path.join(fixturesDir, 'rec-models');
// The test model expects the whole page squeezed into 224x224 (its fixtures are fed as they are).
const documentOrientation = { modelPath: path.join(modelDir, 'doc_cls.onnx'), resize: 'stretch' };

let engine;
test.before(async () => {
  engine = await createOcr({ documentOrientation });
});
test.after.always(async () => engine?.dispose());

/** doc-a with a dark header band across its top: the upright page the test classifier knows. */
function uprightPage() {
  const page = readPngRgb(path.join(imagesDir, 'doc-a-640x480.png'));
  const band = Math.ceil(page.height * 0.17); // more than the model's 32/224 strip
  for (let i = 0; i < band * page.width * 3; i++) page.data[i] = 0;
  return page;
}

const raw = (image) => ({ data: image.data, width: image.width, height: image.height, channels: 3, colorOrder: 'rgb' });

/** Where a point of the upright page (w x h) lands in the page turned `angle` degrees clockwise. */
function turn([x, y], angle, w, h) {
  if (angle === 90) return [h - y, x];
  if (angle === 180) return [w - x, h - y];
  if (angle === 270) return [y, w - x];
  return [x, y];
}

test('the classifier fixtures read as their labels', async (t) => {
  for (const angle of [0, 90, 180, 270]) {
    const result = await engine.recognize(path.join(modelDir, 'images', `doc_cls_rot${angle}.png`));
    t.is(result.page?.angle, angle, `rot${angle}`);
    t.true(result.page.score > 0.99);
  }
});

test('a turned page is read upright; boxes come back in the given frame', async (t) => {
  const upright = uprightPage();
  const reference = await engine.recognize(raw(upright), { documentOrientation: false });
  t.is(reference.page, undefined);
  t.true(reference.lines.length >= 8, `${reference.lines.length} lines on the upright page`);
  for (const angle of [0, 90, 180, 270]) {
    const given = rotateClockwise(upright, angle);
    const result = await engine.recognize(raw(given));
    t.is(result.page.angle, angle);
    t.is(result.width, given.width);
    t.is(result.height, given.height);
    t.deepEqual(
      result.lines.map((l) => l.text),
      reference.lines.map((l) => l.text),
      `texts at ${angle}`,
    );
    result.lines.forEach((line, i) => {
      line.box.forEach((p, k) => {
        const want = turn(reference.lines[i].box[k], angle, upright.width, upright.height);
        t.true(Math.hypot(p[0] - want[0], p[1] - want[1]) < 0.01, `line ${i} corner ${k} at ${angle}: ${p} vs ${want}`);
      });
    });
  }
});

test('switched off per call, a page upside down is read as it is (and badly)', async (t) => {
  const given = rotateClockwise(uprightPage(), 180);
  const on = await engine.recognize(raw(given));
  const off = await engine.recognize(raw(given), { documentOrientation: false });
  t.is(off.page, undefined);
  const text = (r) => r.lines.map((l) => l.text).join('\n');
  t.not(text(off), text(on));
});

test('the page threshold keeps a page as given when the classifier is unsure', async (t) => {
  const given = rotateClockwise(uprightPage(), 90);
  // A blank page has four equal edges: a 4-way tie at 0.25, under the threshold, so the page stays as given.
  const blank = { data: new Uint8Array(64 * 64 * 3).fill(255), width: 64, height: 64, channels: 3, colorOrder: 'rgb' };
  const tie = await engine.recognize(blank, { documentOrientationThreshold: 0.5 });
  t.is(tie.page.angle, 0);
  t.true(tie.page.score < 0.5);
  const turned = await engine.recognize(raw(given), { documentOrientationThreshold: 0.5 });
  t.is(turned.page.angle, 90);
});

test('asking for document orientation without a model, and bad options, are usage errors', async (t) => {
  const plain = await createOcr();
  try {
    const e = await t.throwsAsync(plain.recognize(path.join(imagesDir, 'doc-a-640x480.png'), { documentOrientation: true }));
    t.true(e instanceof OcrError);
    t.is(e.code, 'ERR_OCR_INVALID_OPTION');
    t.regex(e.message, /no document orientation model/);
    const r = await plain.recognize(path.join(imagesDir, 'doc-a-640x480.png'));
    t.is(r.page, undefined);
  } finally {
    await plain.dispose();
  }
  const bad = await t.throwsAsync(createOcr({ documentOrientation: { ...documentOrientation, labels: [0, 45] } }));
  t.is(bad.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(bad.message, /documentOrientation\.labels/);
  const shape = await t.throwsAsync(createOcr({ documentOrientation: { ...documentOrientation, labels: [0, 180] } }));
  t.is(shape.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(shape.message, /expected \[N,2\]/);
});
