/**
 * Words of a recognised line, from its characters: PaddleOCR's `return_word_box` grouping (its CTC decoder's
 * get_word_info and cal_ocr_word_box). A run of Latin letters and digits is one word ('.' between a word and a digit
 * and '-' after a word stay in it: "1.25", "VGG-16"); each CJK ideograph (U+4E00..U+9FFF) is a word of its own;
 * anything else (spaces, punctuation) separates words and belongs to none.
 *
 * Boxes differ from PaddleOCR's on purpose: PaddleOCR cuts axis-aligned boxes from the line box's x extent and the
 * CTC step positions; ocrkit joins its characters' boxes, which follow the line's box (rotated or upside-down lines
 * included).
 */
import type { Point } from './engine.js';

type Quad = [Point, Point, Point, Point];
type Kind = 'cjk' | 'word' | 'splitter';

const LATIN_OR_DIGIT = /[a-zA-Z0-9]/;
const DIGIT = /[0-9]/;

function kindOf(text: string): Kind {
  const cp = text.codePointAt(0) ?? 0;
  if (cp >= 0x4e00 && cp <= 0x9fff) return 'cjk';
  return LATIN_OR_DIGIT.test(text) ? 'word' : 'splitter';
}

/** The characters of each word, in reading order (PaddleOCR's grouping, CJK ideographs one per word). */
export function groupWords<C extends { text: string }>(chars: readonly C[]): C[][] {
  const words: C[][] = [];
  let state: Kind | undefined;
  let current: C[] = [];
  const flush = () => {
    if (current.length === 0) return;
    if (state === 'cjk') for (const c of current) words.push([c]);
    else words.push(current);
    current = [];
  };
  chars.forEach((c, i) => {
    let kind = kindOf(c.text);
    if (state === 'word' && ((c.text === '.' && i + 1 < chars.length && DIGIT.test(chars[i + 1]!.text)) || c.text === '-')) {
      kind = 'word';
    }
    if (state !== kind) {
      flush();
      state = kind;
    }
    if (kind !== 'splitter') current.push(c);
  });
  flush();
  return words;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * One box around characters' boxes, each in the line box's corner order. A line read as it lies has its characters
 * along corner 0 -> 1 (each box [start-top, end-top, end-bottom, start-bottom]); a tall line, whose crop was turned
 * 90 degrees (`rotated`), along corner 0 -> 3 (each box [start-left, start-right, end-right, end-left]). The joined
 * box runs from the character whose start lies first along that axis to the one whose end lies last.
 */
export function joinBoxes(boxes: readonly Quad[], lineBox: Quad, rotated = false): Quad {
  const to = rotated ? 3 : 1;
  let dx = lineBox[to][0] - lineBox[0][0];
  let dy = lineBox[to][1] - lineBox[0][1];
  if (dx === 0 && dy === 0) [dx, dy] = rotated ? [0, 1] : [1, 0];
  const along = (p: Point) => p[0] * dx + p[1] * dy;
  let first = boxes[0]!;
  let last = boxes[0]!;
  for (const b of boxes) {
    if (along(b[0]) < along(first[0])) first = b;
    if (along(b[to]) > along(last[to])) last = b;
  }
  return rotated ? [first[0], first[1], last[2], last[3]] : [first[0], last[1], last[2], first[3]];
}

export interface LineWord {
  text: string;
  /** The mean probability of its characters. */
  score: number;
  /** CTC recognisers: its characters' boxes joined (four corners in the line box's order). */
  box?: Quad;
}

/** A word's text and the mean probability of its characters. */
function textAndScore(word: ReadonlyArray<{ text: string; score: number }>): { text: string; score: number } {
  return { text: word.map((c) => c.text).join(''), score: mean(word.map((c) => c.score)) };
}

/** A line's words from its characters (with boxes for CTC recognisers). */
export function lineWords(
  chars: ReadonlyArray<{ text: string; score: number; box?: Quad }>,
  lineBox: Quad,
  rotated = false,
): LineWord[] {
  return groupWords(chars).map((word) => {
    const boxes = word.flatMap((c) => (c.box ? [c.box] : []));
    return boxes.length === word.length ? { ...textAndScore(word), box: joinBoxes(boxes, lineBox, rotated) } : textAndScore(word);
  });
}

export interface CropWord {
  text: string;
  score: number;
  /** CTC recognisers: [begin, end) along the crop's width, as fractions of it. */
  span?: [number, number];
}

/** A pre-cut crop's words from its characters (with spans for CTC recognisers). */
export function cropWords(chars: ReadonlyArray<{ text: string; score: number; span?: [number, number] }>): CropWord[] {
  return groupWords(chars).map((word) => {
    const spans = word.flatMap((c) => (c.span ? [c.span] : []));
    if (spans.length < word.length) return textAndScore(word);
    return { ...textAndScore(word), span: [Math.min(...spans.map((s) => s[0])), Math.max(...spans.map((s) => s[1]))] };
  });
}
