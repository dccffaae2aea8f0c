// How well CTC word spans cover their words: line crops with known word ink extents (bench/gen-word-lines.py,
// generated on first use), read with recognizeCrops(..., {words: true}) and the default models. For each word of
// letters and digits of the lines read exactly: where its span starts and ends against its ink, in text heights
// (negative: before the ink), the IoU of the two extents, and whether the span covers at least 95% of the ink.
//
//   node bench/word-boxes.mjs [--seeds 1,2,3] [--count 120]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr } from '../dist/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const count = Number(arg('count', '120'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];

const engine = await createOcr();
try {
  for (const seed of seeds) {
    const dir = path.join(here, 'results', 'word-lines', String(seed));
    if (!fs.existsSync(path.join(dir, 'truth.json'))) {
      execFileSync('/usr/bin/python3', [path.join(here, 'gen-word-lines.py'), '--seed', String(seed), '--count', String(count), '--out', dir]);
    }
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8'));
    const results = await engine.recognizeCrops(truth.map((t) => t.file), { words: true });
    const left = [], right = [], iou = [];
    let lines = 0, covered = 0;
    results.forEach((r, i) => {
      const t = truth[i];
      if (r.text.trim().split(/\s+/).join(' ') !== t.words.map((w) => w.text).join(' ')) return;
      lines++;
      // Words of letters and digits only, which PaddleOCR's grouping keeps whole ("$12.50" gives "12.50"): each is
      // unique in its line (a line's words are drawn without repetition).
      for (const g of t.words.filter((w) => /^[A-Za-z0-9]+$/.test(w.text))) {
        const found = r.words.filter((w) => w.text === g.text);
        if (found.length !== 1) continue;
        const x0 = found[0].span[0] * t.width, x1 = found[0].span[1] * t.width;
        left.push((x0 - g.x0) / t.textHeight);
        right.push((x1 - g.x1) / t.textHeight);
        const inter = Math.max(0, Math.min(x1, g.x1) - Math.max(x0, g.x0));
        iou.push(inter / (Math.max(x1, g.x1) - Math.min(x0, g.x0)));
        if (inter >= 0.95 * (g.x1 - g.x0)) covered++;
      }
    });
    const mean = iou.reduce((a, b) => a + b, 0) / iou.length;
    console.log(`seed ${seed}: ${lines} of ${truth.length} lines read exactly, ${iou.length} words: start ${median(left).toFixed(3)}, ` +
      `end ${median(right).toFixed(3)} text heights from the ink (medians); IoU mean ${mean.toFixed(3)}, p10 ${quantile(iou, 0.1).toFixed(3)}; ` +
      `${((100 * covered) / iou.length).toFixed(1)}% of the words covered to 95%`);
  }
} finally {
  await engine.dispose();
}
