// Detection latency on a mixed set of real-world image sizes, next to the pure
// session time of the same model at the same input size through
// onnxruntime-node, in the same run. See bench/README.md.
//
//   node bench/detect.mjs [--runs 5] [--threads 2] [--json bench/results/detect.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createOcr } from '../dist/index.mjs';
import { readBmpRgb } from '../test/helpers/bmp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const { defaultModelPaths } = require('../dist/models.js');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(arg('runs', '5'));
const threads = Number(arg('threads', '2'));
const jsonOut = arg('json', path.join(root, 'bench', 'results', 'detect.json'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Bilinear resize of top-down RGB pixels (the synthetic "photo" for a size).
function resizeRgb(src, width, height) {
  const out = new Uint8Array(width * height * 3);
  const sx = src.width / width, sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(src.height - 1, (y + 0.5) * sy - 0.5);
    const y0 = Math.max(0, Math.floor(fy)), y1 = Math.min(src.height - 1, y0 + 1), wy = Math.max(0, fy - y0);
    for (let x = 0; x < width; x++) {
      const fx = Math.min(src.width - 1, (x + 0.5) * sx - 0.5);
      const x0 = Math.max(0, Math.floor(fx)), x1 = Math.min(src.width - 1, x0 + 1), wx = Math.max(0, fx - x0);
      for (let c = 0; c < 3; c++) {
        const a = src.data[(y0 * src.width + x0) * 3 + c], b = src.data[(y0 * src.width + x1) * 3 + c];
        const d = src.data[(y1 * src.width + x0) * 3 + c], e = src.data[(y1 * src.width + x1) * 3 + c];
        out[(y * width + x) * 3 + c] = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}

const imagesDir = path.join(root, 'test', 'fixtures', 'images');
const bmp = fs.readdirSync(imagesDir).find((f) => f.endsWith('.bmp'));
const base = readBmpRgb(path.join(imagesDir, bmp));
const sizes = [
  ['VGA 640x480', 640, 480],
  ['HD 1280x720', 1280, 720],
  ['FHD 1920x1080', 1920, 1080],
  ['A4 scan 2480x3508', 2480, 3508],
  ['phone 4032x3024 (12 MP)', 4032, 3024],
];
const encodedFiles = fs
  .readdirSync(imagesDir)
  .filter((f) => /\.(jpg|png|webp|tif|bmp)$/.test(f))
  .map((f) => path.join(imagesDir, f));

// The model as given, like the onnxruntime-node session beside it: the two Run columns compare session set-up, not
// ocrkit's graph rewrites (bench/rewrites.mjs measures those). The share outside Run is the same either way.
const engine = await createOcr({ intraOpThreads: threads, graphRewrites: false });
const session = await ort.InferenceSession.create(defaultModelPaths().detector, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  enableMemPattern: false,
  // The same settings as ocrkit's defaults: no spinning of idle inference threads.
  extra: { session: { intra_op: { allow_spinning: '0' } } },
});

const rows = [];
for (const [label, w, h] of sizes) {
  const image = resizeRgb(base, w, h);
  await engine.detect(image); // warm-up for this shape
  const walls = [], runsMs = [], decodes = [], pre = [], post = [];
  let details;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    details = await engine.detectWithDetails(image);
    walls.push(performance.now() - t0);
    runsMs.push(details.timings.inferenceMs);
    decodes.push(details.timings.decodeMs);
    pre.push(details.timings.preprocessMs);
    post.push(details.timings.postprocessMs);
  }
  // Pure session time, same model, same input size, same threads.
  const tensor = new ort.Tensor('float32', new Float32Array(3 * details.inputWidth * details.inputHeight).fill(0.1), [
    1, 3, details.inputHeight, details.inputWidth,
  ]);
  const feeds = { [session.inputNames[0]]: tensor };
  await session.run(feeds);
  const ortTimes = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    ortTimes.push(performance.now() - t0);
  }
  const wall = median(walls);
  const run = median(runsMs);
  const decode = median(decodes);
  const row = {
    image: label,
    input: `${details.inputWidth}x${details.inputHeight}`,
    regions: details.regions.length,
    wallMs: wall,
    ocrkitRunMs: run,
    onnxruntimeNodeRunMs: median(ortTimes),
    pixelCopyMs: decode,
    preprocessMs: median(pre),
    postprocessMs: median(post),
    outsideRunShare: (wall - run - decode) / (wall - decode),
  };
  rows.push(row);
  console.log(
    `${label.padEnd(26)} in ${row.input.padEnd(9)} wall ${wall.toFixed(1).padStart(7)} ms  run ${run.toFixed(1).padStart(7)} ms` +
      `  ort-node ${row.onnxruntimeNodeRunMs.toFixed(1).padStart(7)} ms  pre ${row.preprocessMs.toFixed(1)} post ${row.postprocessMs.toFixed(1)}` +
      `  outside Run ${(100 * row.outsideRunShare).toFixed(1)}%`,
  );
}

const decodeRows = [];
for (const file of encodedFiles) {
  const bytes = fs.readFileSync(file);
  const ds = [];
  let d;
  for (let i = 0; i < runs; i++) {
    d = await engine.detectWithDetails(bytes);
    ds.push(d.timings.decodeMs);
  }
  decodeRows.push({ file: path.basename(file), size: `${d.width}x${d.height}`, bytes: bytes.length, decodeMs: median(ds) });
}
console.log('\ndecode (reported apart):');
for (const r of decodeRows) console.log(`  ${r.file.padEnd(30)} ${r.size.padEnd(10)} ${r.decodeMs.toFixed(2)} ms`);

const summary = {
  machine: { cpus: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` },
  runtime: engine.info(),
  threads,
  runs,
  method: 'median of runs per image after one warm-up; wall = JS call to resolved promise; run = native time inside Session::Run',
  rows,
  decode: decodeRows,
  medianOutsideRunShare: median(rows.map((r) => r.outsideRunShare)),
};
console.log(`\nmedian share of wall time outside ONNX Runtime's Run (decode excluded): ${(100 * summary.medianOutsideRunShare).toFixed(1)}%`);
fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
fs.writeFileSync(jsonOut, JSON.stringify(summary, null, 2));
await engine.dispose();
