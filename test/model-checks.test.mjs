// What a model must produce, checked at load and on every call: the seventeenth session's audit of model loading
// found models that loaded and then gave silent wrong answers (a transposed or fixed-size detection map, logits read
// as probabilities, NaN, a dictionary in another encoding), right models refused (an output declared without a
// shape), and mismatched models reported as runtime faults. The broken models come from scripts/gen-check-models.py.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOcr, OcrError } from '../dist/index.mjs';
import { imagesDir } from './helpers/fixtures.mjs';
import { readPngRgb } from './helpers/png.mjs';

const checkModels = path.resolve(imagesDir, '..', 'check-models');
const recModels = path.resolve(imagesDir, '..', 'rec-models');
const doc = path.join(imagesDir, 'doc-a-640x480.png'); // 640 x 480: not square
const detector = (file, options = {}) => createOcr({ detector: { modelPath: path.join(checkModels, file), definition: 'DB' }, ...options });
const recognizer = (file, extra = {}) =>
  createOcr({ recognizer: { modelPath: path.join(checkModels, file), dictionaryPath: path.join(recModels, 'dict36.txt'), ...extra } });

async function rejects(t, promise, code, pattern) {
  const error = await t.throwsAsync(promise);
  t.true(error instanceof OcrError, String(error));
  t.is(error.code, code, error.message);
  if (pattern) t.regex(error.message, pattern);
  return error;
}

test('a detection map of the wrong size fails each call that shows it, not only a square load check', async (t) => {
  for (const file of ['det_transposed.onnx', 'det_fixed_map.onnx']) {
    // The load check runs 64 x 64, where both look right.
    const engine = await detector(file);
    try {
      await rejects(t, engine.detect(doc), 'ERR_OCR_MODEL_SHAPE', /expected \[1,1,480,640\], got \[1,1,(640,480|64,64)\] for a 480x640 input/);
      // The engine goes on: a square image of the check's size passes.
      const square = { data: new Uint8Array(64 * 64 * 3).fill(255), width: 64, height: 64, channels: 3 };
      t.true(Array.isArray(await engine.detect(square)));
    } finally {
      await engine.dispose();
    }
  }
});

test('an output declared without a shape is read from what the model produces, with the graph rewrites or without', async (t) => {
  for (const graphRewrites of [true, false]) {
    const engine = await detector('det_no_output_shape.onnx', { graphRewrites });
    try {
      const regions = await engine.detect(doc);
      t.true(Array.isArray(regions), `graphRewrites ${graphRewrites}`);
    } finally {
      await engine.dispose();
    }
  }
});

test('NaN from a model fails its load, not every result as empty', async (t) => {
  await rejects(t, detector('det_nan.onnx'), 'ERR_OCR_MODEL_LOAD', /detection output 'y' holds NaN or infinite values/);
  await rejects(t, recognizer('rec_nan.onnx'), 'ERR_OCR_MODEL_LOAD', /recognition output 'y' holds NaN or infinite values/);
});

test('NaN on a call fails that image (or crop) with ERR_OCR_RUNTIME, not an empty result', async (t) => {
  // Both models pass their load check (a blank input) and give NaN where an image is bright.
  const black = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64, channels: 3 };
  const white = { data: new Uint8Array(48 * 160 * 3).fill(255), width: 160, height: 48, channels: 3 };
  const det = await detector('det_nan_bright.onnx');
  try {
    await rejects(t, det.detect(doc), 'ERR_OCR_RUNTIME', /^detection output 'y' holds NaN or infinite values for this image: the model failed on it/);
    t.deepEqual(await det.detect(black), []);
    const [failed, read] = await det.recognizeBatch([doc, black]);
    t.is(failed.error?.code, 'ERR_OCR_RUNTIME');
    t.deepEqual(read.lines, []);
  } finally {
    await det.dispose();
  }
  const rec = await recognizer('rec_nan_bright.onnx');
  try {
    const [dark] = await rec.recognizeCrops([black]);
    t.is(typeof dark.text, 'string');
    await rejects(t, rec.recognizeCrops([black, white]), 'ERR_OCR_RUNTIME', /^recognition output 'y' holds NaN or infinite values for inputs\[1\]: the model failed on it/);
    // A page's lines are bright crops: that page fails, a page without text in the same batch does not.
    const [page, empty] = await rec.recognizeBatch([doc, black]);
    t.is(page.error?.code, 'ERR_OCR_RUNTIME', JSON.stringify(page).slice(0, 200));
    t.regex(page.error.message, /for the crop of box \d+: the model failed on it/);
    t.deepEqual(empty.lines, []);
  } finally {
    await rec.dispose();
  }
});

test('NaN from an orientation classifier on a call fails that image (or crop), not a page or line read unturned', async (t) => {
  const black = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64, channels: 3 };
  const white = { data: new Uint8Array(48 * 160 * 3).fill(255), width: 160, height: 48, channels: 3 };
  const lines = await createOcr({ classifier: { modelPath: path.join(checkModels, 'cls_nan_bright.onnx') } });
  try {
    const [failed, empty] = await lines.recognizeBatch([doc, black], { textLineOrientation: true });
    t.is(failed.error?.code, 'ERR_OCR_RUNTIME');
    t.regex(failed.error.message, /^text-line orientation output 'y' holds NaN or infinite values for the crop of box \d+: the model failed on it/);
    t.deepEqual(empty.lines, []);
    // The failed image's crops are not read; the others of the batch are, as they read alone. White ink on
    // black: dark crops, which this classifier reads (as upright).
    const page = readPngRgb(doc);
    const inverted = { data: page.data.map((v) => 255 - v), width: page.width, height: page.height, channels: 3 };
    const alone = await lines.recognize(inverted, { textLineOrientation: true });
    t.true(alone.lines.length > 5);
    const [failedAgain, read] = await lines.recognizeBatch([doc, inverted], { textLineOrientation: true });
    t.is(failedAgain.error?.code, 'ERR_OCR_RUNTIME');
    t.deepEqual(read.lines.map((l) => [l.text, l.score, l.box]), alone.lines.map((l) => [l.text, l.score, l.box]));
    t.is((await lines.recognizeCrops([black], { textLineOrientation: true })).length, 1);
    await rejects(t, lines.recognizeCrops([black, white], { textLineOrientation: true }), 'ERR_OCR_RUNTIME', /for inputs\[1\]: the model failed on it/);
    // Off, the classifier is not run: the page reads.
    t.true((await lines.recognize(doc)).lines.length > 5);
  } finally {
    await lines.dispose();
  }
  const pages = await createOcr({ documentOrientation: { modelPath: path.join(checkModels, 'doc_nan_bright.onnx') } });
  try {
    const [failed, dark] = await pages.recognizeBatch([doc, black]);
    t.is(failed.error?.code, 'ERR_OCR_RUNTIME');
    t.regex(failed.error.message, /^document orientation output 'y' holds NaN or infinite values for this image: the model failed on it/);
    t.deepEqual(dark.lines, []);
  } finally {
    await pages.dispose();
  }
});

test('an orientation classifier giving NaN for a blank input is ERR_OCR_MODEL_LOAD at load, as the detector and recogniser are', async (t) => {
  // Loaded with the engine (the line classifier on by default) or on the first call that turns lines.
  await rejects(
    t,
    createOcr({ classifier: { modelPath: path.join(checkModels, 'cls_nan.onnx') }, detection: { textLineOrientation: true } }),
    'ERR_OCR_MODEL_LOAD',
    /^text-line orientation output 'y' holds NaN or infinite values for a blank input: the model is broken/,
  );
  const lazy = await createOcr({ classifier: { modelPath: path.join(checkModels, 'cls_nan.onnx') } });
  try {
    t.true((await lazy.recognize(doc)).lines.length > 5);
    await rejects(t, lazy.recognizeBatch([doc, doc], { textLineOrientation: true }), 'ERR_OCR_MODEL_LOAD', /text-line orientation output 'y' .* blank input/);
    // The engine is not broken by it: calls that do not turn lines still read.
    t.true((await lazy.recognize(doc)).lines.length > 5);
  } finally {
    await lazy.dispose();
  }
  await rejects(
    t,
    createOcr({ documentOrientation: { modelPath: path.join(checkModels, 'doc_nan.onnx') } }),
    'ERR_OCR_MODEL_LOAD',
    /^document orientation output 'y' holds NaN or infinite values for a blank input: the model is broken/,
  );
});

test('logits read as probabilities, and probabilities read as logits, are named at load', async (t) => {
  // The default definition (PP-OCRv4) reads probabilities; this model gives raw scores.
  await rejects(t, recognizer('rec_logits.onnx'), 'ERR_OCR_MODEL_SHAPE', /holds raw scores \(logits\) but the PP-OCRv4 definition reads it as probabilities: set its output\.values to 'logits'/);
  const engine = await recognizer('rec_logits.onnx', { definition: { extends: 'PP-OCRv4', output: { values: 'logits' } } });
  await engine.dispose();
  // The rec-models' paddle_ctc gives probabilities (a softmax in the graph).
  await rejects(
    t,
    createOcr({
      recognizer: {
        modelPath: path.join(recModels, 'paddle_ctc.onnx'),
        dictionaryPath: path.join(recModels, 'dict36.txt'),
        definition: { extends: 'PP-OCRv4', output: { values: 'logits' } },
      },
    }),
    'ERR_OCR_MODEL_SHAPE',
    /holds probabilities .* reads it as logits: set its output\.values to 'probabilities'/,
  );
});

test('a model given in the wrong role fails its load with ERR_OCR_MODEL_SHAPE naming the role', async (t) => {
  // A recogniser as the detector: ONNX Runtime refuses the 64 x 64 check input (height 48 is fixed).
  await rejects(
    t,
    createOcr({ detector: { modelPath: path.join(recModels, 'paddle_ctc.onnx') } }),
    'ERR_OCR_MODEL_SHAPE',
    /(detection input|the detection model rejected a \[1,3,64,64\] input)/,
  );
  // A detector as the text-line classifier (loaded at creation when asked for).
  await rejects(
    t,
    createOcr({ classifier: { modelPath: path.join(checkModels, 'det_transposed.onnx') }, detection: { textLineOrientation: true } }),
    'ERR_OCR_MODEL_SHAPE',
    /text-line orientation/,
  );
});

test('an input of another element type is named as such', async (t) => {
  await rejects(t, detector('det_uint8_input.onnx'), 'ERR_OCR_MODEL_SHAPE', /detection input 'x': expected float \[N,3,H,W\], got uint8 \[\?,3,\?,\?\]/);
});

test('a dictionary that is not UTF-8, or not a file, is refused naming the line or the kind', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-model-checks-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const lines = fs.readFileSync(path.join(recModels, 'dict36.txt'), 'utf8').split('\n');
  const latin1 = path.join(dir, 'latin1.txt');
  // 'é' in Latin-1 on line 3: it read as U+FFFD in every text.
  fs.writeFileSync(latin1, Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n`), Buffer.from([0xe9, 0x0a]), Buffer.from(lines.slice(3).join('\n'))]));
  const modelPath = path.join(recModels, 'paddle_ctc.onnx');
  await rejects(t, createOcr({ recognizer: { modelPath, dictionaryPath: latin1 } }), 'ERR_OCR_MODEL_LOAD', /latin1\.txt: line 3 is not UTF-8/);
  await rejects(t, createOcr({ recognizer: { modelPath, dictionaryPath: dir } }), 'ERR_OCR_MODEL_LOAD', /dictionary path is not a regular file/);
});
