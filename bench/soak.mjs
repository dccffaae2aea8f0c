// Memory soak (not a timed test): many calls over images of many sizes; RSS
// after N calls must stay within 10% of RSS after N/10 (issue: long-running
// services must hold a flat RSS).
//
//   node bench/soak.mjs [--calls 2000] [--mode recognize|detect]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr } from '../dist/index.mjs';
import { readBmpRgb } from '../test/helpers/bmp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const calls = Number(arg('calls', '2000'));
const mode = arg('mode', 'recognize');
const checkpoint = Math.max(1, Math.round(calls / 10));

const imagesDir = path.join(root, 'test', 'fixtures', 'images');
const files = fs.readdirSync(imagesDir).filter((f) => !f.endsWith('.json')).map((f) => path.join(imagesDir, f));
const base = readBmpRgb(path.join(imagesDir, files.map((f) => path.basename(f)).find((f) => f.endsWith('.bmp'))));

// Raw-pixel crops of many sizes (every call a new shape for the detector and recogniser).
function cropOf(i) {
  const w = 64 + ((i * 37) % (base.width - 64));
  const h = 48 + ((i * 53) % (base.height - 48));
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(base.data.subarray(y * base.width * 3, y * base.width * 3 + w * 3), y * w * 3);
  return { data, width: w, height: h, channels: 3 };
}

const engine = await createOcr();
const mb = () => process.memoryUsage().rss / 2 ** 20;
let atCheckpoint = 0;
const started = performance.now();
for (let i = 1; i <= calls; i++) {
  const input = i % 3 === 0 ? cropOf(i) : files[i % files.length];
  if (mode === 'detect') await engine.detect(input, { limitSideLength: 320 + 32 * (i % 20) });
  else await engine.recognize(input, { limitSideLength: 320 + 32 * (i % 20) });
  if (i === checkpoint) atCheckpoint = mb();
  if (i % checkpoint === 0) console.log(`${String(i).padStart(6)} calls  rss ${mb().toFixed(1)} MB  ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const end = mb();
const growth = (end - atCheckpoint) / atCheckpoint;
console.log(`RSS after ${checkpoint}: ${atCheckpoint.toFixed(1)} MB, after ${calls}: ${end.toFixed(1)} MB (${(100 * growth).toFixed(1)}%)`);
await engine.dispose();
process.exitCode = growth <= 0.1 ? 0 : 1;
