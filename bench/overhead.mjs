// End-to-end OCR: wall time against the time inside ONNX Runtime's Run, per image, decoding reported apart.
// Goal (issue 3): wall <= 1.10 x Run. See bench/README.md.
//
//   node bench/overhead.mjs [--images bench/results/images] [--threads 2] [--runs 3]
// Images: every JPEG/PNG/WebP/TIFF/BMP of the folder (bench/gen-images.py makes bench/results/images; the
// test fixtures when that folder is missing). Each image: one warm-up call, then the median of --runs calls of
// engine.recognize(path, {timings: true}); wall = JS call to resolved promise.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr } from '../dist/index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
let dir = arg('images', path.join(root, 'bench', 'results', 'images'));
if (!fs.existsSync(dir)) dir = path.join(root, 'test', 'fixtures', 'images');
const runs = Number(arg('runs', '3'));
const threads = Number(arg('threads', '2'));
const files = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp|tiff?|bmp)$/i.test(f)).sort().map((f) => path.join(dir, f));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const engine = await createOcr({ intraOpThreads: threads });
const rows = [];
for (const file of files) {
  await engine.recognize(file);
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const res = await engine.recognize(file, { timings: true });
    const wall = performance.now() - t0;
    const t = res.timings;
    const run = t.detectionInferenceMs + t.classifierMs + t.recognitionInferenceMs;
    samples.push({ wall, run, decode: t.decodeMs, lines: res.lines.length, t });
  }
  const pick = (k) => median(samples.map((s) => s[k]));
  const wall = pick('wall'), run = pick('run'), decode = pick('decode');
  rows.push({ file: path.basename(file), lines: samples[0].lines, wall, run, decode, ratio: (wall - decode) / run });
}
await engine.dispose();

const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
console.log('| image | lines | wall ms | Run ms | decode ms | (wall - decode) / Run |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.file} | ${r.lines} | ${r.wall.toFixed(0)} | ${r.run.toFixed(0)} | ${r.decode.toFixed(1)} | ${r.ratio.toFixed(3)} |`);
console.log(`\n${rows.length} images, ${runs} runs each (medians), ${threads} intra-op threads.`);
console.log(`median per-image (wall - decode) / Run: ${median(rows.map((r) => r.ratio)).toFixed(3)}; ` +
  `over all images: ${((sum('wall') - sum('decode')) / sum('run')).toFixed(3)}; decoding ${(100 * sum('decode') / sum('wall')).toFixed(1)}% of wall`);
