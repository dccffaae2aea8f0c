#!/usr/bin/env node
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOcr, type OcrEngine, type RecognizeOptions, type TextLine } from './engine.js';
import { OcrError } from './errors.js';
import { engineOptions, parseArgs, UsageError, type CliArgs } from './cli-args.js';
import { runEvalCommand } from './eval/cli.js';
import { processFolder, type FolderEntry, type FolderSummary } from './folder.js';
import { optionsFor, type OcrOptions } from './options.js';

const USAGE = `Usage: ocrkit [options] <image...>
       ocrkit --image_dir <file|folder> [--mode det|rec|system] [options]
       ocrkit eval --gt_path <labels> --pred_path <results> [--mode det|rec|system] [--json]

Reads the text of each image with the default PP-OCRv4 models.
  --json          one JSON object per image: {"image", "lines": [{"text", "score", "box", "boxScore"}]}
                  (a failed image: {"image", "error": {"code", "message"}})
  --orientation   run the text-line orientation classifier (turns upside-down lines)
  --version, -v   print ocrkit's and ONNX Runtime's versions, the providers and the native source hash
  --help, -h      this text
  --              the end of the options: what follows are images (a file named --x.png)

Folder mode, as MindOCR's predict_det.py / predict_rec.py / predict_system.py (PaddleOCR's option names):
  --image_dir P              an image, or a folder searched recursively for jpg jpeg png bmp webp tif tiff
                             (any case), in sorted order; an unreadable image is reported and skipped
  --mode det|rec|system      det: text boxes; rec: each image is one pre-cut text line; system: both (default)
  --draw_img_save_dir D      where result files go (created; default ./inference_results):
                               det     det_results.txt     name<TAB>[[[x, y], [x, y], [x, y], [x, y]], ...]
                               rec     rec_results.txt     name<TAB>text
                               system  system_results.txt  name<TAB>[{"transcription": "...", "points": [[x, y], ...]}, ...]
                             UTF-8, one line per image written as it completes, JSON spaced as Python's json.dumps
                             with non-ASCII unescaped, integer points clipped to the image; name is the path
                             relative to --image_dir ('/'-separated; the base name for a single file or a flat
                             folder, as MindOCR writes it)
  --save_json [true|false]   also write PaddleX-style <stem>_res.json per image (sub-folders mirrored)
  --print [true|false]       one JSON line per image on stdout, shaped as --json (det: lines hold "box" and
                             "boxScore"; rec: one line with "text" and "score"); --json means the same here
  --visualize_output [true|false]  draw each result as <stem>_ocr_res_img.<png|jpg> in --draw_img_save_dir (png for
                             png inputs; sub-folders mirrored): the image with numbered, coloured boxes beside a
                             white panel with each box's text. Default true in system mode, false otherwise
                             (det: boxes only; rec: nothing to draw)
  --vis_font_path F          .ttf font for the drawn texts, tried before the shipped DejaVu Sans / Droid Sans
                             Fallback (TrueType glyf outlines; not .otf/.ttc)
  --det_algorithm NAME       detector definition: PP-OCRv4 (the shipped model), DB, DB++, DB_MV3, PSE, PAN,
                             EAST, FCE (others need --det_model_dir); a model folder's definition.json (a
                             custom definition, README "Other detectors") extends it
  --rec_algorithm NAME       recogniser definition: PP-OCRv4 (the shipped model), CRNN, CRNN_CH, SVTR,
                             SVTR_PPOCRv3_CH, RARE, RARE_CH, MASTER (MindOCR), SAR, NRTR, RobustScanner, SATRN,
                             ABINet, CRNN_MMOCR (MMOCR 1.x); others need --rec_model_dir (docs/recognizers.md)
  --det_model_dir P          detection model: an .onnx file or a folder holding exactly one .onnx, with its
                             definition.json or a PaddleX inference.yml (DB: resize limit, normalisation and
                             thresholds are read from it; flags given on the command line still win)
  --rec_model_dir P          recognition model: an .onnx file or a folder holding exactly one .onnx, with its
                             definition.json (a custom definition extending --rec_algorithm; a relative
                             dictionary file is read from the folder) or a PaddleX inference.yml (decoder,
                             character_dict and image_shape are read from it)
  --rec_char_dict_path F     recognition dictionary, one character per line (default: the definition's)
  --rec_image_shape C,H,W    recognition input shape, e.g. "3, 48, 320": height, and the nominal or fixed width
  --use_space_char [true|false]  append a space to the dictionary (default: the definition's)
  --det_limit_side_len N     side-length limit of the detector input (default 960)
  --det_limit_type min|max   max: the longer side at most N; min: the shorter side at least N (default max)
  --det_db_thresh X          probability-map binarisation threshold (default 0.3)
  --det_db_box_thresh X      minimum mean probability inside a box (default 0.6)
  --det_db_unclip_ratio X    box expansion ratio (default 1.5)
  --preset paddleocr|accurate  where the settings start: paddleocr (default) PaddleOCR's; accurate adds ocrkit's
                             measured deviations, as --rec_batch_size 1 --det_box_end_padding 0.1
                             --det_merge_gap 1 --rec_space_threshold 0.02 --rec_image_shape 3,48,48 (flags
                             given still win; --rec_algorithm or a --rec_model_dir definition sets the width)
  --det_box_end_padding X    lengthen each box at both ends by X times its height (default 0, PaddleOCR's
                             boxes; 0.1 keeps a line's trailing '.' or ',': not a PaddleOCR option)
  --det_merge_gap X          join boxes that continue one line when their ends are less than X line heights
                             apart, read as one line (default 0, PaddleOCR's boxes; 1 reads "Lift 2" on a sign
                             as one line, not "Lift" and "2": not a PaddleOCR option)
  --rec_space_threshold X    write a space where the model's space class reached probability X between two
                             characters (default 0: off, PaddleOCR's decoding; 0.02 restores the spaces between
                             words PP-OCRv4 drops: not a PaddleOCR option)
  --drop_score X             lines with a lower text score are dropped (system; default 0.5)
  --return_word_box [true|false]  each --json/--print line also lists its "words" ({"text", "score", "box"}:
                             runs of letters and digits, each CJK character alone; PaddleOCR's grouping)
  --rec_batch_size N         crops per recognition batch, which share its widest crop's width (default 6,
                             PaddleOCR's; 1 is faster on CPU; --rec_batch_num too)
  --cpu_threads N            inference threads: detection runs with N, recognition runs N crops at once
                             (default min(2, cores))
  --use_angle_cls [true|false]  the text-line orientation classifier (as --orientation)
Model and threshold options apply to '<image...>' too. Options take '--name value' or '--name=value'; dashes and
underscores are interchangeable (--image-dir). Folder mode prints a summary on stderr (a progress bar when stderr
is a terminal and CI is unset).
eval scores result files against ground truth (ICDAR2015 hmean, word accuracy, 1-N.E.D., end-to-end);
'ocrkit eval --help' lists its options.
Exit code: 0 when every image was read, 1 when one failed (or the folder holds no image, or a model would not
load), 2 for usage errors (unknown option, bad value, missing --image_dir path).`;


async function printVersion(): Promise<void> {
  const pkg = createRequire(__filename)('../package.json') as { version: string };
  const engine = await createOcr();
  const info = engine.info();
  process.stdout.write(
    `ocrkit ${pkg.version}\nonnxruntime ${info.runtimeVersion} (${info.runtimePath})\n` +
      `providers ${info.providers.join(', ')}\nnative source ${info.sourceHash}\n`,
  );
  await engine.dispose();
}

async function readImages(engine: OcrEngine, images: string[], json: boolean, options: RecognizeOptions): Promise<number> {
  let failures = 0;
  let i = 0;
  // One engine, the batch path: lines of several images share recognition batches.
  for await (const result of engine.recognizeStream(images, options)) {
    const image = images[i++]!;
    if ('error' in result) {
      failures++;
      const { code, message } = result.error;
      if (json) process.stdout.write(`${JSON.stringify({ image, error: { code, message } })}\n`);
      else process.stderr.write(`${image}: ${code}: ${message}\n`);
      continue;
    }
    const lines = result.lines.map(jsonLine);
    if (json) {
      process.stdout.write(`${JSON.stringify({ image, lines })}\n`);
    } else {
      process.stdout.write(`${image}\n`);
      for (const line of lines) process.stdout.write(`  ${line.text}\t(${line.score.toFixed(3)})\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

/** A line as --json and --print write it (its words with --return_word_box). */
function jsonLine({ text, score, box, boxScore, words }: TextLine) {
  return { text, score, box, boxScore, ...(words ? { words } : {}) };
}

/** The --print / --json line of one folder image. */
function printLine(entry: FolderEntry): string {
  const image = entry.path;
  if ('error' in entry) return JSON.stringify({ image, error: { code: entry.error.code, message: entry.error.message } });
  if (entry.mode === 'system') {
    return JSON.stringify({ image, lines: entry.result.lines.map(jsonLine) });
  }
  if (entry.mode === 'det') {
    return JSON.stringify({ image, lines: entry.detection.regions.map(({ box, score }) => ({ box, boxScore: score })) });
  }
  return JSON.stringify({ image, lines: [{ text: entry.recognized.text, score: entry.recognized.score }] });
}

class Progress {
  readonly #enabled = process.stderr.isTTY === true && process.env['CI'] === undefined;
  #total = 0;
  #shown = false;

  start(total: number): void {
    this.#total = total;
  }

  update(done: number, name: string): void {
    if (!this.#enabled || this.#total === 0) return;
    const width = 24;
    const filled = Math.round((width * done) / this.#total);
    const shownName = name.length > 40 ? `…${name.slice(-39)}` : name;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.#total} ${shownName}\x1b[K`);
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) process.stderr.write('\r\x1b[K');
    this.#shown = false;
  }
}

function writeSummary(s: FolderSummary): void {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const unit = s.mode === 'det' ? 'box' : s.mode === 'rec' ? 'text' : 'line';
  const units = s.mode === 'det' ? 'boxes' : `${unit}s`;
  process.stderr.write(
    `ocrkit: ${s.mode}: ${plural(s.images, 'image')}, ${s.lines} ${s.lines === 1 ? unit : units}, ` +
      `${s.imagesPerSecond.toFixed(2)} images/s, ${s.failures.length} failed; results in ${s.resultFile}` +
      `${s.visualized > 0 ? `; ${plural(s.visualized, 'result image')} drawn` : ''}\n`,
  );
  for (const f of s.failures) process.stderr.write(`ocrkit: failed: ${f.path}: ${f.error.code}: ${f.error.message}\n`);
}

async function runFolder(a: CliArgs, imageDir: string): Promise<number> {
  const stat = fs.statSync(imageDir, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`--image_dir: no such file or folder: ${imageDir}`);
  const outputDir = a.outputDir ?? './inference_results';
  let outputStat: fs.Stats | undefined;
  try {
    outputStat = fs.statSync(outputDir);
  } catch {
    // Missing or unreachable (a file above it): processFolder makes it or says why (ERR_OCR_FILE_WRITE), before any
    // model loads.
  }
  if (outputStat?.isDirectory() === false) throw new UsageError(`--draw_img_save_dir: ${outputDir} is a file, not a folder`);
  const mode = a.mode ?? 'system';
  const visualize = a.visualize ?? mode === 'system';
  if (visualize && mode === 'rec') process.stderr.write('ocrkit: --visualize_output: rec mode has no boxes to draw; no images are drawn\n');
  // PaddleOCR's scripts take every flag in every mode; one a mode's calls do not read is said, not passed over.
  if (mode !== 'system') {
    const read = optionsFor(mode === 'det' ? 'detect' : 'recognizeCrops', a.detection);
    const unread = Object.keys(a.detection).filter((key) => !(key in read)).map((key) => a.detectionFlags.get(key) ?? key);
    if (unread.length > 0) process.stderr.write(`ocrkit: --mode ${mode} does not use ${[...new Set(unread)].join(', ')}: ignored\n`);
  }
  const print = a.print || a.json;
  const progress = new Progress();
  let done = 0;
  let summary: FolderSummary;
  try {
    summary = await processFolder(engineOptions(a), {
      imageDir,
      mode,
      outputDir,
      saveJson: a.saveJson,
      visualize: visualize && mode !== 'rec',
      ...(a.fontPath !== undefined && { fontPath: a.fontPath }),
      options: { ...a.detection, signal: stopping.signal },
      onStart: (images) => progress.start(images.length),
      onResult: (entry) => {
        if (print) {
          progress.clear();
          process.stdout.write(`${printLine(entry)}\n`);
        }
        progress.update(++done, entry.name);
      },
    });
  } catch (error) {
    progress.clear();
    if (error instanceof OcrError && error.code === 'ERR_OCR_FILE_NOT_FOUND') {
      process.stderr.write(`ocrkit: --image_dir: ${error.message}\n`);
      return 1;
    }
    // An option refused before any image ran (a font that is not one): a usage error, named as the flag.
    if (error instanceof OcrError && error.code === 'ERR_OCR_INVALID_OPTION' && done === 0) {
      process.stderr.write(`ocrkit: ${error.message.replace(/^fontPath: /, '--vis_font_path: ')}\n`);
      return 2;
    }
    throw error;
  }
  progress.clear();
  writeSummary(summary);
  return summary.failures.length > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'eval') return runEvalCommand(argv.slice(1));
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.version) {
      await printVersion();
      return 0;
    }
    if (args.imageDir !== undefined) {
      if (args.images.length > 0) {
        throw new UsageError(`give images either as arguments or with --image_dir, not both (found ${JSON.stringify(args.images[0])})`);
      }
      return await runFolder(args, args.imageDir);
    }
    if (args.folderOnly.length > 0) throw new UsageError(`${args.folderOnly[0]} needs --image_dir (result files are written for an image folder)`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ocrkit: ${error.message}\n`);
    return 2;
  }
  if (args.images.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let options: OcrOptions;
  try {
    options = engineOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ocrkit: ${error.message}\n`);
    return 2;
  }
  const engine = await createOcr(options);
  try {
    return await readImages(engine, args.images, args.json, { ...args.detection, signal: stopping.signal });
  } finally {
    await engine.dispose();
  }
}

// A reader that stops early (`ocrkit *.jpg | head`) closes the pipe: stop quietly, as Unix tools do, instead of
// dying on an unhandled EPIPE. Any other stdout error is reported. Either way the calls in flight are aborted first:
// process.exit waits for the native work of a call in progress, which would otherwise run to the end of its chunk of
// images for nobody.
const stopping = new AbortController();
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  stopping.abort();
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`ocrkit: cannot write the results: ${error.message}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = error instanceof OcrError ? error : { code: 'error', message: String(error) };
    process.stderr.write(`ocrkit: ${e.code}: ${e.message}\n`);
    process.exitCode = 1;
  },
);
