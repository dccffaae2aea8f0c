// The command line's arguments: parsed (parseArgs) and turned into createOcr options (engineOptions), apart
// from lib/cli.ts (which runs the command on import) so the parsing can be tested and fuzzed on its own.
import fs from 'node:fs';
import path from 'node:path';
import { OcrError } from './errors.js';
import { readRegularTextFile } from './files.js';
import { DETECTOR_DEFINITION_NAMES, resolveDetectorDefinition } from './models/detector-definitions.js';
import { paddleXDetDefinition, paddleXRecDefinition } from './models/paddlex-config.js';
import { RECOGNIZER_DEFINITION_NAMES, resolveRecognizerDefinition } from './models/recognizer-definitions.js';
import type { FolderMode } from './folder.js';
import { DEFAULT_DETECT_OPTIONS, PRESETS, resolveDetectOptions, type DetectOptions, type OcrOptions, type Preset } from './options.js';

/** A mistake on the command line (exit code 2): the message names the option. */
export class UsageError extends Error {}

export interface CliArgs {
  images: string[];
  json: boolean;
  orientation: boolean;
  version: boolean;
  help: boolean;
  imageDir: string | undefined;
  mode: FolderMode | undefined;
  outputDir: string | undefined;
  saveJson: boolean;
  print: boolean;
  /** undefined: on in system mode. */
  visualize: boolean | undefined;
  fontPath: string | undefined;
  detModel: string | undefined;
  /** A built-in detector definition name (lib/models/detector-definitions.ts). */
  detAlgorithm: string | undefined;
  /** definition.json next to the model in a --det_model_dir folder. */
  detDefinition: Record<string, unknown> | undefined;
  /** The model folder's file the definition came from (definition.json or inference.yml). */
  detDefinitionFile?: string | undefined;
  recModel: string | undefined;
  /** A built-in recogniser definition name (lib/models/recognizer-definitions.ts). */
  recAlgorithm: string | undefined;
  /** definition.json or a PaddleX inference.yml in a --rec_model_dir folder. */
  recDefinition: Record<string, unknown> | undefined;
  recDefinitionFile?: string | undefined;
  recImageShape: [number, number] | undefined;
  useSpaceChar: boolean | undefined;
  dictionary: string | undefined;
  /** --cpu_threads: intraOpThreads (and so recognition parallelism). */
  threads: number | undefined;
  preset: Preset | undefined;
  detection: DetectOptions;
  /** The flag, as typed, that last set each key of `detection`. */
  detectionFlags: Map<string, string>;
  /** Folder-mode options given, as typed (an error when there is no --image_dir). */
  folderOnly: string[];
}

type Spec =
  | { kind: 'flag'; apply: (a: CliArgs) => void }
  | { kind: 'bool'; folderOnly?: boolean; apply: (a: CliArgs, v: boolean) => void }
  | { kind: 'string'; folderOnly?: boolean; apply: (a: CliArgs, v: string, flag: string) => void }
  | { kind: 'number'; key: 'limitSideLength' | 'binaryThreshold' | 'boxThreshold' | 'unclipRatio' | 'boxEndPadding' | 'mergeGap' | 'spaceThreshold' | 'textScoreThreshold' | 'recognitionBatchSize' };

function algorithm(value: string, flag: string, known: readonly string[], later: string): string {
  const hit = known.find((name) => name.toLowerCase() === value.toLowerCase());
  if (hit === undefined) {
    throw new UsageError(`${flag}: unknown algorithm ${JSON.stringify(value)} (known: ${known.join(', ')})${later}`);
  }
  return hit;
}

const OPTIONS: Record<string, Spec> = {
  '--json': { kind: 'flag', apply: (a) => (a.json = true) },
  '--orientation': { kind: 'flag', apply: (a) => (a.orientation = true) },
  '--version': { kind: 'flag', apply: (a) => (a.version = true) },
  '--help': { kind: 'flag', apply: (a) => (a.help = true) },
  '--image_dir': { kind: 'string', apply: (a, v) => (a.imageDir = v) },
  '--mode': {
    kind: 'string',
    folderOnly: true,
    apply: (a, v, flag) => {
      if (v !== 'det' && v !== 'rec' && v !== 'system') throw new UsageError(`${flag}: expected det, rec or system, received ${JSON.stringify(v)}`);
      a.mode = v;
    },
  },
  '--draw_img_save_dir': { kind: 'string', folderOnly: true, apply: (a, v) => (a.outputDir = v) },
  '--save_json': { kind: 'bool', folderOnly: true, apply: (a, v) => (a.saveJson = v) },
  '--print': { kind: 'bool', folderOnly: true, apply: (a, v) => (a.print = v) },
  '--visualize_output': { kind: 'bool', folderOnly: true, apply: (a, v) => (a.visualize = v) },
  '--vis_font_path': {
    kind: 'string',
    folderOnly: true,
    apply: (a, v, flag) => {
      if (!fs.statSync(v, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${flag}: no such file: ${v}`);
      a.fontPath = v;
    },
  },
  '--use_angle_cls': { kind: 'bool', apply: (a, v) => (a.detection.textLineOrientation = v) },
  '--det_algorithm': { kind: 'string', apply: (a, v, flag) => (a.detAlgorithm = algorithm(v, flag, DETECTOR_DEFINITION_NAMES, '')) },
  '--rec_algorithm': { kind: 'string', apply: (a, v, flag) => (a.recAlgorithm = algorithm(v, flag, RECOGNIZER_DEFINITION_NAMES, '')) },
  '--det_model_dir': {
    kind: 'string',
    apply: (a, v, flag) => {
      a.detModel = onnxModel(v, flag);
      const found = definitionFile(v, flag) ?? paddleXFile(v, flag, paddleXDetDefinition);
      a.detDefinition = found?.definition;
      a.detDefinitionFile = found?.file;
    },
  },
  '--rec_model_dir': {
    kind: 'string',
    apply: (a, v, flag) => {
      a.recModel = onnxModel(v, flag);
      const found = recognizerDefinitionFile(v, flag);
      a.recDefinition = found?.definition;
      a.recDefinitionFile = found?.file;
    },
  },
  '--rec_image_shape': {
    kind: 'string',
    apply: (a, v, flag) => {
      const shape = v.replace(/[[\]()\s]/g, '').split(',').map(Number);
      // The bounds a recogniser definition's size takes (H <= 4096, W <= 16384), said here with the flag's name.
      if (shape.length !== 3 || !shape.every((n) => Number.isInteger(n) && n > 0) || (shape[0] !== 1 && shape[0] !== 3) ||
          shape[1]! > 4096 || shape[2]! > 16384) {
        throw new UsageError(`${flag}: expected "C, H, W" (C 1 or 3, H <= 4096, W <= 16384), received ${JSON.stringify(v)}`);
      }
      a.recImageShape = [shape[1]!, shape[2]!];
    },
  },
  '--use_space_char': { kind: 'bool', apply: (a, v) => (a.useSpaceChar = v) },
  '--rec_char_dict_path': {
    kind: 'string',
    apply: (a, v, flag) => {
      if (!fs.statSync(v, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${flag}: no such file: ${v}`);
      a.dictionary = v;
    },
  },
  '--det_limit_side_len': { kind: 'number', key: 'limitSideLength' },
  '--det_limit_type': {
    kind: 'string',
    apply: (a, v, flag) => {
      if (v !== 'min' && v !== 'max') throw new UsageError(`${flag}: expected min or max, received ${JSON.stringify(v)}`);
      a.detection.limitType = v;
    },
  },
  '--det_db_thresh': { kind: 'number', key: 'binaryThreshold' },
  '--det_db_box_thresh': { kind: 'number', key: 'boxThreshold' },
  '--det_db_unclip_ratio': { kind: 'number', key: 'unclipRatio' },
  '--det_box_end_padding': { kind: 'number', key: 'boxEndPadding' },
  '--det_merge_gap': { kind: 'number', key: 'mergeGap' },
  '--rec_space_threshold': { kind: 'number', key: 'spaceThreshold' },
  '--drop_score': { kind: 'number', key: 'textScoreThreshold' },
  '--return_word_box': { kind: 'bool', apply: (a, v) => (a.detection.words = v) },
  '--rec_batch_size': { kind: 'number', key: 'recognitionBatchSize' },
  '--rec_batch_num': { kind: 'number', key: 'recognitionBatchSize' },
  '--preset': {
    kind: 'string',
    apply: (a, v, flag) => {
      const preset = Object.keys(PRESETS).find((name) => name === v.toLowerCase()) as Preset | undefined;
      if (preset === undefined) throw new UsageError(`${flag}: expected ${Object.keys(PRESETS).join(' or ')}, received ${JSON.stringify(v)}`);
      a.preset = preset;
    },
  },
  '--cpu_threads': {
    kind: 'string',
    apply: (a, v, flag) => {
      const n = decimal(v);
      if (!Number.isInteger(n) || n < 1 || n > 1024) throw new UsageError(`${flag}: expected an integer in [1, 1024], received ${JSON.stringify(v)}`);
      a.threads = n;
    },
  },
};

/**
 * A flag's number, written in decimal (`0.3`, `-1`, `1e-3`); NaN for anything else. Number() alone would also take
 * hexadecimal, binary and octal (`0x10` as 16) and the empty string as 0.
 */
function decimal(text: string): number {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
}

const TRUE_WORDS = ['true', 'yes', '1'];
const FALSE_WORDS = ['false', 'no', '0'];

function parseBool(value: string, flag: string): boolean {
  const v = value.toLowerCase();
  if (TRUE_WORDS.includes(v)) return true;
  if (FALSE_WORDS.includes(v)) return false;
  throw new UsageError(`${flag}: expected true or false, received ${JSON.stringify(value)}`);
}

/** A definition read from a model folder, and the file it came from. */
interface FolderDefinition {
  definition: Record<string, unknown>;
  file: string;
}

/** The model's definition (a JSON object, see README) when a model folder holds definition.json. */
function definitionFile(value: string, flag: string): FolderDefinition | undefined {
  if (!fs.statSync(value, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const file = path.join(value, 'definition.json');
  if (!fs.existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    // A byte-order mark is read past, as in dictionaries and inference.yml.
    parsed = JSON.parse(readRegularTextFile(file, 16 * 2 ** 20).replace(/^\ufeff/, ''));
  } catch (error) {
    throw new UsageError(`${flag}: ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${flag}: ${file}: expected a JSON object`);
  return { definition: parsed as Record<string, unknown>, file };
}

/**
 * A --rec_model_dir folder's definition: definition.json (its dictionary file a path inside the folder, resolved
 * against it), else a PaddleX inference.yml.
 */
function recognizerDefinitionFile(value: string, flag: string): FolderDefinition | undefined {
  const json = definitionFile(value, flag);
  if (json) {
    const dictionary = json.definition['dictionary'] as Record<string, unknown> | undefined;
    if (dictionary && typeof dictionary['file'] === 'string') {
      const file = insideFolder(value, dictionary['file'], flag);
      return { ...json, definition: { ...json.definition, dictionary: { ...dictionary, file } } };
    }
    return json;
  }
  return paddleXFile(value, flag, (file) => paddleXRecDefinition(file) as Record<string, unknown>);
}

/**
 * `file` of a model folder's definition.json, resolved against the folder, which it must not leave (as ONNX
 * Runtime holds a model's external data to its folder): a downloaded model folder naming '../../home/me/.ssh/id_rsa'
 * or '/etc/passwd' as its dictionary would otherwise print that file's lines as recognised text.
 */
function insideFolder(folder: string, file: string, flag: string): string {
  const refuse = () => {
    throw new UsageError(`${flag}: ${path.join(folder, 'definition.json')}: dictionary.file must name a file inside the model folder, received ${JSON.stringify(file)}`);
  };
  if (path.isAbsolute(file)) refuse();
  const joined = path.join(folder, file);
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const relative = path.relative(real(folder), real(joined));
  if (relative === '' || relative.startsWith(`..${path.sep}`) || relative === '..' || path.isAbsolute(relative)) refuse();
  return joined;
}

/** The definition read from a model folder's PaddleX inference.yml, if it has one. */
function paddleXFile(value: string, flag: string, read: (file: string) => Record<string, unknown>): FolderDefinition | undefined {
  if (!fs.statSync(value, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const yml = path.join(value, 'inference.yml');
  if (!fs.existsSync(yml)) return undefined;
  try {
    return { definition: read(yml), file: yml };
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** An .onnx file, or the one .onnx file of a folder. */
function onnxModel(value: string, flag: string): string {
  const stat = fs.statSync(value, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${flag}: no such file or folder: ${value}`);
  if (!stat.isDirectory()) {
    if (path.extname(value).toLowerCase() !== '.onnx') throw new UsageError(`${flag}: expected an .onnx file, received ${value}`);
    return value;
  }
  const models = fs.readdirSync(value).filter((f) => path.extname(f).toLowerCase() === '.onnx');
  if (models.length !== 1) {
    throw new UsageError(
      `${flag}: ${value} holds ${models.length === 0 ? 'no .onnx file' : `${models.length} .onnx files (${models.sort().join(', ')})`}; ` +
        'give the model file itself or a folder holding exactly one',
    );
  }
  return path.join(value, models[0]!);
}

/** The options and image paths of a command line (argv without node and the script); UsageError when wrong. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const a: CliArgs = {
    images: [],
    json: false,
    orientation: false,
    version: false,
    help: false,
    imageDir: undefined,
    mode: undefined,
    outputDir: undefined,
    saveJson: false,
    print: false,
    visualize: undefined,
    fontPath: undefined,
    detModel: undefined,
    detAlgorithm: undefined,
    detDefinition: undefined,
    recModel: undefined,
    recAlgorithm: undefined,
    recDefinition: undefined,
    recImageShape: undefined,
    useSpaceChar: undefined,
    dictionary: undefined,
    threads: undefined,
    preset: undefined,
    detection: {},
    detectionFlags: new Map(),
    folderOnly: [],
  };
  const numberFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {  // the end of the options: what follows are images, even a name that starts with --
      a.images.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '-v') {  // the usual short forms of --help and --version
      if (arg === '-h') a.help = true;
      else a.version = true;
      continue;
    }
    if (/^-[A-Za-z]$/.test(arg)) throw new UsageError(`unknown option ${arg} ('ocrkit --help' lists the options; '-- ${arg}' reads a file of that name)`);
    if (!arg.startsWith('--')) {
      a.images.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const typed = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const spec = OPTIONS[`--${typed.slice(2).replace(/-/g, '_')}`];
    if (!spec) throw new UsageError(`unknown option ${typed} ('ocrkit --help' lists the options)`);
    if ('folderOnly' in spec && spec.folderOnly) a.folderOnly.push(typed);
    const before = { ...a.detection };
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${typed} takes no value`);
      spec.apply(a);
    } else if (spec.kind === 'bool') {
      const next = argv[i + 1];
      if (inline !== undefined) spec.apply(a, parseBool(inline, typed));
      else if (next !== undefined && [...TRUE_WORDS, ...FALSE_WORDS].includes(next.toLowerCase())) spec.apply(a, parseBool(argv[++i]!, typed));
      else spec.apply(a, true);
    } else {
      let value = inline;
      if (value === undefined) {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) value = argv[++i];
      }
      if (value === undefined || value === '') throw new UsageError(`${typed} needs a value`);
      if (spec.kind === 'string') spec.apply(a, value, typed);
      else {
        const n = decimal(value);
        if (!Number.isFinite(n)) throw new UsageError(`${typed}: expected a number, received ${JSON.stringify(value)}`);
        a.detection[spec.key] = n;
        numberFlags.set(spec.key, typed);
      }
    }
    for (const [key, value] of Object.entries(a.detection)) {
      if (!(key in before) || before[key as keyof DetectOptions] !== value) a.detectionFlags.set(key, typed);
    }
  }
  // Ranges as the library checks them, reported under the option's name.
  for (const [key, flag] of numberFlags) {
    try {
      resolveDetectOptions({ [key]: a.detection[key as keyof DetectOptions] }, DEFAULT_DETECT_OPTIONS, 'cli');
    } catch (error) {
      if (error instanceof OcrError) throw new UsageError(error.message.replace(`cli.${key}`, flag));
      throw error;
    }
  }
  if (a.orientation && a.detection.textLineOrientation === false) {
    throw new UsageError('--orientation and --use_angle_cls false contradict each other: give one');
  }
  if (a.orientation) {
    a.detection.textLineOrientation = true;
    if (!a.detectionFlags.has('textLineOrientation')) a.detectionFlags.set('textLineOrientation', '--orientation');
  }
  return a;
}

/** Checks a definition read from a model folder's file: a bad value is a usage error naming the file. */
function fromFile(flag: string, file: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof OcrError) throw new UsageError(`${flag}: ${file}: ${error.message}`);
    throw error;
  }
}

/** createOcr's options for parsed arguments; UsageError for combinations that cannot run. */
export function engineOptions(a: CliArgs): OcrOptions {
  const options: OcrOptions = {};
  if (a.detAlgorithm !== undefined && a.detAlgorithm !== 'PP-OCRv4' && a.detModel === undefined) {
    throw new UsageError(`--det_algorithm ${a.detAlgorithm} needs --det_model_dir (the shipped detector is PP-OCRv4)`);
  }
  if (a.detModel !== undefined || a.detAlgorithm !== undefined) {
    // A definition.json in the model folder wins; --det_algorithm is its base when it names none.
    const definition = a.detDefinition
      ? { ...(a.detAlgorithm !== undefined && a.detDefinition['extends'] === undefined ? { extends: a.detAlgorithm } : {}), ...a.detDefinition }
      : (a.detAlgorithm ?? 'PP-OCRv4');
    if (a.detDefinitionFile) fromFile('--det_model_dir', a.detDefinitionFile, () => resolveDetectorDefinition(definition));
    options.detector = { ...(a.detModel !== undefined ? { modelPath: a.detModel } : {}), definition: definition as never };
  }
  if (a.recAlgorithm !== undefined && a.recAlgorithm !== 'PP-OCRv4' && a.recModel === undefined) {
    throw new UsageError(`--rec_algorithm ${a.recAlgorithm} needs --rec_model_dir (the shipped recogniser is PP-OCRv4)`);
  }
  const recognizer: NonNullable<OcrOptions['recognizer']> = {};
  if (a.recModel !== undefined) recognizer.modelPath = a.recModel;
  if (a.dictionary !== undefined) recognizer.dictionaryPath = a.dictionary;
  if (a.useSpaceChar !== undefined) recognizer.useSpaceChar = a.useSpaceChar;
  if (a.recDefinition !== undefined || a.recAlgorithm !== undefined || a.recImageShape !== undefined) {
    // A definition file in the model folder wins; --rec_algorithm is its base when it names none.
    let definition: Record<string, unknown> = a.recDefinition
      ? { ...(a.recAlgorithm !== undefined && a.recDefinition['extends'] === undefined ? { extends: a.recAlgorithm } : {}), ...a.recDefinition }
      : { extends: a.recAlgorithm ?? 'PP-OCRv4', name: a.recAlgorithm ?? 'PP-OCRv4' };
    if (a.recImageShape) {
      const size = (definition['size'] as Record<string, unknown> | undefined) ?? {};
      definition = { ...definition, size: { ...size, height: a.recImageShape[0], width: a.recImageShape[1] } };
    }
    if (a.recDefinitionFile) fromFile('--rec_model_dir', a.recDefinitionFile, () => resolveRecognizerDefinition(definition));
    recognizer.definition = definition as never;
  }
  if (Object.keys(recognizer).length > 0) options.recognizer = recognizer;
  if (a.threads !== undefined) options.intraOpThreads = a.threads;
  if (a.preset !== undefined) options.preset = a.preset;
  return options;
}
