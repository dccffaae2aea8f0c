// What the sixteenth session's audits of inputs, options and the call lifecycle found, each fixed in its place
// (lib/engine.ts, lib/queue.ts, lib/paddlex.ts, lib/files.ts, cpp/image/decode.cc, cpp/runtime/session.cc):
// a path that blocks when read, inputs of a batch that are not images, an empty batch, the abort's reason,
// listeners left on a caller's signal, PaddleX views with settings the engine did not use.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOcr, OcrError, processFolder, toPaddleX } from '../dist/index.mjs';
import { imagesDir } from './helpers/fixtures.mjs';

const doc = path.join(imagesDir, 'doc-a-640x480.png');
let engine;
let dir;

test.before(async () => {
  engine = await createOcr();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-audit-'));
});
test.after.always(async () => {
  await engine?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// A FIFO without a writer blocked the call's read for ever (no abort reached it; dispose() never settled, the
// process could not exit); /dev/zero was read to the 1 GiB limit (2.2 GB of memory).
test('a FIFO or a device as an image path is refused at once, and the engine goes on', async (t) => {
  const fifo = path.join(dir, 'image.jpg');
  t.is(spawnSync('mkfifo', [fifo]).status, 0);
  for (const input of [fifo, '/dev/zero']) {
    const error = await t.throwsAsync(engine.detect(input), { instanceOf: OcrError });
    t.is(error.code, 'ERR_OCR_FILE_READ');
    t.regex(error.message, /not a regular file/);
  }
  const [slot] = await engine.recognizeBatch([fifo]);
  t.is(slot.error.code, 'ERR_OCR_FILE_READ');
  t.true((await engine.detect(doc)).length > 0);
});

test('a FIFO as a model file is refused before it is opened', async (t) => {
  const fifo = path.join(dir, 'det.onnx');
  t.is(spawnSync('mkfifo', [fifo]).status, 0);
  const error = await t.throwsAsync(createOcr({ detector: { modelPath: fifo } }), { instanceOf: OcrError });
  t.is(error.code, 'ERR_OCR_MODEL_LOAD');
  t.regex(error.message, /not a regular file/);
});

test('recognizeBatch gives an unusable input its own slot, as recognizeStream does', async (t) => {
  const short = { data: new Uint8Array(10), width: 10, height: 10, channels: 3 };
  const batch = await engine.recognizeBatch([doc, 42, short, doc]);
  const streamed = [];
  for await (const r of engine.recognizeStream([doc, 42, short, doc])) streamed.push(r);
  for (const out of [batch, streamed]) {
    t.is(out.length, 4);
    t.true(out[0].lines.length > 0);
    t.is(out[1].error.code, 'ERR_OCR_INVALID_OPTION');
    t.regex(out[2].error.message, /input\.data: expected at least 300 bytes/);
    t.deepEqual(out[3], out[0]);
  }
});

test('an empty batch still checks its options and the engine', async (t) => {
  await t.throwsAsync(engine.recognizeBatch([], { boxTreshold: 0.5 }), { code: 'ERR_OCR_INVALID_OPTION', message: /boxTreshold/ });
  const stream = engine.recognizeStream([], { boxTreshold: 0.5 });
  await t.throwsAsync(stream.next(), { code: 'ERR_OCR_INVALID_OPTION' });
  for (const notIterable of [5, null]) {
    await t.throwsAsync(engine.recognizeStream(notIterable).next(), { code: 'ERR_OCR_INVALID_OPTION', message: /iterable/ });
  }
  const closed = await createOcr();
  await closed.dispose();
  await t.throwsAsync(closed.recognizeBatch([]), { code: 'ERR_OCR_DISPOSED' });
});

test("an aborted call carries the signal's reason as its cause", async (t) => {
  const reason = new Error('user left');
  const controller = new AbortController();
  controller.abort(reason);
  const early = await t.throwsAsync(engine.recognize(doc, { signal: controller.signal }), { code: 'ERR_OCR_ABORTED' });
  t.is(early.cause, reason);
  const timeout = await t.throwsAsync(engine.recognize(doc, { signal: AbortSignal.timeout(1) }), { code: 'ERR_OCR_ABORTED' });
  t.is(timeout.cause?.name, 'TimeoutError');
});

test('calls rejected by dispose() leave no listener on the caller\'s signal', async (t) => {
  const busy = await createOcr({ concurrency: 1 });
  const controller = new AbortController();
  const { signal } = controller;
  const live = new Set();  // the listeners registered on the signal now
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (type, listener, options) => (live.add(listener), add(type, listener, options));
  signal.removeEventListener = (type, listener, options) => (live.delete(listener), remove(type, listener, options));
  const calls = Array.from({ length: 6 }, () => busy.detect(doc, { signal }).catch((e) => e.code));
  await busy.dispose();
  const codes = await Promise.all(calls);
  t.is(codes.filter((c) => c === 'ERR_OCR_DISPOSED').length, 5);
  t.is(live.size, 0);
});

test("engine.toPaddleX reports the engine's own settings; toPaddleX checks what it is given", async (t) => {
  const tuned = await createOcr({ detection: { textLineOrientation: true, limitSideLength: 736, textScoreThreshold: 0.3 } });
  t.teardown(() => tuned.dispose());
  const upside = path.join(imagesDir, 'upside-down-1024x768-rot183.jpg');
  const result = await tuned.recognize(upside);
  const px = tuned.toPaddleX(result);
  t.is(px.text_det_params.limit_side_len, 736);
  t.is(px.text_rec_score_thresh, 0.3);
  t.true(px.textline_orientation_angles.includes(180), JSON.stringify(px.textline_orientation_angles));
  t.is(tuned.toPaddleX(result, { limitSideLength: 640 }).text_det_params.limit_side_len, 640);
  // The free function knows only ocrkit's defaults and what it is told.
  t.is(toPaddleX(result).text_det_params.limit_side_len, 960);
  t.true(toPaddleX(result).textline_orientation_angles.every((a) => a === -1));
  t.throws(() => toPaddleX(result, { limitSideLength: 'junk' }), { code: 'ERR_OCR_INVALID_OPTION', message: /limitSideLength/ });
  t.throws(() => toPaddleX(null), { code: 'ERR_OCR_INVALID_OPTION' });
  // The folder command's --save_json files are the engine's view too.
  const out = path.join(dir, 'paddlex');
  await processFolder(tuned, { imageDir: upside, mode: 'system', outputDir: out, saveJson: true });
  const saved = JSON.parse(fs.readFileSync(path.join(out, 'upside-down-1024x768-rot183_res.json'), 'utf8'));
  t.is(saved.text_det_params.limit_side_len, 736);
  t.deepEqual(saved.textline_orientation_angles, px.textline_orientation_angles);
});

test('intraOpThreads above the recognition runs the addon allows leaves recognitionParallelism at its limit', async (t) => {
  const many = await createOcr({ intraOpThreads: 65 });
  t.teardown(() => many.dispose());
  t.true((await many.detect(doc)).length > 0);
});

// Inputs are copied on the JS thread as they are taken: a chunk ends at batchChunkSize inputs or once its copies
// pass 256 MB (1024 raw 9 MB images blocked the event loop for 20-27 s and held 8.7 GB before any work started).
test('a chunk of recognizeBatch/recognizeStream ends at its input count or at 256 MB of copied bytes', async (t) => {
  const { Chunk } = await import('../dist/engine.js');
  const copied = (mb) => ({ kind: 'encoded', data: new Uint8Array(mb * 2 ** 20) });
  const byCount = new Chunk(3);
  byCount.add({ kind: 'path', path: 'a.jpg' });
  byCount.add({ error: new OcrError('ERR_OCR_INVALID_OPTION', 'x') });
  t.false(byCount.full);
  byCount.add(copied(1));
  t.true(byCount.full);
  t.is(byCount.take().length, 3);
  t.true(byCount.empty);
  const byBytes = new Chunk(1024);
  for (let i = 0; i < 28; i++) byBytes.add(copied(9));
  t.false(byBytes.full);  // 252 MB
  byBytes.add(copied(9));
  t.true(byBytes.full);  // 261 MB: 29 inputs, not 1024
  t.is(byBytes.take().length, 29);
  byBytes.add(copied(1));
  t.false(byBytes.full);  // the count of bytes starts again
});
