// Bad input gets a typed OcrError naming the problem; the engine stays usable.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr, OcrError } from '../dist/index.mjs';
import { badDir, detectionFixtures, imagesDir } from './helpers/fixtures.mjs';
import { readPngRgb } from './helpers/png.mjs';

let engine;
const good = detectionFixtures().find((f) => f.truth.lines.length > 0).file;

test.before(async () => {
  engine = await createOcr();
});
test.after.always(async () => engine?.dispose());

async function expectCode(t, promise, code, pattern) {
  const error = await t.throwsAsync(promise, { instanceOf: OcrError });
  t.is(error.code, code, error.message);
  if (pattern) t.regex(error.message, pattern);
  return error;
}

const cases = [
  ['a missing file', () => path.join(badDir, 'does-not-exist.png'), 'ERR_OCR_FILE_NOT_FOUND', /does-not-exist\.png/],
  ['a directory', () => badDir, 'ERR_OCR_FILE_READ', /bad/],
  ['an empty file', () => path.join(badDir, 'empty.jpg'), 'ERR_OCR_INVALID_IMAGE', /empty|0 bytes/i],
  ['a truncated JPEG', () => path.join(badDir, 'truncated.jpg'), 'ERR_OCR_INVALID_IMAGE', /truncated/i],
  ['a corrupt PNG', () => path.join(badDir, 'corrupt.png'), 'ERR_OCR_INVALID_IMAGE', /PNG/],
  ['a text file', () => path.join(badDir, 'not-an-image.txt'), 'ERR_OCR_UNSUPPORTED_FORMAT', /JPEG.*PNG/],
  ['a PNG declaring a zero width', () => path.join(badDir, 'zero-size-header.png'), 'ERR_OCR_INVALID_IMAGE', /zero/i],
  ['a PNG decompression bomb', () => path.join(badDir, 'bomb.png'), 'ERR_OCR_IMAGE_TOO_LARGE', /pixels/],
  ['a JPEG declaring 60000x60000', () => path.join(badDir, 'bomb.jpg'), 'ERR_OCR_IMAGE_TOO_LARGE', /60000/],
];

for (const [what, file, code, pattern] of cases) {
  test(`${what} is ${code}`, async (t) => {
    await expectCode(t, engine.detect(file()), code, pattern);
    // The same bytes through a Buffer give the same code (except file-system errors).
    if (fs.existsSync(file()) && fs.statSync(file()).isFile()) {
      await expectCode(t, engine.detect(fs.readFileSync(file())), code, pattern);
    }
  });
}

test('a JPEG whose coded data cannot hold the size it declares is ERR_OCR_INVALID_IMAGE, not a grey page', async (t) => {
  // bomb.jpg's frame header says 60000x60000 over 918 bytes; at 10000x10000 it is under the pixel limit, and
  // libjpeg would pad the 1.5 million missing blocks with grey (an empty result, no error).
  const jpeg = Buffer.from(fs.readFileSync(path.join(badDir, 'bomb.jpg')));
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(10000, sof + 5);
  jpeg.writeUInt16BE(10000, sof + 7);
  const started = Date.now();
  await expectCode(t, engine.recognize(jpeg, { maxPixels: 2 ** 27 }), 'ERR_OCR_INVALID_IMAGE', /corrupt or truncated.*10000 x 10000 needs at least 195313 bytes/);
  t.log(`refused in ${Date.now() - started} ms`);
});

test('a path with a NUL character is refused, not read up to the NUL (another file)', async (t) => {
  // good + '\0.jpg' names no file, but the system would open `good`.
  await expectCode(t, engine.detect(`${good}\0.jpg`), 'ERR_OCR_INVALID_OPTION', /^input: .*NUL/);
  const [slot] = await engine.recognizeBatch([good]);
  t.false('error' in slot);
  const [read, refused] = await engine.recognizeBatch([good, `${good}\0`]);
  t.false('error' in read);
  t.true(refused.error instanceof OcrError);
  t.is(refused.error.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(refused.error.message, /^input: .*NUL/);
});

test('the pixel limit is per call and checked before decoding', async (t) => {
  await expectCode(t, engine.detect(good, { maxPixels: 1000 }), 'ERR_OCR_IMAGE_TOO_LARGE', /1000/);
  t.true((await engine.detect(good)).length > 0);
});

test('odd but valid images decode: 16-bit, gray, RGBA, 1x1', async (t) => {
  for (const name of ['gray16.png', 'gray8.png', 'rgba.png']) {
    const regions = await engine.detect(path.join(badDir, name));
    t.true(regions.length >= 1, name);
  }
  t.deepEqual(await engine.detect(path.join(badDir, 'tiny-1x1.png')), []);
});

/** An uncompressed little-endian grey + alpha TIFF (ExtraSamples: unassociated alpha) of `grey` and `alpha` planes. */
function greyAlphaTiff(width, height, grey, alpha) {
  const entries = [[256, 4, width], [257, 4, height], [258, 3, null], [259, 3, 1], [262, 3, 1], [273, 4, 0],
    [277, 3, 2], [278, 4, height], [279, 4, width * height * 2], [284, 3, 1], [338, 3, 2]];
  const ifdSize = 2 + entries.length * 12 + 4;
  const pixelsAt = 8 + ifdSize;
  const b = Buffer.alloc(pixelsAt + width * height * 2);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(tag === 258 ? 2 : 1, at + 4);
    if (tag === 258) { b.writeUInt16LE(8, at + 8); b.writeUInt16LE(8, at + 10); }  // BitsPerSample 8, 8 inline
    else if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(tag === 273 ? pixelsAt : value, at + 8);
  });
  for (let i = 0; i < width * height; i++) {
    b[pixelsAt + 2 * i] = grey[i];
    b[pixelsAt + 2 * i + 1] = alpha[i];
  }
  return b;
}

test('a grey + alpha TIFF reads as the page drawn on white, as PNG does (OpenCV alone gave a black page)', async (t) => {
  // doc-a's ink as opacity over transparent black: the pixels under the transparency are black.
  const page = readPngRgb(path.join(imagesDir, 'doc-a-640x480.png'));
  const n = page.width * page.height;
  const alpha = new Uint8Array(n);
  for (let i = 0; i < n; i++) alpha[i] = 255 - Math.round((page.data[3 * i] + page.data[3 * i + 1] + page.data[3 * i + 2]) / 3);
  const tiff = greyAlphaTiff(page.width, page.height, new Uint8Array(n), alpha);
  const read = await engine.recognize(tiff);
  // On white, black ink of opacity a is the grey 255 - a: the same pixels as raw input give the same lines.
  const grey = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) grey.fill(255 - alpha[i], 3 * i, 3 * i + 3);
  const direct = await engine.recognize({ data: grey, width: page.width, height: page.height, channels: 3 });
  t.true(direct.lines.length >= 10);
  t.deepEqual(read.lines, direct.lines);
});

const wrongInputs = [
  ['undefined', undefined, 'input'],
  ['null', null, 'input'],
  ['a number', 42, 'input'],
  ['an empty path', '', 'input'],
  ['pixels shorter than their size', { data: new Uint8Array(10), width: 4, height: 4, channels: 3 }, 'input.data'],
  ['2-channel pixels', { data: new Uint8Array(48), width: 4, height: 4, channels: 2 }, 'input.channels'],
  ['zero-width pixels', { data: new Uint8Array(48), width: 0, height: 4, channels: 3 }, 'input.width'],
  ['a stride below width x channels', { data: new Uint8Array(48), width: 4, height: 4, channels: 3, stride: 5 }, 'input.stride'],
  ['pixels in a plain array', { data: [1, 2, 3], width: 1, height: 1, channels: 3 }, 'input.data'],
  ['an unknown colour order', { data: new Uint8Array(48), width: 4, height: 4, channels: 3, colorOrder: 'rbg' }, 'input.colorOrder'],
];

for (const [what, input, pathName] of wrongInputs) {
  test(`${what} as input is ERR_OCR_INVALID_OPTION naming ${pathName}`, async (t) => {
    const error = await expectCode(t, engine.detect(input), 'ERR_OCR_INVALID_OPTION');
    t.true(error.message.startsWith(pathName), error.message);
  });
}

test('wrong per-call options name the option', async (t) => {
  const error = await expectCode(t, engine.detect(good, { unclipRatio: 'big' }), 'ERR_OCR_INVALID_OPTION');
  t.regex(error.message, /^options\.unclipRatio: expected a number/);
  await expectCode(t, engine.detect(good, { signal: {} }), 'ERR_OCR_INVALID_OPTION', /signal/);
  await expectCode(t, engine.detect(good, { boxEndPadding: -0.1 }), 'ERR_OCR_INVALID_OPTION', /^options\.boxEndPadding: expected a number in \[0, 10\]/);
  await expectCode(t, engine.recognize(good, { spaceThreshold: 1.5 }), 'ERR_OCR_INVALID_OPTION', /^options\.spaceThreshold: expected a number in \[0, 1\]/);
  // Polygons have no two ends to move: refused rather than silently ignored.
  await expectCode(t, engine.recognize(good, { boxEndPadding: 0.1, boxType: 'polygon' }), 'ERR_OCR_INVALID_OPTION', /boxEndPadding: applies to quad boxes only/);
});

test('an option the call does not read is refused, naming the calls that read it', async (t) => {
  // detect() reads the page as given and no text: a text threshold or a page orientation would be passed over.
  for (const [key, value, readers] of [
    ['textScoreThreshold', 0.3, 'recognize\\(\\)'],
    ['documentOrientation', true, 'recognize\\(\\)'],
    ['words', true, 'recognizeCrops\\(\\) and recognize\\(\\)'],
    ['recognitionBatchSize', 1, 'recognizeCrops\\(\\) and recognize\\(\\)'],
  ]) {
    await expectCode(t, engine.detect(good, { [key]: value }), 'ERR_OCR_INVALID_OPTION',
      new RegExp(`^options\\.${key}: not read by detect\\(\\), only by ${readers}$`));
  }
  // recognizeCrops() has no detection, no page and returns every crop whatever its score.
  for (const [key, value] of [['limitSideLength', 640], ['rowTolerance', 3], ['textScoreThreshold', 0.9], ['documentOrientationThreshold', 0.5]]) {
    await expectCode(t, engine.recognizeCrops([good], { [key]: value }), 'ERR_OCR_INVALID_OPTION',
      new RegExp(`^options\\.${key}: not read by recognizeCrops\\(\\)`));
  }
  // An unknown key is named with the options this call reads.
  const unknown = await expectCode(t, engine.detect(good, { boxTreshold: 0.5 }), 'ERR_OCR_INVALID_OPTION', /^options\.boxTreshold: unknown option/);
  t.regex(unknown.message, /boxThreshold/);
  t.notRegex(unknown.message, /textScoreThreshold/);
  // timings: recognize()'s; the other calls have their WithDetails form.
  await expectCode(t, engine.detect(good, { timings: true }), 'ERR_OCR_INVALID_OPTION', /^options\.timings: not read by detect\(\), only by recognize\(\) \(detectWithDetails\(\) gives the timings\)$/);
  await expectCode(t, engine.recognizeCrops([good], { timings: true }), 'ERR_OCR_INVALID_OPTION', /recognizeCropsWithDetails/);
  // Undefined is absent, as everywhere; what each call reads still works, and the engine's defaults of the
  // other calls' options (createOcr detection) are no call's mistake.
  t.true((await engine.detect(good, { textScoreThreshold: undefined, boxThreshold: 0.5 })).length > 0);
  const [crop] = await engine.recognizeCrops([good], { characters: true, textLineOrientation: false, recognitionBatchSize: 2 });
  t.is(typeof crop.text, 'string');
  const tuned = await createOcr({ detection: { textScoreThreshold: 0.3, rowTolerance: 4, limitSideLength: 640 } });
  try {
    t.true((await tuned.detect(good)).length > 0);
    t.is((await tuned.recognizeCrops([good])).length, 1);
  } finally {
    await tuned.dispose();
  }
});

test('random bytes never crash the process', async (t) => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) & 0xff);
  const real = fs.readFileSync(good);
  for (let i = 0; i < 40; i++) {
    const bytes = Buffer.from(real.subarray(0, 64 + i * 97));
    for (let k = 0; k < 8; k++) bytes[(rand() * 7919 + k) % bytes.length] = rand();
    try {
      await engine.detect(bytes);
    } catch (error) {
      t.true(error instanceof OcrError && error.code.startsWith('ERR_OCR_'), String(error));
    }
  }
  t.true((await engine.detect(good)).length > 0, 'engine still usable');
});

test('a missing or corrupt model is ERR_OCR_MODEL_LOAD', async (t) => {
  await expectCode(t, createOcr({ detector: { modelPath: '/nonexistent/det.onnx' } }), 'ERR_OCR_MODEL_LOAD', /not found/);
  const corrupt = path.join(os.tmpdir(), `ocrkit-corrupt-${process.pid}.onnx`);
  fs.writeFileSync(corrupt, 'this is not a protobuf');
  try {
    await expectCode(t, createOcr({ detector: { modelPath: corrupt } }), 'ERR_OCR_MODEL_LOAD', /corrupt-/);
  } finally {
    fs.rmSync(corrupt);
  }
});

test('a model whose graph loops (a node writing its own input) is ERR_OCR_MODEL_LOAD, not a hang', async (t) => {
  // ocrkit's graph rewriter reads a model before ONNX Runtime does; it used to walk such a cycle forever.
  const looping = fileURLToPath(new URL('./fuzz/regressions/rewrite-model-node-writes-its-input.onnx', import.meta.url));
  for (const where of ['detector', 'recognizer']) {
    await expectCode(t, createOcr({ [where]: { modelPath: looping } }), 'ERR_OCR_MODEL_LOAD', /invalid model/);
  }
});

test('a model with the wrong inputs is ERR_OCR_MODEL_SHAPE naming the tensor', async (t) => {
  const { defaultModelPaths } = await import('../dist/models.js');
  await expectCode(
    t,
    createOcr({ detector: { modelPath: defaultModelPaths().classifier } }),
    'ERR_OCR_MODEL_SHAPE',
    /output|input/,
  );
});

test('errors keep the caller’s stack', async (t) => {
  const error = await t.throwsAsync(engine.detect(path.join(badDir, 'empty.jpg')));
  t.regex(error.stack, /bad-input\.test\.mjs/);
});
