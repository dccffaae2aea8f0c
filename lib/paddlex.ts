import type { OcrResult } from './engine.js';
import { OcrError } from './errors.js';
import { DEFAULT_DETECT_OPTIONS, resolveDetectOptions, type DetectOptions } from './options.js';

/** A result shaped like PaddleX 3's OCR pipeline output, for code migrating from it. */
export interface PaddleXResult {
  dt_polys: number[][][];
  dt_scores: number[];
  rec_texts: string[];
  rec_scores: number[];
  rec_polys: number[][][];
  rec_boxes: number[][];
  text_det_params: { limit_side_len: number; limit_type: string; thresh: number; box_thresh: number; unclip_ratio: number };
  textline_orientation_angles: number[];
  text_rec_score_thresh: number;
  /** With the `words` option (PaddleOCR's return_word_box): each line's words and their boxes. */
  text_word?: string[][];
  text_word_region?: number[][][][];
  /** When document orientation ran: the page's angle (PaddleX doc_preprocessor_res.angle). */
  doc_preprocessor_res?: { angle: number };
}

/**
 * PaddleX-shaped view of a recognize() result. Note: ocrkit drops lines under the text score threshold before
 * returning, so dt_* and rec_* hold the same (kept) lines; `textline_orientation_angles` is -1 for every line when
 * the classifier was off, as in PaddleX. PaddleX returns boxes in the turned (upright) page's frame after document
 * orientation; ocrkit's are in the page as given. `text_det_params`, `text_rec_score_thresh` and whether the classifier
 * ran are the `options` given over ocrkit's defaults: pass the call's options, or use `engine.toPaddleX(result,
 * callOptions)`, which starts from the engine's own defaults (createOcr `detection`, `preset`).
 */
export function toPaddleX(result: OcrResult, options?: DetectOptions): PaddleXResult {
  return paddleXView(result, options, DEFAULT_DETECT_OPTIONS);
}

/** toPaddleX with `options` read over `base` (an engine's own defaults); for OcrEngine.toPaddleX. */
export function paddleXView(result: OcrResult, options: DetectOptions | undefined, base: Readonly<Required<DetectOptions>>): PaddleXResult {
  if (result === null || typeof result !== 'object' || !Array.isArray((result as Partial<OcrResult>).lines)) {
    throw new OcrError('ERR_OCR_INVALID_OPTION', 'result: expected a recognize() result ({width, height, lines})');
  }
  const o = resolveDetectOptions(options, base, 'options', ['signal', 'timings']);
  // Words PaddleX would pair with a region: those with a box (text_word and text_word_region stay aligned).
  const boxedWords = result.lines.map((l) => (l.words ?? []).filter((w) => w.box));
  const polys = result.lines.map((l) => l.box.map(([x, y]) => [Math.round(x), Math.round(y)]));
  return {
    dt_polys: polys,
    dt_scores: result.lines.map((l) => l.boxScore),
    rec_texts: result.lines.map((l) => l.text),
    rec_scores: result.lines.map((l) => l.score),
    rec_polys: polys,
    rec_boxes: polys.map((p) => {
      const xs = p.map((q) => q[0]!);
      const ys = p.map((q) => q[1]!);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    }),
    text_det_params: {
      limit_side_len: o.limitSideLength,
      limit_type: o.limitType,
      thresh: o.binaryThreshold,
      box_thresh: o.boxThreshold,
      unclip_ratio: o.unclipRatio,
    },
    textline_orientation_angles: result.lines.map((l) => (o.textLineOrientation ? l.angle : -1)),
    text_rec_score_thresh: o.textScoreThreshold,
    ...(result.lines.some((l) => l.words)
      ? {
          text_word: boxedWords.map((words) => words.map((w) => w.text)),
          text_word_region: boxedWords.map((words) => words.map((w) => w.box!.map(([x, y]) => [Math.round(x), Math.round(y)]))),
        }
      : {}),
    ...(result.page ? { doc_preprocessor_res: { angle: result.page.angle } } : {}),
  };
}
