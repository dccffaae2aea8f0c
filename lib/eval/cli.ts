// `ocrkit eval`: scores a prediction file against ground truth (det, rec or system mode). Prints a table, or one JSON
// object with --json. Exit codes: 0 done, 1 bad data (unreadable or malformed file, empty folder, nothing to score),
// 2 usage (unknown option, missing or non-existent path, bad --mode).
import fs from 'node:fs';
import path from 'node:path';
import { OcrError } from '../errors.js';
import { readRegularTextFile } from '../files.js';
import { evaluateDetection, type DetectionSample, type GroundTruthRegion, type PredictedRegion } from './detection.js';
import { evaluateBagOfWords, evaluateEndToEnd, type TextMatchRule } from './endtoend.js';
import {
  icdarGroundTruthKey,
  imageFileKey,
  imageKey,
  imagePathKey,
  parseDetectionLabels,
  parseDetectionResults,
  parseIcdarGroundTruth,
  parseRecognitionLabels,
  parseRecognitionResults,
  parseSystemResults,
} from './labels.js';
import { evaluateRecognition } from './recognition.js';
import { own } from '../validate.js';

const USAGE = `Usage: ocrkit eval --gt_path <file|dir> --pred_path <file> [--mode det|rec|system] [--json]

Scores predictions against ground truth: detection as ICDAR2015's hmean-iou (PaddleOCR's and MMOCR's rule; all
boxes, then the best box-score threshold 0.3-0.9 as MMOCR reports it), recognition as MMOCR's metrics, end-to-end
with 'exact' texts and 'normalized' ones (NFKC, lower case, no whitespace).
  --gt_path     det/system: a MindOCR/PaddleOCR label file (name<TAB>[{"transcription", "points"}]) or a folder of
                ICDAR2015 gt_img_<n>.txt files; rec: a label file (name<TAB>text)
  --pred_path   det_results.txt, rec_results.txt or system_results.txt
  --mode        det (hmean-iou), rec (word accuracy, char P/R, 1-N.E.D.), system (det + end-to-end + bag of words);
                by default taken from the prediction file's name or content
  --json        one JSON object instead of the table
  (--gt-path and --pred-path are accepted too)
Images pair by path (a/doc.jpg), then by path without extension (gt_img_1.txt pairs with img_1.jpg), then by
base name without extension, each only where the name is unambiguous (an ambiguous image is named and scored empty).
Exit code: 0 done, 1 bad data (unreadable or malformed file, empty folder), 2 usage errors.`;

type Mode = 'det' | 'rec' | 'system';

class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

interface Args {
  gtPath: string;
  predPath: string;
  mode: Mode | undefined;
  json: boolean;
  help: boolean;
}

const VALUE_OPTIONS: Record<string, 'gtPath' | 'predPath' | 'mode'> = {
  '--gt_path': 'gtPath',
  '--gt-path': 'gtPath',
  '--pred_path': 'predPath',
  '--pred-path': 'predPath',
  '--mode': 'mode',
};

function parseArgs(argv: readonly string[]): Args {
  const values: Partial<Record<'gtPath' | 'predPath' | 'mode', string>> = {};
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const field = own(VALUE_OPTIONS, name);
    if (name === '--json' && eq < 0) json = true;
    else if (name === '--help' && eq < 0) help = true;
    else if (field) {
      // The next word, unless it is another option (as the main command reads them): `--gt_path --pred_path x`
      // says what is missing instead of taking "--pred_path" as the file.
      const next = argv[i + 1];
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : next !== undefined && !next.startsWith('--') ? argv[++i] : undefined;
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      values[field] = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  const mode = values.mode;
  if (mode !== undefined && mode !== 'det' && mode !== 'rec' && mode !== 'system') {
    throw new UsageError(`--mode must be det, rec or system, received ${JSON.stringify(mode)}`);
  }
  if (help) return { gtPath: '', predPath: '', mode, json, help };
  if (values.gtPath === undefined) throw new UsageError('--gt_path is required');
  if (values.predPath === undefined) throw new UsageError('--pred_path is required');
  return { gtPath: values.gtPath, predPath: values.predPath, mode, json, help };
}

function readText(file: string): string {
  try {
    return readRegularTextFile(file, 256 * 2 ** 20);
  } catch (error) {
    throw new OcrError('ERR_OCR_FILE_READ', `${file}: cannot read (${(error as Error).message})`);
  }
}

function statOrUsage(file: string, option: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch {
    throw new UsageError(`${option}: no such file or directory: ${file}`, false);
  }
}

function inferMode(predPath: string, predText: string): Mode {
  const base = path.basename(predPath);
  if (base.includes('system_results')) return 'system';
  if (base.includes('det_results')) return 'det';
  if (base.includes('rec_results')) return 'rec';
  const lines = predText.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new UsageError(`cannot tell the mode from an empty ${predPath}: pass --mode`, false);
  const after = (l: string) => l.slice(l.indexOf('\t') + 1).trim();
  if (!after(lines[0]!).startsWith('[')) return 'rec';
  // An image without text ('name<TAB>[]') says nothing: the first line with a region tells det from system.
  const region = lines.find((l) => after(l) !== '[]');
  if (region === undefined) throw new UsageError(`cannot tell det from system: ${predPath} has no regions: pass --mode`, false);
  return after(region).includes('"transcription"') ? 'system' : 'det';
}

interface Keyed<T> {
  image: string;
  value: T;
}

/** Ground-truth regions, in file order (label file) or sorted file-name order (ICDAR folder). */
function loadGroundTruthRegions(gtPath: string, stat: fs.Stats): Map<string, Keyed<GroundTruthRegion[]>> {
  const map = new Map<string, Keyed<GroundTruthRegion[]>>();
  if (stat.isDirectory()) {
    const files = fs
      .readdirSync(gtPath)
      .filter((f) => f.toLowerCase().endsWith('.txt'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (files.length === 0) throw new OcrError('ERR_OCR_FILE_NOT_FOUND', `${gtPath}: the folder has no ground-truth .txt files`);
    for (const f of files) {
      const file = path.join(gtPath, f);
      const key = icdarGroundTruthKey(f);
      const earlier = map.get(key);
      if (earlier) {
        throw new OcrError('ERR_OCR_INVALID_OPTION', `${gtPath}: ${earlier.image} and ${f} are both the ground truth of image "${key}"`);
      }
      map.set(key, { image: f, value: parseIcdarGroundTruth(readText(file), file) });
    }
    return map;
  }
  for (const e of parseDetectionLabels(readText(gtPath), gtPath)) map.set(imageFileKey(e.image), { image: e.image, value: e.regions });
  return map;
}

interface Joined<G, P> {
  pairs: { image: string; gt: G; pred: P | undefined }[];
  missingPredictions: number;
  extraPredictions: string[];
  /** Ground-truth images left unpaired because their base name fits more than one image of either side. */
  ambiguous: string[];
}

/**
 * Pairs ground-truth and predicted images by key (imageFileKey; an ICDAR folder's keys have no extension): the same
 * path first; then, among those left, the same path without extension (gt_img_1.txt with img_1.jpg); then the same
 * base name without extension (a label file's 'ch4_test_images/img_1.jpg' with results named 'img_1.jpg'). A looser
 * key pairs only where exactly one image of each side has it: 'doc.jpg' against 'a/doc.jpg' and 'b/doc.jpg' is
 * not paired by guess but reported.
 */
function join<G, P>(gt: Map<string, Keyed<G>>, pred: Map<string, Keyed<P>>): Joined<G, P> {
  const match = new Map<string, string>();
  const used = new Set<string>();
  const pair = (g: string, p: string) => {
    match.set(g, p);
    used.add(p);
  };
  for (const key of gt.keys()) if (pred.has(key)) pair(key, key);
  const groups = (loose: (key: string) => string) => {
    const out = new Map<string, { gt: string[]; pred: string[] }>();
    const group = (k: string) => out.get(k) ?? out.set(k, { gt: [], pred: [] }).get(k)!;
    for (const key of gt.keys()) if (!match.has(key)) group(loose(key)).gt.push(key);
    for (const key of pred.keys()) if (!used.has(key)) group(loose(key)).pred.push(key);
    return [...out.values()];
  };
  for (const loose of [imagePathKey, imageKey]) {
    for (const g of groups(loose)) if (g.gt.length === 1 && g.pred.length === 1) pair(g.gt[0]!, g.pred[0]!);
  }
  const ambiguous = groups(imageKey)
    .filter((g) => g.gt.length > 0 && g.pred.length > 0)
    .flatMap((g) => g.gt.map((key) => gt.get(key)!.image));
  const pairs = [...gt].map(([key, g]) => {
    const hit = match.get(key);
    return { image: g.image, gt: g.value, pred: hit === undefined ? undefined : pred.get(hit)!.value };
  });
  const extraPredictions = [...pred].filter(([key]) => !used.has(key)).map(([, p]) => p.image);
  return { pairs, missingPredictions: pairs.filter((p) => p.pred === undefined).length, extraPredictions, ambiguous };
}

const f4 = (x: number) => x.toFixed(4);

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return cells.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function warnings(joined: Joined<unknown, unknown>, gtPath: string, predPath: string): void {
  if (joined.ambiguous.length > 0) {
    process.stderr.write(
      `ocrkit eval: ${joined.ambiguous.length} ground-truth image(s) could pair with more than one image by base name and were not paired (first: ${joined.ambiguous[0]}); name images by their path\n`,
    );
  }
  if (joined.missingPredictions > 0) {
    process.stderr.write(`ocrkit eval: ${joined.missingPredictions} ground-truth image(s) have no line in ${predPath}; scored as empty\n`);
  }
  if (joined.extraPredictions.length > 0) {
    process.stderr.write(
      `ocrkit eval: ${joined.extraPredictions.length} predicted image(s) are not in ${gtPath} and were skipped (first: ${joined.extraPredictions[0]})\n`,
    );
  }
}

function runRegions(args: Args, mode: 'det' | 'system', predText: string, gtStat: fs.Stats): number {
  const gt = loadGroundTruthRegions(args.gtPath, gtStat);
  const parsed = mode === 'system' ? parseSystemResults(predText, args.predPath) : parseDetectionResults(predText, args.predPath);
  const pred = new Map(parsed.map((e) => [imageFileKey(e.image), { image: e.image, value: e.regions }] as const));
  const joined = join<GroundTruthRegion[], PredictedRegion[]>(gt, pred);
  warnings(joined, args.gtPath, args.predPath);
  // An empty label file scores 0 everywhere: a wrong path or file, not a result (as rec mode says).
  if (joined.pairs.length === 0) throw new OcrError('ERR_OCR_INVALID_OPTION', `${args.gtPath}: no labelled images to score`);
  const samples: DetectionSample[] = joined.pairs.map((p) => ({ groundTruth: p.gt, predictions: p.pred ?? [] }));
  const det = evaluateDetection(samples);
  const { perImage: _perImage, ...detection } = det;
  const report: Record<string, unknown> = {
    mode,
    images: samples.length,
    imagesWithoutPredictions: joined.missingPredictions,
    skippedPredictionImages: joined.extraPredictions.length,
    ambiguousImages: joined.ambiguous.length,
    detection,
  };
  const header = ['metric', 'precision', 'recall', 'hmean', 'matched', 'predictions', 'ground truths'];
  const rows: (string | number)[][] = [
    ['detection', f4(det.precision), f4(det.recall), f4(det.hmean), det.matched, det.predictions, det.groundTruths],
  ];
  if (det.best) {
    const b = det.best;
    rows.push([`detection, best (score >= ${b.threshold})`, f4(b.precision), f4(b.recall), f4(b.hmean), b.matched, b.predictions, b.groundTruths]);
  }
  if (mode === 'system') {
    const endToEnd: Record<string, unknown> = {};
    const bagOfWords: Record<string, unknown> = {};
    const texts = samples.map((s, i) => ({
      groundTruth: det.perImage[i]!.careGroundTruths.map((g) => s.groundTruth[g]!.text ?? ''),
      predictions: det.perImage[i]!.keptPredictions.map((p) => s.predictions[p]!.text ?? ''),
    }));
    for (const rule of ['exact', 'normalized'] as TextMatchRule[]) {
      const { perImage: _e2eImages, ...e2e } = evaluateEndToEnd(samples, { textMatch: rule });
      endToEnd[rule] = e2e;
      rows.push([`end-to-end (${rule})`, f4(e2e.precision), f4(e2e.recall), f4(e2e.hmean), e2e.hits, e2e.predictions, e2e.groundTruths]);
    }
    for (const rule of ['exact', 'normalized'] as TextMatchRule[]) {
      const bag = evaluateBagOfWords(texts, { textMatch: rule });
      bagOfWords[rule] = bag;
      rows.push([`bag of words (${rule})`, f4(bag.precision), f4(bag.recall), f4(bag.hmean), bag.matchedWords, bag.predictedWords, bag.groundTruthWords]);
    }
    report.endToEnd = endToEnd;
    report.bagOfWords = bagOfWords;
  }
  if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`ocrkit eval ${mode}: ${samples.length} images\n${table(header, rows)}\n`);
  return 0;
}

function runRecognition(args: Args, predText: string, gtStat: fs.Stats): number {
  if (gtStat.isDirectory()) throw new UsageError(`--gt_path: rec mode needs a label file, not a folder: ${args.gtPath}`, false);
  const keyed = <T extends { image: string }>(entries: T[]) => new Map(entries.map((e) => [imageFileKey(e.image), { image: e.image, value: e }] as const));
  const gt = keyed(parseRecognitionLabels(readText(args.gtPath), args.gtPath));
  const pred = keyed(parseRecognitionResults(predText, args.predPath));
  const joined = join(gt, pred);
  warnings(joined, args.gtPath, args.predPath);
  if (joined.pairs.length === 0) throw new OcrError('ERR_OCR_INVALID_OPTION', `${args.gtPath}: no labels to score`);
  const r = evaluateRecognition(joined.pairs.map((p) => ({ groundTruth: p.gt.text, prediction: p.pred?.text ?? '' })));
  if (args.json) {
    const report = {
      mode: 'rec',
      imagesWithoutPredictions: joined.missingPredictions,
      skippedPredictionImages: joined.extraPredictions.length,
      ambiguousImages: joined.ambiguous.length,
      ...r,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const rows: (string | number)[][] = [
    ['samples', r.samples],
    ['word accuracy', f4(r.wordAccuracy)],
    ['word accuracy, ignore case', f4(r.wordAccuracyIgnoreCase)],
    ['word accuracy, ignore case and symbols', f4(r.wordAccuracyIgnoreCaseSymbol)],
    ['char precision', f4(r.charPrecision)],
    ['char recall', f4(r.charRecall)],
    ['1 - N.E.D.', f4(r.oneMinusNed)],
  ];
  process.stdout.write(`ocrkit eval rec: ${r.samples} samples\n${table(['metric', 'value'], rows)}\n`);
  return 0;
}

/** Runs `ocrkit eval` with the arguments after `eval`; resolves to the exit code. Never exits the process. */
export async function runEvalCommand(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const gtStat = statOrUsage(args.gtPath, '--gt_path');
    const predStat = statOrUsage(args.predPath, '--pred_path');
    if (predStat.isDirectory()) throw new UsageError(`--pred_path: expected a file, found a folder: ${args.predPath}`, false);
    const predText = readText(args.predPath);
    const mode = args.mode ?? inferMode(args.predPath, predText);
    return mode === 'rec' ? runRecognition(args, predText, gtStat) : runRegions(args, mode, predText, gtStat);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ocrkit eval: ${error.message}\n${error.showUsage ? `${USAGE}\n` : ''}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof OcrError ? `${error.code}: ` : '';
    process.stderr.write(`ocrkit eval: ${code}${message}\n`);
    return 1;
  }
}
