// PaddleX inference.yml: the YAML subset reader, and the detector definition read from a DB export's file.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseYamlSubset, paddleXDetDefinition, resolveDetectorDefinition } from '../dist/index.mjs';
import { DB_EXPORT_PARSED, DB_EXPORT_YML } from './helpers/paddlex-yml.mjs';

test('YAML subset: PyYAML block style, sequences at the key indentation, "- key:" items, scalars', (t) => {
  t.deepEqual(parseYamlSubset(DB_EXPORT_YML, 'x.yml'), DB_EXPORT_PARSED);
});

// As PyYAML reads them (checked with yaml.safe_load): a plain scalar keeps Unicode spaces (PaddleOCR's Chinese
// dictionary holds U+3000, which String.trim() took: the dictionary was refused); numbers and booleans by YAML 1.1.
test('YAML subset: plain scalars resolve as PyYAML resolves them', (t) => {
  const text = '---\nchars:\n- \u3000\n- \u00a0\n- 1e3\n- 08\n- 012\n- 1.0e+3\n- 1_000\n- 0x1F\n- .5\n- -.5\n- ._\n- -.inf\n- yes\n- Off\n- y\n- ~\n';
  const parsed = parseYamlSubset(text, 'x.yml');
  t.deepEqual(parsed.chars, ['\u3000', '\u00a0', '1e3', '08', 10, 1000, 1000, 31, 0.5, '-.5', '._', -Infinity, true, false, 'y', null]);
});

test('YAML subset: what it does not read is an error naming the line', (t) => {
  const cases = [
    ['a:\n  b: 1\n    c: 2', /line 3: unexpected indentation/],
    ['a: &anchor 1', /line 1: anchors, aliases, tags/],
    ['a: {b: 1}', /line 1: a flow mapping/],
    ["a: 'open", /line 1: an unterminated quoted string/],
    ['just text', /line 1: expected "key: value"/],
    ['a: 1\n---\nb: 2', /line 3: a second YAML document/],
    ['a: 1\n...\nb: 2', /line 3: a second YAML document/],
    ['a: 1:30', /line 1: a base-60 number/],
  ];
  for (const [text, pattern] of cases) {
    const e = t.throws(() => parseYamlSubset(text, 'x.yml'));
    t.is(e.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(e.message, /^x\.yml: /);
    t.regex(e.message, pattern);
  }
});

test('a PaddleX DB export: resize limit, normalisation and thresholds become a detector definition', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-det-yml-'));
  try {
    const file = path.join(dir, 'inference.yml');
    fs.writeFileSync(file, [
      'PreProcess:', '  transform_ops:', '  - DetResizeForTest:', '      limit_side_len: 736', '      limit_type: min',
      '  - NormalizeImage:', '      mean: [0.5, 0.5, 0.5]', '      std: [0.5, 0.5, 0.5]', '      scale: 1./255.',
      'PostProcess:', '  name: DBPostProcess', '  thresh: 0.2', '  box_thresh: 0.5', '  unclip_ratio: 2.0', '  max_candidates: 500',
    ].join('\n'));
    const d = resolveDetectorDefinition(paddleXDetDefinition(file));
    t.is(d.size.limitSideLength, 736);
    t.is(d.size.limitType, 'min');
    t.deepEqual(d.input.mean, [0.5, 0.5, 0.5]);
    t.true(Math.abs(d.input.scale - 1 / 255) < 1e-12);
    t.is(d.input.colorOrder, 'bgr');
    t.deepEqual(
      [d.postprocess.params.binaryThreshold, d.postprocess.params.boxThreshold, d.postprocess.params.unclipRatio, d.postprocess.params.maxCandidates],
      [0.2, 0.5, 2, 500],
    );
    fs.writeFileSync(file, 'PostProcess:\n  name: EASTPostProcess\n');
    const e = t.throws(() => paddleXDetDefinition(file));
    t.is(e.code, 'ERR_OCR_MODEL_LOAD');
    t.regex(e.message, /EASTPostProcess is not a detector post-processor/);
    // image_shape (PaddleOCR's resize type 1, ahead of any limit): a fixed size; with keep_ratio, refused (it was
    // passed over and the default limit used).
    const shaped = (extra) => ['PreProcess:', '  transform_ops:', '  - DetResizeForTest:', '      image_shape: [640, 640]', ...extra,
      '      limit_side_len: 736', '  - NormalizeImage:', '      scale: 1./255.', 'PostProcess:', '  name: DBPostProcess'].join('\n');
    fs.writeFileSync(file, shaped([]));
    const fixed = resolveDetectorDefinition(paddleXDetDefinition(file));
    t.deepEqual(fixed.size.fixed, [640, 640]);
    t.true(Math.abs(fixed.input.scale - 1 / 255) < 1e-12);
    fs.writeFileSync(file, shaped(['      keep_ratio: true']));
    t.regex(t.throws(() => paddleXDetDefinition(file)).message, /keep_ratio .* is not a size policy ocrkit has/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
