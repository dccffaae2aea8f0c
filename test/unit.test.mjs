// No model: options validation, error codes, input normalisation.
import test from 'ava';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ERROR_CODES, OcrError, createOcr, DEFAULT_DETECT_OPTIONS } from '../dist/index.mjs';

const require = createRequire(import.meta.url);

test('the TS error-code list mirrors the C++ one, in order', (t) => {
  const header = fs.readFileSync(new URL('../cpp/core/error.cc', import.meta.url), 'utf8');
  const cpp = [...header.matchAll(/return "(ERR_OCR_[A-Z_]+)"/g)].map((m) => m[1]);
  const unique = [...new Set(cpp)];
  t.deepEqual(unique, [...ERROR_CODES]);
});

test('CommonJS and ESM entry points expose the same API', (t) => {
  const cjs = require('../dist/index.js');
  t.is(cjs.createOcr, createOcr);
  t.is(cjs.OcrError, OcrError);
  const pkg = require('../package.json');
  t.is(pkg.exports['.'].import, './dist/index.mjs');
  t.is(pkg.exports['.'].require, './dist/index.js');
});

const invalidOptions = [
  [{ intraOpThreads: 0 }, 'options.intraOpThreads'],
  [{ intraOpThreads: 1.5 }, 'options.intraOpThreads'],
  [{ recognitionParallelism: 0 }, 'options.recognitionParallelism'],
  [{ recognitionParallelism: 65 }, 'options.recognitionParallelism'],
  [{ graphRewrites: 'yes' }, 'options.graphRewrites'],
  [{ providers: ['gpu'] }, 'providers[0]'],
  [{ providers: [] }, 'providers'],
  [{ providers: [{ name: 'cuda', options: { device_id: {} } }] }, 'providers[0].options.device_id'],
  // The CPU provider's options were dropped without a word.
  [{ providers: [{ name: 'cpu', options: { intra_op_num_threads: 4 } }] }, 'providers[0].options'],
  [{ documentOrientation: { modelPath: 'x.onnx', labels: [0, 0, 0, 0] } }, 'options.documentOrientation.labels'],
  [{ detection: { boxThreshold: 2 } }, 'options.detection.boxThreshold'],
  [{ detection: { limitType: 'mid' } }, 'options.detection.limitType'],
  [{ detection: { boxType: 'circle' } }, 'options.detection.boxType'],
  [{ detection: { limitSideLength: 16 } }, 'options.detection.limitSideLength'],
  // Every detector input fits 4096 x 4096 (8192 took 7.9 GB; 16384 could not fit in memory).
  [{ detection: { limitSideLength: 4097 } }, 'options.detection.limitSideLength'],
  [{ detection: { limitType: 'min', maxSideLength: 8192 } }, 'options.detection.maxSideLength'],
  // The addon needs an offset: 0 passed here and failed every call after detection, naming a C++ struct.
  [{ detection: { unclipRatio: 0 } }, 'options.detection.unclipRatio'],
  [{ detector: { std: [0, 1, 1] } }, 'options.detector.std[0]'],
  [{ detector: { modelPath: 42 } }, 'options.detector.modelPath'],
  // A NUL ends a path for the system: 'det.onnx\0.bak' would load det.onnx.
  [{ detector: { modelPath: 'det.onnx\0.bak' } }, 'options.detector.modelPath'],
  [{ recognizer: { modelPath: 'rec.onnx\0' } }, 'options.recognizer.modelPath'],
  [{ recognizer: { dictionaryPath: 'keys.txt\0.old' } }, 'options.recognizer.dictionaryPath'],
  [{ classifier: { modelPath: '\0' } }, 'options.classifier.modelPath'],
  [{ runtimePath: 'libonnxruntime.so.1\0' }, 'options.runtimePath'],
  [{ concurrency: -1 }, 'options.concurrency'],
  [{ colour: true }, 'options.colour'],
  ['fast', 'options'],
];

for (const [options, path] of invalidOptions) {
  test(`createOcr rejects ${JSON.stringify(options)} naming ${path}`, async (t) => {
    const error = await t.throwsAsync(createOcr(options), { instanceOf: OcrError });
    t.is(error.code, 'ERR_OCR_INVALID_OPTION');
    t.true(error.message.startsWith(path), error.message);
  });
}

test('a BigInt option is refused as written ("received 2n", not "received 2")', async (t) => {
  await t.throwsAsync(createOcr({ concurrency: 2n }), {
    code: 'ERR_OCR_INVALID_OPTION',
    message: 'options.concurrency: expected an integer in [1, 64], received 2n',
  });
});

test('default detection options follow PaddleOCR’s command line', (t) => {
  t.like(DEFAULT_DETECT_OPTIONS, {
    limitSideLength: 960,
    limitType: 'max',
    binaryThreshold: 0.3,
    boxThreshold: 0.6,
    unclipRatio: 1.5,
    maxCandidates: 1000,
    minSize: 3,
    useDilation: false,
    scoreMode: 'fast',
    boxType: 'quad',
  });
  t.true(Object.isFrozen(DEFAULT_DETECT_OPTIONS));
});

test('groupWords: PaddleOCR\'s return_word_box grouping (letter and digit runs, "1.25", "VGG-16", CJK one by one)', async (t) => {
  const { groupWords } = await import('../dist/index.mjs');
  const words = (text) => groupWords([...text].map((c) => ({ text: c }))).map((w) => w.map((c) => c.text).join(''));
  t.deepEqual(words('VGG-16 is 1.25x faster.'), ['VGG-16', 'is', '1.25x', 'faster']);
  t.deepEqual(words('state-of-the-art'), ['state-of-the-art']);
  t.deepEqual(words('end- (a) 3.x .5'), ['end-', 'a', '3', 'x', '5'], "'-' after a word stays; '.' only before a digit");
  t.deepEqual(words('本店 ABC12营业'), ['本', '店', 'ABC12', '营', '业']);
  t.deepEqual(words('中a'), ['中', 'a']);
  t.deepEqual(words(' ,;!'), []);
  t.deepEqual(words(''), []);
  // Multi-character dictionary entries are one character each (grouped by their first code point / any letter).
  t.deepEqual(groupWords([{ text: 'ab' }, { text: '<UKN>' }, { text: ' ' }, { text: 'c' }]).map((w) => w.length), [2, 1]);
});

test('every per-call option is in exactly one group, which decides the calls that read it', (t) => {
  const { OPTION_GROUPS, DETECT_CALL_OPTIONS, CROP_CALL_OPTIONS } = require('../dist/options.js');
  const grouped = Object.values(OPTION_GROUPS).flat();
  t.deepEqual([...grouped].sort(), Object.keys(DEFAULT_DETECT_OPTIONS).sort());
  t.is(new Set(grouped).size, grouped.length, 'an option in two groups');
  // detect() reads the image and detection groups, recognizeCrops() the image, line and recognition ones.
  t.deepEqual([...DETECT_CALL_OPTIONS].sort(), [...OPTION_GROUPS.image, ...OPTION_GROUPS.detection].sort());
  t.deepEqual(
    [...CROP_CALL_OPTIONS].sort(),
    [...OPTION_GROUPS.image, ...OPTION_GROUPS.lineOrientation, ...OPTION_GROUPS.recognition].sort(),
  );
});
