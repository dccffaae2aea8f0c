// Folder processing as MindOCR's tools/infer/text/predict_det.py, predict_rec.py and predict_system.py do it (checked
// against mindspore-lab/mindocr, 2024: save_det_res, save_rec_res, save_res): one result file per run, one line per
// image, in the same line formats, so `ocrkit eval` and MindOCR's own eval scripts read them.
//   det     det_results.txt     name<TAB>[[[x, y], [x, y], [x, y], [x, y]], ...]        (json.dumps spacing)
//   rec     rec_results.txt     name<TAB>text
//   system  system_results.txt  name<TAB>[{"transcription": "...", "points": [[x, y], ...]}, ...]
// Points are integers (clipped to the image, then truncated, as MindOCR's validate_det_res / astype(int)); JSON is
// written as Python's json.dumps(ensure_ascii=False) writes it (", " and ": " separators, non-ASCII unescaped).
// MindOCR names an image by its base name; folders here are searched recursively, so a name is the path relative
// to the image folder ('/'-separated): equal base names in different sub-folders stay distinct, and a flat folder
// gives MindOCR's names.
import fs from 'node:fs';
import path from 'node:path';
import { createOcr, type DetectionDetails, type OcrEngine, type OcrResult, type RecognizedText, type RecognizeOptions } from './engine.js';
import { OcrError } from './errors.js';
import { optionsFor, type OcrOptions } from './options.js';
import { checkFont, visualizationName, visualize } from './visualize.js';

export type FolderMode = 'det' | 'rec' | 'system';

/** File extensions (lower case) searched for in a folder. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff'];

/** The result file of each mode, as MindOCR names it. */
export const RESULT_FILES: Readonly<Record<FolderMode, string>> = Object.freeze({
  det: 'det_results.txt',
  rec: 'rec_results.txt',
  system: 'system_results.txt',
});

/** An image found by findImages: its path and its name in result files. */
export interface FolderImage {
  /** The path; for a name that is not valid UTF-8, decoded with U+FFFD for the bytes that are not (see `pathBytes`). */
  path: string;
  /** Path relative to the image folder, '/'-separated; the base name when a single file was given. */
  name: string;
  /** The path's bytes, when its name (or a folder's above it) is not valid UTF-8 and so `path` cannot open it. */
  pathBytes?: Buffer;
}

/**
 * What an engine call reads for `image`: its path, or, for a path that is not valid UTF-8 (a Latin-1 name from an
 * old archive), the file's bytes, read through the path's own bytes. A file that cannot be read then is given by its
 * path, whose call fails in its own slot.
 */
async function imageInput(image: FolderImage): Promise<string | Buffer> {
  if (!image.pathBytes) return image.path;
  return fs.promises.readFile(image.pathBytes).catch(() => image.path);
}

/** `name` as text, and its bytes when they are not valid UTF-8 (decoding would change them). */
function decodeName(name: Buffer): { text: string; lossy: boolean } {
  const text = name.toString('utf8');
  return { text, lossy: !Buffer.from(text, 'utf8').equals(name) };
}

export interface FolderOptions {
  /** An image file or a folder searched recursively for IMAGE_EXTENSIONS (case-insensitive). */
  imageDir: string;
  /** 'det': boxes; 'rec': each image is one pre-cut text line; 'system': detection + recognition. Default 'system'. */
  mode?: FolderMode;
  /** Where the result file (and the JSON files) go; created when missing. Default './inference_results'. */
  outputDir?: string;
  /**
   * Also write PaddleX-style {stem}_res.json per image (under the image's sub-folder in outputDir; named from the whole
   * file name when images of a folder share a stem, see outputBases). Default false.
   */
  saveJson?: boolean;
  /** Per-call options of every engine call (thresholds, batch sizes, AbortSignal). */
  options?: RecognizeOptions;
  /**
   * Also draw each image's result as {stem}_ocr_res_img.{png|jpg} (png for .png inputs; sub-folders mirrored), the
   * image with its boxes beside a panel with their texts (see visualize()). system and det modes; rec mode has no
   * boxes and draws nothing. Default false.
   */
  visualize?: boolean;
  /** Font(s) for the drawn texts, before the shipped ones (visualize()'s fontPath); checked before the run starts. */
  fontPath?: string | readonly string[];
  /** Called after each image, in order, once its line is written. An error thrown here stops the run. */
  onResult?: (entry: FolderEntry) => void | Promise<void>;
  /** Called once the images are found, before the engine is created (processFolder given OcrOptions). */
  onStart?: (images: readonly FolderImage[]) => void;
}

interface FolderEntryBase extends FolderImage {
  /** 0-based position in the sorted list, and the list's length. */
  index: number;
  total: number;
}

/** One image's outcome: a result of the run's mode, or the error that failed it. */
export type FolderEntry = FolderEntryBase &
  (
    | { mode: 'system'; result: OcrResult; line: string }
    | { mode: 'det'; detection: DetectionDetails; line: string }
    | { mode: 'rec'; recognized: RecognizedText; line: string }
    | { mode: FolderMode; error: OcrError }
  );

export interface FolderSummary {
  mode: FolderMode;
  /** The result file written. */
  resultFile: string;
  images: number;
  /** Text lines (system), boxes (det) or recognised crops (rec) written. */
  lines: number;
  /** Result images drawn (visualize). */
  visualized: number;
  failures: Array<FolderImage & { error: OcrError }>;
  seconds: number;
  imagesPerSecond: number;
}

const DEFAULT_OUTPUT_DIR = './inference_results';
/** Crops per native recognizeCrops call in rec mode (the engine batches them by recognitionBatchSize). */
const REC_CHUNK = 64;
/** Detection calls in flight in det mode (the engine's queue bounds what actually runs). */
const DET_IN_FLIGHT = 4;

/** Python json.dumps(value, ensure_ascii=False) for the plain values of result files. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type Quad = readonly (readonly [number, number])[];

/** Integer points as MindOCR writes them: clipped to [0, width-1] x [0, height-1], then truncated. */
function integerPoints(points: Quad, width: number, height: number): [number, number][] {
  const clip = (v: number, max: number) => Math.trunc(Math.min(Math.max(v, 0), Math.max(max - 1, 0)));
  return points.map(([x, y]) => [clip(x, width), clip(y, height)]);
}

/** Tabs and line breaks would break a line format: they become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\t\r\n]/g, ' ');
}

/** det_results.txt line (without the newline): name<TAB>[[[x, y], ...], ...]. */
export function formatDetectionLine(name: string, polygons: readonly Quad[]): string {
  return `${oneLine(name)}\t${pythonJson(polygons)}`;
}

/** rec_results.txt line: name<TAB>text. */
export function formatRecognitionLine(name: string, text: string): string {
  return `${oneLine(name)}\t${oneLine(text)}`;
}

/** system_results.txt line: name<TAB>[{"transcription": ..., "points": [[x, y], ...]}, ...]. */
export function formatSystemLine(name: string, lines: ReadonlyArray<{ text: string; points: Quad }>): string {
  return `${oneLine(name)}\t${pythonJson(lines.map((l) => ({ transcription: l.text, points: l.points })))}`;
}

function posixRelative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}

/** What drawEntry writes (visualizationName): not an input when the output folder is the image folder. */
const DRAWN_RESULT = /_ocr_res_img\.(png|jpg)$/;

/**
 * Lists the images below `dir` into `out`. Names are read as bytes: one that is not valid UTF-8 keeps its bytes
 * (`pathBytes`) so the file can still be read, and its folders' below it too.
 */
async function walk(
  root: string,
  dir: string,
  dirBytes: Buffer | undefined,
  out: FolderImage[],
  exclude: string | undefined,
): Promise<void> {
  const entries = await fs.promises.readdir(dirBytes ?? dir, { withFileTypes: true, encoding: 'buffer' });
  for (const entry of entries) {
    const { text, lossy } = decodeName(entry.name);
    const full = path.join(dir, text);
    const fullBytes = dirBytes || lossy ? Buffer.concat([dirBytes ?? Buffer.from(dir), Buffer.from(path.sep), entry.name]) : undefined;
    if (entry.isDirectory()) {
      // The run's own output folder inside the image folder: its drawn results are not inputs.
      if (exclude === undefined || path.resolve(full) !== exclude) await walk(root, full, fullBytes, out, exclude);
      continue;
    }
    if (!IMAGE_EXTENSIONS.includes(path.extname(text).toLowerCase())) continue;
    // Links to folders are not followed (no cycles). Anything else named as an image is listed, a broken link or a
    // FIFO included: reading it fails, and the failure is reported rather than the entry silently left out.
    if (entry.isSymbolicLink() && (await fs.promises.stat(fullBytes ?? full).catch(() => undefined))?.isDirectory()) continue;
    out.push({ path: full, name: posixRelative(root, full), ...(fullBytes && { pathBytes: fullBytes }) });
  }
}

/**
 * The images of `imageDir`: the file itself, or every file with an image extension below the folder, sorted by name
 * (code-unit order of the '/'-separated relative path), leaving out a run's output folder `exclude` when it lies
 * below, and its drawn results ({stem}_ocr_res_img.{png|jpg}) when it is the folder itself. Throws
 * ERR_OCR_FILE_NOT_FOUND when the path does not exist and when a folder holds no image.
 */
export async function findImages(imageDir: string, exclude?: string): Promise<FolderImage[]> {
  if (typeof imageDir !== 'string' || imageDir === '') {
    throw new OcrError('ERR_OCR_INVALID_OPTION', 'imageDir: expected a file or folder path');
  }
  const stat = await fs.promises.stat(imageDir).catch(() => undefined);
  if (!stat) throw new OcrError('ERR_OCR_FILE_NOT_FOUND', `${imageDir}: no such file or folder`);
  if (!stat.isDirectory()) return [{ path: imageDir, name: path.basename(imageDir) }];
  const images: FolderImage[] = [];
  try {
    await walk(imageDir, imageDir, undefined, images, exclude === undefined ? undefined : path.resolve(exclude));
  } catch (error) {
    throw new OcrError('ERR_OCR_FILE_READ', `${imageDir}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const drawnHere = exclude !== undefined && path.resolve(exclude) === path.resolve(imageDir);
  const found = drawnHere ? images.filter((image) => !DRAWN_RESULT.test(image.name)) : images;
  if (found.length === 0) {
    throw new OcrError(
      'ERR_OCR_FILE_NOT_FOUND',
      `${imageDir}: no images (${IMAGE_EXTENSIONS.map((e) => e.slice(1)).join(', ')}) in this folder or below`,
    );
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Creates `dir` and the folders above it that are missing, one level at a time (fs.mkdir's `recursive` never returns
 * for a path under /proc). ERR_OCR_FILE_WRITE naming the folder when it cannot be made (a file in the way, no
 * permission, a read-only file system).
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const stat = await fs.promises.stat(at).catch((error: NodeJS.ErrnoException) => error);
    if (stat instanceof fs.Stats) {
      if (!stat.isDirectory()) throw new OcrError('ERR_OCR_FILE_WRITE', `cannot create folder ${dir}: ${at} is not a folder`);
      break;
    }
    // ENOTDIR: a file above; found as such further up.
    if ((stat.code !== 'ENOENT' && stat.code !== 'ENOTDIR') || path.dirname(at) === at) {
      throw new OcrError('ERR_OCR_FILE_WRITE', `cannot create folder ${dir}: ${stat.message}`, { cause: stat });
    }
    missing.unshift(at);
  }
  for (const folder of missing) {
    await fs.promises.mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new OcrError('ERR_OCR_FILE_WRITE', `cannot create folder ${dir}: ${error.message}`, { cause: error });
    });
  }
}

/** `write()`, an error of it as ERR_OCR_FILE_WRITE naming `file`. */
async function writing<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof OcrError) throw error;
    throw new OcrError('ERR_OCR_FILE_WRITE', `cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function asOcrError(error: unknown): OcrError {
  return error instanceof OcrError ? error : new OcrError('ERR_OCR_INTERNAL', String(error), { cause: error });
}

/**
 * The relative path, without extension, that each image's outputs are named from ({base}_res.json,
 * {base}_ocr_res_img.{png|jpg}): the image's stem, as PaddleX names them, or its whole file name when another image
 * of the run in the same sub-folder has the same stem ignoring case (a.jpg and a.png would overwrite each other's
 * results; case for file systems that ignore it), then `~2`, `~3`, ... for a clash still left (a.jpg.png's stem is
 * a.jpg's file name).
 */
export function outputBases(names: readonly string[]): Map<string, string> {
  const stem = (name: string) => {
    const parsed = path.posix.parse(name);
    return path.posix.join(parsed.dir, parsed.name);
  };
  const stemOf = names.map(stem);
  const count = new Map<string, number>();
  for (const s of stemOf) count.set(s.toLowerCase(), (count.get(s.toLowerCase()) ?? 0) + 1);
  const taken = new Set<string>();
  const bases = new Map<string, string>();
  for (const [i, name] of names.entries()) {
    const wanted = count.get(stemOf[i]!.toLowerCase())! > 1 ? name : stemOf[i]!;
    let base = wanted;
    for (let k = 2; taken.has(base.toLowerCase()); k++) base = `${wanted}~${k}`;
    taken.add(base.toLowerCase());
    bases.set(name, base);
  }
  return bases;
}

function jsonPath(outputDir: string, base: string): string {
  return path.join(outputDir, ...`${base}_res.json`.split('/'));
}

/** The PaddleX-style JSON of one image (PaddleX's save_to_json content: input_path, page_index, then the result). */
function paddleXJson(engine: OcrEngine, entry: FolderEntry, options: RecognizeOptions): Record<string, unknown> | undefined {
  const head = { input_path: entry.path, page_index: null };
  if ('error' in entry) return undefined;
  // The engine's view: its settings (a preset's, createOcr's detection defaults) under the call's options.
  if (entry.mode === 'system') return { ...head, ...engine.toPaddleX(entry.result, options) };
  if (entry.mode === 'det') {
    const { regions, width, height } = entry.detection;
    return {
      ...head,
      dt_polys: regions.map((r) => integerPoints(r.box, width, height)),
      dt_scores: regions.map((r) => r.score),
    };
  }
  return { ...head, rec_text: entry.recognized.text, rec_score: entry.recognized.score };
}

/** Yields each image's entry, in order, running the engine's batch paths. */
async function* runMode(
  engine: OcrEngine,
  mode: FolderMode,
  images: readonly FolderImage[],
  options: RecognizeOptions,
): AsyncGenerator<FolderEntry> {
  const total = images.length;
  const base = (i: number) => ({ ...images[i]!, index: i, total });
  const rethrowAbort = (error: unknown) => {
    if (error instanceof OcrError && (error.code === 'ERR_OCR_ABORTED' || error.code === 'ERR_OCR_DISPOSED')) throw error;
  };
  if (mode === 'system') {
    let i = 0;
    // The stream pools the lines of several images into shared recognition batches.
    async function* inputs() {
      for (const image of images) yield await imageInput(image);
    }
    for await (const result of engine.recognizeStream(inputs(), options)) {
      const b = base(i++);
      if ('error' in result) {
        yield { ...b, mode, error: result.error };
        continue;
      }
      const lines = result.lines.map((l) => ({ text: l.text, points: integerPoints(l.box, result.width, result.height) }));
      yield { ...b, mode, result, line: formatSystemLine(b.name, lines) };
    }
    return;
  }
  if (mode === 'det') {
    const detectOptions = optionsFor('detect', options);
    type Outcome = { detection: DetectionDetails } | { error: unknown };
    const start = async (i: number): Promise<Outcome> =>
      engine.detectWithDetails(await imageInput(images[i]!), detectOptions).then(
        (detection) => ({ detection }),
        (error: unknown) => ({ error }),
      );
    const pending: Promise<Outcome>[] = [];
    for (let i = 0; i < Math.min(DET_IN_FLIGHT, total); i++) pending.push(start(i));
    for (let i = 0; i < total; i++) {
      const outcome = await pending.shift()!;
      if (i + DET_IN_FLIGHT < total) pending.push(start(i + DET_IN_FLIGHT));
      const b = base(i);
      if ('error' in outcome) {
        rethrowAbort(outcome.error);
        yield { ...b, mode, error: asOcrError(outcome.error) };
        continue;
      }
      const { regions, width, height } = outcome.detection;
      const line = formatDetectionLine(b.name, regions.map((r) => integerPoints(r.box, width, height)));
      yield { ...b, mode, detection: outcome.detection, line };
    }
    return;
  }
  // rec: recognition of pre-cut lines, REC_CHUNK per native call; a call that fails (one undecodable image fails
  // the whole call) is retried image by image so only the bad images fail.
  const cropOptions = optionsFor('recognizeCrops', options);
  for (let first = 0; first < total; first += REC_CHUNK) {
    const indices = Array.from({ length: Math.min(REC_CHUNK, total - first) }, (_, k) => first + k);
    let texts: Array<RecognizedText | OcrError>;
    try {
      texts = await engine.recognizeCrops(
        await Promise.all(indices.map((i) => imageInput(images[i]!))),
        cropOptions,
      );
    } catch (error) {
      rethrowAbort(error);
      texts = [];
      for (const i of indices) {
        try {
          const [one] = await engine.recognizeCrops([await imageInput(images[i]!)], cropOptions);
          texts.push(one ?? new OcrError('ERR_OCR_INTERNAL', 'no result'));
        } catch (single) {
          rethrowAbort(single);
          texts.push(asOcrError(single));
        }
      }
    }
    for (const [k, i] of indices.entries()) {
      const b = base(i);
      const t = texts[k] ?? new OcrError('ERR_OCR_INTERNAL', 'no result');
      if (t instanceof OcrError) yield { ...b, mode, error: t };
      else yield { ...b, mode, recognized: t, line: formatRecognitionLine(b.name, t.text) };
    }
  }
}

/** Draws one entry's result into outputDir; false when there is nothing to draw (rec mode, a failed image). */
async function drawEntry(
  entry: FolderEntry,
  base: string,
  outputDir: string,
  folder: FolderOptions,
  options: RecognizeOptions,
): Promise<boolean> {
  if ('error' in entry || entry.mode === 'rec') return false;
  const lines =
    entry.mode === 'system'
      ? entry.result.lines
      : entry.detection.regions.map((r) => (r.polygon ? { box: r.box, polygon: r.polygon } : { box: r.box }));
  const { file, format } = visualizationName(entry.name, base);
  const target = path.join(outputDir, ...file.split('/'));
  const image = await visualize(await imageInput(entry), { lines }, {
    format,
    ...(folder.fontPath !== undefined && { fontPath: folder.fontPath }),
    ...(options.applyExifOrientation !== undefined && { applyExifOrientation: options.applyExifOrientation }),
    ...(options.maxPixels !== undefined && { maxPixels: options.maxPixels }),
  });
  await makeFolder(path.dirname(target));
  await writing(target, () => fs.promises.writeFile(target, image));
  return true;
}

function lineCount(entry: FolderEntry): number {
  if ('error' in entry) return 0;
  if (entry.mode === 'system') return entry.result.lines.length;
  if (entry.mode === 'det') return entry.detection.regions.length;
  return 1;
}

/**
 * Runs det, rec or system inference over an image or a folder (recursively) and writes MindOCR's result file into
 * `outputDir` (det_results.txt, rec_results.txt or system_results.txt; truncated first), one line per image as
 * each completes, so an interrupted run keeps what was written. A failed image is reported (onResult, summary) and
 * skipped; so is one whose JSON or drawn result cannot be written (ERR_OCR_FILE_WRITE; its line is in the result
 * file). The output folder is made and the result file opened first, then, given OcrOptions (or nothing), the
 * engine is created and disposed at the end; a given engine is left open. An output folder below the image folder is
 * not searched for images. Rejects for a missing path or an empty folder (ERR_OCR_FILE_NOT_FOUND), a font that cannot
 * be loaded when drawing (ERR_OCR_INVALID_OPTION, before the output folder is made), an unwritable output folder or
 * result file (ERR_OCR_FILE_WRITE), an aborted run (ERR_OCR_ABORTED) or an error thrown by onResult.
 */
export async function processFolder(engineOrOptions: OcrEngine | OcrOptions | undefined, folder: FolderOptions): Promise<FolderSummary> {
  const mode = folder.mode ?? 'system';
  if (mode !== 'det' && mode !== 'rec' && mode !== 'system') {
    throw new OcrError('ERR_OCR_INVALID_OPTION', `mode: expected 'det', 'rec' or 'system', received ${JSON.stringify(mode)}`);
  }
  const outputDir = folder.outputDir ?? DEFAULT_OUTPUT_DIR;
  const options = folder.options ?? {};
  const images = await findImages(folder.imageDir, outputDir);
  const bases = outputBases(images.map((image) => image.name));
  // A font that cannot be used fails the run here, not every image after the models load.
  // Named as the other FolderOptions are ('fontPath: ...'), so a caller (the CLI) tells it from the engine's errors.
  if (folder.visualize && folder.fontPath !== undefined) {
    await checkFont(folder.fontPath).catch((error: unknown) => {
      if (!(error instanceof OcrError)) throw error;
      throw new OcrError(error.code, `fontPath: ${error.message.replace(/^font: /, '')}`, { cause: error });
    });
  }
  const resultFile = path.join(outputDir, RESULT_FILES[mode]);
  // Before the engine: an output folder that cannot be written fails in milliseconds, not after the models load.
  await makeFolder(outputDir);
  const handle = await writing(resultFile, () => fs.promises.open(resultFile, 'w'));
  const started = process.hrtime.bigint();
  const failures: FolderSummary['failures'] = [];
  let lines = 0;
  let visualized = 0;
  try {
    folder.onStart?.(images);
    const owned = !(engineOrOptions && typeof (engineOrOptions as OcrEngine).recognizeStream === 'function');
    const engine = owned ? await createOcr(engineOrOptions as OcrOptions | undefined) : (engineOrOptions as OcrEngine);
    try {
      for await (const entry of runMode(engine, mode, images, options)) {
        if ('error' in entry) {
          failures.push({ path: entry.path, name: entry.name, error: entry.error });
        } else {
          await writing(resultFile, () => handle.write(`${entry.line}\n`, null, 'utf8'));
          lines += lineCount(entry);
          try {
            const json = folder.saveJson ? paddleXJson(engine, entry, options) : undefined;
            if (json) {
              const file = jsonPath(outputDir, bases.get(entry.name)!);
              await makeFolder(path.dirname(file));
              await writing(file, () => fs.promises.writeFile(file, `${JSON.stringify(json, null, 4)}\n`, 'utf8'));
            }
            if (folder.visualize && (await drawEntry(entry, bases.get(entry.name)!, outputDir, folder, options))) visualized++;
          } catch (error) {
            // One result that cannot be saved or drawn (a file in the way, a bad font) is that image's failure.
            failures.push({ path: entry.path, name: entry.name, error: asOcrError(error) });
          }
        }
        await folder.onResult?.(entry);
      }
    } finally {
      if (owned) await engine.dispose();
    }
  } finally {
    await handle.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    mode,
    resultFile,
    images: images.length,
    lines,
    visualized,
    failures,
    seconds,
    imagesPerSecond: seconds > 0 ? images.length / seconds : 0,
  };
}
