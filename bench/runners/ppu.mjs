// ppu-paddle-ocr runner: local PP-OCRv4 det/rec (paths), dictionary = ppocr_keys_v1.txt + a trailing " " entry
// (passed as an ArrayBuffer), detection.maxSideLength 960, noCache: true on every call (its image cache would
// otherwise answer repeated inputs), flatten: true. Input: the file's bytes as an ArrayBuffer (the library
// decodes with @napi-rs/canvas). Boxes are axis-aligned {x,y,width,height} (with the library's padding).
// mode=batch uses service.batchRecognize(files bytes, {noCache, flatten}) with its default concurrency.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PaddleOcrService } from 'ppu-paddle-ocr';
import { MODELS, THREADS, MAX_SIDE, countOrtRuns, parseArgs, pkgVersion, rect, run } from './common.mjs';

const require = createRequire(import.meta.url);
countOrtRuns(require('onnxruntime-node'));
const { opts } = parseArgs();
const mode = opts.mode ?? 'per-image';
const strategy = opts.strategy; // undefined -> library default ('per-line')
const keys = readFileSync(MODELS.keys, 'utf8');
// ppu-paddle-ocr 6.x indexes the dictionary by CTC class: entry 0 stands for the blank (never emitted) and the
// last entry is read as a space. So: "" + the 6623 keys + " " = 6625 entries = the model's classes.
const dict = new TextEncoder().encode("\n" + keys.trimEnd() + "\n ").buffer;
const session = { intraOpNumThreads: THREADS, interOpNumThreads: 1, executionProviders: ['cpu'] };
const toArrayBuffer = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
const toLines = (res) => res.results.map((r) => ({ text: r.text, box: rect(r.box.x, r.box.y, r.box.width, r.box.height), score: r.confidence }));
const callOpts = { noCache: true, flatten: true, ...(strategy ? { strategy } : {}) };

await run({
  system: mode === 'batch' ? 'ppu-paddle-ocr (batchRecognize)' : 'ppu-paddle-ocr',
  mode,
  versions: { 'ppu-paddle-ocr': pkgVersion('ppu-paddle-ocr'), 'ppu-ocv': pkgVersion('ppu-ocv'), 'onnxruntime-node': require('onnxruntime-node/package.json').version },
  config: { session, detection: { maxSideLength: MAX_SIDE }, call: callOpts, dictionary: '"" (blank) + ppocr_keys_v1.txt + " "' },
  init: async () => {
    const service = new PaddleOcrService({
      model: { detection: MODELS.det, recognition: MODELS.rec, charactersDictionary: dict },
      detection: { maxSideLength: MAX_SIDE },
      session,
    });
    await service.initialize();
    return service;
  },
  recognize: async (service, file) => toLines(await service.recognize(toArrayBuffer(await readFile(file)), callOpts)),
  recognizeAll: async (service, files) => {
    const bufs = await Promise.all(files.map(async (f) => toArrayBuffer(await readFile(f))));
    const res = await service.batchRecognize(bufs, { ...callOpts, settle: true });
    return res.map((r) => (r.status === 'fulfilled' ? toLines(r.value) : { error: String(r.reason?.message ?? r.reason) }));
  },
  close: (service) => service.destroy(),
});
