// PaddleX / PaddleOCR 3 exported model folders carry an inference.yml saying how the model was trained to be fed
// and decoded. ocrkit reads what a definition needs from it: for recognisers the label decoder's name, its
// character_dict (the dictionary, one entry per class) and RecResizeImg's image_shape; for DB detectors the resize
// limit, normalisation and DB thresholds. The file is read with lib/models/yaml.ts (PyYAML's block style).
import fs from 'node:fs';
import { OcrError } from '../errors.js';
import { readRegularTextFile } from '../files.js';
import type { RecognizerDefinitionInput } from './recognizer-definitions.js';
import { parseYamlSubset } from './yaml.js';

export interface PaddleXRecConfig {
  /** PostProcess.name, e.g. 'CTCLabelDecode'. */
  decoder: string | undefined;
  /** PostProcess.character_dict. */
  characters: string[] | undefined;
  /** RecResizeImg image_shape [C, H, W]. */
  imageShape: [number, number, number] | undefined;
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readRegularTextFile(file, 64 * 2 ** 20);
  } catch (error) {
    throw new OcrError('ERR_OCR_MODEL_LOAD', `cannot read ${file}: ${(error as Error).message}`);
  }
  const value = parseYamlSubset(text, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OcrError('ERR_OCR_MODEL_LOAD', `${file}: expected a mapping at the top level`);
  }
  return value as Record<string, unknown>;
}

const asObject = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The PreProcess transform_ops entry named `name` (PaddleX writes each as a one-key mapping). */
function transform(config: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const ops = asObject(config['PreProcess'])['transform_ops'];
  if (!Array.isArray(ops)) return undefined;
  for (const op of ops) {
    const o = asObject(op);
    if (name in o) return asObject(o[name]);
  }
  return undefined;
}

function bad(file: string, what: string): OcrError {
  return new OcrError('ERR_OCR_MODEL_LOAD', `${file}: ${what}`);
}

export function readPaddleXRecConfig(file: string): PaddleXRecConfig {
  const config = readYaml(file);
  const post = asObject(config['PostProcess']);
  const out: PaddleXRecConfig = { decoder: undefined, characters: undefined, imageShape: undefined };
  if (typeof post['name'] === 'string') out.decoder = post['name'];
  const dict = post['character_dict'];
  if (dict !== undefined && dict !== null) {
    if (!Array.isArray(dict)) throw bad(file, 'PostProcess.character_dict: expected a list of characters');
    out.characters = dict.map((c) => (c === null ? '' : String(c)));
  }
  const resize = transform(config, 'RecResizeImg');
  if (resize && resize['image_shape'] !== undefined) {
    const shape = resize['image_shape'];
    if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((v) => Number.isInteger(v) && (v as number) > 0)) {
      throw bad(file, `RecResizeImg.image_shape ${JSON.stringify(shape)}: expected [C, H, W]`);
    }
    out.imageShape = shape as [number, number, number];
  }
  return out;
}

/** A number, or PaddleOCR's "1./255." style fraction. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(value);
    if (m) return Number(m[1]) / Number(m[2]);
  }
  return undefined;
}

/**
 * A detector definition from a PaddleX inference.yml of a DB model: DetResizeForTest (limit_side_len and
 * limit_type, or resize_long), NormalizeImage (mean, std, scale) and DBPostProcess (thresh, box_thresh,
 * unclip_ratio, max_candidates) over the PP-OCRv4 definition.
 */
export function paddleXDetDefinition(file: string): Record<string, unknown> {
  const config = readYaml(file);
  const post = asObject(config['PostProcess']);
  const name = post['name'] ?? 'DBPostProcess';
  if (name !== 'DBPostProcess') {
    throw bad(file, `PostProcess ${String(name)} is not a detector post-processor ocrkit reads from inference.yml (DBPostProcess); give a definition.json`);
  }
  const params: Record<string, unknown> = {};
  const copy = (from: string, to: string) => {
    if (post[from] !== undefined && post[from] !== null) params[to] = post[from];
  };
  copy('thresh', 'binaryThreshold');
  copy('box_thresh', 'boxThreshold');
  copy('unclip_ratio', 'unclipRatio');
  copy('max_candidates', 'maxCandidates');
  const definition: Record<string, unknown> = {
    extends: 'PP-OCRv4',
    name: 'PaddleX DBPostProcess',
    source: { project: 'PaddleX', version: 'inference.yml', file },
    postprocess: { algorithm: 'DB', params },
  };
  const resize = transform(config, 'DetResizeForTest');
  if (resize) {
    const size: Record<string, unknown> = {};
    if (resize['image_shape'] !== undefined && resize['image_shape'] !== null) {
      // PaddleOCR's resize type 1: every image to image_shape [h, w] (keep_ratio: the width from the aspect ratio,
      // to a multiple of 32), which no limit reproduces.
      const shape = resize['image_shape'];
      const ok = Array.isArray(shape) && shape.length === 2 && shape.every((v) => Number.isInteger(v) && (v as number) > 0);
      if (!ok) throw bad(file, `DetResizeForTest.image_shape ${JSON.stringify(shape)}: expected [height, width]`);
      if (resize['keep_ratio'] === true) {
        throw bad(file, 'DetResizeForTest.keep_ratio (a fixed height, the width from each image) is not a size policy ocrkit has; give a definition.json');
      }
      definition['size'] = { fixed: shape };
      return withNormalize(config, definition, file);
    }
    if (resize['limit_side_len'] !== undefined) size['limitSideLength'] = resize['limit_side_len'];
    if (resize['limit_type'] !== undefined) size['limitType'] = resize['limit_type'];
    if (resize['resize_long'] !== undefined) Object.assign(size, { limitSideLength: resize['resize_long'], limitType: 'max' });
    if (resize['max_side_limit'] !== undefined) size['maxSideLength'] = resize['max_side_limit'];
    definition['size'] = size;
  }
  return withNormalize(config, definition, file);
}

/** `definition` with a PaddleX NormalizeImage's mean, std and scale as its input, when there is one. */
function withNormalize(config: Record<string, unknown>, definition: Record<string, unknown>, file: string): Record<string, unknown> {
  const normalize = transform(config, 'NormalizeImage');
  if (normalize) {
    const input: Record<string, unknown> = {};
    if (normalize['mean'] !== undefined) input['mean'] = normalize['mean'];
    if (normalize['std'] !== undefined) input['std'] = normalize['std'];
    const scale = numberOf(normalize['scale']);
    if (normalize['scale'] !== undefined && scale === undefined) throw bad(file, `NormalizeImage.scale ${JSON.stringify(normalize['scale'])}: expected a number`);
    if (scale !== undefined) input['scale'] = scale;
    definition['input'] = input;
  }
  return definition;
}

// PaddleOCR's label decoders and the attention scheme each one is (docs/recognizers.md).
const PADDLE_ATTENTION: Record<string, string> = {
  AttnLabelDecode: 'paddle-attn',
  SARLabelDecode: 'paddle-sar',
  NRTRLabelDecode: 'paddle-nrtr',
  ABINetLabelDecode: 'paddle-abinet',
};

/**
 * A recogniser definition from a PaddleX inference.yml: PaddleOCR's input (BGR, (x/255 - 0.5)/0.5, zero padding),
 * the CTC or attention decoder its PostProcess names, its character_dict as the dictionary, and RecResizeImg's
 * height and width (a dynamic width from it for CTC, the fixed width for attention models).
 */
export function paddleXRecDefinition(file: string): RecognizerDefinitionInput {
  const config = readPaddleXRecConfig(file);
  const decoderName = config.decoder ?? 'CTCLabelDecode';
  const scheme = PADDLE_ATTENTION[decoderName];
  if (decoderName !== 'CTCLabelDecode' && scheme === undefined) {
    throw new OcrError(
      'ERR_OCR_MODEL_LOAD',
      `${file}: PostProcess ${decoderName} is not a decoder ocrkit reads from inference.yml (CTCLabelDecode, ${Object.keys(PADDLE_ATTENTION).join(', ')}); give a definition.json`,
    );
  }
  const definition: RecognizerDefinitionInput = {
    extends: 'PP-OCRv4',
    name: `PaddleX ${decoderName}`,
    source: { project: 'PaddleX', version: 'inference.yml', file },
  };
  if (scheme !== undefined) {
    definition.decoder = { type: 'attention', scheme: scheme as never };
    definition.useSpaceChar = false;
  }
  if (config.imageShape) {
    const [, height, width] = config.imageShape;
    definition.size = scheme === undefined ? { mode: 'dynamic', height, width } : { mode: 'pad', height, width };
  }
  if (config.characters) definition.dictionary = { characters: config.characters };
  return definition;
}
