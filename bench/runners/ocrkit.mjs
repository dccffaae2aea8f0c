// ocrkit runner. Modes (key=value args after the list file):
//   mode=per-image (default): await engine.recognize(file) per image -> latency p50/p95 and images/s
//   mode=batch: engine.recognizeBatch(all files but the warm-up) -> images/s of ocrkit's pooled fast path
//   concurrency=c threads=t: c recognize() calls in flight on createOcr({concurrency: c, intraOpThreads: t})
//   batch=n: recognitionBatchSize n (default 6, PaddleOCR's rec_batch_num; 1 = one crop per recognition run)
//   parallelism=p: recognitionParallelism p (default: the engine's, = threads)
//   recwidth=w: the recogniser's nominal (minimum) batch width (default 320, PaddleOCR's rec_image_shape 3,48,320)
//   unclip=r: detection.unclipRatio r (default 1.5, PaddleOCR's det_db_unclip_ratio)
//   endpad=k: detection.boxEndPadding k (default 0, PaddleOCR's boxes; a deviation, README)
//   merge=g: detection.mergeGap g (default 0, PaddleOCR's boxes; a deviation, README)
//   space=p: detection.spaceThreshold p (default 0, PaddleOCR's CTC decoding; a deviation, README)
//   preset=name: createOcr's preset (default 'paddleocr'; 'accurate': batch 1, endpad 0.1, merge 1, space 0.02,
//                recwidth 48)
import { createRequire } from 'node:module';
import { MODELS, THREADS, MAX_SIDE, addWork, parseArgs, pkgVersion, run } from './common.mjs';

const require = createRequire(import.meta.url);
const { createOcr } = require('ocrkit');
const { opts } = parseArgs();
const mode = opts.mode ?? 'per-image';
const concurrency = Number(opts.concurrency ?? 1);
const threads = Number(opts.threads ?? THREADS);
const optional = (name) => (opts[name] === undefined ? undefined : Number(opts[name]));
const batch = optional('batch');
const preset = opts.preset;
const parallelism = optional('parallelism');
const recWidth = optional('recwidth');
const unclip = optional('unclip');
const endPad = optional('endpad');
const mergeGap = optional('merge');
const space = optional('space');
const options = {
  ...(preset === undefined ? {} : { preset }),
  intraOpThreads: threads,
  ...(parallelism === undefined ? {} : { recognitionParallelism: parallelism }),
  concurrency,
  detector: { modelPath: MODELS.det },
  recognizer: {
    modelPath: MODELS.rec,
    dictionaryPath: MODELS.keys,
    ...(recWidth === undefined ? {} : { definition: { extends: 'PP-OCRv4', name: 'PP-OCRv4', size: { width: recWidth } } }),
  },
  detection: {
    limitSideLength: MAX_SIDE,
    limitType: 'max',
    textLineOrientation: false,
    ...(batch === undefined ? {} : { recognitionBatchSize: batch }),
    ...(unclip === undefined ? {} : { unclipRatio: unclip }),
    ...(endPad === undefined ? {} : { boxEndPadding: endPad }),
    ...(mergeGap === undefined ? {} : { mergeGap }),
    ...(space === undefined ? {} : { spaceThreshold: space }),
  },
};
// timings: true for result.work (what the call asked of the models; timing itself costs nothing measurable).
const toLines = (r) => {
  addWork(r.work);
  return r.lines.map((l) => ({ text: l.text, box: l.box, score: l.score }));
};

const versions = { ocrkit: pkgVersion('ocrkit') };
await run({
  system:
    (mode === 'batch' ? 'ocrkit (recognizeBatch)' : concurrency > 1 ? `ocrkit (recognize x${concurrency})` : 'ocrkit (recognize)') +
    (preset !== undefined ? `, preset ${preset}` : '') +
    (batch !== undefined && batch !== 6 ? `, rec batch ${batch}` : '') +
    (parallelism !== undefined ? `, recognitionParallelism ${parallelism}` : '') +
    (recWidth !== undefined ? `, rec width ${recWidth}` : '') +
    (unclip !== undefined ? `, unclip ${unclip}` : '') +
    (endPad !== undefined ? `, box end padding ${endPad}` : '') +
    (mergeGap !== undefined ? `, merge gap ${mergeGap}` : '') +
    (space !== undefined ? `, space threshold ${space}` : ''),
  mode,
  concurrency,
  // The ONNX Runtime ocrkit loaded (the library it carries, runtime/, or onnxruntime-node's where that resolves
  // from ocrkit's folder): filled in by init.
  versions,
  config: { ...options, note: 'decodes the file itself (OpenCV), EXIF orientation applied, classifier off' },
  init: async () => {
    const engine = await createOcr(options);
    versions.onnxruntime = `${engine.info().runtimeVersion} (${engine.info().runtimePath})`;
    return engine;
  },
  recognize: async (engine, file) => toLines(await engine.recognize(file, { timings: true })),
  recognizeAll: async (engine, files) => (await engine.recognizeBatch(files, { timings: true })).map((r) => ('error' in r ? r : toLines(r))),
  close: (engine) => engine.dispose(),
});
