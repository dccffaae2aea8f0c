#!/usr/bin/env node
// Runs every model in test/fixtures/rec-models/models.json (made by
// scripts/gen-rec-models.py) on its images with onnxruntime-node and checks
// the decoded strings / labels against the expected ones.
//
//   node scripts/check-rec-models.mjs
//
// Recognisers: each image alone at its own size, then (CTC) zero padded on the
// right to pad_to_width, then all of a model's images in one batch (CTC: padded
// to the widest). Decoding is a plain argmax per step with the scheme's indices
// from models.json (CTC: collapse repeats, drop the blank; attention: skip
// start/padding, stop at (or skip, stop_at_end false) the end token, the
// unknown token by its name, lower-case when the scheme does). The per-step
// argmax must also equal the case's token sequence exactly. Classifiers: the
// label index, its probability >= min_score (or the expected scores).
// Prints a table; exits 1 on any mismatch.
import fs from 'node:fs';
import path from 'node:path';
import { decodePng } from '../test/helpers/png.mjs';
import { fileURLToPath } from 'node:url';
import ort from './bench-ort.mjs';


const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'test', 'fixtures', 'rec-models');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'models.json'), 'utf8'));

// A PNG as {width, height, grey: Uint8Array} (the mean of its colour channels), read by test/helpers/png.mjs.
function readPng(file) {
  const { width, height, rgb } = decodePng(fs.readFileSync(file));
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) grey[i] = Math.round((rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2]) / 3);
  return { width, height, grey };
}

// Writes images (grey, same height) as a normalised [N,3,H,W] tensor, zero padded right to `width`.
function toTensor(images, width, norm) {
  const h = images[0].height;
  const data = new Float32Array(images.length * 3 * h * width); // zeros = padding
  images.forEach((img, n) => {
    if (img.height !== h || img.width > width) throw new Error('image does not fit the batch');
    for (let c = 0; c < 3; c++) {
      const base = (n * 3 + c) * h * width;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < img.width; x++) {
          const v = img.grey[y * img.width + x] * norm.scale;
          data[base + y * width + x] = (v - norm.mean[c]) / norm.std[c];
        }
      }
    }
  });
  return new ort.Tensor('float32', data, [images.length, 3, h, width]);
}

function argmax(row) {
  let best = -1, value = -Infinity;
  for (let i = 0; i < row.length; i++) if (!Number.isNaN(row[i]) && (best < 0 || row[i] > value)) { best = i; value = row[i]; }
  return best;
}

function softmaxOfMax(row, best) {
  let sum = 0;
  for (const v of row) sum += Math.exp(v - row[best]);
  return 1 / sum;
}

// Returns {text, tokens, score} for one [T,C] sequence.
function decode(model, rows) {
  const tokens = rows.map(argmax);
  const probs = rows.map((row, t) => (model.output.values === 'logits' ? softmaxOfMax(row, tokens[t]) : row[tokens[t]]));
  const kept = [];
  let text = '';
  if (model.decoder === 'ctc') {
    let prev = -1;
    tokens.forEach((k, t) => {
      if (k !== model.blank_index && k !== prev) { text += model.symbols[k]; kept.push(probs[t]); }
      prev = k;
    });
  } else {
    for (let t = 0; t < tokens.length; t++) {
      const k = tokens[t];
      if (k === model.end_index) { if (model.stop_at_end) break; continue; }
      if (k === model.start_index || k === model.padding_index) continue;
      text += model.symbols[k];
      kept.push(probs[t]);
    }
    if (model.lowercase) text = text.toLowerCase();
  }
  const score = kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : 0;
  return { text, tokens, score };
}

function sequences(output) {
  const [n, t, c] = output.dims;
  const out = [];
  for (let i = 0; i < n; i++) {
    const rows = [];
    for (let s = 0; s < t; s++) rows.push(Array.from(output.data.subarray((i * t + s) * c, (i * t + s + 1) * c)));
    out.push(rows);
  }
  return out;
}

const results = [];
let failures = 0;
function record(model, caseName, run, expected, got, ok, extra) {
  results.push({ model: model.name, case: caseName, run, expected: JSON.stringify(expected), got: JSON.stringify(got), extra, ok });
  if (!ok) failures++;
}

async function checkRecogniser(model, session) {
  const images = model.cases.map((c) => readPng(path.join(dir, c.image)));
  const fixedW = typeof model.input.shape[3] === 'number' ? model.input.shape[3] : null;
  const runOne = async (imgs, width) => {
    const feeds = { [model.input.name]: toTensor(imgs, width, model.input.normalization) };
    const out = await session.run(feeds);
    const y = out[model.output.name];
    if (!y) throw new Error(`${model.name}: no output named ${model.output.name}`);
    if (y.dims.length !== 3 || y.dims[0] !== imgs.length || y.dims[2] !== model.classes) {
      throw new Error(`${model.name}: output dims ${y.dims} (expected [${imgs.length},T,${model.classes}])`);
    }
    if (model.output.values === 'probabilities') {
      for (let i = 0; i < y.data.length; i += model.classes) {
        let s = 0;
        for (let k = 0; k < model.classes; k++) s += y.data[i + k];
        if (Math.abs(s - 1) > 1e-4) throw new Error(`${model.name}: probabilities sum to ${s}`);
      }
    }
    return sequences(y).map((rows) => decode(model, rows));
  };
  const check = (c, run, d, width) => {
    const cell = model.cell_width;
    const steps = Math.floor(width / cell);
    // Expected step tokens: the case's tokens, then background for padded steps.
    const want = c.tokens.concat(Array(Math.max(0, steps - c.tokens.length)).fill(model.background_index));
    const tokensOk = d.tokens.length === want.length && d.tokens.every((k, i) => k === want[i]);
    const ok = tokensOk && d.text === c.expected && (d.text === '' || d.score > 0.99);
    record(model, c.name, run, c.expected, d.text, ok, `T=${d.tokens.length} score=${d.score.toFixed(4)}${tokensOk ? '' : ' TOKENS DIFFER'}`);
  };
  for (let i = 0; i < model.cases.length; i++) {
    const c = model.cases[i];
    const w = fixedW ?? images[i].width;
    check(c, 'alone', (await runOne([images[i]], w))[0], w);
    if (model.decoder === 'ctc') {
      check(c, `pad${model.pad_to_width}`, (await runOne([images[i]], model.pad_to_width))[0], model.pad_to_width);
    }
  }
  const batchW = fixedW ?? Math.max(model.pad_to_width ?? 0, ...images.map((im) => im.width));
  const batch = await runOne(images, batchW);
  model.cases.forEach((c, i) => check(c, `batch${images.length}@${batchW}`, batch[i], batchW));
}

async function checkClassifier(model, session) {
  const images = model.cases.map((c) => readPng(path.join(dir, c.image)));
  const width = model.input.shape[3];
  const labelsOf = async (imgs) => {
    const out = await session.run({ [model.input.name]: toTensor(imgs, width, model.input.normalization) });
    const y = out[model.output.name];
    const C = model.labels.length;
    if (!y || y.dims.length !== 2 || y.dims[1] !== C) throw new Error(`${model.name}: bad output ${y?.dims}`);
    return imgs.map((_, n) => Array.from(y.data.subarray(n * C, (n + 1) * C)));
  };
  const check = (c, run, p) => {
    const best = argmax(p);
    let ok;
    if (c.expected_index === null) ok = c.expected_scores.every((s, k) => Math.abs(p[k] - s) < 1e-3);
    else ok = best === c.expected_index && p[best] >= c.min_score;
    record(model, c.name, run, c.expected_label ?? c.expected_scores, c.expected_index === null ? p.map((v) => +v.toFixed(4)) : model.labels[best], ok,
      `p=[${p.map((v) => v.toFixed(4)).join(',')}]`);
  };
  for (let i = 0; i < model.cases.length; i++) check(model.cases[i], 'alone', (await labelsOf([images[i]]))[0]);
  const batch = await labelsOf(images);
  model.cases.forEach((c, i) => check(c, `batch${images.length}`, batch[i]));
}

for (const model of manifest.models) {
  const file = path.join(dir, model.file);
  const session = await ort.InferenceSession.create(file);
  if (session.inputNames[0] !== model.input.name || !session.outputNames.includes(model.output.name)) {
    throw new Error(`${model.name}: names ${session.inputNames} -> ${session.outputNames}`);
  }
  if (model.task === 'recognition') await checkRecogniser(model, session);
  else await checkClassifier(model, session);
  await session.release?.();
}

const cols = ['model', 'case', 'run', 'expected', 'got', 'extra', 'ok'];
const widths = cols.map((k) => Math.max(k.length, ...results.map((r) => String(r[k] === true ? 'ok' : r[k] === false ? 'FAIL' : r[k]).length)));
const line = (r) => cols.map((k, i) => String(r[k] === true ? 'ok' : r[k] === false ? 'FAIL' : r[k]).padEnd(widths[i])).join('  ');
console.log(line(Object.fromEntries(cols.map((k) => [k, k]))));
for (const r of results) console.log(line(r));
console.log(`\n${results.length - failures}/${results.length} checks passed (${manifest.models.length} models)`);
process.exit(failures ? 1 : 0);
