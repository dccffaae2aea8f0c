// What ocrkit's graph rewrites (graphRewrites, cpp/graph/) save inside ONNX Runtime's Run: two engines in one
// process, the default models as given (graphRewrites: false) and rewritten (the default), over the same inputs,
// one call on each in turn; the median of --runs of the native Run time per input.
//
//   node bench/rewrites.mjs [--runs 9] [--threads 2]
// Detection: the first 8 generated images of bench/results/images (node bench/e2e.mjs makes them), else the
// fixtures. Recognition: one synthetic 48 px high crop per call, at widths 160-1920, recognitionParallelism 1, so
// each number is one Run of the recogniser on the --threads intra-op threads (the engine makes its recogniser
// single-threaded only for parallel runs, recognitionParallelism > 1).
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
const runs = Number(arg('runs', '9'));
const threads = Number(arg('threads', '2'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let dir = path.join(root, 'bench', 'results', 'images');
if (!fs.existsSync(dir)) dir = path.join(root, 'test', 'fixtures', 'images');
const files = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().slice(0, 8).map((f) => path.join(dir, f));

const options = { intraOpThreads: threads, recognitionParallelism: 1 };
const given = await createOcr({ ...options, graphRewrites: false });
const rewritten = await createOcr(options);
console.log(`rewrites: as given ${JSON.stringify(given.info().graphRewrites)}, rewritten ${JSON.stringify(rewritten.info().graphRewrites)}`);

const rows = [];
for (const file of files) {
  const bytes = fs.readFileSync(file);  // decoding is reported apart from Run
  const a = [];
  const b = [];
  await given.detectWithDetails(bytes);
  await rewritten.detectWithDetails(bytes);
  let input = '';
  for (let r = 0; r < runs; r++) {
    const x = await given.detectWithDetails(bytes);
    const y = await rewritten.detectWithDetails(bytes);
    a.push(x.timings.inferenceMs);
    b.push(y.timings.inferenceMs);
    input = `${x.inputWidth}x${x.inputHeight}`;
  }
  rows.push({ what: `det ${path.basename(file)} (input ${input})`, given: median(a), rewritten: median(b) });
}

// A synthetic text-like line (strokes and a rule) at height 48, tiled to each width.
const line = { data: new Uint8Array(48 * 48 * 3), width: 48, height: 48, channels: 3 };
for (let i = 0; i < line.data.length; i += 3) {
  const x = (i / 3) % 48;
  const y = Math.floor(i / 3 / 48);
  const ink = (x % 7 < 2 && y > 10 && y < 38) || (y > 22 && y < 26);
  line.data[i] = line.data[i + 1] = line.data[i + 2] = ink ? 20 : 235;
}
for (const width of [160, 320, 640, 960, 1920]) {
  const crop = { data: new Uint8Array(48 * width * 3), width, height: 48, channels: 3 };
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * 48 + (x % 48)) * 3;
      crop.data.set(line.data.subarray(s, s + 3), (y * width + x) * 3);
    }
  }
  const a = [];
  const b = [];
  await given.recognizeCropsWithDetails([crop]);
  await rewritten.recognizeCropsWithDetails([crop]);
  for (let r = 0; r < runs; r++) {
    a.push((await given.recognizeCropsWithDetails([crop])).timings.recognitionInferenceMs);
    b.push((await rewritten.recognizeCropsWithDetails([crop])).timings.recognitionInferenceMs);
  }
  rows.push({ what: `rec one crop 48x${width}`, given: median(a), rewritten: median(b) });
}
await Promise.all([given.dispose(), rewritten.dispose()]);

console.log(`\nRun time, median of ${runs} (ms), ${threads} intra-op threads (recognition: one run of one crop on them)\n`);
console.log('| input | as given | rewritten | rewritten / given |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.what} | ${r.given.toFixed(1)} | ${r.rewritten.toFixed(1)} | ${(r.rewritten / r.given).toFixed(3)} |`);
const ratio = (prefix) => median(rows.filter((r) => r.what.startsWith(prefix)).map((r) => r.rewritten / r.given));
console.log(`\nmedian rewritten / given: detection ${ratio('det').toFixed(3)}, recognition ${ratio('rec').toFixed(3)}`);
