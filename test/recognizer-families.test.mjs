// The recogniser definitions end to end: the project's fixed-weight test graphs (scripts/gen-rec-models.py) for every
// token convention, run through createOcr + recognizeCrops with custom definitions, must decode their known strings
// exactly (repeats, empty outputs, maximum length, unknown and padding tokens), and bad models and dictionaries must
// fail with typed errors.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOcr, OcrError, RECOGNIZER_DEFINITIONS, resolveRecognizerDefinition } from '../dist/index.mjs';
import { fixturesDir } from './helpers/fixtures.mjs';

const dir = path.join(fixturesDir, 'rec-models');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'models.json'), 'utf8'));
const model = (name) => manifest.models.find((m) => m.name === name);

const PADDLE_INPUT = { colorOrder: 'bgr', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], scale: 1 / 255 };
const attention = (scheme, extra = {}) => ({ type: 'attention', scheme, ...extra });

// What each test graph is, written as a user would write it for their own export.
const DEFINITIONS = {
  paddle_ctc: { extends: 'PP-OCRv4' },
  mmocr_ctc: {
    input: PADDLE_INPUT,
    size: { mode: 'dynamic', height: 32, width: 32 },
    output: { values: 'logits' },
    decoder: { type: 'ctc', blank: 'last' },
  },
  paddle_attn: { input: PADDLE_INPUT, size: { mode: 'stretch', height: 32, width: 100 }, decoder: attention('paddle-attn') },
  paddle_sar: {
    input: PADDLE_INPUT,
    size: { mode: 'pad', height: 48, width: 160 },
    output: { values: 'logits' },
    decoder: attention('paddle-sar'),
  },
  paddle_nrtr: { input: PADDLE_INPUT, size: { mode: 'stretch', height: 32, width: 100 }, decoder: attention('paddle-nrtr') },
  paddle_abinet: {
    input: PADDLE_INPUT,
    size: { mode: 'stretch', height: 32, width: 256 },
    output: { values: 'logits' },
    decoder: attention('paddle-abinet'),
  },
  mmocr_dictionary: { input: PADDLE_INPUT, size: { mode: 'pad', height: 32, width: 160 }, decoder: attention('mmocr-dictionary') },
  mmocr0_sar: {
    input: PADDLE_INPUT,
    size: { mode: 'pad', height: 48, width: 160 },
    decoder: attention('mmocr0-attn', { omitLastClass: true }),
  },
};

async function engineFor(name, definition = DEFINITIONS[name], extra = {}) {
  const m = model(name);
  return createOcr({
    recognizer: {
      modelPath: path.join(dir, m.file),
      definition,
      dictionaryPath: path.join(dir, m.dictionary),
      useSpaceChar: m.use_space_char,
      ...extra,
    },
  });
}

for (const name of Object.keys(DEFINITIONS)) {
  test(`${name}: every case decodes to its expected text`, async (t) => {
    const m = model(name);
    const engine = await engineFor(name);
    try {
      const results = await engine.recognizeCrops(m.cases.map((c) => path.join(dir, c.image)));
      results.forEach((r, i) => {
        const c = m.cases[i];
        t.is(r.text, c.expected, `${name}/${c.name}`);
        if (c.expected === '') t.is(r.score, 0, `${name}/${c.name}: empty text scores 0`);
        else t.true(r.score > 0.5 && r.score <= 1, `${name}/${c.name}: score ${r.score}`);
      });
      t.true(m.cases.some((c) => c.expected === ''), 'an empty case is covered');
      t.true(m.cases.some((c) => /(.)\1/.test(c.expected)), 'a repeated character is covered');
    } finally {
      await engine.dispose();
    }
  });
}

test('paddle_attn: stopAtEnd turns PaddleOCR\'s skipped eos into a stop', async (t) => {
  const m = model('paddle_attn');
  const engine = await engineFor('paddle_attn', { ...DEFINITIONS.paddle_attn, decoder: attention('paddle-attn', { stopAtEnd: true }) });
  try {
    const cases = m.cases.filter((c) => c.expected_stop_at_end !== undefined);
    t.true(cases.some((c) => c.expected_stop_at_end !== c.expected), 'a case where the rule matters');
    const results = await engine.recognizeCrops(cases.map((c) => path.join(dir, c.image)));
    results.forEach((r, i) => t.is(r.text, cases[i].expected_stop_at_end, cases[i].name));
  } finally {
    await engine.dispose();
  }
});

test('mmocr_dictionary: unknown tokens can be skipped instead of named', async (t) => {
  const m = model('mmocr_dictionary');
  const c = m.cases.find((x) => x.name === 'unknown');
  t.truthy(c);
  const engine = await engineFor('mmocr_dictionary', {
    ...DEFINITIONS.mmocr_dictionary,
    decoder: attention('mmocr-dictionary', { unknown: 'skip' }),
  });
  try {
    const [r] = await engine.recognizeCrops([path.join(dir, c.image)]);
    t.true(c.expected.includes('<UKN>'));
    t.is(r.text, c.expected.replaceAll('<UKN>', ''));
  } finally {
    await engine.dispose();
  }
});

test('CTC blank-last logits model reads crops padded into one batch (mask or not)', async (t) => {
  const m = model('mmocr_ctc');
  for (const maskPadding of [false, true]) {
    const engine = await engineFor('mmocr_ctc', { ...DEFINITIONS.mmocr_ctc, decoder: { type: 'ctc', blank: 'last', maskPadding } });
    try {
      // All cases in one call: the narrow ones are padded to the widest, and padding decodes as blank.
      const results = await engine.recognizeCrops(m.cases.map((c) => path.join(dir, c.image)), { recognitionBatchSize: 16 });
      t.deepEqual(
        results.map((r) => r.text),
        m.cases.map((c) => c.expected),
      );
    } finally {
      await engine.dispose();
    }
  }
});

test('a dictionary that does not fit the model is a typed error naming both counts', async (t) => {
  // dict10 (10 characters) for the 36-character SAR-style MMOCR 0.x model.
  const m = model('mmocr0_sar');
  const error = await t.throwsAsync(
    createOcr({
      recognizer: { modelPath: path.join(dir, m.file), definition: DEFINITIONS.mmocr0_sar, dictionaryPath: path.join(dir, 'dict10.txt') },
    }),
  );
  t.true(error instanceof OcrError);
  t.is(error.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(error.message, /10 characters/);
  t.regex(error.message, /model outputs 38/);
  // CTC: one class short because the space is missing.
  const ctc = await t.throwsAsync(
    createOcr({ recognizer: { modelPath: path.join(dir, 'paddle_ctc.onnx'), dictionaryPath: path.join(dir, 'dict36.txt'), useSpaceChar: false } }),
  );
  t.is(ctc.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(ctc.message, /space/);
});

test('a fixed-width model with a dynamic-width definition, and a wrong fixed width, are named errors', async (t) => {
  const m = model('paddle_attn');
  const dynamic = await t.throwsAsync(engineFor('paddle_attn', { ...DEFINITIONS.paddle_attn, size: { mode: 'dynamic', height: 32, width: 100 } }));
  t.is(dynamic.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(dynamic.message, new RegExp(`'${m.input.name}'.*fixed width 100`));
  const wrong = await t.throwsAsync(engineFor('paddle_attn', { ...DEFINITIONS.paddle_attn, size: { mode: 'pad', height: 32, width: 128 } }));
  t.is(wrong.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(wrong.message, /width 128 but the model's is 100/);
});

test('bad dictionaries: empty file, duplicate entry, unknown built-in, missing metadata', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-dict-'));
  try {
    const empty = path.join(tmp, 'empty.txt');
    fs.writeFileSync(empty, '');
    const dup = path.join(tmp, 'dup.txt');
    fs.writeFileSync(dup, 'a\nb\na\n');
    const modelPath = path.join(dir, 'paddle_ctc.onnx');
    const e1 = await t.throwsAsync(createOcr({ recognizer: { modelPath, dictionaryPath: empty } }));
    t.is(e1.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(e1.message, /no characters/);
    const e2 = await t.throwsAsync(createOcr({ recognizer: { modelPath, dictionaryPath: dup } }));
    t.is(e2.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(e2.message, /line 3 repeats line 1/);
    const e3 = await t.throwsAsync(createOcr({ recognizer: { modelPath, dictionary: 'DICT99' } }));
    t.is(e3.code, 'ERR_OCR_INVALID_OPTION');
    // No dictionary anywhere: the model's 'character' metadata is read, and this model has none.
    const e4 = await t.throwsAsync(createOcr({ recognizer: { modelPath, definition: { extends: 'PP-OCRv4', dictionary: null } } }));
    t.is(e4.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(e4.message, /'character' metadata/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('built-in dictionaries: DICT36 fits the 36-character CTC test model', async (t) => {
  const engine = await createOcr({
    recognizer: { modelPath: path.join(dir, 'mmocr_ctc.onnx'), definition: DEFINITIONS.mmocr_ctc, dictionary: 'DICT36', useSpaceChar: false },
  });
  try {
    const m = model('mmocr_ctc');
    const [r] = await engine.recognizeCrops([path.join(dir, m.cases[0].image)]);
    t.is(r.text, m.cases[0].expected);
  } finally {
    await engine.dispose();
  }
});

test('built-in definitions name their source and resolve; custom ones are validated with field paths', (t) => {
  const names = Object.keys(RECOGNIZER_DEFINITIONS);
  for (const want of ['PP-OCRv4', 'CRNN', 'CRNN_CH', 'SVTR', 'RARE', 'RARE_CH', 'MASTER', 'SAR', 'NRTR', 'RobustScanner', 'SATRN', 'ABINet']) {
    t.true(names.includes(want), want);
    const d = resolveRecognizerDefinition(want);
    t.truthy(d.source.project && d.source.file, want);
  }
  const bad = (definition, pattern) => {
    const e = t.throws(() => resolveRecognizerDefinition(definition));
    t.is(e.code, 'ERR_OCR_INVALID_OPTION');
    t.regex(e.message, pattern);
  };
  bad('CRNN2', /unknown recognizer definition "CRNN2"/);
  bad({ extends: 'SAR', decoder: { scheme: 'mmocr-2' } }, /recognizer\.definition\.decoder\.scheme/);
  bad({ extends: 'SAR', size: { mode: 'wide' } }, /recognizer\.definition\.size\.mode/);
  bad({ extends: 'SAR', input: { channels: 2 } }, /recognizer\.definition\.input\.channels: expected 1 or 3/);
  bad({ extends: 'SAR', input: { std: [1, 0, 1] } }, /recognizer\.definition\.input\.std\[1\]/);
  bad({ extends: 'SAR', dictionary: { builtin: 'DICT99' } }, /recognizer\.definition\.dictionary\.builtin/);
  bad({ extends: 'SAR', dictionary: { file: 'keys.txt\0.old' } }, /recognizer\.definition\.dictionary\.file: expected a path without NUL/);
  bad({ size: { mode: 'pad', height: 32, width: 100 } }, /input\.colorOrder/);
  bad({ extends: 'SAR', colour: 'rgb' }, /recognizer\.definition\.colour: unknown field/);
  // Extending merges field by field.
  const d = resolveRecognizerDefinition({ extends: 'SAR', size: { width: 200 }, decoder: { unknown: 'skip' } });
  t.is(d.size.width, 200);
  t.is(d.size.height, 48);
  t.is(d.decoder.scheme, 'mmocr-dictionary');
  t.is(d.decoder.unknown, 'skip');
  t.deepEqual(d.dictionary, { builtin: 'DICT90' });
});

test('another definition without a model path is a usage error', async (t) => {
  const e = await t.throwsAsync(createOcr({ recognizer: { definition: 'SAR' } }));
  t.is(e.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(e.message, /modelPath: required with definition 'SAR'/);
});

test('PaddleX inference.yml: quoted, escaped and plain characters, flow and block image_shape, decoder names', async (t) => {
  const { readPaddleXRecConfig, paddleXRecDefinition } = await import('../dist/index.mjs');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-yml-'));
  try {
    const file = path.join(tmp, 'inference.yml');
    fs.writeFileSync(file, [
      'Global:', '  model_name: x', 'PreProcess:', '  transform_ops:', '  - RecResizeImg:', '      image_shape: [3, 32, 100]',
      'PostProcess:', '  name: SARLabelDecode', '  character_dict:', "  - 'it''s'", '  - "\\u4e2d"', '  - "\\""', "  - '#'", "  - ' '", '  - a',
      'Other:', '  - b',
    ].join('\n'));
    const config = readPaddleXRecConfig(file);
    t.is(config.decoder, 'SARLabelDecode');
    t.deepEqual(config.characters, ["it's", '中', '"', '#', ' ', 'a']);
    t.deepEqual(config.imageShape, [3, 32, 100]);
    const d = resolveRecognizerDefinition(paddleXRecDefinition(file));
    t.is(d.decoder.scheme, 'paddle-sar');
    t.deepEqual(d.size, { mode: 'pad', height: 32, width: 100, maxWidth: 100, minWidth: 1, widthDivisor: 1 });
    fs.writeFileSync(file, 'PostProcess:\n  name: SRNLabelDecode\n');
    const e = t.throws(() => paddleXRecDefinition(file));
    t.is(e.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(e.message, /SRNLabelDecode is not a decoder/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * The characters a CTC case's cells decode to, each with its span (fractions of the image width): its run of cells
 * widened on each side by 0.75 cells or 0.4 of the character pitch (the median distance between the first cells of
 * two characters read in a row, neither a space), whichever is more, up to the midpoint to the next or previous
 * character's run that is not a space.
 */
function cellSpans(cells) {
  const runs = [];
  for (let t = 0; t < cells.length; t++) {
    if (cells[t] === '~' || (t > 0 && cells[t] === cells[t - 1])) continue;
    let end = t + 1;
    while (end < cells.length && cells[end] === cells[t]) end++;
    runs.push({ text: cells[t], begin: t, end });
  }
  const letters = runs.filter((r) => r.text !== ' ');
  const gaps = [];
  for (let k = 0; k + 1 < runs.length; k++) {
    if (runs[k].text !== ' ' && runs[k + 1].text !== ' ') gaps.push(runs[k + 1].begin - runs[k].begin);
  }
  gaps.sort((a, b) => a - b);
  const m = gaps.length >> 1;
  const pitch = gaps.length === 0 ? 0 : gaps.length % 2 ? gaps[m] : (gaps[m - 1] + gaps[m]) / 2;
  const reach = Math.max(0.75, 0.4 * pitch);
  return runs.map((r) => {
    if (r.text === ' ') return { text: r.text, span: [r.begin / cells.length, r.end / cells.length] };
    const k = letters.indexOf(r), before = letters[k - 1], after = letters[k + 1];
    const lo = Math.max(r.begin - reach, 0, before ? (before.end + r.begin) / 2 : 0);
    const hi = Math.min(r.end + reach, cells.length, after ? (r.end + after.begin) / 2 : Infinity);
    return { text: r.text, span: [lo / cells.length, hi / cells.length] };
  });
}

test('characters: CTC spans follow the alignment (each run widened); attention gives characters without spans', async (t) => {
  const m = model('paddle_ctc');
  const engine = await engineFor('paddle_ctc');
  try {
    const cases = m.cases.filter((c) => c.cells && !c.cells.includes(' '));
    const results = await engine.recognizeCrops(cases.map((c) => path.join(dir, c.image)), { characters: true });
    results.forEach((r, i) => {
      const want = cellSpans(cases[i].cells);
      t.is(r.characters.map((c) => c.text).join(''), r.text, cases[i].name);
      t.deepEqual(r.characters.map((c) => c.text), want.map((c) => c.text), cases[i].name);
      r.characters.forEach((c, k) => {
        t.true(Math.abs(c.span[0] - want[k].span[0]) < 1e-6 && Math.abs(c.span[1] - want[k].span[1]) < 1e-6, `${cases[i].name} ${k}: ${c.span} vs ${want[k].span}`);
        t.true(c.score > 0.5);
      });
    });
    const [plain] = await engine.recognizeCrops([path.join(dir, cases[0].image)]);
    t.is(plain.characters, undefined);
  } finally {
    await engine.dispose();
  }
  const attn = await engineFor('mmocr_dictionary');
  try {
    const c = model('mmocr_dictionary').cases.find((x) => x.name === 'unknown');
    const [r] = await attn.recognizeCrops([path.join(dir, c.image)], { characters: true });
    t.deepEqual(r.characters.map((x) => x.text), ['a', '<UKN>', 'b']);
    t.is(r.characters[0].span, undefined);
  } finally {
    await attn.dispose();
  }
});

/** Protobuf varint. */
function varint(n) {
  const out = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** `model` (ONNX bytes) with a metadata_props entry appended: ModelProto field 14, StringStringEntryProto {1: key, 2: value}. */
function withMetadata(model, key, value) {
  const k = Buffer.from(key), v = Buffer.from(value);
  const entry = Buffer.from([0x0a, ...varint(k.length), ...k, 0x12, ...varint(v.length), ...v]);
  return Buffer.concat([model, Buffer.from([(14 << 3) | 2, ...varint(entry.length)]), entry]);
}

test('a dictionary carried in the model\'s metadata is read when no other is given; a given one wins', async (t) => {
  const m = model('paddle_ctc');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-meta-'));
  try {
    const chars = fs.readFileSync(path.join(dir, m.dictionary), 'utf8').trim().split('\n');
    const modelPath = path.join(tmp, 'with-dict.onnx');
    fs.writeFileSync(modelPath, withMetadata(fs.readFileSync(path.join(dir, m.file)), 'character', chars.join('\n')));
    const engine = await createOcr({ recognizer: { modelPath, definition: { extends: 'PP-OCRv4', dictionary: null } } });
    try {
      const results = await engine.recognizeCrops(m.cases.map((c) => path.join(dir, c.image)));
      t.deepEqual(results.map((r) => r.text), m.cases.map((c) => c.expected));
    } finally {
      await engine.dispose();
    }
    // With the PP-OCRv4 definition (whose own dictionary is the 6623-character file) the model's metadata wins too.
    const plain = await createOcr({ recognizer: { modelPath } });
    try {
      const [r] = await plain.recognizeCrops([path.join(dir, m.cases[0].image)]);
      t.is(r.text, m.cases[0].expected);
    } finally {
      await plain.dispose();
    }
    // A wrong dictionary in the metadata: the given file wins, so the model still reads.
    const wrongPath = path.join(tmp, 'wrong-dict.onnx');
    fs.writeFileSync(wrongPath, withMetadata(fs.readFileSync(path.join(dir, m.file)), 'character', 'x\ny'));
    const given = await createOcr({ recognizer: { modelPath: wrongPath, dictionaryPath: path.join(dir, m.dictionary) } });
    try {
      const [r] = await given.recognizeCrops([path.join(dir, m.cases[0].image)]);
      t.is(r.text, m.cases[0].expected);
    } finally {
      await given.dispose();
    }
    const e = await t.throwsAsync(createOcr({ recognizer: { modelPath: wrongPath, definition: { extends: 'PP-OCRv4', dictionary: { metadata: 'character' } } } }));
    t.is(e.code, 'ERR_OCR_MODEL_SHAPE');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a model that is not a recogniser (a detector: [N,C,H,W] out) is a shape error naming the output', async (t) => {
  const detector = path.join(fixturesDir, 'det-models', 'pan.onnx');
  const e = await t.throwsAsync(createOcr({ recognizer: { modelPath: detector, definition: { extends: 'PP-OCRv4', size: { mode: 'dynamic', height: 48, width: 320 } }, dictionary: 'DICT36' } }));
  t.true(e instanceof OcrError);
  t.is(e.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(e.message, /rejected a \[1,3,48,320\] input/);
  // At a size it can run, its rank-4 output is named.
  const rank = await t.throwsAsync(createOcr({ recognizer: { modelPath: detector, definition: { extends: 'PP-OCRv4', size: { mode: 'dynamic', height: 64, width: 320 } }, dictionary: 'DICT36' } }));
  t.is(rank.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(rank.message, /recognition output '[^']+': expected \[N,T,C\] with N = 1, got \[1,\d+,16,80\]/);
});
