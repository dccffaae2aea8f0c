// Folder mode of the command (MindOCR predict_det / predict_rec / predict_system): result files line by line,
// --save_json, --print, failures, summary, usage errors; and processFolder from the library.
import test from 'ava';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createOcr,
  parseDetectionResults,
  parseRecognitionResults,
  parseSystemResults,
  outputBases,
  processFolder,
} from '../dist/index.mjs';
import { badDir, imagesDir } from './helpers/fixtures.mjs';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

/** Runs the command; resolves {status, stdout, stderr}. */
const run = (args, cwd) =>
  new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } }, (error, stdout, stderr) => {
      resolve({ status: error ? error.code : 0, stdout, stderr });
    });
  });

/** Python's json.dumps(value, ensure_ascii=False), to hold the files to MindOCR's exact spacing. */
function pyDumps(value) {
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pyDumps(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

const chinese = path.join(imagesDir, 'doc-h-900x900-chinese-blur-q60.jpg');
const latin = path.join(imagesDir, 'doc-a-640x480.png');
const line = path.join(badDir, 'gray8.png'); // a 320x120 single text line

let root;

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

test.before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-modes-'));
  // pages/: two files named doc.jpg in different folders, a corrupt image, a file that is not an image.
  copy(chinese, path.join(root, 'pages', 'a', 'doc.jpg'));
  copy(latin, path.join(root, 'pages', 'b', 'doc.PNG'));
  copy(latin, path.join(root, 'pages', 'c', 'doc.png'));
  copy(path.join(badDir, 'corrupt.png'), path.join(root, 'pages', 'corrupt.png'));
  fs.writeFileSync(path.join(root, 'pages', 'notes.txt'), 'not an image\n');
  // lines/: pre-cut text lines for rec mode, again with equal names in two folders.
  copy(line, path.join(root, 'lines', 'x', 'line.png'));
  copy(line, path.join(root, 'lines', 'y', 'line.png'));
  fs.mkdirSync(path.join(root, 'empty', 'sub'), { recursive: true });
});

test.after.always(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const resultLines = (file) => fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
const split = (l) => [l.slice(0, l.indexOf('\t')), l.slice(l.indexOf('\t') + 1)];
const NAMES = ['a/doc.jpg', 'b/doc.PNG', 'c/doc.png'];

test('system mode: system_results.txt in MindOCR format, --save_json, --print, a corrupt image fails alone', async (t) => {
  const out = path.join(root, 'out-system');
  const r = await run(['--image_dir', 'pages', '--draw_img_save_dir', out, '--save_json', '--print'], root);
  t.is(r.status, 1, r.stderr);
  // Summary and the failure on stderr.
  t.regex(r.stderr, /ocrkit: system: 4 images, \d+ lines, [\d.]+ images\/s, 1 failed; results in .*system_results\.txt/);
  t.regex(r.stderr, /failed: .*corrupt\.png: ERR_OCR_INVALID_IMAGE/);
  // The result file: one line per readable image, sorted relative names, Python json.dumps spacing.
  const lines = resultLines(path.join(out, 'system_results.txt'));
  t.deepEqual(lines.map((l) => split(l)[0]), NAMES);
  for (const l of lines) {
    const [name, json] = split(l);
    const [entry] = parseSystemResults(l, 'system_results.txt');
    t.is(entry.image, name);
    t.true(entry.regions.length > 0);
    const value = JSON.parse(json);
    t.is(json, pyDumps(value));
    for (const item of value) {
      t.deepEqual(Object.keys(item), ['transcription', 'points']);
      t.is(item.points.length, 4);
      t.true(item.points.flat().every((v) => Number.isInteger(v) && v >= 0));
    }
  }
  // Non-ASCII unescaped.
  const raw = fs.readFileSync(path.join(out, 'system_results.txt'), 'utf8');
  t.regex(split(lines[0])[1], /[\u4e00-\u9fff]{4}/);
  t.false(raw.includes('\\u'));
  // --print: one object per image, the --json shape, failures as {image, error}.
  const printed = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(
    printed.map((p) => p.image),
    [...NAMES, 'corrupt.png'].map((name) => path.join('pages', ...name.split('/'))),
  );
  t.deepEqual(Object.keys(printed[0].lines[0]).sort(), ['box', 'boxScore', 'score', 'text']);
  t.is(printed[3].error.code, 'ERR_OCR_INVALID_IMAGE');
  // --save_json: PaddleX-style files, sub-folders mirrored so equal names do not collide.
  const a = JSON.parse(fs.readFileSync(path.join(out, 'a', 'doc_res.json'), 'utf8'));
  const b = JSON.parse(fs.readFileSync(path.join(out, 'b', 'doc_res.json'), 'utf8'));
  t.is(a.input_path, path.join('pages', 'a', 'doc.jpg'));
  t.true(a.rec_texts.some((text) => /[\u4e00-\u9fff]/.test(text)));
  t.is(a.dt_polys.length, a.rec_texts.length);
  t.deepEqual(Object.keys(a.text_det_params).sort(), ['box_thresh', 'limit_side_len', 'limit_type', 'thresh', 'unclip_ratio']);
  t.notDeepEqual(a.rec_texts, b.rec_texts);
  t.false(fs.existsSync(path.join(out, 'corrupt_res.json')));
  t.false(fs.readFileSync(path.join(out, 'a', 'doc_res.json'), 'utf8').includes('\\u'));
  // --visualize_output is on in system mode: one result image per readable image, png for png inputs.
  t.regex(r.stderr, /; 3 result images drawn/);
  t.true(fs.existsSync(path.join(out, 'a', 'doc_ocr_res_img.jpg')));
  t.true(fs.existsSync(path.join(out, 'b', 'doc_ocr_res_img.png')));
  t.true(fs.existsSync(path.join(out, 'c', 'doc_ocr_res_img.png')));
  t.false(fs.existsSync(path.join(out, 'corrupt_ocr_res_img.png')));
});

test('det mode: det_results.txt with integer quads; options reach the detector', async (t) => {
  const out = path.join(root, 'out-det');
  const r = await run(['--mode=det', '--image-dir=pages', `--draw-img-save-dir=${out}`, '--det_db_box_thresh', '0.5', '--det_limit_side_len=736', '--drop_score', '0.9', '--return_word_box'], root);
  t.is(r.status, 1, r.stderr);
  t.regex(r.stderr, /ocrkit: det: 4 images, \d+ boxes, [\d.]+ images\/s, 1 failed/);
  // Flags of recognition take effect in system mode only: said once, as typed.
  t.regex(r.stderr, /^ocrkit: --mode det does not use --drop_score, --return_word_box: ignored$/m);
  const lines = resultLines(path.join(out, 'det_results.txt'));
  t.deepEqual(lines.map((l) => split(l)[0]), NAMES);
  for (const l of lines) {
    const [entry] = parseDetectionResults(l, 'det_results.txt');
    t.true(entry.regions.length > 3);
    const value = JSON.parse(split(l)[1]);
    t.is(split(l)[1], pyDumps(value));
    t.true(value.every((quad) => quad.length === 4 && quad.flat().every(Number.isInteger)));
  }
  t.is(r.stdout, '');
});

test('rec mode: rec_results.txt, name<TAB>text; a single file is named by its base name; --visualize_output notice in rec mode', async (t) => {
  const out = path.join(root, 'out-rec');
  const r = await run(['--mode', 'rec', '--image_dir', 'lines', '--draw_img_save_dir', out, '--print', 'true', '--rec_batch_size', '2', '--det_db_thresh=0.2'], root);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /^ocrkit: --mode rec does not use --det_db_thresh: ignored$/m);
  t.regex(r.stderr, /ocrkit: rec: 2 images, 2 texts, [\d.]+ images\/s, 0 failed/);
  const lines = resultLines(path.join(out, 'rec_results.txt'));
  const parsed = lines.map((l) => parseRecognitionResults(l, 'rec_results.txt')[0]);
  t.deepEqual(parsed.map((p) => p.image), ['x/line.png', 'y/line.png']);
  for (const p of parsed) t.regex(p.text, /^Gray/);
  t.is(lines[0], `x/line.png\t${parsed[0].text}`);
  const printed = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.deepEqual(Object.keys(printed[0].lines[0]).sort(), ['score', 'text']);

  const single = path.join(root, 'out-rec-single');
  const s = await run(['--mode', 'rec', '--image_dir', path.join('lines', 'x', 'line.png'), '--draw_img_save_dir', single, '--visualize_output=true'], root);
  t.is(s.status, 0, s.stderr);
  t.regex(s.stderr, /--visualize_output: rec mode has no boxes to draw; no images are drawn/);
  t.regex(fs.readFileSync(path.join(single, 'rec_results.txt'), 'utf8'), /^line\.png\tGray[^\n]*\n$/);
});

test('a missing folder is a usage error (2); an empty folder fails (1); both name the path', async (t) => {
  const missing = await run(['--image_dir', 'no-such-folder'], root);
  t.is(missing.status, 2);
  t.is(missing.stderr, 'ocrkit: --image_dir: no such file or folder: no-such-folder\n');
  const empty = await run(['--image_dir', 'empty', '--draw_img_save_dir', path.join(root, 'out-empty')], root);
  t.is(empty.status, 1);
  t.regex(empty.stderr, /^ocrkit: --image_dir: empty: no images \(jpg, jpeg, png, bmp, webp, tif, tiff\)[^\n]*\n$/);
});

test('usage errors exit 2 with one line', async (t) => {
  const cases = [
    [['--image_dir', 'pages', '--mode', 'ocr'], /--mode: expected det, rec or system/],
    [['--image_dir', 'pages', '--det_algorithm', 'CRAFT'], /--det_algorithm: unknown algorithm "CRAFT" \(known: PP-OCRv4, DB, DB\+\+, DB_MV3, PSE, PAN, EAST, FCE\)/],
    [['--image_dir', 'pages', '--det_algorithm', 'DB++'], /--det_algorithm DB\+\+ needs --det_model_dir/],
    [['--det_algorithm', 'PSE', 'a.jpg'], /--det_algorithm PSE needs --det_model_dir/],
    [['--image_dir', 'pages', '--rec_algorithm=CRNN3'], /--rec_algorithm: unknown algorithm "CRNN3" \(known: PP-OCRv4, CRNN, /],
    [['--image_dir', 'pages', '--rec_algorithm', 'sar'], /--rec_algorithm SAR needs --rec_model_dir/],
    [['--image_dir', 'pages', '--rec_image_shape', '3,48'], /--rec_image_shape: expected "C, H, W"/],
    [['--image_dir', 'pages', '--rec_image_shape', '3,48,99999'], /--rec_image_shape: expected "C, H, W" \(C 1 or 3, H <= 4096, W <= 16384\)/],
    // Decimal only: Number() alone reads 0x10 as 16.
    [['--image_dir', 'pages', '--det_db_thresh', '0x10'], /--det_db_thresh: expected a number, received "0x10"/],
    [['--image_dir', 'pages', '--cpu_threads', '0b11'], /--cpu_threads: expected an integer in \[1, 1024\]/],
    [['-x', 'a.jpg'], /unknown option -x/],
    [['--image_dir', 'pages', '--det_limit_side_len', '8'], /--det_limit_side_len: expected an integer in \[32, 4096\], received 8/],
    [['--image_dir', 'pages', '--det_db_thresh', 'high'], /--det_db_thresh: expected a number/],
    [['--image_dir', 'pages', '--drop_score=2'], /--drop_score: expected a number in \[0, 1\]/],
    [['--image_dir', 'pages', '--det_limit_type', 'mid'], /--det_limit_type: expected min or max/],
    [['--image_dir', 'pages', '--det_model_dir', 'pages'], /--det_model_dir: pages holds no \.onnx file/],
    [['--image_dir', 'pages', '--rec_char_dict_path', 'nope.txt'], /--rec_char_dict_path: no such file: nope\.txt/],
    [['--image_dir', 'pages', '--use_angle_cls=maybe'], /--use_angle_cls: expected true or false/],
    [['--use_angle_cls', 'false', '--orientation', 'a.jpg'], /--orientation and --use_angle_cls false contradict each other/],
    [['--image_dir'], /--image_dir needs a value/],
    [['--image_dir', 'pages', 'extra.jpg'], /either as arguments or with --image_dir/],
    [['--mode', 'det', 'a.jpg'], /--mode needs --image_dir/],
    [['--image_dir', 'pages', '--frobnicate'], /unknown option --frobnicate/],
  ];
  const results = await Promise.all(cases.map(([args]) => run(args, root)));
  results.forEach((r, i) => {
    t.is(r.status, 2, cases[i][0].join(' '));
    t.regex(r.stderr, cases[i][1]);
    t.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  });
});

test('--help documents every folder option and the three file formats', async (t) => {
  const r = await run(['--help'], root);
  t.is(r.status, 0);
  for (const flag of [
    '--image_dir', '--mode', '--det_algorithm', '--rec_algorithm', '--det_model_dir', '--rec_model_dir', '--rec_char_dict_path',
    '--rec_image_shape', '--use_space_char', 'inference.yml', 'RobustScanner',
    '--det_limit_side_len', '--det_limit_type', '--rec_batch_size', '--draw_img_save_dir', '--det_db_thresh',
    '--det_db_box_thresh', '--det_db_unclip_ratio', '--det_box_end_padding', '--rec_space_threshold', '--drop_score', '--use_angle_cls', '--save_json', '--print',
    '--visualize_output', '--vis_font_path', 'det_results.txt', 'rec_results.txt', 'system_results.txt',
  ]) {
    t.true(r.stdout.includes(flag), flag);
  }
});

test('the minimal command takes model and threshold options too', async (t) => {
  const r = await run(['--json', '--det_limit_side_len', '640', '--drop_score=0.8', latin], root);
  t.is(r.status, 0, r.stderr);
  const [row] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.true(row.lines.length > 0);
  t.true(row.lines.every((l) => l.score >= 0.8));
});

test('processFolder (library): entries in order, each line written before onResult sees it', async (t) => {
  const engine = await createOcr();
  t.teardown(() => engine.dispose());
  const outputDir = path.join(root, 'out-lib');
  const seen = [];
  const summary = await processFolder(engine, {
    imageDir: path.join(root, 'pages'),
    mode: 'det',
    outputDir,
    onResult: (entry) => {
      const written = fs.readFileSync(path.join(outputDir, 'det_results.txt'), 'utf8');
      if ('error' in entry) seen.push(`${entry.name}:${entry.error.code}`);
      else {
        t.true(written.endsWith(`${entry.line}\n`));
        seen.push(entry.name);
      }
      t.is(entry.total, 4);
    },
  });
  t.deepEqual(seen, [...NAMES, 'corrupt.png:ERR_OCR_INVALID_IMAGE']);
  t.is(summary.images, 4);
  t.is(summary.failures.length, 1);
  t.is(summary.resultFile, path.join(outputDir, 'det_results.txt'));
  // The engine given stays usable.
  t.true((await engine.detect(latin)).length > 0);
  await t.throwsAsync(processFolder(engine, { imageDir: path.join(root, 'nope') }), { code: 'ERR_OCR_FILE_NOT_FOUND' });
});

test('det mode with another detector: --det_algorithm PSE and a model folder holding definition.json', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-pse-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const models = path.resolve(imagesDir, '..', 'det-models');
  fs.mkdirSync(path.join(dir, 'model'));
  fs.mkdirSync(path.join(dir, 'images'));
  fs.copyFileSync(path.join(models, 'pse.onnx'), path.join(dir, 'model', 'pse.onnx'));
  fs.copyFileSync(path.join(models, 'images', 'signs-640x480.png'), path.join(dir, 'images', 'signs.png'));
  // The test model (scripts/gen-det-models.py): RGB, ImageNet mean/std on 0-1, 3 kernels at 1/4 resolution.
  fs.writeFileSync(path.join(dir, 'model', 'definition.json'), JSON.stringify({
    name: 'test-pse',
    input: { colorOrder: 'rgb', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], scale: 1 / 255 },
    size: { limitSideLength: 640, limitType: 'max' },
    outputs: [{ name: 'output', layout: 'NCHW', channels: 3, role: 'kernels' }],
  }));
  const out = path.join(dir, 'out');
  const r = await run(['--mode', 'det', '--image_dir', 'images', '--det_algorithm', 'PSE', '--det_model_dir', 'model', '--draw_img_save_dir', out], dir);
  t.is(r.status, 0, r.stderr);
  const [entry] = parseDetectionResults(fs.readFileSync(path.join(out, 'det_results.txt'), 'utf8'), 'det_results.txt');
  const truth = JSON.parse(fs.readFileSync(path.join(models, 'images', 'signs-640x480.json'), 'utf8'));
  t.true(entry.regions.length >= truth.lines.length - 1, `${entry.regions.length} regions for ${truth.lines.length} lines`);
  // Without the definition file the built-in PSE (7 kernels) does not fit this 3-kernel model.
  fs.rmSync(path.join(dir, 'model', 'definition.json'));
  const bad = await run(['--mode', 'det', '--image_dir', 'images', '--det_algorithm', 'PSE', '--det_model_dir', 'model', '--draw_img_save_dir', out], dir);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /ERR_OCR_MODEL_SHAPE/);
});

/** A folder of the rec-models test images of `model` (scripts/gen-rec-models.py), named by case. */
function recCases(dir, model) {
  const models = path.resolve(imagesDir, '..', 'rec-models');
  const manifest = JSON.parse(fs.readFileSync(path.join(models, 'models.json'), 'utf8'));
  const m = manifest.models.find((x) => x.name === model);
  fs.mkdirSync(path.join(dir, 'crops'), { recursive: true });
  for (const c of m.cases) fs.copyFileSync(path.join(models, c.image), path.join(dir, 'crops', `${c.name}.png`));
  return { models, m, expected: Object.fromEntries(m.cases.map((c) => [`${c.name}.png`, c.expected])) };
}

test('rec mode with another recogniser: a model folder holding definition.json and its dictionary', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-rec-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { models, m, expected } = recCases(dir, 'mmocr_dictionary');
  fs.mkdirSync(path.join(dir, 'model'));
  fs.copyFileSync(path.join(models, m.file), path.join(dir, 'model', m.file));
  fs.copyFileSync(path.join(models, m.dictionary), path.join(dir, 'model', 'keys.txt'));
  // MMOCR 1.x Dictionary tokens as in the built-in SAR, but this test graph's own input and size.
  fs.writeFileSync(path.join(dir, 'model', 'definition.json'), JSON.stringify({
    input: { colorOrder: 'bgr', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], scale: 1 / 255, padPixel: null },
    size: { mode: 'pad', height: 32, width: 160, minWidth: 1, widthDivisor: 1 },
    dictionary: { file: 'keys.txt' },
  }));
  const out = path.join(dir, 'out');
  const r = await run(['--mode', 'rec', '--image_dir', 'crops', '--rec_algorithm', 'SAR', '--rec_model_dir', 'model', '--draw_img_save_dir', out], dir);
  t.is(r.status, 0, r.stderr);
  const got = Object.fromEntries(parseRecognitionResults(fs.readFileSync(path.join(out, 'rec_results.txt'), 'utf8'), 'rec_results.txt').map((e) => [e.image, e.text]));
  t.deepEqual(got, expected);
  // The dictionary must lie inside the folder: a downloaded folder naming another file printed its lines as text.
  // A byte-order mark before the JSON is read past.
  fs.copyFileSync(path.join(dir, 'model', 'keys.txt'), path.join(dir, 'outside.txt'));
  fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(dir, 'model', 'link.txt'));
  const definition = JSON.parse(fs.readFileSync(path.join(dir, 'model', 'definition.json'), 'utf8'));
  for (const file of ['../outside.txt', path.join(dir, 'outside.txt'), 'link.txt', 'sub/../../outside.txt']) {
    fs.writeFileSync(path.join(dir, 'model', 'definition.json'), `\ufeff${JSON.stringify({ ...definition, dictionary: { file } })}`);
    const escaped = await run(['--mode', 'rec', '--image_dir', 'crops', '--rec_algorithm', 'SAR', '--rec_model_dir', 'model', '--draw_img_save_dir', out], dir);
    t.is(escaped.status, 2, file);
    t.regex(escaped.stderr, /dictionary\.file must name a file inside the model folder/, file);
  }
  fs.writeFileSync(path.join(dir, 'model', 'definition.json'), `\ufeff${JSON.stringify({ ...definition, dictionary: { file: './keys.txt' } })}`);
  const inside = await run(['--mode', 'rec', '--image_dir', 'crops', '--rec_algorithm', 'SAR', '--rec_model_dir', 'model', '--draw_img_save_dir', out], dir);
  t.is(inside.status, 0, inside.stderr);
});

test('rec mode with a PaddleX export folder: inference.yml gives the decoder, the dictionary and the input shape', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-paddlex-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { models, m, expected } = recCases(dir, 'paddle_ctc');
  fs.mkdirSync(path.join(dir, 'model'));
  fs.copyFileSync(path.join(models, m.file), path.join(dir, 'model', 'inference.onnx'));
  // As PaddleX writes it (PyYAML): quoted and plain scalars, a block list per character.
  const chars = fs.readFileSync(path.join(models, m.dictionary), 'utf8').trim().split('\n');
  fs.writeFileSync(path.join(dir, 'model', 'inference.yml'), [
    'Global:', '  model_name: test_rec', 'PreProcess:', '  transform_ops:', '  - DecodeImage:', '      channel_first: false',
    '      img_mode: BGR', '  - RecResizeImg:', '      image_shape:', '      - 3', '      - 48', '      - 320', 'PostProcess:',
    '  name: CTCLabelDecode', '  character_dict:', ...chars.map((c, i) => (i % 2 ? `  - '${c}'` : `  - ${c}`)), '',
  ].join('\n'));
  const out = path.join(dir, 'out');
  const r = await run(['--mode', 'rec', '--image_dir', 'crops', '--rec_model_dir', 'model', '--draw_img_save_dir', out], dir);
  t.is(r.status, 0, r.stderr);
  const got = Object.fromEntries(parseRecognitionResults(fs.readFileSync(path.join(out, 'rec_results.txt'), 'utf8'), 'rec_results.txt').map((e) => [e.image, e.text]));
  t.deepEqual(got, expected);
  // Without the space (--use_space_char false) the dictionary is one class short: the model refuses to load.
  const bad = await run(['--mode', 'rec', '--image_dir', 'crops', '--rec_model_dir', 'model', '--use_space_char', 'false', '--draw_img_save_dir', out], dir);
  t.is(bad.status, 1);
  t.regex(bad.stderr, /ERR_OCR_MODEL_SHAPE.*space/);
});

test('det mode with a PaddleX export folder: inference.yml thresholds apply, command-line flags still win', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-pxdet-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const shipped = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@gutenye', 'ocr-models', 'assets', 'ch_PP-OCRv4_det_infer.onnx');
  fs.mkdirSync(path.join(dir, 'model'));
  fs.mkdirSync(path.join(dir, 'images'));
  fs.copyFileSync(shipped, path.join(dir, 'model', 'inference.onnx'));
  copy(latin, path.join(dir, 'images', 'doc.png'));
  // A box threshold no real line reaches.
  fs.writeFileSync(path.join(dir, 'model', 'inference.yml'), 'PostProcess:\n  name: DBPostProcess\n  thresh: 0.3\n  box_thresh: 0.999\n');
  const count = async (extra) => {
    const out = path.join(dir, `out${extra.length}`);
    const r = await run(['--mode', 'det', '--image_dir', 'images', '--det_model_dir', 'model', '--draw_img_save_dir', out, ...extra], dir);
    t.is(r.status, 0, r.stderr);
    return parseDetectionResults(fs.readFileSync(path.join(out, 'det_results.txt'), 'utf8'), 'det_results.txt')[0].regions.length;
  };
  t.is(await count([]), 0);
  t.true((await count(['--det_db_box_thresh', '0.6'])) >= 10);
  // A value out of range is a usage error naming the file, before any model loads.
  const yml = path.join(dir, 'model', 'inference.yml');
  fs.writeFileSync(yml, fs.readFileSync(yml, 'utf8').replace(/box_thresh: [0-9.]+/, 'box_thresh: 7'));
  const bad = await run(['--mode', 'det', '--image_dir', 'images', '--det_model_dir', 'model', '--draw_img_save_dir', path.join(dir, 'bad')], dir);
  t.is(bad.status, 2, bad.stderr);
  t.regex(bad.stderr, /^ocrkit: --det_model_dir: model\/inference\.yml: detector\.definition\.postprocess\.params\.boxThreshold: expected a number in \[0, 1\], received 7\n$/);
});

// The output folder is made (and the result file opened) before any model loads; an image whose drawn result or
// JSON cannot be written is that image's failure, and the run goes on; an output folder inside the image folder is
// not read back as images on the next run.
test('folder output: an unwritable folder fails first, one unwritable result fails its image, the output is not re-read', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-out-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  copy(line, path.join(dir, 'img', 'a.png'));
  copy(line, path.join(dir, 'img', 'sub', 'b.png'));
  copy(line, path.join(dir, 'img', 'z.png'));
  fs.writeFileSync(path.join(dir, 'file'), 'x');
  const blocked = await run(['--image_dir', 'img', '--draw_img_save_dir', 'file/out'], dir);
  t.is(blocked.status, 1);
  t.regex(blocked.stderr, /ERR_OCR_FILE_WRITE: cannot create folder file\/out: .*file is not a folder/);
  // out/sub is a file: b.png's drawing cannot be written there.
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'out', 'sub'), 'x');
  const r = await run(['--image_dir', 'img', '--draw_img_save_dir', 'out', '--det_limit_side_len', '320'], dir);
  t.is(r.status, 1, r.stderr);
  t.regex(r.stderr, /3 images, .* 1 failed; .* 2 result images drawn/);
  t.regex(r.stderr, /failed: img\/sub\/b\.png: ERR_OCR_FILE_WRITE: /);
  t.deepEqual(resultLines(path.join(dir, 'out', 'system_results.txt')).map((l) => split(l)[0]), ['a.png', 'sub/b.png', 'z.png']);
  // Output inside the image folder, twice: the second run reads the same one image, not its own drawing.
  copy(line, path.join(dir, 'self', 'a.png'));
  // And the image folder itself as the output: its drawings are left out.
  for (const output of ['self/results', 'self/results', 'self', 'self']) {
    const again = await run(['--image_dir', 'self', '--draw_img_save_dir', output, '--det_limit_side_len', '320'], dir);
    t.is(again.status, 0, again.stderr);
    t.regex(again.stderr, /: 1 image, /, output);
  }
  t.true(fs.existsSync(path.join(dir, 'self', 'a_ocr_res_img.png')));
});

test('outputBases: stems as PaddleX names them; images sharing a stem (ignoring case) keep their whole names', (t) => {
  const bases = outputBases(['a.jpg', 'a.png', 'A.jpeg', 'a.jpg.png', 'b.png', 'sub/a.png', 'sub/c.tif']);
  t.deepEqual(Object.fromEntries(bases), {
    'a.jpg': 'a.jpg',
    'a.png': 'a.png',
    'A.jpeg': 'A.jpeg',
    // Its stem is a.jpg's whole name, taken before it.
    'a.jpg.png': 'a.jpg~2',
    'b.png': 'b',
    'sub/a.png': 'sub/a',
    'sub/c.tif': 'sub/c',
  });
});

test('folder output: images sharing a stem each get their JSON and drawing; a bad font fails the run before the models load', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-stem-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  copy(line, path.join(dir, 'img', 'p.png'));
  copy(latin, path.join(dir, 'img', 'p.PNG'));
  copy(chinese, path.join(dir, 'img', 'p.jpg'));
  copy(line, path.join(dir, 'img', 'q.png'));
  const r = await run(['--image_dir', 'img', '--draw_img_save_dir', 'out', '--save_json', 'true', '--det_limit_side_len', '320'], dir);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /4 images, .* 4 result images drawn/);
  t.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), [
    'p.PNG_ocr_res_img.png',
    'p.PNG_res.json',
    'p.jpg_ocr_res_img.jpg',
    'p.jpg_res.json',
    // Its whole name differs from p.PNG's only in case (one file on a file system that ignores case).
    'p.png~2_ocr_res_img.png',
    'p.png~2_res.json',
    'q_ocr_res_img.png',
    'q_res.json',
    'system_results.txt',
  ]);
  // Each JSON is its own image's.
  for (const [base, name] of [['p.PNG', 'p.PNG'], ['p.jpg', 'p.jpg'], ['p.png~2', 'p.png']]) {
    t.is(JSON.parse(fs.readFileSync(path.join(dir, 'out', `${base}_res.json`), 'utf8')).input_path, path.join('img', name));
  }
  fs.writeFileSync(path.join(dir, 'font.ttf'), 'not a font at all');
  const started = Date.now();
  const bad = await run(['--image_dir', 'img', '--draw_img_save_dir', 'out2', '--vis_font_path', 'font.ttf'], dir);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /^ocrkit: --vis_font_path: .*font\.ttf: not a TrueType font/);
  t.is(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  t.false(fs.existsSync(path.join(dir, 'out2')), 'refused before the output folder is made');
  t.log(`refused in ${Date.now() - started} ms`);
  // Not drawing: the font is not read.
  const det = await run(['--image_dir', 'img', '--mode', 'det', '--draw_img_save_dir', 'out3', '--vis_font_path', 'font.ttf', '--visualize_output', 'false'], dir);
  t.is(det.status, 0, det.stderr);
});

test('folder mode reads files and folders whose names are not UTF-8 (Latin-1 names from old archives)', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-cli-latin1-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Names as bytes: "café.png" and "déjà/x.png" in Latin-1, which a JS string cannot name.
  const name = (text) => Buffer.from(text, 'latin1');
  const img = Buffer.from(path.join(dir, 'img'));
  const slash = Buffer.from(path.sep);
  fs.mkdirSync(Buffer.concat([img, slash, name('déjà')]), { recursive: true });
  fs.copyFileSync(line, Buffer.concat([img, slash, name('café.png')]));
  fs.copyFileSync(line, Buffer.concat([img, slash, name('déjà'), slash, name('x.png')]));
  copy(line, path.join(dir, 'img', 'ok.png'));
  for (const mode of ['system', 'det', 'rec']) {
    const r = await run(['--image_dir', 'img', '--mode', mode, '--draw_img_save_dir', `out-${mode}`, '--det_limit_side_len', '320'], dir);
    t.is(r.status, 0, `${mode}: ${r.stderr}`);
    t.regex(r.stderr, / 3 images, .* 0 failed/, mode);
    const results = fs.readFileSync(path.join(dir, `out-${mode}`, `${mode}_results.txt`), 'utf8').trim().split('\n');
    // Named as the bytes decode (U+FFFD for each byte that is not UTF-8), each read as its file.
    t.deepEqual(results.map((l) => l.split('\t')[0]), ['caf\uFFFD.png', 'd\uFFFDj\uFFFD/x.png', 'ok.png'], mode);
    // Each read as its file: the same line (a batch's positions may differ in a trailing space: not compared).
    const read = { system: /"transcription": "Gray/, det: /^\[\[\[\d+, \d+\]/, rec: /^Gray/ }[mode];
    for (const l of results) t.regex(l.split('\t')[1], read, mode);
  }
  // The drawn results too.
  t.true(fs.existsSync(path.join(dir, 'out-system', 'caf\uFFFD_ocr_res_img.png')));
});
