// Parsers for evaluation label and result files. Pure functions of (text, file name): the file name is used only in
// error messages, which are one line: "<file>:<line>: <what is wrong>". Blank lines are skipped; a UTF-8 BOM and
// Windows line ends are accepted. Malformed content throws OcrError ERR_OCR_INVALID_OPTION.
//   MindOCR/PaddleOCR det/system labels  name<TAB>[{"transcription": "...", "points": [[x, y], ...]}, ...]
//                                        transcription '###' or '*' (PaddleOCR DetLabelEncode) or "ignore": true
//                                        mark a don't-care region
//   ICDAR2015 gt_img_<n>.txt             x1,y1,x2,y2,x3,y3,x4,y4,transcription   (the transcription may hold commas)
//   recognition labels                   name<TAB>label   (the label is everything after the first tab)
//   det_results.txt                      name<TAB>[[[x, y], ...], ...]   (or objects {"points", "score"})
//   rec_results.txt                      name<TAB>text   (a last tab-separated field that is a number is a score)
//   system_results.txt                   name<TAB>[{"transcription": "...", "points": [...], "score"?: n}, ...]
import { OcrError } from '../errors.js';
import type { GroundTruthRegion, PredictedRegion } from './detection.js';
import type { Polygon } from './polygon.js';

/** One image's regions from a det/system label or result file, with its 1-based line number. */
export interface ImageRegions<T> {
  image: string;
  line: number;
  regions: T[];
}

/** One image's text from a recognition label or result file. */
export interface ImageText {
  image: string;
  line: number;
  text: string;
  score?: number;
}

function fail(file: string, line: number, what: string): never {
  throw new OcrError('ERR_OCR_INVALID_OPTION', `${file}:${line}: ${what.replace(/\s+/g, ' ')}`);
}

function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Non-blank lines with their 1-based numbers; BOM and CR removed. */
function lines(text: string): { line: number; content: string }[] {
  const out: { line: number; content: string }[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  source.split('\n').forEach((raw, i) => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() !== '') out.push({ line: i + 1, content });
  });
  return out;
}

/**
 * The key that pairs ground truth and predictions: the base name without its extension
 * ('train/img_1.jpg' -> 'img_1'). An ICDAR 'gt_img_1.txt' file name maps to 'img_1' with icdarGroundTruthKey.
 */
export function imageKey(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * The image's path without its extension, separators normalised to '/' and a leading './' removed
 * ('./a/doc.jpg' -> 'a/doc'): what tells 'a/doc.jpg' and 'b/doc.jpg' of one recursive run apart. Pairing uses it
 * first and falls back to imageKey when the base name is unambiguous.
 */
export function imagePathKey(name: string): string {
  const norm = name.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  const slash = norm.lastIndexOf('/');
  const dot = norm.lastIndexOf('.');
  return dot > slash + 1 ? norm.slice(0, dot) : norm;
}

/**
 * The image's path, separators normalised to '/' and a leading './' removed ('./a/doc.jpg' -> 'a/doc.jpg'): an
 * image's identity in a label or result file (a.jpg and a.png of one folder are two images).
 */
export function imageFileKey(name: string): string {
  return name.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** 'gt_img_12.txt' -> 'img_12' (the image key of an ICDAR per-image ground-truth file). */
export function icdarGroundTruthKey(fileName: string): string {
  const key = imageKey(fileName);
  return key.startsWith('gt_') ? key.slice(3) : key;
}

function splitNameTab(file: string, line: number, content: string): [string, string] {
  const tab = content.indexOf('\t');
  if (tab < 0) fail(file, line, `expected "<image name><TAB>...", found no tab in ${quote(content)}`);
  const name = content.slice(0, tab).trim();
  if (name === '') fail(file, line, 'the image name before the tab is empty');
  return [name, content.slice(tab + 1)];
}

function parseJson(file: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(file, line, `invalid JSON after the tab (${message.slice(0, 80)})`);
  }
}

function parsePoints(file: string, line: number, value: unknown, where: string): Polygon {
  const ok =
    Array.isArray(value) &&
    value.length >= 3 &&
    value.every((p) => Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === 'number' && Number.isFinite(c)));
  if (!ok) fail(file, line, `${where}: "points" must be an array of at least 3 [x, y] number pairs`);
  return (value as [number, number][]).map(([x, y]) => [x, y] as const);
}

function parseRegionArray(file: string, line: number, json: string): unknown[] {
  const value = parseJson(file, line, json);
  if (!Array.isArray(value)) fail(file, line, 'expected a JSON array of regions after the tab');
  return value;
}

function optionalString(file: string, line: number, value: unknown, where: string, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(file, line, `${where}: "${key}" must be a string`);
  return value;
}

function optionalScore(file: string, line: number, value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(file, line, `${where}: "score" must be a number`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkDuplicates<T extends { image: string; line: number }>(file: string, entries: T[]): T[] {
  const seen = new Map<string, number>();
  for (const e of entries) {
    const key = imageFileKey(e.image);
    const first = seen.get(key);
    if (first !== undefined) fail(file, e.line, `image ${quote(e.image)} is listed again (first on line ${first})`);
    seen.set(key, e.line);
  }
  return entries;
}

/** MindOCR/PaddleOCR detection or system label file (ground truth). */
export function parseDetectionLabels(text: string, file = '<labels>'): ImageRegions<GroundTruthRegion>[] {
  const entries = lines(text).map(({ line, content }) => {
    const [image, json] = splitNameTab(file, line, content);
    const regions = parseRegionArray(file, line, json).map((item, i) => {
      const where = `region ${i + 1}`;
      if (!isRecord(item)) return fail(file, line, `${where}: expected an object {"transcription", "points"}`);
      const points = parsePoints(file, line, item.points, where);
      const transcription = optionalString(file, line, item.transcription, where, 'transcription') ?? '';
      if (item.ignore !== undefined && typeof item.ignore !== 'boolean') fail(file, line, `${where}: "ignore" must be true or false`);
      const ignore = item.ignore === true || transcription === '###' || transcription === '*';
      const region: GroundTruthRegion = { points, text: transcription, ignore };
      return region;
    });
    return { image, line, regions };
  });
  return checkDuplicates(file, entries);
}

/** One ICDAR2015 per-image ground-truth file (gt_img_<n>.txt): '###' marks a don't-care region. */
export function parseIcdarGroundTruth(text: string, file = '<gt>'): GroundTruthRegion[] {
  return lines(text).map(({ line, content }) => {
    const fields = content.split(',');
    if (fields.length < 9) {
      fail(file, line, `expected "x1,y1,x2,y2,x3,y3,x4,y4,transcription", found ${fields.length} comma-separated fields`);
    }
    const coords = fields.slice(0, 8).map((f, i) => {
      const v = f.trim() === '' ? NaN : Number(f);
      if (!Number.isFinite(v)) fail(file, line, `field ${i + 1} (${quote(f)}) is not a number`);
      return v;
    });
    // Quoted transcriptions ("###", "a,b", "say \"hi\"") read as the RRC script reads them: the quotes removed
    // (with the spaces around them), then \\ and \" unescaped.
    const raw = fields.slice(8).join(',');
    const quoted = /^\s*"(.*)"\s*$/s.exec(raw);
    const transcription = quoted ? quoted[1]!.replace(/\\\\/g, '\\').replace(/\\"/g, '"') : raw;
    const points: [number, number][] = [];
    for (let i = 0; i < 8; i += 2) points.push([coords[i]!, coords[i + 1]!]);
    return { points, text: transcription, ignore: transcription === '###' };
  });
}

/** Recognition label file: name<TAB>label. */
export function parseRecognitionLabels(text: string, file = '<labels>'): ImageText[] {
  const entries = lines(text).map(({ line, content }) => {
    const [image, label] = splitNameTab(file, line, content);
    return { image, line, text: label };
  });
  return checkDuplicates(file, entries);
}

/** ocrkit/MindOCR rec_results.txt: name<TAB>text, optionally <TAB>score. */
export function parseRecognitionResults(text: string, file = '<predictions>'): ImageText[] {
  const entries = lines(text).map(({ line, content }) => {
    const [image, rest] = splitNameTab(file, line, content);
    const tab = rest.lastIndexOf('\t');
    const tail = tab >= 0 ? rest.slice(tab + 1).trim() : '';
    if (tab >= 0 && tail !== '' && Number.isFinite(Number(tail))) {
      return { image, line, text: rest.slice(0, tab), score: Number(tail) };
    }
    return { image, line, text: rest };
  });
  return checkDuplicates(file, entries);
}

/** ocrkit/MindOCR det_results.txt: name<TAB>[polygon, ...]; an element may also be {"points", "score"?}. */
export function parseDetectionResults(text: string, file = '<predictions>'): ImageRegions<PredictedRegion>[] {
  const entries = lines(text).map(({ line, content }) => {
    const [image, json] = splitNameTab(file, line, content);
    const regions = parseRegionArray(file, line, json).map((item, i) => {
      const where = `region ${i + 1}`;
      if (Array.isArray(item)) return { points: parsePoints(file, line, item, where) } as PredictedRegion;
      if (!isRecord(item)) return fail(file, line, `${where}: expected a polygon [[x, y], ...] or an object {"points"}`);
      const region: PredictedRegion = { points: parsePoints(file, line, item.points, where) };
      const score = optionalScore(file, line, item.score, where);
      if (score !== undefined) region.score = score;
      const transcription = optionalString(file, line, item.transcription, where, 'transcription');
      if (transcription !== undefined) region.text = transcription;
      return region;
    });
    return { image, line, regions };
  });
  return checkDuplicates(file, entries);
}

/** ocrkit/MindOCR system_results.txt: name<TAB>[{"transcription", "points", "score"?}, ...]. */
export function parseSystemResults(text: string, file = '<predictions>'): ImageRegions<PredictedRegion>[] {
  const entries = lines(text).map(({ line, content }) => {
    const [image, json] = splitNameTab(file, line, content);
    const regions = parseRegionArray(file, line, json).map((item, i) => {
      const where = `region ${i + 1}`;
      if (!isRecord(item)) return fail(file, line, `${where}: expected an object {"transcription", "points"}`);
      const transcription = optionalString(file, line, item.transcription, where, 'transcription');
      if (transcription === undefined) fail(file, line, `${where}: "transcription" is missing`);
      const region: PredictedRegion = { points: parsePoints(file, line, item.points, where), text: transcription };
      const score = optionalScore(file, line, item.score, where);
      if (score !== undefined) region.score = score;
      return region;
    });
    return { image, line, regions };
  });
  return checkDuplicates(file, entries);
}
