// PSE, PAN, EAST and FCE detectors through the generic detector stage, with the small real models
// scripts/gen-det-models.py trains (test/fixtures/det-models, described by its models.json).
// Skipped only when that folder is missing.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcr } from '../dist/index.mjs';
import { bestMatches } from './helpers/geometry.mjs';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'det-models');
const present = fs.existsSync(path.join(DIR, 'models.json'));
const maybe = present ? test : test.skip;

// Line recall each model must reach on the 6 test images (IoU >= 0.5) through ocrkit's C++ post-processing: the
// issue's goal, 90% for each. The models are tiny (about 0.27 M parameters, trained on 2 CPU cores by
// scripts/gen-det-models.py: PSE, PAN and EAST jointly in 800 steps; FCE retrained alone in 3000 steps,
// GEN_DET_ONLY=fce GEN_DET_STEPS=3000, after the joint run's 87.5%). Measured: PSE 95.8%, PAN 94.4%,
// EAST 91.7%, FCE 94.4%.
const MIN_RECALL = { pse: 0.9, pan: 0.9, east: 0.9, fce: 0.9 };

const manifest = present ? JSON.parse(fs.readFileSync(path.join(DIR, 'models.json'), 'utf8')) : { models: {}, input: {} };
const images = present
  ? fs
      .readdirSync(path.join(DIR, 'images'))
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => ({
        name: f.replace(/\.png$/, ''),
        file: path.join(DIR, 'images', f),
        truth: JSON.parse(fs.readFileSync(path.join(DIR, 'images', f.replace(/\.png$/, '.json')), 'utf8')),
      }))
  : [];

const ROLE = { pse: ['kernels'], pan: ['text-kernel-embedding'], east: null, fce: null };

// A custom definition matching models.json: the built-in of the same algorithm, with the manifest's
// input normalisation, outputs (by name) and post-processing parameters; native input size.
function definitionFor(key) {
  const m = manifest.models[key];
  const input = manifest.input;
  const outputs = m.outputs.map((o) => {
    const channels = o.shape[1];
    let role = ROLE[key]?.[0];
    if (key === 'east') role = o.name === 'score' ? 'score' : 'geometry';
    if (key === 'fce') role = o.name.startsWith('cls') ? 'classification' : 'regression';
    return { name: o.name, layout: 'NCHW', channels, role, ...(key === 'fce' ? { scale: o.scale } : {}) };
  });
  const p = m.params;
  const params = {
    pse: {
      applySigmoid: p.apply_sigmoid,
      minKernelConfidence: p.min_kernel_confidence,
      scoreThreshold: p.score_threshold,
      minKernelArea: p.min_kernel_area,
      minTextArea: p.min_text_area,
    },
    pan: {
      applySigmoid: p.apply_sigmoid,
      minTextConfidence: p.min_text_confidence,
      minKernelConfidence: p.min_kernel_confidence,
      distanceThreshold: p.distance_threshold,
      scoreThreshold: p.score_threshold,
      minTextArea: p.min_text_area,
    },
    east: { scoreThreshold: p.score_threshold, coverThreshold: p.cover_threshold, nmsThreshold: p.nms_threshold, stride: p.stride },
    fce: {
      scales: p.scales,
      fourierDegree: p.fourier_degree,
      numPoints: p.num_points,
      scoreThreshold: p.score_threshold,
      nmsThreshold: p.nms_threshold,
      alpha: p.alpha,
      beta: p.beta,
    },
  }[key];
  return {
    extends: key.toUpperCase(),
    name: `test-${key}`,
    source: { project: 'ocrkit', version: 'test fixture', file: 'scripts/gen-det-models.py' },
    input: { colorOrder: input.colorOrder.toLowerCase(), mean: input.mean, std: input.std, scale: input.scale },
    size: { limitSideLength: 960, limitType: 'max', stride: input.sizeStride },
    outputs,
    ...(m.downsampleRatio ? { downsampleRatio: m.downsampleRatio } : {}),
    postprocess: { algorithm: key.toUpperCase(), params },
  };
}

async function lineRecall(engine) {
  let found = 0;
  let total = 0;
  const perImage = [];
  for (const image of images) {
    const details = await engine.detectWithDetails(image.file);
    const ious = bestMatches(image.truth.lines.map((l) => l.box), details.regions.map((r) => r.box));
    const hits = ious.filter((v) => v >= 0.5).length;
    found += hits;
    total += image.truth.lines.length;
    perImage.push(`${image.name} ${hits}/${image.truth.lines.length} (${details.regions.length} regions)`);
    for (const r of details.regions) {
      for (const [x, y] of r.box) {
        if (!(x >= 0 && y >= 0 && x <= details.width - 1 && y <= details.height - 1)) throw new Error('box outside the image');
      }
    }
  }
  return { recall: total ? found / total : 0, found, total, perImage };
}

for (const key of ['pse', 'pan', 'east', 'fce']) {
  maybe(`${key}: finds the test images' lines through the generic detector stage`, async (t) => {
    t.true(images.length >= 6);
    const engine = await createOcr({ detector: { modelPath: path.join(DIR, manifest.models[key].file), definition: definitionFor(key) } });
    try {
      const { recall, found, total, perImage } = await lineRecall(engine);
      t.log(`${key}: line recall ${(100 * recall).toFixed(1)}% (${found}/${total}); ${perImage.join('; ')}`);
      t.true(recall >= MIN_RECALL[key], `${key} recall ${recall.toFixed(3)} < ${MIN_RECALL[key]}`);
    } finally {
      await engine.dispose();
    }
  });
}

maybe('FCE returns polygons by default (its definition\'s boxType)', async (t) => {
  const engine = await createOcr({ detector: { modelPath: path.join(DIR, 'fce.onnx'), definition: definitionFor('fce') } });
  try {
    const regions = await engine.detect(images[0].file);
    t.true(regions.length > 0);
    for (const r of regions) t.is(r.polygon.length, manifest.models.fce.params.num_points);
    const quads = await engine.detect(images[0].file, { boxType: 'quad' });
    for (const r of quads) t.is(r.polygon, undefined);
  } finally {
    await engine.dispose();
  }
});

maybe('EAST outputs are matched by channel count when the definition names none', async (t) => {
  const named = definitionFor('east');
  // Geometry first, no names: the model's order (score, geometry) is found by channel count.
  const unnamed = { ...named, outputs: [...named.outputs].reverse().map(({ name, ...rest }) => rest) };
  const a = await createOcr({ detector: { modelPath: path.join(DIR, 'east.onnx'), definition: named } });
  const b = await createOcr({ detector: { modelPath: path.join(DIR, 'east.onnx'), definition: unnamed } });
  try {
    t.deepEqual(await b.detect(images[0].file), await a.detect(images[0].file));
  } finally {
    await a.dispose();
    await b.dispose();
  }
});

maybe('the built-in PSE definition (7 kernels) on a 3-kernel model fails with ERR_OCR_MODEL_SHAPE', async (t) => {
  const error = await t.throwsAsync(createOcr({ detector: { modelPath: path.join(DIR, 'pse.onnx'), definition: 'PSE' } }));
  t.is(error.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(error.message, /'output'/, 'names the tensor');
  t.regex(error.message, /expected \[N,7,H,W\]/, 'the expected shape');
  t.regex(error.message, /got \[[^\]]*3[^\]]*\]/, 'the actual shape');
});

maybe('a channel count that only the run reveals fails with ERR_OCR_MODEL_SHAPE too', async (t) => {
  // PAN's 6 channels read as 6 kernels: the declared shape fits, a wrong downsampleRatio does not.
  const definition = { ...definitionFor('pse'), outputs: [{ name: 'output', layout: 'NCHW', channels: 6, role: 'kernels' }] };
  const error = await t.throwsAsync(createOcr({ detector: { modelPath: path.join(DIR, 'pan.onnx'), definition: { ...definition, downsampleRatio: 0.5 } } }));
  t.is(error.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(error.message, /'output'/);
  t.regex(error.message, /expected \[1,6,32,32\], got \[1,6,16,16\]/);
});

maybe('a named output the model lacks fails with ERR_OCR_MODEL_SHAPE listing the outputs', async (t) => {
  const definition = { ...definitionFor('east'), outputs: [{ name: 'f_score', layout: 'NCHW', channels: 1, role: 'score' }, { name: 'f_geo', layout: 'NCHW', channels: 8, role: 'geometry' }] };
  const error = await t.throwsAsync(createOcr({ detector: { modelPath: path.join(DIR, 'east.onnx'), definition } }));
  t.is(error.code, 'ERR_OCR_MODEL_SHAPE');
  t.regex(error.message, /'f_score'.*not found.*'score'.*'geometry'/);
});

test('an unknown definition name is refused, listing the known names', async (t) => {
  const error = await t.throwsAsync(createOcr({ detector: { modelPath: '/x.onnx', definition: 'TextSnake' } }));
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  for (const name of ['PP-OCRv4', 'DB', 'DB++', 'DB_MV3', 'PSE', 'PAN', 'EAST', 'FCE']) t.true(error.message.includes(name), name);
});

test('an impossible value is refused, naming the field path', async (t) => {
  const error = await t.throwsAsync(
    createOcr({ detector: { modelPath: '/x.onnx', definition: { extends: 'PSE', postprocess: { params: { minKernelArea: -3 } } } } }),
  );
  t.is(error.code, 'ERR_OCR_INVALID_OPTION');
  t.regex(error.message, /detector\.definition\.postprocess\.params\.minKernelArea/);
});

maybe('a fixed-size definition resizes every input to exactly that size', async (t) => {
  const definition = { ...definitionFor('pse'), size: { limitSideLength: 960, limitType: 'max', stride: 32, fixed: [320, 448] } };
  const engine = await createOcr({ detector: { modelPath: path.join(DIR, 'pse.onnx'), definition } });
  try {
    const details = await engine.detectWithDetails(images[0].file, { limitSideLength: 64 });
    t.is(details.inputWidth, 448);
    t.is(details.inputHeight, 320);
    t.is(details.width, images[0].truth.width);
    t.true(details.regions.length > 0);
  } finally {
    await engine.dispose();
  }
});
