// visualize(): the result image (image + text panel) as PNG/JPEG bytes, its options and errors, and the folder
// command's <stem>_ocr_res_img files.
import test from 'ava';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FONT_PATHS, visualizationName, visualize } from '../dist/index.mjs';
import { imagesDir } from './helpers/fixtures.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const chinese = path.join(imagesDir, 'doc-h-900x900-chinese-blur-q60.jpg');
const truth = JSON.parse(fs.readFileSync(path.join(imagesDir, 'doc-h-900x900-chinese-blur-q60.json'), 'utf8'));
const latin = path.join(imagesDir, 'doc-a-640x480.png');

/** Width and height from a PNG's IHDR. */
function pngSize(buf) {
  return { signature: buf.subarray(1, 4).toString('latin1'), width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** JPEG size from its SOF0/SOF2 marker. */
function jpegSize(buf) {
  let i = 2;
  while (i < buf.length) {
    const marker = buf[i + 1];
    const length = buf.readUInt16BE(i + 2);
    if (marker === 0xc0 || marker === 0xc2) return { width: buf.readUInt16BE(i + 7), height: buf.readUInt16BE(i + 5) };
    i += 2 + length;
  }
  return undefined;
}

/** Decodes an 8-bit RGB, non-interlaced PNG (what OpenCV writes for BGR) into {width, height, rgb}. */
function decodePng(buf) {
  const { width, height } = pngSize(buf);
  t_assert(buf[24] === 8 && buf[25] === 2 && buf[28] === 0, 'expected 8-bit RGB non-interlaced');
  const chunks = [];
  for (let i = 8; i < buf.length; ) {
    const len = buf.readUInt32BE(i);
    const type = buf.subarray(i + 4, i + 8).toString('latin1');
    if (type === 'IDAT') chunks.push(buf.subarray(i + 8, i + 8 + len));
    i += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(chunks));
  const stride = width * 3;
  const rgb = Buffer.alloc(stride * height);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rgb.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= 3 ? out[x - 3] : 0;
      const b = prev[x];
      const c = x >= 3 ? prev[x - 3] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = v & 0xff;
    }
    prev = out;
  }
  return { width, height, rgb };
}

function t_assert(ok, message) {
  if (!ok) throw new Error(message);
}

test('draws a fixture result: PNG of 2W x H, ink in the panel inside each box, white outside', async (t) => {
  const png = await visualize(chinese, truth);
  t.true(Buffer.isBuffer(png));
  t.deepEqual(pngSize(png), { signature: 'PNG', width: 2 * truth.width, height: truth.height });
  const { width, rgb } = decodePng(png);
  const grey = (x, y) => {
    const o = (y * width + x) * 3;
    return (rgb[o] + rgb[o + 1] + rgb[o + 2]) / 3;
  };
  // Each line's box on the panel holds dark ink (its text).
  for (const line of truth.lines) {
    const xs = line.box.map((p) => p[0]);
    const ys = line.box.map((p) => p[1]);
    const cx = Math.round((Math.min(...xs) + Math.max(...xs)) / 2);
    const cy = Math.round((Math.min(...ys) + Math.max(...ys)) / 2);
    let darkest = 255;
    for (let y = cy - 8; y <= cy + 8; y++) for (let x = cx - 60; x <= cx + 60; x++) darkest = Math.min(darkest, grey(truth.width + x, y));
    t.true(darkest < 90, `${line.text}: darkest ${darkest}`);
  }
  // Below the last line the panel is blank white.
  for (let y = 860; y < 890; y += 3) for (let x = 20; x < 880; x += 7) t.is(grey(truth.width + x, y), 255);
});

test('jpg format, pixels and bytes inputs, detection regions without text', async (t) => {
  const jpg = await visualize(chinese, truth, { format: 'jpg' });
  t.is(jpg[0], 0xff);
  t.is(jpg[1], 0xd8);
  t.deepEqual(jpegSize(jpg), { width: 1800, height: 900 });
  const bytes = await visualize(fs.readFileSync(latin), { lines: [{ box: [[10, 10], [100, 10], [100, 40], [10, 40]] }] });
  t.deepEqual(pngSize(bytes), { signature: 'PNG', width: 1280, height: 480 });
  const pixels = { data: new Uint8Array(64 * 32 * 3).fill(128), width: 64, height: 32, channels: 3 };
  t.deepEqual(pngSize(await visualize(pixels, { lines: [] })), { signature: 'PNG', width: 128, height: 32 });
  // A polygon (boxType 'polygon') is drawn instead of the box.
  const polygon = await visualize(pixels, {
    lines: [{ box: [[0, 0], [1, 0], [1, 1], [0, 1]], polygon: [[4, 4], [40, 4], [60, 20], [30, 28], [4, 20]], text: 'ab' }],
  });
  t.is(pngSize(polygon).width, 128);
});

test('the EXIF orientation is applied as the engine applies it', async (t) => {
  const exif = path.join(imagesDir, 'exif-orientation6-1280x720.jpg');
  const upright = pngSize(await visualize(exif, { lines: [] }));
  t.deepEqual([upright.width, upright.height], [2 * 1280, 720]); // stored 720 x 1280, EXIF 6 turns it
  const stored = pngSize(await visualize(exif, { lines: [] }, { applyExifOrientation: false }));
  t.deepEqual([stored.width, stored.height], [2 * 720, 1280]);
});

test('fonts: the shipped ones resolve in the package; a given font goes first; bad fonts fail with codes', async (t) => {
  t.is(DEFAULT_FONT_PATHS.length, 2);
  for (const f of DEFAULT_FONT_PATHS) t.true(fs.existsSync(f), f);
  const withFont = await visualize(chinese, truth, { fontPath: DEFAULT_FONT_PATHS[0] });
  t.is(pngSize(withFont).width, 1800);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-vis-font-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bad = path.join(dir, 'bad.ttf');
  fs.writeFileSync(bad, fs.readFileSync(DEFAULT_FONT_PATHS[0]).subarray(0, 500));
  const truncated = await t.throwsAsync(visualize(chinese, truth, { fontPath: bad }), { code: 'ERR_OCR_INVALID_OPTION' });
  t.regex(truncated.message, /^font: .*bad\.ttf: .*outside the file/);
  t.regex(truncated.stack, /visualize\.test\.mjs/); // the caller's stack
  await t.throwsAsync(visualize(chinese, truth, { fontPath: path.join(dir, 'missing.ttf') }), { code: 'ERR_OCR_FILE_NOT_FOUND' });
});

test('invalid arguments are ERR_OCR_INVALID_OPTION naming the field', async (t) => {
  const quad = [[0, 0], [10, 0], [10, 10], [0, 10]];
  const cases = [
    [{ lines: 'x' }, {}, /result\.lines: expected an array/],
    // eslint-disable-next-line no-sparse-arrays
    [{ lines: [{ box: quad }, , { box: quad }] }, {}, /result\.lines\[1\]: expected an object/],
    [{ lines: [{ box: [[0, NaN]] }] }, {}, /result\.lines\[0\]\.box\[0\]: expected an \[x, y\] pair/],
    [{ lines: [{ box: quad, text: 5 }] }, {}, /result\.lines\[0\]\.text: expected a string/],
    [{ lines: [] }, { format: 'gif' }, /options\.format: expected 'png' or 'jpg'/],
    [{ lines: [] }, { colour: 'red' }, /options\.colour: unknown option/],
    [{ lines: [] }, { fontPath: [] }, /options\.fontPath: expected a \.ttf path/],
    [{ lines: [] }, { fontPath: `${DEFAULT_FONT_PATHS[0]}\0.bak` }, /options\.fontPath: expected a \.ttf path/],
    // eslint-disable-next-line no-sparse-arrays
    [{ lines: [] }, { fontPath: [DEFAULT_FONT_PATHS[0], , DEFAULT_FONT_PATHS[0]] }, /options\.fontPath: expected a \.ttf path/],
    [{ lines: [] }, { maxPixels: 0 }, /options\.maxPixels: expected an integer/],
  ];
  for (const [result, options, message] of cases) {
    await t.throwsAsync(visualize(chinese, result, options), { code: 'ERR_OCR_INVALID_OPTION', message });
  }
  await t.throwsAsync(visualize(Buffer.from('not an image'), { lines: [] }), { code: 'ERR_OCR_UNSUPPORTED_FORMAT' });
  await t.throwsAsync(visualize(chinese, { lines: [] }, { maxPixels: 1000 }), { code: 'ERR_OCR_IMAGE_TOO_LARGE' });
});

test('visualizationName: png for png inputs, jpg otherwise, sub-folders kept', (t) => {
  t.deepEqual(visualizationName('a/doc.PNG'), { file: 'a/doc_ocr_res_img.png', format: 'png' });
  t.deepEqual(visualizationName('scan.tiff'), { file: 'scan_ocr_res_img.jpg', format: 'jpg' });
  t.deepEqual(visualizationName('x/y/page.jpeg'), { file: 'x/y/page_ocr_res_img.jpg', format: 'jpg' });
});

const run = (args, cwd) =>
  new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } }, (error, stdout, stderr) => {
      resolve({ status: error ? error.code : 0, stdout, stderr });
    });
  });

test('folder command: system mode draws <stem>_ocr_res_img files by default; --visualize_output false does not', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-vis-cli-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'in', 'sub'), { recursive: true });
  fs.copyFileSync(chinese, path.join(root, 'in', 'sub', 'zh.jpg'));
  fs.copyFileSync(latin, path.join(root, 'in', 'en.png'));
  const out = path.join(root, 'out');
  const r = await run(['--image_dir', 'in', '--draw_img_save_dir', out, '--vis_font_path', DEFAULT_FONT_PATHS[0]], root);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /; 2 result images drawn/);
  const png = fs.readFileSync(path.join(out, 'en_ocr_res_img.png'));
  t.deepEqual(pngSize(png), { signature: 'PNG', width: 1280, height: 480 });
  const jpg = fs.readFileSync(path.join(out, 'sub', 'zh_ocr_res_img.jpg'));
  t.deepEqual(jpegSize(jpg), { width: 1800, height: 900 });
  // det mode draws only when asked; rec mode says there is nothing to draw.
  const det = await run(['--mode', 'det', '--image_dir', 'in', '--draw_img_save_dir', path.join(root, 'det'), '--visualize_output'], root);
  t.is(det.status, 0, det.stderr);
  t.true(fs.existsSync(path.join(root, 'det', 'sub', 'zh_ocr_res_img.jpg')));
  const off = await run(['--image_dir', 'in', '--draw_img_save_dir', path.join(root, 'off'), '--visualize_output=false'], root);
  t.is(off.status, 0, off.stderr);
  t.false(fs.existsSync(path.join(root, 'off', 'en_ocr_res_img.png')));
  t.true(fs.existsSync(path.join(root, 'off', 'system_results.txt')));
  const badFont = await run(['--image_dir', 'in', '--vis_font_path', 'nope.ttf'], root);
  t.is(badFont.status, 2);
  t.regex(badFont.stderr, /--vis_font_path: no such file: nope\.ttf/);
});
