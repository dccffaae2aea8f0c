// Detector definitions: built-ins, validation of custom ones, mapping to engine defaults. No model.
import test from 'ava';
import {
  DEFAULT_DETECT_OPTIONS,
  DETECTOR_DEFINITIONS,
  DETECTOR_DEFINITION_NAMES,
  resolveDetectorDefinition,
  resolveRecognizerDefinition,
} from '../dist/index.mjs';
import { definitionDetectDefaults, resolveOcrOptions } from '../dist/options.js';

const invalid = (t, fn, pattern) => {
  const error = t.throws(fn);
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  if (pattern) t.regex(error.message, pattern);
  return error;
};

test('built-in names are those the seeds use', (t) => {
  t.deepEqual([...DETECTOR_DEFINITION_NAMES], ['PP-OCRv4', 'DB', 'DB++', 'DB_MV3', 'PSE', 'PAN', 'EAST', 'FCE']);
});

test('every built-in resolves to itself, names its source and is frozen', (t) => {
  for (const name of DETECTOR_DEFINITION_NAMES) {
    const d = resolveDetectorDefinition(name);
    t.deepEqual(d, DETECTOR_DEFINITIONS[name]);
    t.true(Object.isFrozen(DETECTOR_DEFINITIONS[name].input));
    t.false(Object.isFrozen(d.input), 'a copy the caller may change');
    for (const key of ['project', 'version', 'file']) t.true(d.source[key].length > 0, `${name} source.${key}`);
    // Re-validating a built-in as a custom object gives the same definition.
    t.deepEqual(resolveDetectorDefinition(JSON.parse(JSON.stringify(d))), d);
  }
});

test('PP-OCRv4 is today\'s defaults exactly', (t) => {
  const d = resolveDetectorDefinition('PP-OCRv4');
  t.deepEqual(d.input, { colorOrder: 'bgr', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], scale: 1 / 255 });
  t.deepEqual(definitionDetectDefaults(d), { ...DEFAULT_DETECT_OPTIONS });
  const resolved = resolveOcrOptions({});
  t.is(resolved.detector.definition.name, 'PP-OCRv4');
  t.deepEqual(resolved.detection, { ...DEFAULT_DETECT_OPTIONS });
});

test('reference values of the other built-ins', (t) => {
  const db = DETECTOR_DEFINITIONS['DB'];
  t.is(db.source.project, 'MindOCR');
  t.is(db.input.colorOrder, 'rgb');
  t.deepEqual(db.input.mean, [123.675, 116.28, 103.53]);
  t.is(db.input.scale, 1);
  t.is(db.postprocess.params.boxThreshold, 0.6);
  const pse = DETECTOR_DEFINITIONS['PSE'];
  t.is(pse.source.project, 'MMOCR');
  t.is(pse.outputs[0].channels, 7);
  t.is(pse.downsampleRatio, 0.25);
  t.like(pse.postprocess.params, { minKernelConfidence: 0.5, scoreThreshold: 0.3, minTextArea: 16 });
  t.like(DETECTOR_DEFINITIONS['PAN'].postprocess.params, { distanceThreshold: 3, scoreThreshold: 0.3, minTextArea: 16 });
  t.like(DETECTOR_DEFINITIONS['EAST'].postprocess.params, { scoreThreshold: 0.8, coverThreshold: 0.1, nmsThreshold: 0.2, stride: 4 });
  t.like(DETECTOR_DEFINITIONS['FCE'].postprocess.params, { fourierDegree: 5, numPoints: 50, alpha: 1, beta: 1, boxType: 'polygon' });
  t.deepEqual(DETECTOR_DEFINITIONS['FCE'].postprocess.params.scales, [8, 16, 32]);
});

test('an unknown name lists the known ones', (t) => {
  const error = invalid(t, () => resolveDetectorDefinition('DBNet++'), /unknown detector definition "DBNet\+\+"/);
  for (const name of DETECTOR_DEFINITION_NAMES) t.true(error.message.includes(name));
  invalid(t, () => resolveDetectorDefinition({ extends: 'nope' }), /detector\.definition\.extends: unknown .*PP-OCRv4/);
});

test('names every object inherits are unknown definitions, not a crash (found by parsers-fuzz)', (t) => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    invalid(t, () => resolveDetectorDefinition(name), /unknown detector definition/);
    invalid(t, () => resolveDetectorDefinition({ extends: name }), /extends: unknown detector definition/);
    invalid(t, () => resolveRecognizerDefinition(name), /unknown recogniser definition|unknown recognizer definition/);
    invalid(t, () => resolveRecognizerDefinition({ extends: name, name: 'mine' }), /extends: unknown/);
  }
});

test('a sparse array\'s holes are missing values, not skipped (found by parsers-fuzz)', (t) => {
  const outputs = [];
  outputs.length = 1;  // [ <1 empty item> ]
  invalid(t, () => resolveDetectorDefinition({ extends: 'PP-OCRv4', name: 'mine', outputs }), /outputs\[0\]: expected an object/);
  const characters = ['a'];
  characters[2] = 'c';  // [ 'a', <1 empty item>, 'c' ]
  invalid(
    t,
    () => resolveRecognizerDefinition({ extends: 'PP-OCRv4', name: 'mine', dictionary: { characters } }),
    /characters\[1\]: expected a non-empty string/,
  );
});

test('an unknown algorithm lists the known ones', (t) => {
  invalid(
    t,
    () => resolveDetectorDefinition({ extends: 'DB', postprocess: { algorithm: 'SAST' } }),
    /detector\.definition\.postprocess\.algorithm: unknown algorithm "SAST" \(known: DB, PSE, PAN, EAST, FCE\)/,
  );
});

test('impossible values name the field path', (t) => {
  const cases = [
    [{ extends: 'PSE', postprocess: { params: { minKernelArea: -1 } } }, 'detector.definition.postprocess.params.minKernelArea'],
    [{ extends: 'PSE', postprocess: { params: { minKernelArea: 1.5 } } }, 'detector.definition.postprocess.params.minKernelArea'],
    [{ extends: 'PSE', postprocess: { params: { scoreThreshold: 1.2 } } }, 'detector.definition.postprocess.params.scoreThreshold'],
    [{ extends: 'PAN', postprocess: { params: { minTextConfidence: -0.1 } } }, 'detector.definition.postprocess.params.minTextConfidence'],
    [{ extends: 'EAST', postprocess: { params: { nmsThreshold: 2 } } }, 'detector.definition.postprocess.params.nmsThreshold'],
    [{ extends: 'DB', postprocess: { params: { binaryThreshold: Number.NaN } } }, 'detector.definition.postprocess.params.binaryThreshold'],
    [{ extends: 'DB', postprocess: { params: { bogus: 1 } } }, 'detector.definition.postprocess.params.bogus'],
    [{ extends: 'DB', input: { std: [0.2, -0.2, 0.2] } }, 'detector.definition.input.std[1]'],
    [{ extends: 'DB', input: { std: [0.2, 0, 0.2] } }, 'detector.definition.input.std[1]'],
    [{ extends: 'DB', input: { mean: [1, 2] } }, 'detector.definition.input.mean'],
    [{ extends: 'DB', input: { mean: [1, 2, '3'] } }, 'detector.definition.input.mean[2]'],
    [{ extends: 'DB', input: { colorOrder: 'rgba' } }, 'detector.definition.input.colorOrder'],
    [{ extends: 'DB', input: { scale: 0 } }, 'detector.definition.input.scale'],
    [{ extends: 'PSE', downsampleRatio: 0 }, 'detector.definition.downsampleRatio'],
    [{ extends: 'PSE', downsampleRatio: -0.25 }, 'detector.definition.downsampleRatio'],
    [{ extends: 'DB', size: { limitType: 'mean' } }, 'detector.definition.size.limitType'],
    [{ extends: 'DB', size: { stride: 0 } }, 'detector.definition.size.stride'],
    [{ extends: 'DB', size: { fixed: [640] } }, 'detector.definition.size.fixed'],
    [{ extends: 'DB', size: { fixed: [640, 0] } }, 'detector.definition.size.fixed[1]'],
    [{ extends: 'DB', outputs: [] }, 'detector.definition.outputs'],
    [{ extends: 'DB', outputs: [{ layout: 'NHWC', channels: 1, role: 'probability' }] }, 'detector.definition.outputs[0].layout'],
    [{ extends: 'DB', outputs: [{ layout: 'NCHW', channels: 1, role: 'kernels' }] }, 'detector.definition.outputs[0].role'],
    [{ extends: 'PAN', outputs: [{ layout: 'NCHW', channels: 2, role: 'text-kernel-embedding' }] }, 'detector.definition.outputs[0].channels'],
    [{ extends: 'EAST', outputs: [{ layout: 'NCHW', channels: 1, role: 'score' }, { layout: 'NCHW', channels: 5, role: 'geometry' }] }, 'detector.definition.outputs[1].channels'],
    [{ extends: 'EAST', postprocess: { params: { stride: 8 } } }, 'detector.definition.postprocess.params.stride'],
    [{ extends: 'FCE', postprocess: { params: { scales: [8, 16] } } }, 'detector.definition.outputs[4].scale'],
    [{ extends: 'FCE', postprocess: { params: { numPoints: 5 } } }, 'detector.definition.postprocess.params.numPoints'],
    [{ extends: 'FCE', postprocess: { params: { fourierDegree: 4 } } }, 'detector.definition.outputs[1].channels'],
    [{ extends: 'DB', color: 'rgb' }, 'detector.definition.color'],
  ];
  for (const [definition, path] of cases) {
    const error = invalid(t, () => resolveDetectorDefinition(definition));
    t.true(error.message.startsWith(`${path}:`), `${JSON.stringify(definition)} -> ${error.message}`);
  }
});

test('a complete custom definition needs no base; params default to the algorithm\'s built-in', (t) => {
  const d = resolveDetectorDefinition({
    name: 'my-pse',
    input: { colorOrder: 'rgb', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], scale: 1 / 255 },
    size: { limitSideLength: 640, limitType: 'max', stride: 32, fixed: [640, 640] },
    outputs: [{ name: 'out', layout: 'NCHW', channels: 3, role: 'kernels' }],
    downsampleRatio: 0.25,
    postprocess: { algorithm: 'PSE', params: { minTextArea: 10 } },
  });
  t.is(d.name, 'my-pse');
  t.is(d.source.project, 'custom');
  t.deepEqual(d.size.fixed, [640, 640]);
  t.like(d.postprocess.params, { minTextArea: 10, minKernelConfidence: 0.5, scoreThreshold: 0.3 });
  invalid(t, () => resolveDetectorDefinition({ outputs: d.outputs, postprocess: { algorithm: 'PSE' } }), /^detector\.definition\.input\.colorOrder:/);
});

test('createOcr options: definition by name or object, overrides, engine defaults', (t) => {
  const pse = resolveOcrOptions({ detector: { modelPath: '/m.onnx', definition: 'PSE' } });
  t.is(pse.detector.definition.name, 'PSE');
  t.is(pse.detection.limitSideLength, 2240);
  t.is(pse.detection.boxType, 'quad');
  const fce = resolveOcrOptions({ detector: { modelPath: '/m.onnx', definition: 'FCE' }, detection: { limitSideLength: 640 } });
  t.is(fce.detection.boxType, 'polygon');
  t.is(fce.detection.limitType, 'min');
  t.is(fce.detection.limitSideLength, 640);
  const overridden = resolveOcrOptions({ detector: { mean: [0.5, 0.5, 0.5], scale: 1 } });
  t.deepEqual(overridden.detector.definition.input.mean, [0.5, 0.5, 0.5]);
  t.deepEqual(overridden.detector.definition.input.std, [0.229, 0.224, 0.225]);
  t.is(overridden.detector.definition.input.scale, 1);
  t.is(DETECTOR_DEFINITIONS['PP-OCRv4'].input.scale, 1 / 255, 'built-ins are never changed');
  invalid(t, () => resolveOcrOptions({ detector: { definition: 'PSE' } }), /^options\.detector\.modelPath: required/);
  invalid(
    t,
    () => resolveOcrOptions({ detector: { modelPath: '/m.onnx', definition: { extends: 'PSE', postprocess: { params: { minKernelArea: -1 } } } } }),
    /^options\.detector\.definition\.postprocess\.params\.minKernelArea:/,
  );
  invalid(t, () => resolveOcrOptions({ detector: { std: [1, 0, 1] } }), /^options\.detector\.std\[1\]:/);
});
