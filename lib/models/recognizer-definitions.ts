// Recognition model definitions: what a recogniser's input wants, what its output holds and which decoder (with
// which token conventions and dictionary) turns it into text. Built-in definitions name the project, version and
// file every value comes from; custom ones are validated field by field. The token tables are in docs/recognizers.md.
import { OcrError } from '../errors.js';
import { bool, clone, deepFreeze, fail, filePath, keys, num, obj, oneOf, own, readNameAndSource, show, str, triple } from '../validate.js';

export interface RecognizerSource {
  /** Project the values follow, e.g. 'MMOCR'. */
  project: string;
  /** Branch, release or commit. */
  version: string;
  /** File(s) the values were read from. */
  file: string;
}

export interface RecognizerInput {
  /** Channel order fed to the network (crops are BGR; 'rgb' swaps). Ignored with 1 channel. */
  colorOrder: 'bgr' | 'rgb';
  /** 3 (colour) or 1 (grey: BGR -> grey, MMOCR CRNN). */
  channels: 1 | 3;
  /** Per-channel mean after `scale`: x = (v * scale - mean) / std (channel 0 only with 1 channel). */
  mean: [number, number, number];
  std: [number, number, number];
  /** 1/255 for mean/std on [0,1], 1 for mean/std on 0-255. */
  scale: number;
  /**
   * Padding: absent = zeros after normalisation (PaddleOCR; MindOCR MASTER); a pixel value = that value padded
   * before normalisation (MindOCR predict_rec and MMOCR PadToWidth pad 0, i.e. black).
   */
  padPixel?: number;
}

export interface RecognizerSize {
  /**
   * 'dynamic': keep the ratio, batch width from the widest crop (at least `width`, at most `maxWidth`; PaddleOCR);
   * 'pad': keep the ratio, pad every crop to `width` (wider crops are squeezed to it);
   * 'stretch': resize every crop to exactly width x height.
   */
  mode: 'dynamic' | 'pad' | 'stretch';
  height: number;
  /** 'dynamic': the nominal (minimum) batch width; otherwise the fixed input width. */
  width: number;
  /** 'dynamic' only: the widest batch. */
  maxWidth: number;
  /** A crop's resized width is at least this (MMOCR RescaleToHeight min_width). */
  minWidth: number;
  /** A crop's resized width is rounded to a multiple of this (MMOCR RescaleToHeight width_divisor). */
  widthDivisor: number;
}

export interface RecognizerOutput {
  /** 'NTC': [batch, steps, classes] (every seed's export); 'TNC': time-major [steps, batch, classes]. */
  layout: 'NTC' | 'TNC';
  /** 'probabilities' (softmax in the graph, as the seeds' exports) or raw 'logits'. */
  values: 'probabilities' | 'logits';
}

/** Token conventions of the attention label decoders (docs/recognizers.md has the index table). */
export type AttentionScheme =
  | 'paddle-attn'
  | 'paddle-sar'
  | 'paddle-nrtr'
  | 'paddle-abinet'
  | 'mmocr-dictionary'
  | 'mmocr0-attn'
  | 'mindocr-attn'
  | 'mindocr-master';
export const ATTENTION_SCHEMES: readonly AttentionScheme[] = [
  'paddle-attn',
  'paddle-sar',
  'paddle-nrtr',
  'paddle-abinet',
  'mmocr-dictionary',
  'mmocr0-attn',
  'mindocr-attn',
  'mindocr-master',
];

export interface CtcDecoder {
  type: 'ctc';
  /** Where the blank class is: 'first' (index 0: PaddleOCR, MindOCR CTCLabelDecode) or 'last' (MMOCR, MindOCR RecCTCLabelDecode). */
  blank: 'first' | 'last';
  /** Decode only the steps covering the crop, not its padding (MMOCR CTCPostProcessor). */
  maskPadding: boolean;
}

export interface AttentionDecoder {
  type: 'attention';
  scheme: AttentionScheme;
  /** MMOCR 1.x Dictionary flags (other schemes ignore them, but withUnknown for mindocr-master and mmocr0-attn). */
  withStart: boolean;
  withEnd: boolean;
  sameStartEnd: boolean;
  withPadding: boolean;
  withUnknown: boolean;
  /** The model predicts every class but the last (MMOCR SAR-family decoders). */
  omitLastClass: boolean;
  /** Override the scheme's rule for the end token (stop, or skip it and read on). */
  stopAtEnd?: boolean;
  /** What an unknown-token step gives: its name ('<UKN>') or nothing. */
  unknown: 'symbol' | 'skip';
}

export type RecognizerDecoder = CtcDecoder | AttentionDecoder;

/**
 * Where the characters come from. Built-in names: DICT36, DICT37, DICT90, DICT91 (MMOCR), en_dict (MindOCR) and
 * ppocr_keys_v1 (PaddleOCR's 6623-character Chinese dictionary, also MindOCR's ch_dict; the shipped file).
 * `characters` lists them (one entry per class, e.g. from a PaddleX inference.yml's character_dict).
 */
export type DictionarySpec = { builtin: string } | { file: string } | { metadata: string } | { characters: string[] };

export const BUILTIN_DICTIONARIES: readonly string[] = ['DICT36', 'DICT37', 'DICT90', 'DICT91', 'en_dict', 'ppocr_keys_v1'];

/** A complete, validated recogniser definition. */
export interface RecognizerDefinition {
  name: string;
  source: RecognizerSource;
  input: RecognizerInput;
  size: RecognizerSize;
  output: RecognizerOutput;
  decoder: RecognizerDecoder;
  /** The model's dictionary; without one, the model's 'character' metadata is read. */
  dictionary?: DictionarySpec;
  /** Append ' ' to the dictionary's entries. */
  useSpaceChar: boolean;
  /** Lower-case the decoded text (ASCII; models trained on lower-case labels). */
  lowercase: boolean;
}

/** A custom definition as createOcr accepts it: `extends` a built-in and give what differs, or every field. */
export interface RecognizerDefinitionInput {
  extends?: string;
  name?: string;
  source?: Partial<RecognizerSource>;
  input?: Partial<RecognizerInput>;
  size?: Partial<RecognizerSize>;
  output?: Partial<RecognizerOutput>;
  decoder?: Partial<CtcDecoder> | Partial<AttentionDecoder>;
  dictionary?: DictionarySpec | null;
  useSpaceChar?: boolean;
  lowercase?: boolean;
}

const PADDLE_NORM = { mean: [0.5, 0.5, 0.5] as [number, number, number], std: [0.5, 0.5, 0.5] as [number, number, number], scale: 1 / 255 };
const NORM_127 = { mean: [127, 127, 127] as [number, number, number], std: [127, 127, 127] as [number, number, number], scale: 1 };
const IMAGENET_255 = {
  mean: [123.675, 116.28, 103.53] as [number, number, number],
  std: [58.395, 57.12, 57.375] as [number, number, number],
  scale: 1,
};

// Every seed's export emits per-step softmax probabilities, batch-major.
const PROBABILITIES: RecognizerOutput = { layout: 'NTC', values: 'probabilities' };

const CTC_FIRST: CtcDecoder = { type: 'ctc', blank: 'first', maskPadding: false };
const CTC_LAST: CtcDecoder = { type: 'ctc', blank: 'last', maskPadding: false };

function attention(scheme: AttentionScheme, flags: Partial<AttentionDecoder> = {}): AttentionDecoder {
  return {
    type: 'attention',
    scheme,
    withStart: true,
    withEnd: true,
    sameStartEnd: true,
    withPadding: true,
    withUnknown: true,
    omitLastClass: false,
    unknown: 'symbol',
    ...flags,
  };
}

const fixed = (mode: 'pad' | 'stretch', height: number, width: number, extra: Partial<RecognizerSize> = {}): RecognizerSize => ({
  mode,
  height,
  width,
  maxWidth: width,
  minWidth: 1,
  widthDivisor: 1,
  ...extra,
});

// MindOCR tools/infer/text/predict_rec.py (algo_to_model_name, commit 724dee48) and preprocess.py (commit 02c01938,
// RecResizeNormForInfer: RGB, (x - 127) / 127, pad raw 0 before normalisation, INTER_LINEAR); decoders in
// mindocr/postprocess/rec_postprocess.py (commit 136fd24f).
const MINDOCR = (config: string): RecognizerSource => ({
  project: 'MindOCR',
  version: 'master (predict_rec 724dee48, preprocess 02c01938, rec_postprocess 136fd24f)',
  file: `tools/infer/text/{predict_rec,preprocess}.py; ${config}`,
});
const MINDOCR_INPUT: RecognizerInput = { colorOrder: 'rgb', channels: 3, ...NORM_127, padPixel: 0 };

// MMOCR 1.x configs/textrecog (test pipelines: LoadImageFromFile BGR, TextRecogDataPreprocessor bgr_to_rgb False;
// RescaleToHeight + PadToWidth pad 0 before normalisation); Dictionary in mmocr/models/common/dictionary
// (commit a83f716); mmdeploy exports emit the decoders' softmax [N,T,C].
const MMOCR = (config: string): RecognizerSource => ({ project: 'MMOCR', version: '1.x (dev-1.x, 2023)', file: config });

const BUILT_IN: readonly RecognizerDefinition[] = [
  {
    name: 'PP-OCRv4',
    source: {
      project: 'PaddleOCR',
      version: 'release/2.7',
      file: 'tools/infer/predict_rec.py (resize_norm_img, rec_image_shape 3,48,320); ppocr/postprocess/rec_postprocess.py CTCLabelDecode',
    },
    input: { colorOrder: 'bgr', channels: 3, ...PADDLE_NORM },
    size: { mode: 'dynamic', height: 48, width: 320, maxWidth: 3200, minWidth: 1, widthDivisor: 1 },
    output: PROBABILITIES,
    decoder: CTC_FIRST,
    dictionary: { builtin: 'ppocr_keys_v1' },
    useSpaceChar: true,
    lowercase: false,
  },
  {
    // crnn_resnet34: [N,25,37]; RecCTCLabelDecode without a dict: DICT36, blank last (36), lower.
    name: 'CRNN',
    source: MINDOCR('configs/rec/crnn/crnn_resnet34.yaml'),
    input: MINDOCR_INPUT,
    size: fixed('stretch', 32, 100),
    output: PROBABILITIES,
    decoder: CTC_LAST,
    dictionary: { builtin: 'DICT36' },
    useSpaceChar: false,
    lowercase: true,
  },
  {
    // crnn_resnet34_ch: [N,80,6624]; ch_dict.txt (= ppocr_keys_v1) + blank last (6623); predict_rec's CRNN_CH entry
    // misspells target_width, so the --rec_image_shape width 320 applies: keep ratio, pad to 320.
    name: 'CRNN_CH',
    source: MINDOCR('configs/rec/crnn/crnn_resnet34_ch.yaml'),
    input: MINDOCR_INPUT,
    size: fixed('pad', 32, 320),
    output: PROBABILITIES,
    decoder: CTC_LAST,
    dictionary: { builtin: 'ppocr_keys_v1' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // svtr_tiny: 64x256 stretch (TPS inside the network), [N,25,37], RecCTCLabelDecode DICT36 blank last, lower.
    name: 'SVTR',
    source: MINDOCR('configs/rec/svtr/svtr_tiny.yaml'),
    input: MINDOCR_INPUT,
    size: fixed('stretch', 64, 256),
    output: PROBABILITIES,
    decoder: CTC_LAST,
    dictionary: { builtin: 'DICT36' },
    useSpaceChar: false,
    lowercase: true,
  },
  {
    // svtr_ppocrv3_ch: MultiHead's CTC branch [N,40,6625], CTCLabelDecode (blank 0) + ch_dict + space. Follows the
    // config's training/eval pipeline (DecodeImage BGR, RecResizeImgForSVTR: (x/255 - 0.5)/0.5, pad 0 after
    // normalisation), the weights' own; predict_rec feeds RGB (x - 127)/127 instead (see docs/recognizers.md).
    name: 'SVTR_PPOCRv3_CH',
    source: MINDOCR('configs/rec/svtr/svtr_ppocrv3_ch.yaml'),
    input: { colorOrder: 'bgr', channels: 3, ...PADDLE_NORM },
    size: fixed('pad', 48, 320),
    output: PROBABILITIES,
    decoder: CTC_FIRST,
    dictionary: { builtin: 'ppocr_keys_v1' },
    useSpaceChar: true,
    lowercase: false,
  },
  {
    // rare_resnet34: 32x100 stretch, [N,26,38], RecAttnLabelDecode [<GO>, <STOP>] + DICT36, lower.
    name: 'RARE',
    source: MINDOCR('configs/rec/rare/rare_resnet34.yaml'),
    input: MINDOCR_INPUT,
    size: fixed('stretch', 32, 100),
    output: PROBABILITIES,
    decoder: attention('mindocr-attn'),
    dictionary: { builtin: 'DICT36' },
    useSpaceChar: false,
    lowercase: true,
  },
  {
    // rare_resnet34_ch: keep ratio, pad to 32x320, [N,41,6625] = [<GO>, <STOP>] + ch_dict.
    name: 'RARE_CH',
    source: MINDOCR('configs/rec/rare/rare_resnet34_ch.yaml'),
    input: MINDOCR_INPUT,
    size: fixed('pad', 32, 320),
    output: PROBABILITIES,
    decoder: attention('mindocr-attn'),
    dictionary: { builtin: 'ppocr_keys_v1' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // master_resnet31 (not a predict_rec algorithm; its yaml): NormalizeImage 127 then RecResizeImg [48,160] padding
    // (zeros after normalisation); [N,31,94] = [<GO>, <STOP>, <PAD>] + 90 characters + <UNKNOWN>. The 90 characters
    // are en_dict90.txt, taken to be DICT90's (the file was not readable; see docs/recognizers.md).
    name: 'MASTER',
    source: MINDOCR('configs/rec/master/master_resnet31.yaml'),
    input: { colorOrder: 'rgb', channels: 3, ...NORM_127 },
    size: fixed('pad', 48, 160),
    output: PROBABILITIES,
    decoder: attention('mindocr-master'),
    dictionary: { builtin: 'DICT90' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // sar_resnet31_parallel-decoder: RescaleToHeight(48, 48..160, divisor 4) + PadToWidth(160); [N,30,93].
    name: 'SAR',
    source: MMOCR('configs/textrecog/sar/_base_sar_resnet31_parallel-decoder.py'),
    input: { colorOrder: 'bgr', channels: 3, ...NORM_127, padPixel: 0 },
    size: fixed('pad', 48, 160, { minWidth: 48, widthDivisor: 4 }),
    output: PROBABILITIES,
    decoder: attention('mmocr-dictionary'),
    dictionary: { builtin: 'DICT90' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // nrtr_resnet31: RescaleToHeight(32, 32..160, divisor 16) + PadToWidth(160), ImageNet mean/std; [N,30,93].
    name: 'NRTR',
    source: MMOCR('configs/textrecog/nrtr/_base_nrtr_resnet31.py'),
    input: { colorOrder: 'bgr', channels: 3, ...IMAGENET_255, padPixel: 0 },
    size: fixed('pad', 32, 160, { minWidth: 32, widthDivisor: 16 }),
    output: PROBABILITIES,
    decoder: attention('mmocr-dictionary'),
    dictionary: { builtin: 'DICT90' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // robustscanner_resnet31: the SAR pipeline; [N,30,93].
    name: 'RobustScanner',
    source: MMOCR('configs/textrecog/robust_scanner/_base_robustscanner_resnet31.py'),
    input: { colorOrder: 'bgr', channels: 3, ...NORM_127, padPixel: 0 },
    size: fixed('pad', 48, 160, { minWidth: 48, widthDivisor: 4 }),
    output: PROBABILITIES,
    decoder: attention('mmocr-dictionary'),
    dictionary: { builtin: 'DICT90' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // satrn_shallow: Resize (100, 32) keep_ratio False, ImageNet; [N,25,93].
    name: 'SATRN',
    source: MMOCR('configs/textrecog/satrn/_base_satrn_shallow.py'),
    input: { colorOrder: 'bgr', channels: 3, ...IMAGENET_255 },
    size: fixed('stretch', 32, 100),
    output: PROBABILITIES,
    decoder: attention('mmocr-dictionary'),
    dictionary: { builtin: 'DICT90' },
    useSpaceChar: false,
    lowercase: false,
  },
  {
    // abinet: Resize (128, 32) stretch, ImageNet; Dictionary DICT36 with <BOS/EOS> only (no padding, no unknown):
    // [N,26,37]; trained on lower-case labels.
    name: 'ABINet',
    source: MMOCR('configs/textrecog/abinet/_base_abinet.py, _base_abinet-vision.py'),
    input: { colorOrder: 'bgr', channels: 3, ...IMAGENET_255 },
    size: fixed('stretch', 32, 128),
    output: PROBABILITIES,
    decoder: attention('mmocr-dictionary', { withPadding: false, withUnknown: false }),
    dictionary: { builtin: 'DICT36' },
    useSpaceChar: false,
    lowercase: true,
  },
  {
    // crnn_mini-vgg: grey input, RescaleToHeight(32, min 32, divisor 16), dynamic width, (x - 127)/127;
    // Dictionary DICT36 + <PAD> (the CTC blank, last); CTCPostProcessor decodes ceil(T * valid_ratio) steps.
    name: 'CRNN_MMOCR',
    source: MMOCR('configs/textrecog/crnn/_base_crnn_mini-vgg.py'),
    input: { colorOrder: 'bgr', channels: 1, ...NORM_127 },
    size: { mode: 'dynamic', height: 32, width: 32, maxWidth: 3200, minWidth: 32, widthDivisor: 16 },
    output: PROBABILITIES,
    decoder: { type: 'ctc', blank: 'last', maskPadding: true },
    dictionary: { builtin: 'DICT36' },
    useSpaceChar: false,
    lowercase: true,
  },
];

export const RECOGNIZER_DEFINITION_NAMES: readonly string[] = BUILT_IN.map((d) => d.name);

export const RECOGNIZER_DEFINITIONS: Readonly<Record<string, RecognizerDefinition>> = deepFreeze(
  Object.fromEntries(BUILT_IN.map((d) => [d.name, d])),
);

function unknownName(name: string, path: string): never {
  throw new OcrError(
    'ERR_OCR_INVALID_OPTION',
    `${path}: unknown recognizer definition ${show(name)} (known: ${RECOGNIZER_DEFINITION_NAMES.join(', ')})`,
  );
}

function channelCount(value: unknown, path: string): 1 | 3 {
  if (value !== 1 && value !== 3) fail(path, '1 or 3', value);
  return value;
}

export function readDictionarySpec(value: unknown, path: string): DictionarySpec {
  const o = obj(value, path);
  keys(o, ['builtin', 'file', 'metadata', 'characters'], path);
  const given = Object.keys(o);
  if (given.length !== 1) fail(path, "exactly one of 'builtin', 'file', 'metadata', 'characters'", value);
  if (o['builtin'] !== undefined) return { builtin: oneOf(o['builtin'], `${path}.builtin`, BUILTIN_DICTIONARIES) };
  if (o['file'] !== undefined) return { file: filePath(o['file'], `${path}.file`) };
  if (o['characters'] !== undefined) {
    const value = o['characters'];
    if (!Array.isArray(value) || value.length === 0) fail(`${path}.characters`, 'a non-empty array of strings', value);
    const list = Array.from(value as unknown[]);  // a sparse array's holes read as undefined (forEach would skip them)
    list.forEach((c, i) => {
      if (typeof c !== 'string' || c.length === 0 || /[\r\n]/.test(c)) fail(`${path}.characters[${i}]`, 'a non-empty string without line breaks', c);
    });
    return { characters: [...(list as string[])] };
  }
  return { metadata: str(o['metadata'], `${path}.metadata`) };
}

function readDecoder(value: Record<string, unknown>, base: RecognizerDecoder | undefined, path: string): RecognizerDecoder {
  const type = oneOf(value['type'] ?? base?.type, `${path}.type`, ['ctc', 'attention'] as const);
  const b = base && base.type === type ? (base as unknown as Record<string, unknown>) : {};
  const pick = (key: string, fallback: unknown) => value[key] ?? b[key] ?? fallback;
  if (type === 'ctc') {
    keys(value, ['type', 'blank', 'maskPadding'], path);
    return {
      type,
      blank: oneOf(pick('blank', 'first'), `${path}.blank`, ['first', 'last'] as const),
      maskPadding: bool(pick('maskPadding', false), `${path}.maskPadding`),
    };
  }
  keys(value, ['type', 'scheme', 'withStart', 'withEnd', 'sameStartEnd', 'withPadding', 'withUnknown', 'omitLastClass', 'stopAtEnd', 'unknown'], path);
  const decoder: AttentionDecoder = {
    type,
    scheme: oneOf(pick('scheme', undefined), `${path}.scheme`, ATTENTION_SCHEMES),
    withStart: bool(pick('withStart', true), `${path}.withStart`),
    withEnd: bool(pick('withEnd', true), `${path}.withEnd`),
    sameStartEnd: bool(pick('sameStartEnd', true), `${path}.sameStartEnd`),
    withPadding: bool(pick('withPadding', true), `${path}.withPadding`),
    withUnknown: bool(pick('withUnknown', true), `${path}.withUnknown`),
    omitLastClass: bool(pick('omitLastClass', false), `${path}.omitLastClass`),
    unknown: oneOf(pick('unknown', 'symbol'), `${path}.unknown`, ['symbol', 'skip'] as const),
  };
  const stop = pick('stopAtEnd', undefined);
  if (stop !== undefined) decoder.stopAtEnd = bool(stop, `${path}.stopAtEnd`);
  return decoder;
}

/**
 * Resolves a built-in definition name or validates a custom definition object, returning a complete definition
 * (a fresh copy). Throws OcrError ERR_OCR_INVALID_OPTION naming the field's path.
 */
export function resolveRecognizerDefinition(value: unknown, path = 'recognizer.definition'): RecognizerDefinition {
  if (typeof value === 'string') {
    const found = own(RECOGNIZER_DEFINITIONS, value);
    if (!found) unknownName(value, path);
    return clone(found);
  }
  const o = obj(value, path);
  keys(o, ['extends', 'name', 'source', 'input', 'size', 'output', 'decoder', 'dictionary', 'useSpaceChar', 'lowercase'], path);
  let base: RecognizerDefinition | undefined;
  if (o['extends'] !== undefined) {
    if (typeof o['extends'] !== 'string') fail(`${path}.extends`, 'a built-in definition name', o['extends']);
    base = own(RECOGNIZER_DEFINITIONS, o['extends']);
    if (!base) unknownName(o['extends'], `${path}.extends`);
  }
  const need = (v: unknown, field: string) => {
    if (v === undefined) fail(`${path}.${field}`, 'a value (no base definition to take it from)', v);
    return v;
  };

  const input = o['input'] === undefined ? {} : obj(o['input'], `${path}.input`);
  keys(input, ['colorOrder', 'channels', 'mean', 'std', 'scale', 'padPixel'], `${path}.input`);
  const resolvedInput: RecognizerInput = {
    colorOrder: oneOf(need(input['colorOrder'] ?? base?.input.colorOrder, 'input.colorOrder'), `${path}.input.colorOrder`, ['bgr', 'rgb'] as const),
    channels: channelCount(input['channels'] ?? base?.input.channels ?? 3, `${path}.input.channels`),
    mean: triple(need(input['mean'] ?? base?.input.mean, 'input.mean'), `${path}.input.mean`, false),
    std: triple(need(input['std'] ?? base?.input.std, 'input.std'), `${path}.input.std`, true),
    scale: num(need(input['scale'] ?? base?.input.scale, 'input.scale'), `${path}.input.scale`, 0, 1e6, { above: true }),
  };
  const pad = 'padPixel' in input ? input['padPixel'] : base?.input.padPixel;
  if (pad !== undefined && pad !== null) resolvedInput.padPixel = num(pad, `${path}.input.padPixel`, 0, 255);

  const size = o['size'] === undefined ? {} : obj(o['size'], `${path}.size`);
  keys(size, ['mode', 'height', 'width', 'maxWidth', 'minWidth', 'widthDivisor'], `${path}.size`);
  const mode = oneOf(need(size['mode'] ?? base?.size.mode, 'size.mode'), `${path}.size.mode`, ['dynamic', 'pad', 'stretch'] as const);
  const width = num(need(size['width'] ?? base?.size.width, 'size.width'), `${path}.size.width`, 1, 16384, { integer: true });
  const resolvedSize: RecognizerSize = {
    mode,
    height: num(need(size['height'] ?? base?.size.height, 'size.height'), `${path}.size.height`, 1, 4096, { integer: true }),
    width,
    // A fixed width is its own maximum; a dynamic one keeps the base's (or PaddleOCR's 3200).
    maxWidth: num(size['maxWidth'] ?? (mode === 'dynamic' ? base?.size.maxWidth ?? 3200 : width), `${path}.size.maxWidth`, 1, 65536, {
      integer: true,
    }),
    minWidth: num(size['minWidth'] ?? base?.size.minWidth ?? 1, `${path}.size.minWidth`, 1, 16384, { integer: true }),
    widthDivisor: num(size['widthDivisor'] ?? base?.size.widthDivisor ?? 1, `${path}.size.widthDivisor`, 1, 1024, { integer: true }),
  };
  if (mode === 'dynamic' && resolvedSize.maxWidth < width) fail(`${path}.size.maxWidth`, `>= size.width (${width})`, resolvedSize.maxWidth);

  const output = o['output'] === undefined ? {} : obj(o['output'], `${path}.output`);
  keys(output, ['layout', 'values'], `${path}.output`);
  const resolvedOutput: RecognizerOutput = {
    layout: oneOf(output['layout'] ?? base?.output.layout ?? 'NTC', `${path}.output.layout`, ['NTC', 'TNC'] as const),
    values: oneOf(output['values'] ?? base?.output.values ?? 'probabilities', `${path}.output.values`, ['probabilities', 'logits'] as const),
  };

  const decoderValue = o['decoder'] === undefined ? {} : obj(o['decoder'], `${path}.decoder`);
  if (decoderValue['type'] === undefined && !base) fail(`${path}.decoder.type`, "'ctc' or 'attention'", undefined);
  const decoder = readDecoder(decoderValue, base?.decoder, `${path}.decoder`);

  const definition: RecognizerDefinition = {
    ...readNameAndSource(o, base, path),
    input: resolvedInput,
    size: resolvedSize,
    output: resolvedOutput,
    decoder,
    useSpaceChar: bool(o['useSpaceChar'] ?? base?.useSpaceChar ?? false, `${path}.useSpaceChar`),
    lowercase: bool(o['lowercase'] ?? base?.lowercase ?? false, `${path}.lowercase`),
  };
  // `dictionary: null` drops the base's (the model's metadata is read instead).
  const dictionary = 'dictionary' in o ? o['dictionary'] : base?.dictionary;
  if (dictionary !== undefined && dictionary !== null) definition.dictionary = readDictionarySpec(dictionary, `${path}.dictionary`);
  return clone(definition);
}
