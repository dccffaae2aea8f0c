// How well CTC word boxes cover their words, on line crops or on whole pages.
//
// Ink: the columns a word's drawn ink reaches (the generators' measure). The earlier measure, Pillow's glyph box,
// starts at the pen, before the first glyph's left bearing (up to 0.1 text heights before the ink): its share of
// words covered to 95% is given too, as "Pillow boxes".
//
// Crops (default): line crops with known word ink extents (bench/gen-word-lines.py, generated on first use), read
// with recognizeCrops(..., {words: true}). For each word of letters and digits of the lines read exactly: where its
// span starts and ends against its ink, in text heights (negative: before the ink), the IoU of the two extents, and
// whether the span covers at least 95% of the ink.
//
// Pages (--pages): pages of a few lines with known word ink boxes (bench/gen-word-pages.py: five fonts, 18-44 px, a
// third of the lines turned 1-5 degrees), read with recognize(page, {words: true}), detection included. Each word
// of letters and digits that the page reads once, under its own text, is measured in its line's own frame (the
// word box mapped back through the line's rotation): start and end along the line (the means of the box's start
// and end corners) against the ink, in text heights; the IoU of the two extents; the share of words whose box
// covers 95% of the ink's extent along the line (and with 2 px of slack); and in two dimensions, the share of the
// ink box's area the word box covers (mean, and words covered to 95%) and their IoU.
//
//   node bench/word-boxes.mjs [--pages] [--preset paddleocr|accurate] [--seeds 1,2,3] [--count 120 (crops) | 40 (pages)]
//   [--dump file.json]  (pages: each measured word, for a closer look)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr } from '../dist/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const pages = args.includes('--pages');
const preset = arg('preset', undefined);
const seeds = arg('seeds', '1,2,3').split(',').map(Number);
const count = Number(arg('count', pages ? '40' : '120'));
const dump = arg('dump', undefined);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (n, d) => `${((100 * n) / d).toFixed(1)}%`;

function generate(script, seed, dir) {
  if (!fs.existsSync(path.join(dir, 'truth.json'))) {
    execFileSync('/usr/bin/python3', [path.join(here, script), '--seed', String(seed), '--count', String(count), '--out', dir]);
  }
  return JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8'));
}

async function crops(engine, seed) {
  const truth = generate('gen-word-lines.py', seed, path.join(here, 'results', 'word-lines', String(seed)));
  const results = await engine.recognizeCrops(truth.map((t) => t.file), { words: true });
  const left = [], right = [], iou = [];
  let lines = 0, covered = 0, pillow = 0;
  results.forEach((r, i) => {
    const t = truth[i];
    if (r.text.trim().split(/\s+/).join(' ') !== t.words.map((w) => w.text).join(' ')) return;
    lines++;
    // Words of letters and digits only, which PaddleOCR's grouping keeps whole ("$12.50" gives "12.50"): each is
    // unique in its line (a line's words are drawn without repetition).
    for (const w of t.words.filter((w) => /^[A-Za-z0-9]+$/.test(w.text))) {
      const found = r.words.filter((f) => f.text === w.text);
      if (found.length !== 1) continue;
      if (w.inkX0 === undefined) throw new Error(`${t.file}: no drawn ink extents; delete ${path.dirname(t.file)} to regenerate`);
      const g = { x0: w.inkX0, x1: w.inkX1 };
      const x0 = found[0].span[0] * t.width, x1 = found[0].span[1] * t.width;
      if (Math.min(x1, w.x1) - Math.max(x0, w.x0) >= 0.95 * (w.x1 - w.x0)) pillow++;
      left.push((x0 - g.x0) / t.textHeight);
      right.push((x1 - g.x1) / t.textHeight);
      const inter = Math.max(0, Math.min(x1, g.x1) - Math.max(x0, g.x0));
      iou.push(inter / (Math.max(x1, g.x1) - Math.min(x0, g.x0)));
      if (inter >= 0.95 * (g.x1 - g.x0)) covered++;
    }
  });
  console.log(`seed ${seed}: ${lines} of ${truth.length} lines read exactly, ${iou.length} words: start ${median(left).toFixed(3)}, ` +
    `end ${median(right).toFixed(3)} text heights from the ink (medians); IoU mean ${mean(iou).toFixed(3)}, p10 ${quantile(iou, 0.1).toFixed(3)}; ` +
    `${pct(covered, iou.length)} of the words covered to 95% (Pillow boxes ${pct(pillow, iou.length)})`);
}

// A point of the page in a line's own frame (the inverse of its affine matrix).
function toLine(m, [x, y]) {
  const det = m[0] * m[4] - m[1] * m[3];
  const dx = x - m[2], dy = y - m[5];
  return [(m[4] * dx - m[1] * dy) / det, (m[0] * dy - m[3] * dx) / det];
}

// Area of a polygon (shoelace) and a convex polygon clipped to an axis-aligned rectangle (Sutherland-Hodgman).
function area(poly) {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i], [x1, y1] = poly[(i + 1) % poly.length];
    a += x0 * y1 - x1 * y0;
  }
  return Math.abs(a) / 2;
}
function clip(poly, x0, y0, x1, y1) {
  const edges = [[(p) => p[0] >= x0, (a, b) => (x0 - a[0]) / (b[0] - a[0])], [(p) => p[0] <= x1, (a, b) => (x1 - a[0]) / (b[0] - a[0])],
    [(p) => p[1] >= y0, (a, b) => (y0 - a[1]) / (b[1] - a[1])], [(p) => p[1] <= y1, (a, b) => (y1 - a[1]) / (b[1] - a[1])]];
  let out = poly;
  for (const [inside, at] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const a = input[i], b = input[(i + 1) % input.length];
      const cross = () => { const t = at(a, b); return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]; };
      if (inside(a)) {
        out.push(a);
        if (!inside(b)) out.push(cross());
      } else if (inside(b)) out.push(cross());
    }
    if (out.length === 0) return out;
  }
  return out;
}

async function pagesOf(engine, seed, dumped) {
  const truth = generate('gen-word-pages.py', seed, path.join(here, 'results', 'word-pages', String(seed)));
  const left = [], right = [], iou = [], share2 = [], iou2 = [];
  let covered = 0, slack = 0, covered2 = 0, total = 0, pillow = 0;
  for (const page of truth) {
    const result = await engine.recognize(page.file, { words: true });
    const words = result.lines.flatMap((l) => (l.words ?? []).map((w) => ({ ...w, line: l.box })));
    for (const line of page.lines) {
      for (const g of line.words.filter((w) => /^[A-Za-z0-9]+$/.test(w.text))) {
        total++;
        const found = words.filter((w) => w.text === g.text);
        if (found.length !== 1 || !found[0].box) continue;
        const q = found[0].box.map((p) => toLine(line.matrix, p));
        const x0 = (q[0][0] + q[3][0]) / 2, x1 = (q[1][0] + q[2][0]) / 2;
        const h = line.textHeight;
        left.push((x0 - g.x0) / h);
        right.push((x1 - g.x1) / h);
        const inter = Math.max(0, Math.min(x1, g.x1) - Math.max(x0, g.x0));
        iou.push(inter / (Math.max(x1, g.x1) - Math.min(x0, g.x0)));
        if (inter >= 0.95 * (g.x1 - g.x0)) covered++;
        if (Math.min(x1, g.pillowX1) - Math.max(x0, g.pillowX0) >= 0.95 * (g.pillowX1 - g.pillowX0)) pillow++;
        if (Math.max(0, Math.min(x1 + 2, g.x1) - Math.max(x0 - 2, g.x0)) >= 0.95 * (g.x1 - g.x0)) slack++;
        const ink = (g.x1 - g.x0) * (g.y1 - g.y0);
        const both = area(clip(q, g.x0, g.y0, g.x1, g.y1));
        share2.push(both / ink);
        iou2.push(both / (ink + area(q) - both));
        if (both >= 0.95 * ink) covered2++;
        dumped?.push({ seed, file: page.file, text: g.text, textHeight: h, angle: line.angle, ink: [g.x0, g.x1, g.y0, g.y1], box: q, page: found[0].box, line: found[0].line.map((p) => toLine(line.matrix, p)) });
      }
    }
  }
  const n = iou.length;
  console.log(`seed ${seed}: ${truth.length} pages, ${n} of ${total} words found once: start ${median(left).toFixed(3)}, end ${median(right).toFixed(3)} ` +
    `text heights from the ink (medians; p10 start ${quantile(left, 0.9).toFixed(3)}, p10 end ${quantile(right, 0.1).toFixed(3)}); ` +
    `IoU along the line mean ${mean(iou).toFixed(3)}; covered to 95% along the line ${pct(covered, n)} (2 px slack ${pct(slack, n)}, Pillow boxes ${pct(pillow, n)}); ` +
    `ink area covered mean ${mean(share2).toFixed(3)}, to 95% ${pct(covered2, n)}, box IoU mean ${mean(iou2).toFixed(3)}`);
}

const engine = await createOcr(preset ? { preset } : {});
const dumped = dump ? [] : undefined;
try {
  console.log(`${pages ? 'pages' : 'crops'}, preset ${preset ?? 'paddleocr (default)'}`);
  for (const seed of seeds) await (pages ? pagesOf(engine, seed, dumped) : crops(engine, seed));
} finally {
  await engine.dispose();
}
if (dump) fs.writeFileSync(dump, JSON.stringify(dumped));
