// Tesseract CLI runner (Debian's tesseract-ocr 5.x + tesseract-ocr-eng + tesseract-ocr-chi-sim), driven the way
// Node wrappers such as node-tesseract-ocr do: one `tesseract <file> stdout -l eng+chi_sim tsv` process per image
// (so each call loads the traineddata again: that is part of its latency). OMP_THREAD_LIMIT=2 caps its OpenMP
// threads. Lines are TSV level-4 rows (axis-aligned boxes), text = their words joined by spaces.
// Peak RSS: every tesseract process runs under /usr/bin/time -f %M; the runner reports the largest (the
// e2e harness reports max(node wrapper, that)). No detection size policy: tesseract reads the full image.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { THREADS, rect, run } from './common.mjs';

const pexec = promisify(execFile);
const LANGS = process.env.TESS_LANGS ?? 'eng+chi_sim';
let childPeakKB = 0;
const env = { ...process.env, OMP_THREAD_LIMIT: String(THREADS) };

async function version() {
  const { stdout, stderr } = await pexec('tesseract', ['--version'], { env });
  return (stdout + stderr).split('\n')[0].trim();
}

function parseTsv(tsv) {
  const lines = new Map();
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12) continue;
    const [level, page, block, par, line, , left, top, width, height, conf] = c.slice(0, 11).map(Number);
    const text = c.slice(11).join('\t');
    const key = `${page}.${block}.${par}.${line}`;
    if (level === 4) lines.set(key, { box: rect(left, top, width, height), words: [], confs: [] });
    else if (level === 5 && text.trim() !== '' && lines.has(key)) {
      lines.get(key).words.push(text.trim());
      lines.get(key).confs.push(conf / 100);
    }
  }
  return [...lines.values()]
    .filter((l) => l.words.length)
    .map((l) => ({ text: l.words.join(' '), box: l.box, score: l.confs.reduce((a, b) => a + b, 0) / l.confs.length }));
}

const ver = await version();
await run({
  system: 'tesseract CLI',
  versions: { tesseract: ver },
  config: { langs: LANGS, OMP_THREAD_LIMIT: THREADS, oem: 'default (LSTM)', psm: 3, note: 'one process per image; full-resolution input' },
  init: async () => ({}),
  recognize: async (_ctx, file) => {
    const { stdout, stderr } = await pexec('/usr/bin/time', ['-f', 'PEAKRSS %M', 'tesseract', file, 'stdout', '-l', LANGS, 'tsv'], { env, maxBuffer: 64 << 20 });
    const m = /PEAKRSS (\d+)/.exec(stderr);
    if (m) childPeakKB = Math.max(childPeakKB, Number(m[1]));
    return parseTsv(stdout);
  },
  extra: () => ({ childPeakRssMB: childPeakKB / 1024 }),
});
