// PaddleX / PaddleOCR 3 exported model folders carry an inference.yml saying how the model was trained to be fed
// and decoded. For recognisers ocrkit reads what a definition needs from it: the label decoder's name, its
// character_dict (the dictionary, one entry per class) and the RecResizeImg image_shape. Only that subset of YAML is
// read (block mappings, block sequences of scalars, flow sequences of numbers), which is how PaddleX writes the file
// (PyYAML's dump); anything else in the file is ignored.
import fs from 'node:fs';
import { OcrError } from '../errors.js';
import type { RecognizerDefinitionInput } from './recognizer-definitions.js';

export interface PaddleXRecConfig {
  /** PostProcess.name, e.g. 'CTCLabelDecode'. */
  decoder: string | undefined;
  /** PostProcess.character_dict. */
  characters: string[] | undefined;
  /** RecResizeImg image_shape [C, H, W]. */
  imageShape: [number, number, number] | undefined;
}

/** A YAML scalar as PyYAML writes it: 'single' ('' escapes '), "double" (JSON-like escapes), or plain. */
function scalar(text: string, file: string, line: number): string {
  const t = text.trim();
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw bad(file, line, 'an unterminated quoted string');
    return t.slice(1, -1).replaceAll("''", "'");
  }
  if (t.startsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      throw bad(file, line, 'a double-quoted string it cannot read');
    }
  }
  return t;
}

function bad(file: string, line: number, what: string): OcrError {
  return new OcrError('ERR_OCR_MODEL_LOAD', `${file}: line ${line}: ${what}`);
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** The block sequence of scalars under the key on line `at` (items at any deeper or equal indentation). */
function sequenceAfter(lines: string[], at: number, file: string): string[] {
  const keyIndent = indentOf(lines[at]!);
  const items: string[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^(\s*)- (.*)$/.exec(line) ?? /^(\s*)-$/.exec(line);
    if (!m || m[1]!.length < keyIndent) break;
    items.push(m[2] === undefined ? '' : scalar(m[2], file, i + 1));
  }
  return items;
}

export function readPaddleXRecConfig(file: string): PaddleXRecConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new OcrError('ERR_OCR_MODEL_LOAD', `cannot read ${file}: ${(error as Error).message}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const config: PaddleXRecConfig = { decoder: undefined, characters: undefined, imageShape: undefined };
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S[^:]*:\s*$/.test(line)) section = line.slice(0, line.indexOf(':'));
    const key = /^\s*(?:- )?([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (!key) continue;
    const [, name, rest] = key;
    if (section === 'PostProcess' && name === 'name' && rest) config.decoder = scalar(rest, file, i + 1);
    if (section === 'PostProcess' && name === 'character_dict') {
      config.characters = rest && rest.startsWith('[') ? undefined : sequenceAfter(lines, i, file);
      if (config.characters === undefined) throw bad(file, i + 1, 'character_dict as a flow sequence (expected one "- x" line per character)');
    }
    if (section === 'PreProcess' && name === 'image_shape') {
      const values = rest && rest.startsWith('[') ? rest.replace(/[[\]\s]/g, '').split(',') : sequenceAfter(lines, i, file);
      const shape = values.map(Number);
      if (shape.length !== 3 || !shape.every((v) => Number.isInteger(v) && v > 0)) {
        throw bad(file, i + 1, `image_shape ${JSON.stringify(values)} (expected [C, H, W])`);
      }
      config.imageShape = shape as [number, number, number];
    }
  }
  return config;
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
