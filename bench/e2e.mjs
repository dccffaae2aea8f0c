#!/usr/bin/env node
// End-to-end OCR benchmark: ocrkit vs Node OCR libraries (see bench/E2E.md).
//
//   cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm install      # once
//   node e2e.mjs [--only a,b] [--images all|fixtures|generated] [--sweep] [--sweep-only] [--count 36] [--rounds 3]
//                [--ocrkit-args "unclip=1.7"]
//
// Every system runs in its own process (runners/<name>.mjs, started under /usr/bin/time -v for the whole-process
// peak RSS), one after the other, over the same list of distinct images; each process reads every image once
// (files[0] is its warm-up, timed apart). Accuracy is computed here against the ground-truth JSON next to each
// image. Writes results/e2e.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const RESULTS = path.join(HERE, 'results');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'images');
const GENERATED = path.join(RESULTS, 'images');
const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|bmp)$/i;

// ----------------------------------------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
if (flag('--help')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 11).join('\n'));
  process.exit(0);
}
const imagesArg = value('--images', 'all');
const only = value('--only', '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const sweep = flag('--sweep') || flag('--sweep-only');
const sweepOnly = flag('--sweep-only');
// --rounds n: every system n times, round-robin (so slow phases of a shared machine hit all systems alike); each
// system is reported by its median round (images/s), with every round's images/s in e2e.json.
const rounds = Math.max(1, Number(value('--rounds', '1')));
const timeoutS = Number(value('--timeout', 1200));
// --ocrkit-args "k=v k=v": more runner arguments for every ocrkit row (e.g. unclip=1.7; see runners/ocrkit.mjs).
const ocrkitArgs = value('--ocrkit-args', '').split(/\s+/).filter(Boolean);

// The systems: id, runner file, extra arguments, whether it is a peer (ratios are against the fastest peer).
const SYSTEMS = [
  { id: 'ocrkit', runner: 'ocrkit.mjs', args: ['mode=per-image'], peer: false },
  { id: 'ocrkit-batch', runner: 'ocrkit.mjs', args: ['mode=batch'], peer: false },
  // One crop per recognition run: no padding to a batch's widest crop (the peers read crop by crop too).
  { id: 'ocrkit-b1', runner: 'ocrkit.mjs', args: ['mode=per-image', 'batch=1'], peer: false },
  { id: 'ocrkit-b1-batch', runner: 'ocrkit.mjs', args: ['mode=batch', 'batch=1'], peer: false },
  // Deviations from PaddleOCR offered as options (README): a nominal recognition width of 48 instead of 320,
  // boxes lengthened at both ends by 0.1 x their height (detection.boxEndPadding), and the spaces the CTC blank
  // hid written where the space class reached 0.02 (detection.spaceThreshold).
  { id: 'ocrkit-w48', runner: 'ocrkit.mjs', args: ['mode=per-image', 'recwidth=48'], peer: false },
  { id: 'ocrkit-b1-w48-batch', runner: 'ocrkit.mjs', args: ['mode=batch', 'batch=1', 'recwidth=48'], peer: false },
  { id: 'ocrkit-pad', runner: 'ocrkit.mjs', args: ['mode=per-image', 'endpad=0.1'], peer: false },
  { id: 'ocrkit-b1-pad', runner: 'ocrkit.mjs', args: ['mode=per-image', 'batch=1', 'endpad=0.1'], peer: false },
  // preset 'accurate': the three together (batch 1, endpad 0.1, space 0.02) through createOcr's preset.
  { id: 'ocrkit-accurate', runner: 'ocrkit.mjs', args: ['mode=per-image', 'preset=accurate'], peer: false },
  { id: 'ocrkit-accurate-batch', runner: 'ocrkit.mjs', args: ['mode=batch', 'preset=accurate'], peer: false },
  // Recognition one batch at a time with intraOpThreads threads (the engine before recognitionParallelism).
  { id: 'ocrkit-serial', runner: 'ocrkit.mjs', args: ['mode=per-image', 'parallelism=1'], peer: false },
  { id: 'gutenye', runner: 'gutenye.mjs', args: [], peer: true },
  { id: 'ppu', runner: 'ppu.mjs', args: [], peer: true },
  { id: 'ppu-batch', runner: 'ppu.mjs', args: ['mode=batch'], peer: true },
  { id: 'paddleocr', runner: 'paddleocr.mjs', args: [], peer: true },
  { id: 'tesseract-cli', runner: 'tesseract-cli.mjs', args: [], peer: true },
  { id: 'tesseract-js', runner: 'tesseract-js.mjs', args: [], peer: true },
];
const SWEEP = [];
for (const c of [1, 2, 4])
  for (const t of [1, 2])
    SWEEP.push({ id: `ocrkit-c${c}-t${t}`, runner: 'ocrkit.mjs', args: ['mode=per-image', `concurrency=${c}`, `threads=${t}`], peer: false, c, t, rule: t === Math.max(1, Math.floor(2 / c)) });

// ----------------------------------------------------------------------------------------------- images
function listImages(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => IMAGE_EXT.test(f) && existsSync(path.join(dir, f.replace(IMAGE_EXT, '.json'))))
    .sort()
    .map((f) => path.join(dir, f));
}
mkdirSync(RESULTS, { recursive: true });
if (imagesArg !== 'fixtures' && listImages(GENERATED).length === 0) {
  const count = value('--count', '36');
  console.error(`generating ${count} images into ${GENERATED} ...`);
  const r = spawnSync('/usr/bin/python3', [path.join(HERE, 'gen-images.py'), '--count', count, '--out', GENERATED], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('gen-images.py failed (needs python3-pil and the fonts, see its header)');
}
const files = [...(imagesArg === 'generated' ? [] : listImages(FIXTURES)), ...(imagesArg === 'fixtures' ? [] : listImages(GENERATED))];
if (files.length < 2) throw new Error('need at least 2 images');
const gts = new Map(files.map((f) => [f, JSON.parse(readFileSync(f.replace(IMAGE_EXT, '.json'), 'utf8'))]));
const listPath = path.join(RESULTS, 'e2e-list.json');
writeFileSync(listPath, JSON.stringify({ files }));

// ----------------------------------------------------------------------------------------------- machine
function pkgVersion(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model,
  logicalCores: cpus.length,
  availableParallelism: os.availableParallelism?.(),
  memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  onnxruntimeNode: {
    bench: pkgVersion(path.join(HERE, 'node_modules', 'onnxruntime-node')),
    // ocrkit carries the file of onnxruntime-node at this version (runtime/; scripts/onnxruntime.json).
    ocrkit: JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'onnxruntime.json'), 'utf8')).version,
  },
  threads: { intraOp: Number(process.env.BENCH_THREADS ?? 2), interOp: 1, tesseractOmpThreadLimit: Number(process.env.BENCH_THREADS ?? 2) },
  date: new Date().toISOString(),
  // Variables that make every Node process do work at start-up unrelated to OCR. NODE_EXTRA_CA_CERTS (set on the
  // machines these numbers come from) makes Node parse a CA bundle before the first line of a script runs:
  // `node -e 0` took 0.11-0.14 s with it and 0.04 s without. No runner makes a TLS connection, so the runners
  // start without it (every system alike); BENCH_KEEP_ENV=1 keeps it. Reported with the results.
  removedFromRunnerEnv: process.env.BENCH_KEEP_ENV === '1' ? [] : ['NODE_EXTRA_CA_CERTS'].filter((k) => k in process.env),
};
const runnerEnv = { ...process.env };
for (const k of machine.removedFromRunnerEnv) delete runnerEnv[k];

// ----------------------------------------------------------------------------------------------- geometry
const area = (p) => {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const [x1, y1] = p[i];
    const [x2, y2] = p[(i + 1) % p.length];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
};
// Sutherland-Hodgman: subject polygon clipped by a convex polygon (the ground-truth quad).
function intersection(subject, clip) {
  const sign = area(clip) >= 0 ? 1 : -1;
  const inside = (p, a, b) => sign * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) >= 0;
  const cross = (p, q, a, b) => {
    const a1 = b[1] - a[1];
    const b1 = a[0] - b[0];
    const c1 = a1 * a[0] + b1 * a[1];
    const a2 = q[1] - p[1];
    const b2 = p[0] - q[0];
    const c2 = a2 * p[0] + b2 * p[1];
    const d = a1 * b2 - a2 * b1;
    if (Math.abs(d) < 1e-12) return p;
    return [(c1 * b2 - c2 * b1) / d, (a1 * c2 - a2 * c1) / d];
  };
  let out = subject;
  for (let i = 0; i < clip.length && out.length; i++) {
    const a = clip[i];
    const b = clip[(i + 1) % clip.length];
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j];
      const q = input[(j + 1) % input.length];
      const pin = inside(p, a, b);
      const qin = inside(q, a, b);
      if (pin) {
        out.push(p);
        if (!qin) out.push(cross(p, q, a, b));
      } else if (qin) out.push(cross(p, q, a, b));
    }
  }
  return out.length >= 3 ? Math.abs(area(out)) : 0;
}
function iou(pred, gt) {
  const ap = Math.abs(area(pred));
  const ag = Math.abs(area(gt));
  if (ap <= 0 || ag <= 0) return 0;
  const inter = intersection(pred, gt);
  return inter / (ap + ag - inter);
}

// ----------------------------------------------------------------------------------------------- text
const noSpace = (s) => s.replace(/\s+/gu, '');
// Word boundaries kept: whitespace runs as one space, trimmed.
const spaced = (s) => s.replace(/\s+/gu, ' ').trim();
const loose = (s) => noSpace(s.normalize('NFKC').toLowerCase()).replace(/[^\p{L}\p{N}]/gu, '');
function levenshtein(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

// ICDAR2015-style evaluation of one image: IoU > 0.5, one-to-one, greedy by IoU (no "###" lines in this set).
function evaluateImage(gt, pred) {
  const pairs = [];
  pred.forEach((p, i) => {
    if (!Array.isArray(p.box) || p.box.length < 3) return;
    gt.lines.forEach((g, j) => {
      const v = iou(p.box, g.box);
      if (v > 0.5) pairs.push([v, i, j]);
    });
  });
  pairs.sort((a, b) => b[0] - a[0]);
  const usedP = new Set();
  const matchOfGt = new Map();
  for (const [, i, j] of pairs) {
    if (usedP.has(i) || matchOfGt.has(j)) continue;
    usedP.add(i);
    matchOfGt.set(j, i);
  }
  let correct = 0;
  let correctLoose = 0;
  let correctSpaced = 0;
  let edits = 0;
  let editsMatched = 0;
  let chars = 0;
  let charsMatched = 0;
  gt.lines.forEach((g, j) => {
    const ref = noSpace(g.text);
    chars += Array.from(ref).length;
    if (matchOfGt.has(j)) {
      const hyp = noSpace(pred[matchOfGt.get(j)].text);
      if (hyp === ref) correct++;
      if (loose(hyp) === loose(ref)) correctLoose++;
      if (spaced(pred[matchOfGt.get(j)].text) === spaced(g.text)) correctSpaced++;
      const e = levenshtein(ref, hyp);
      edits += e;
      editsMatched += e;
      charsMatched += Array.from(ref).length;
    } else edits += Array.from(ref).length;
  });
  return { gt: gt.lines.length, pred: pred.length, matched: matchOfGt.size, correct, correctLoose, correctSpaced, edits, editsMatched, chars, charsMatched };
}

function evaluate(result) {
  const tot = { gt: 0, pred: 0, matched: 0, correct: 0, correctLoose: 0, correctSpaced: 0, edits: 0, editsMatched: 0, chars: 0, charsMatched: 0 };
  const perImage = [];
  for (const img of result.images) {
    const gt = gts.get(img.file);
    const e = evaluateImage(gt, img.lines ?? []);
    perImage.push({ file: path.relative(ROOT, img.file), ms: img.ms, error: img.error, ...e });
    for (const k of Object.keys(tot)) tot[k] += e[k];
  }
  const P = tot.pred ? tot.matched / tot.pred : 0;
  const R = tot.gt ? tot.matched / tot.gt : 0;
  return {
    ...tot,
    precision: P,
    recall: R,
    hmean: P + R ? (2 * P * R) / (P + R) : 0,
    e2eWordAccuracy: tot.gt ? tot.correct / tot.gt : 0,
    e2ePrecision: tot.pred ? tot.correct / tot.pred : 0,
    e2eWordAccuracyIgnoreCaseSymbols: tot.gt ? tot.correctLoose / tot.gt : 0,
    e2eLineAccuracyWithSpaces: tot.gt ? tot.correctSpaced / tot.gt : 0,
    cer: tot.chars ? tot.edits / tot.chars : 0,
    cerMatched: tot.charsMatched ? tot.editsMatched / tot.charsMatched : 0,
    perImage,
  };
}

// ----------------------------------------------------------------------------------------------- running
function runOne(sys) {
  return new Promise((resolve) => {
    const args = ['-v', process.execPath, path.join(HERE, 'runners', sys.runner), listPath, ...sys.args];
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', args, { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'], env: runnerEnv });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const peakRssMB = m ? Number(m[1]) / 1024 : null;
      const jsonLine = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || !jsonLine) {
        const tail = err.replace(/\tCommand being timed[\s\S]*$/, '').trim().split('\n').slice(-8).join('\n');
        resolve({ id: sys.id, failed: true, exitCode: code, peakRssMB, processWallS: wallS, stderrTail: tail });
        return;
      }
      resolve({ id: sys.id, ...JSON.parse(jsonLine), peakRssMB, processWallS: wallS });
    });
  });
}

if (!existsSync('/usr/bin/time')) throw new Error("/usr/bin/time is missing: apt-get install -y time");
const toRun = (sweepOnly ? [] : SYSTEMS).filter((s) => only.length === 0 || only.includes(s.id)).concat(sweep ? SWEEP : []);
console.error(`images: ${files.length} (${files.length - 1} timed + 1 warm-up), systems: ${toRun.map((s) => s.id).join(', ')}`);
for (const sys of toRun) if (sys.runner === 'ocrkit.mjs') sys.args = [...sys.args, ...ocrkitArgs];
const runsOf = new Map(toRun.map((s) => [s.id, []]));
const rawLines = {}; // system id -> one entry per successful round -> per image {file, ms, error, lines}
for (let round = 1; round <= rounds; round++) {
  for (const sys of toRun) {
    const load = os.loadavg()[0];
    process.stderr.write(`${rounds > 1 ? `round ${round}/${rounds}: ` : ''}running ${sys.id} (load ${load.toFixed(2)}) ... `);
    const r = await runOne(sys);
    r.loadBefore = load;
    if (!r.failed) {
      r.accuracy = evaluate(r);
      // Every round's recognised lines (text + box) of every image go to results/e2e-lines.json: a round that read
      // an image differently from the others is named in the report and can be diffed there.
      (rawLines[sys.id] ??= []).push(r.images.map((img) => ({ file: path.relative(ROOT, img.file), ms: img.ms, error: img.error, lines: img.lines })));
      delete r.images;
    }
    process.stderr.write(r.failed ? `FAILED (exit ${r.exitCode})\n${r.stderrTail}\n` : `${r.imagesPerSec.toFixed(2)} img/s, ${r.errors} errors\n`);
    runsOf.get(sys.id).push({ ...r, sweep: sys.c ? { concurrency: sys.c, intraOpThreads: sys.t, rule: sys.rule } : undefined });
  }
}
// Each system's reported run: the one with its median images/s over the rounds (all rounds' numbers kept).
const results = toRun.map((sys) => {
  const runs = runsOf.get(sys.id);
  const good = runs.filter((r) => !r.failed).sort((a, b) => a.imagesPerSec - b.imagesPerSec);
  if (good.length === 0) return runs[runs.length - 1];
  return {
    ...good[(good.length - 1) >> 1],
    roundsImagesPerSec: runs.map((r) => (r.failed ? null : r.imagesPerSec)),
    roundsStartToFirstResultMs: runs.map((r) => (r.failed ? null : r.startToFirstResultMs)),
  };
});

// ----------------------------------------------------------------------------------------------- report
const fmt = (v, d = 1) => (v == null || Number.isNaN(v) ? '-' : v.toFixed(d));
const ok = results.filter((r) => !r.failed && !r.sweep);
const peers = ok.filter((r) => SYSTEMS.find((s) => s.id === r.id)?.peer);
const fastestPeer = peers.reduce((a, b) => (a && a.imagesPerSec >= b.imagesPerSec ? a : b), null);
const lowestPeerP50 = peers.filter((r) => r.p50Ms != null).reduce((a, b) => (a && a.p50Ms <= b.p50Ms ? a : b), null);

const lines = [];
lines.push(`Machine: ${machine.cpu}, ${machine.logicalCores} logical cores, ${machine.memoryGB} GB; ${machine.os}`);
lines.push(`Node ${machine.node}${machine.removedFromRunnerEnv.length ? ` (runners started without ${machine.removedFromRunnerEnv.join(', ')}: Node's start-up work unrelated to OCR)` : ''}; onnxruntime-node ${machine.onnxruntimeNode.bench} (bench) / ${machine.onnxruntimeNode.ocrkit}'s library (ocrkit, runtime/); ONNX Runtime intra-op threads ${machine.threads.intraOp}, inter-op 1 where configurable; tesseract OMP_THREAD_LIMIT ${machine.threads.tesseractOmpThreadLimit}`);
lines.push(`Images: ${files.length} distinct (${listImages(FIXTURES).filter((f) => files.includes(f)).length} fixtures + ${files.length - listImages(FIXTURES).filter((f) => files.includes(f)).length} generated), ${[...gts.values()].reduce((a, g) => a + g.lines.length, 0)} ground-truth lines; warm-up ${path.basename(files[0])} (not timed, counted for accuracy)`);
lines.push('');
lines.push('| system | images/s | x fastest peer | p50 ms | p95 ms | start to 1st result ms | peak RSS MB | det P | det R | det hmean | e2e word acc | lines with spaces | CER | errors |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results.filter((x) => !x.sweep)) {
  if (r.failed) {
    lines.push(`| ${r.id} | failed (exit ${r.exitCode}) | | | | | ${fmt(r.peakRssMB, 0)} | | | | | | | |`);
    continue;
  }
  const a = r.accuracy;
  const ratio = fastestPeer ? r.imagesPerSec / fastestPeer.imagesPerSec : null;
  const rss = r.childPeakRssMB ? `${fmt(r.peakRssMB, 0)} (tesseract ${fmt(r.childPeakRssMB, 0)})` : fmt(r.peakRssMB, 0);
  lines.push(`| ${r.system} | ${fmt(r.imagesPerSec, 2)} | ${fmt(ratio, 2)} | ${fmt(r.p50Ms, 0)} | ${fmt(r.p95Ms, 0)} | ${fmt(r.startToFirstResultMs, 0)} | ${rss} | ${fmt(a.precision * 100)} | ${fmt(a.recall * 100)} | ${fmt(a.hmean * 100)} | ${fmt(a.e2eWordAccuracy * 100)} | ${fmt(a.e2eLineAccuracyWithSpaces * 100)} | ${fmt(a.cer * 100)} | ${r.errors} |`);
}
lines.push('');
if (fastestPeer) lines.push(`Fastest peer by images/s: ${fastestPeer.system} (${fmt(fastestPeer.imagesPerSec, 2)} img/s); lowest peer p50: ${lowestPeerP50?.system} (${fmt(lowestPeerP50?.p50Ms, 0)} ms).`);
for (const r of ok.filter((x) => x.id.startsWith('ocrkit'))) {
  const parts = [];
  if (fastestPeer) parts.push(`images/s ${fmt(r.imagesPerSec / fastestPeer.imagesPerSec, 2)}x ${fastestPeer.system}`);
  if (lowestPeerP50 && r.p50Ms != null) parts.push(`p50 ${fmt(r.p50Ms, 0)} ms vs ${fmt(lowestPeerP50.p50Ms, 0)} ms for ${lowestPeerP50.system} (ocrkit/peer ${fmt(r.p50Ms / lowestPeerP50.p50Ms, 2)}x)`);
  lines.push(`${r.system}: ${parts.join('; ')}`);
}
lines.push('images/s: timed images / wall time of the timed loop (sequential per-image calls, or one batch call for the *Batch rows: their p50/p95 are not per-image).');
if (rounds > 1) {
  lines.push(`images/s and the columns beside it: each system's median round of ${rounds} (run round-robin); every round's images/s:`);
  for (const r of results) if (r.roundsImagesPerSec) lines.push(`  ${r.system}: ${r.roundsImagesPerSec.map((v) => fmt(v, 2)).join(', ')}`);
  lines.push('start to first result (ms), every round:');
  for (const r of results) if (r.roundsStartToFirstResultMs) lines.push(`  ${r.system}: ${r.roundsStartToFirstResultMs.map((v) => fmt(v, 0)).join(', ')}`);
  // The ratio of medians pairs one system's good round with another's bad one when the machine drifts; the ratio
  // within each round (runs minutes apart) does not, and its median is the steadier number.
  if (fastestPeer?.roundsImagesPerSec) {
    lines.push(`images/s / ${fastestPeer.system}'s in the same round, per round (median):`);
    for (const r of ok.filter((x) => x.id.startsWith('ocrkit') && x.roundsImagesPerSec)) {
      const ratios = r.roundsImagesPerSec.map((v, k) => (v != null && fastestPeer.roundsImagesPerSec[k] ? v / fastestPeer.roundsImagesPerSec[k] : null));
      const valid = ratios.filter((v) => v != null).sort((a, b) => a - b);
      r.roundsRatioToFastestPeer = ratios;
      r.medianRoundRatioToFastestPeer = valid.length ? valid[(valid.length - 1) >> 1] : null;
      lines.push(`  ${r.system}: ${ratios.map((v) => fmt(v, 2)).join(', ')} (${fmt(r.medianRoundRatioToFastestPeer, 2)}x)`);
    }
  }
}
// Rounds that disagree: the same build on the same images should read every image the same way in every round.
const readingOf = (img) => JSON.stringify(img.error ?? img.lines.map((l) => [l.text, l.box]));
if (rounds > 1) lines.push('Readings across rounds (texts and boxes of every image):');
for (const [id, perRound] of Object.entries(rawLines)) {
  if (perRound.length < 2) continue;
  const differing = [];
  perRound[0].forEach((img, i) => {
    const readings = perRound.map((round) => readingOf(round[i]));
    if (readings.some((x) => x !== readings[0])) {
      const first = readings.findIndex((x) => x !== readings[0]);
      differing.push(`${path.basename(img.file)} (round ${first + 1} differs from round 1)`);
    }
  });
  const system = results.find((r) => r.id === id)?.system ?? id;
  lines.push(differing.length
    ? `  ${system}: rounds read ${differing.length} image(s) differently: ${differing.join(', ')} (results/e2e-lines.json has every round)`
    : `  ${system}: all ${perRound.length} rounds identical`);
}
const withWork = ok.filter((r) => r.work);
if (withWork.length) {
  // Work: what each system asked of the same models over the timed images (README of bench/: ocrkit's own
  // count, result.work; a peer's from the input shape of each onnxruntime-node run).
  const peerWork = fastestPeer?.work;
  lines.push('');
  lines.push(`Work asked of the models over the ${files.length - 1} timed images (same models; a failed image counts what ran before it failed):`);
  lines.push(`| system | detector input Mpx | recognition crops | recognition input columns (k) | of which text | columns x ${fastestPeer?.system ?? 'fastest peer'} |`);
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const r of withWork) {
    const w = r.work;
    const text = w.recognitionTextColumns == null ? '-' : `${fmt((100 * w.recognitionTextColumns) / w.recognitionColumns, 1)}%`;
    const x = peerWork ? fmt(w.recognitionColumns / peerWork.recognitionColumns, 2) : '-';
    lines.push(`| ${r.system} | ${fmt(w.detectionPixels / 1e6, 1)} | ${w.recognitionCrops} | ${fmt(w.recognitionColumns / 1e3, 1)} | ${text} | ${x} |`);
  }
}
lines.push('det: polygon IoU > 0.5, one-to-one, greedy by IoU. e2e word acc: a ground-truth line is correct when its matched prediction equals it after removing whitespace (case- and symbol-sensitive); lines with spaces: the same with word boundaries kept (whitespace runs as one space). CER: edit distance / ground-truth characters over all lines (a missed line counts as deleted).');
const sweepRows = results.filter((x) => x.sweep);
if (sweepRows.length) {
  lines.push('');
  lines.push('ocrkit concurrency sweep (c recognize() calls in flight, createOcr({concurrency: c, intraOpThreads: t})); * = t = max(1, floor(2 / c))');
  lines.push('| c | t | images/s | p50 ms | p95 ms | peak RSS MB | det hmean | e2e word acc |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of sweepRows)
    lines.push(r.failed ? `| ${r.sweep.concurrency} | ${r.sweep.intraOpThreads} | failed | | | | | |` : `| ${r.sweep.concurrency} | ${r.sweep.intraOpThreads}${r.sweep.rule ? ' *' : ''} | ${fmt(r.imagesPerSec, 2)} | ${fmt(r.p50Ms, 0)} | ${fmt(r.p95Ms, 0)} | ${fmt(r.peakRssMB, 0)} | ${fmt(r.accuracy.hmean * 100)} | ${fmt(r.accuracy.e2eWordAccuracy * 100)} |`);
}
const failed = results.filter((r) => r.failed);
if (failed.length) {
  lines.push('');
  for (const r of failed) lines.push(`${r.id} failed:\n${r.stderrTail}`);
}
console.log(lines.join('\n'));

const outPath = path.join(RESULTS, 'e2e.json');
writeFileSync(outPath, JSON.stringify({ machine, images: files.map((f) => path.relative(ROOT, f)), warmup: path.relative(ROOT, files[0]), results }, null, 1));
writeFileSync(path.join(RESULTS, 'e2e-lines.json'), JSON.stringify(rawLines));
console.error(`wrote ${path.relative(process.cwd(), outPath)} and results/e2e-lines.json`);
