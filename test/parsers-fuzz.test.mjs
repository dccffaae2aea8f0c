// Mutation fuzzing of the TypeScript readers of what a caller hands over: PaddleX inference.yml text
// (parseYamlSubset, and paddleXDetDefinition / paddleXRecDefinition reading a file), model definitions
// (resolveDetectorDefinition, resolveRecognizerDefinition), engine and call options (createOcr's and
// recognize's validators) and the command line (lib/cli-args.ts). Seeded: every run tries the same inputs. Each
// must be read or fail with an OcrError carrying one of the stable codes (the command line: a UsageError naming
// the option): never another exception (a TypeError from a field of the wrong shape), never a hang.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_DETECT_OPTIONS,
  DETECTOR_DEFINITIONS,
  ERROR_CODES,
  OcrError,
  RECOGNIZER_DEFINITIONS,
  paddleXDetDefinition,
  paddleXRecDefinition,
  parseYamlSubset,
  resolveDetectorDefinition,
  resolveRecognizerDefinition,
} from '../dist/index.mjs';
import { resolveDetectOptions, resolveOcrOptions } from '../dist/options.js';
import { DB_EXPORT_YML, REC_EXPORT_YML } from './helpers/paddlex-yml.mjs';

/** mulberry32: a small seeded generator, so the inputs are the same on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs fn; true when it returned, false when it threw a typed OcrError; any other exception fails the test. */
function readOrTypedError(t, fn, input) {
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof OcrError) || !ERROR_CODES.includes(e.code)) {
      t.fail(`${e?.name}: ${e?.message}\n${e?.stack}\ninput: ${JSON.stringify(input)?.slice(0, 2000)}`);
    }
    return false;
  }
}

const PIECES = ['-', ':', ' ', '  ', '\n', '#', "'", '"', '[', ']', '{', '}', ',', '0', '1.5', '-3', '1e999', 'NaN', 'null',
  '~', 'true', 'name', 'DBPostProcess', 'CTCLabelDecode', 'image_shape', 'resize_long', '&a', '*a', '!!str', '\t', '\r',
  '\uFEFF', 'é', '中'];

/** One text mutation: cut, insert, repeat or swap lines, re-indent. */
function mutateText(text, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const at = Math.floor(rnd() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(rnd() * lines.length);
  switch (Math.floor(rnd() * 6)) {
    case 0: return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 8));
    case 1: return text.slice(0, at) + pick(PIECES) + text.slice(at);
    case 2: lines.splice(line, 0, lines[line]); return lines.join('\n');
    case 3: {
      const other = Math.floor(rnd() * lines.length);
      [lines[line], lines[other]] = [lines[other], lines[line]];
      return lines.join('\n');
    }
    case 4: lines[line] = ' '.repeat(Math.floor(rnd() * 8)) + lines[line].trimStart(); return lines.join('\n');
    default: lines.splice(line, 1); return lines.join('\n');
  }
}

test('PaddleX inference.yml text: mutated files are read or fail with a typed error', (t) => {
  const rnd = random(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-yml-fuzz-'));
  try {
    let read = 0;
    let tried = 0;
    for (const [seed, toDefinition] of [[DB_EXPORT_YML, paddleXDetDefinition], [REC_EXPORT_YML, paddleXRecDefinition]]) {
      for (let i = 0; i < 1500; i++) {
        let text = seed;
        for (let m = 1 + Math.floor(rnd() * 4); m > 0; m--) text = mutateText(text, rnd);
        tried++;
        if (readOrTypedError(t, () => parseYamlSubset(text, 'x.yml'), text)) read++;
        if (i % 5 === 0) {
          const file = path.join(dir, 'inference.yml');
          fs.writeFileSync(file, text);
          readOrTypedError(t, () => toDefinition(file), text);
        }
      }
    }
    t.log(`${read} of ${tried} mutated texts read`);
    t.true(read > tried / 10, 'mutations keep many texts readable, so the readers behind the parser run too');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const VALUES = [null, undefined, -1, 0, 0.5, 1, 3, 1e308, -1e308, NaN, Infinity, -Infinity, '', 'x', 'DB', 'CTC',
  'PP-OCRv4', [], [1], [1, 2, 3], [[1, 2]], {}, { a: 1 }, true, false, '__proto__', 'constructor', 2 ** 53, -0];

function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

/** Every path to a value inside `o` (objects and arrays), the root included. */
function paths(o, prefix = []) {
  const out = [prefix];
  if (o && typeof o === 'object') for (const k of Object.keys(o)) out.push(...paths(o[k], [...prefix, k]));
  return out;
}

/** One mutation of a definition object: a value replaced, a field deleted or an unknown one added. */
function mutateObject(o, rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const where = pick(paths(o));
  const value = () => structuredClone(pick(VALUES));  // a copy: a shared value mutated later could contain itself
  if (where.length === 0) return rnd() < 0.5 ? value() : o;
  let parent = o;
  for (const k of where.slice(0, -1)) parent = parent[k];
  const key = where.at(-1);
  const r = rnd();
  if (r < 0.6) parent[key] = value();
  else if (r < 0.8) delete parent[key];  // in an array: a hole
  else parent[`${key}_unknown`] = value();
  return o;
}

test('model definitions: mutated detector and recogniser definitions resolve or fail with a typed error', (t) => {
  const rnd = random(2);
  for (const [definitions, resolve] of [[DETECTOR_DEFINITIONS, resolveDetectorDefinition], [RECOGNIZER_DEFINITIONS, resolveRecognizerDefinition]]) {
    const seeds = Object.values(definitions).map(plain);
    const names = Object.keys(definitions);
    let resolved = 0;
    for (let i = 0; i < 1500; i++) {
      const pickSeed = seeds[Math.floor(rnd() * seeds.length)];
      let def = rnd() < 0.25 ? { extends: names[Math.floor(rnd() * names.length)], name: 'mine' } : plain(pickSeed);
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) def = mutateObject(def, rnd);
      if (readOrTypedError(t, () => resolve(def), def)) resolved++;
    }
    t.true(resolved > 0, 'some mutations stay valid definitions');
    t.true(resolved < 1500, 'most mutations are rejected');
  }
});

test('engine and call options: mutated createOcr and recognize options resolve or fail with a typed error', (t) => {
  const rnd = random(3);
  const engineSeeds = [
    {},
    { preset: 'accurate', intraOpThreads: 2, recognitionParallelism: 2, concurrency: 2, batchChunkSize: 8 },
    {
      detector: { modelPath: '/m/det.onnx', definition: { extends: 'PP-OCRv4', name: 'mine', size: { limitSideLength: 960 } } },
      recognizer: { modelPath: '/m/rec.onnx', dictionaryPath: '/m/keys.txt', definition: 'PP-OCRv4' },
      classifier: { modelPath: '/m/cls.onnx', size: [48, 192], labels: [0, 180] },
      documentOrientation: { modelPath: '/m/doc.onnx', labels: [0, 90, 180, 270], size: [224, 224] },
      providers: ['cpu', { name: 'cuda', options: { device_id: 0 } }],
      detection: { ...DEFAULT_DETECT_OPTIONS, boxEndPadding: 0.1 },
      graphRewrites: true,
    },
  ];
  const callSeeds = [{ ...DEFAULT_DETECT_OPTIONS }, { limitSideLength: 960, limitType: 'max', characters: true, words: true }];
  let resolved = 0;
  for (let i = 0; i < 1500; i++) {
    let options = plain(engineSeeds[Math.floor(rnd() * engineSeeds.length)]);
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) options = mutateObject(options, rnd);
    if (readOrTypedError(t, () => resolveOcrOptions(options), options)) resolved++;
    let call = plain(callSeeds[Math.floor(rnd() * callSeeds.length)]);
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) call = mutateObject(call, rnd);
    readOrTypedError(t, () => resolveDetectOptions(call, DEFAULT_DETECT_OPTIONS, 'options'), call);
  }
  t.true(resolved > 0 && resolved < 1500);
});

test('command lines: mutated argv parse to createOcr options or fail with a usage error naming the option', async (t) => {
  const { parseArgs, engineOptions, UsageError } = await import('../dist/cli-args.js');
  const rnd = random(4);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-argv-fuzz-'));
  try {
    // Model folders as users give them: a model with a definition.json, one with a PaddleX inference.yml.
    const det = path.join(dir, 'det');
    const rec = path.join(dir, 'rec');
    fs.mkdirSync(det);
    fs.mkdirSync(rec);
    fs.writeFileSync(path.join(det, 'model.onnx'), 'not read by the parser');
    fs.writeFileSync(path.join(det, 'inference.yml'), DB_EXPORT_YML);
    fs.writeFileSync(path.join(rec, 'model.onnx'), 'not read by the parser');
    fs.writeFileSync(path.join(rec, 'definition.json'), JSON.stringify({ extends: 'CRNN', name: 'mine', dictionary: { file: 'keys.txt' } }));
    const keys = path.join(rec, 'keys.txt');
    fs.writeFileSync(keys, 'a\nb\n');
    const seeds = [
      ['photo.jpg', '--json'],
      ['--image_dir', dir, '--mode', 'det', '--draw_img_save_dir', path.join(dir, 'out'), '--save_json', 'true', '--print'],
      ['a.png', 'b.png', '--det_model_dir', det, '--det_algorithm', 'DB', '--det_db_thresh=0.3', '--det_limit_type', 'min',
        '--det_limit_side_len', '736', '--use_angle_cls', 'false', '--cpu_threads', '2'],
      ['x.jpg', '--rec_model_dir', rec, '--rec_algorithm', 'CRNN', '--rec_image_shape', '3, 32, 100', '--use_space_char', '--rec_char_dict_path', keys],
      ['--preset', 'accurate', '--det-merge-gap', '1', '--rec_space_threshold', '0.02', '--drop_score', '0.5', '--rec_batch_num', '6', 'p.jpg'],
    ];
    const flags = [...new Set(seeds.flat().filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]))];
    const values = ['', '=', 'true', 'no', '0', '-1', '1.5', 'NaN', '1e999', ' ', '3,48,320', '[3, 48, 0]', 'det', 'system', 'max',
      'PP-OCRv4', 'SVTR', 'paddleocr', dir, det, rec, keys, path.join(dir, 'missing'), '--', '-', 'é中'];
    const mutate = (argv) => {
      const a = [...argv];
      const at = Math.floor(rnd() * (a.length + 1));
      switch (Math.floor(rnd() * 6)) {
        case 0: a.splice(at, 1); break;
        case 1: a.splice(at, 0, pick(flags)); break;
        case 2: a.splice(at, 0, pick(values)); break;
        case 3: if (a.length) a[Math.min(at, a.length - 1)] = `${pick(flags)}=${pick(values)}`; break;
        case 4: if (a.length) { const k = Math.min(at, a.length - 1); a[k] = a[k].slice(0, Math.floor(rnd() * a[k].length)); } break;
        default: { const k = Math.floor(rnd() * a.length); [a[at % (a.length || 1)], a[k]] = [a[k], a[at % (a.length || 1)]]; }
      }
      return a.filter((x) => x !== undefined);
    };
    let parsed = 0;
    let usage = 0;
    for (let i = 0; i < 1500; i++) {
      let argv = pick(seeds);
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) argv = mutate(argv);
      try {
        const options = engineOptions(parseArgs(argv));
        // What the command hands createOcr passes its validator or fails with a typed error.
        if (readOrTypedError(t, () => resolveOcrOptions(options), { argv, options })) parsed++;
      } catch (e) {
        if (!(e instanceof UsageError) || !/^(--[a-z_-]+|unknown option|give images)/.test(e.message) && !e.message.includes('needs --')) {
          t.fail(`${e?.name}: ${e?.message}\n${e?.stack}\nargv: ${JSON.stringify(argv)}`);
        }
        usage++;
      }
    }
    t.log(`${parsed} of 1500 mutated command lines parsed, ${usage} usage errors`);
    t.true(parsed > 100, `some mutations stay valid command lines (${parsed})`);
    t.true(usage > 100, `many are usage errors (${usage})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
