// Decoding cost next to recognition inference, on the same batches: PP-OCRv4 rec (6625 classes), 32 text-line crops
// of 320x48 in one batch (so 40 time steps each), timed by the engine itself (recognizeCropsWithDetails timings:
// recognitionInferenceMs is ONNX Runtime's Run, recognitionDecodeMs the CTC greedy decoding of the [32, 40, 6625]
// output). Run: node bench/decode.mjs [--runs 20] [--threads 2]. Prints medians and the ratio; goal: decoding under
// 2% of recognition time.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr } from '../dist/index.mjs';
import { readPngRgb } from '../test/helpers/png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const runs = arg('runs', 20);
const threads = arg('threads', 2);

// 32 crops of 320x48 cut from the text rows of a generated document page (fixture doc-a, 640x480, 13 lines).
const page = readPngRgb(path.join(root, 'test', 'fixtures', 'images', 'doc-a-640x480.png'));
const crops = [];
for (let i = 0; crops.length < 32; i++) {
  const x = (i % 2) * 320, y = 30 + ((i * 37) % (page.height - 80));
  const data = new Uint8Array(320 * 48 * 3);
  for (let r = 0; r < 48; r++) data.set(page.data.subarray(((y + r) * page.width + x) * 3, ((y + r) * page.width + x + 320) * 3), r * 320 * 3);
  crops.push({ data, width: 320, height: 48, channels: 3, colorOrder: 'rgb' });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const engine = await createOcr({ intraOpThreads: threads });
const options = { recognitionBatchSize: 32, recognitionMaxRunWidth: 0 };
await engine.recognizeCropsWithDetails(crops, options); // warm-up
const decode = [], inference = [], wall = [];
for (let r = 0; r < runs; r++) {
  const start = performance.now();
  const { timings } = await engine.recognizeCropsWithDetails(crops, options);
  wall.push(performance.now() - start);
  decode.push(timings.recognitionDecodeMs);
  inference.push(timings.recognitionInferenceMs);
}
await engine.dispose();
const d = median(decode), inf = median(inference);
console.log(`PP-OCRv4 rec, batch 32 x [3, 48, 320] -> [32, 40, 6625], ${runs} runs, ${threads} threads (medians):`);
console.log(`  inference (Run)   ${inf.toFixed(1)} ms`);
console.log(`  CTC decoding      ${d.toFixed(3)} ms  (${((1000 * d) / 32).toFixed(1)} us per line)`);
console.log(`  whole call        ${median(wall).toFixed(1)} ms`);
console.log(`  decoding / inference = ${((100 * d) / inf).toFixed(2)}% (goal < 2%)`);
