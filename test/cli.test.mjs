// The minimal command: text of each image, --json, --version, exit codes.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { badDir, detectionFixtures } from './helpers/fixtures.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const docs = detectionFixtures().filter((f) => f.name.startsWith('doc-'));

test('--json prints one object per image, a failed image as {image, error}, exit code 1', (t) => {
  const bad = path.join(badDir, 'truncated.jpg');
  const r = run('--json', docs[0].file, bad, docs[1].file);
  t.is(r.status, 1, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.is(rows.length, 3);
  t.is(rows[0].image, docs[0].file);
  t.true(rows[0].lines.length > 0);
  t.deepEqual(Object.keys(rows[0].lines[0]).sort(), ['box', 'boxScore', 'score', 'text']);
  t.is(rows[1].error.code, 'ERR_OCR_INVALID_IMAGE');
  t.true(rows[2].lines.length > 0);
});

/** A w x h 8-bit grey BMP, RLE8-compressed: one run per row, end-of-line codes, end of bitmap. */
function rle8Bmp(w, h) {
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(w, (y * 3) % 256, 0, 0);
  rows.push(0, 1);
  const pixels = Buffer.from(rows);
  const palette = Buffer.alloc(1024);
  for (let i = 0; i < 256; i++) palette.fill(i, i * 4, i * 4 + 3);
  const header = Buffer.alloc(54);
  const offset = 54 + palette.length;
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(offset + pixels.length, 2);
  header.writeUInt32LE(offset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(w, 18);
  header.writeInt32LE(h, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(8, 28);
  header.writeUInt32LE(1, 30); // BI_RLE8
  header.writeUInt32LE(pixels.length, 34);
  header.writeUInt32LE(256, 46);
  return Buffer.concat([header, palette, pixels]);
}

test('corrupt images are reported in their JSON rows, with nothing written on stderr by the decoders', (t) => {
  // Without the addon's silent handlers (cpp/image/decoder_quiet.cc) and its BMP length check, libpng prints
  // "libpng error: ..." for corrupt.png, libjpeg "Corrupt JPEG data: ..." for a JPEG with a damaged scan (which
  // still decodes), and OpenCV "imdecode_(''): can't read data: ..." for a BMP cut in its pixel rows or in its
  // RLE stream (the latter reaches OpenCV's decoder, which throws: patched silent in scripts/build-deps.sh).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-'));
  try {
    const jpeg = fs.readFileSync(detectionFixtures().find((f) => f.file.endsWith('.jpg')).file);
    jpeg.fill(0, 2000, 2100);
    const damaged = path.join(dir, 'damaged.jpg');
    fs.writeFileSync(damaged, jpeg);
    const cut = path.join(dir, 'cut.bmp');
    fs.writeFileSync(cut, fs.readFileSync(detectionFixtures().find((f) => f.file.endsWith('.bmp')).file).subarray(0, 500));
    const rleCut = path.join(dir, 'rle-cut.bmp');
    fs.writeFileSync(rleCut, rle8Bmp(64, 64).subarray(0, 14 + 40 + 1024 + 40));
    const bad = ['corrupt.png', 'zero-size-header.png', 'truncated.jpg', 'empty.jpg'].map((f) => path.join(badDir, f));
    const r = run('--json', ...bad, cut, rleCut, damaged);
    t.is(r.status, 1);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    t.deepEqual(
      rows.slice(0, 6).map((row) => row.error.code),
      [...bad, cut, rleCut].map(() => 'ERR_OCR_INVALID_IMAGE'),
    );
    t.regex(rows[4].error.message, /truncated BMP/);
    t.true(Array.isArray(rows[6].lines), JSON.stringify(rows[6]));
    t.is(r.stderr, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('plain output lists each image and its lines; exit code 0 when all succeed', (t) => {
  const r = run(docs[0].file);
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.is(lines[0], docs[0].file);
  t.true(lines.length > 5);
});

test('a reader that closes the pipe early (ocrkit ... | head -1) ends the command quietly with exit code 0', (t) => {
  const quote = (v) => `'${v.replace(/'/g, "'\\''")}'`;
  const files = docs.slice(0, 3).map((f) => quote(f.file)).join(' ');
  const r = spawnSync('bash', ['-c', `${quote(process.execPath)} ${quote(cli)} ${files} | head -1; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  t.is(r.stdout.split('\n').filter(Boolean).length, 1);
  t.notRegex(r.stderr, /EPIPE|Unhandled/);
  t.is(r.status, 0);
});

test('--return_word_box adds each line\'s words ({text, score, box}) to --json, as the words option does', (t) => {
  const r = run('--json', '--return_word_box', docs[0].file);
  t.is(r.status, 0, r.stderr);
  const [row] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.true(row.lines.length > 0);
  for (const line of row.lines) {
    t.deepEqual(Object.keys(line).sort(), ['box', 'boxScore', 'score', 'text', 'words']);
    let at = 0;
    for (const word of line.words) {
      at = line.text.indexOf(word.text, at);
      t.true(at >= 0, `"${word.text}" in order in "${line.text}"`);
      at += word.text.length;
    }
    t.true(line.words.length > 0);
    t.true(line.words.every((w) => Object.keys(w).sort().join() === 'box,score,text' && w.box.length === 4));
  }
});

test('--version names ocrkit, ONNX Runtime, the providers and the source hash', (t) => {
  const r = run('--version');
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^ocrkit \d+\.\d+\.\d+\nonnxruntime 1\.\d+\.\d+ \(.*libonnxruntime\.so\.1\)\nproviders cpu\nnative source [0-9a-f]{64}\n$/);
});

test('-- ends the options: an image named like an option is read after it', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-dashes-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(docs[0].file, path.join(dir, '--json'));
  const asOption = spawnSync(process.execPath, [cli, '--json'], { encoding: 'utf8', cwd: dir });
  t.is(asOption.status, 2);  // read as the option, with no image
  const r = spawnSync(process.execPath, [cli, '--', '--json'], { encoding: 'utf8', cwd: dir });
  t.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.is(lines[0], '--json');  // plain output: the file, then its lines
  t.true(lines.length > 5);
  t.deepEqual(lines, run(docs[0].file).stdout.trim().split('\n').map((l, i) => (i === 0 ? '--json' : l)));
});

test('usage errors exit with 2', (t) => {
  t.is(run().status, 2);
  const r = run('--frobnicate', docs[0].file);
  t.is(r.status, 2);
  t.regex(r.stderr, /unknown option --frobnicate/);
  t.is(run('--help').status, 0);
  // The usual short forms of --help and --version; another single letter is an unknown option, not a file.
  const h = run('-h');
  t.is(h.status, 0);
  t.is(h.stdout, run('--help').stdout);
  t.regex(run('-v').stdout, /^ocrkit \d+\.\d+\.\d+\n/);
  const x = run('-x', docs[0].file);
  t.is(x.status, 2);
  t.regex(x.stderr, /unknown option -x/);
  const threads = run('--cpu_threads', '0', docs[0].file);
  t.is(threads.status, 2);
  t.regex(threads.stderr, /--cpu_threads: expected an integer in \[1, 1024\], received "0"/);
});

test('--cpu_threads sets the inference threads and reads the same text', (t) => {
  const one = run('--json', '--cpu_threads', '1', docs[0].file);
  const two = run('--json', '--cpu_threads=2', docs[0].file);
  t.is(one.status, 0, one.stderr);
  t.is(two.status, 0, two.stderr);
  const text = (r) => JSON.parse(r.stdout).lines.map((l) => l.text);
  t.true(text(one).length > 5);
  t.deepEqual(text(one), text(two));
});

test('--preset accurate reads as its five flags do; flags given still win; an unknown preset is a usage error', (t) => {
  const file = docs.find((f) => f.name.startsWith('doc-g')).file;
  const lines = (r) => {
    t.is(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).lines;
  };
  const preset = lines(run('--json', '--preset', 'accurate', file));
  const flags = ['--rec_batch_size', '1', '--det_box_end_padding', '0.1', '--det_merge_gap', '1', '--rec_image_shape', '3,48,48'];
  t.deepEqual(preset, lines(run('--json', ...flags, '--rec_space_threshold', '0.02', file)));
  t.notDeepEqual(preset, lines(run('--json', file)));
  t.deepEqual(lines(run('--json', '--preset=accurate', '--rec_space_threshold', '0', file)), lines(run('--json', ...flags, file)));
  const bad = run('--preset', 'fast', file);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /--preset: expected paddleocr or accurate, received "fast"/);
  t.regex(run('--help').stdout, /--preset paddleocr\|accurate/);
});
