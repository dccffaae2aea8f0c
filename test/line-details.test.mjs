// Words and character spans on lines read turned: the seventeenth session's audit of the per-line outputs found word
// boxes of tall (vertical) lines collapsed onto one character or twisted (IoU 0.15-0.2 with the word's ink), spans of
// crops the classifier turned measured in the turned crop, and crops trimmed as if their boxes had been lengthened.
import test from 'ava';
import path from 'node:path';
import { createOcr } from '../dist/index.mjs';
import { badDir, imagesDir } from './helpers/fixtures.mjs';
import { readPngRgb, rotateClockwise } from './helpers/png.mjs';

let engine;
test.before(async () => {
  engine = await createOcr({ preset: 'accurate' });
});
test.after.always(async () => {
  await engine?.dispose();
});

const raw = (image) => ({ ...image, channels: 3 });

/** Whether `p` lies inside the convex quad `q` (either orientation), with `slack` pixels. */
function inside(p, q, slack = 1.5) {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i];
    const [bx, by] = q[(i + 1) % 4];
    const len = Math.hypot(bx - ax, by - ay) || 1;
    const d = ((bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)) / len;
    if (Math.abs(d) <= slack) continue;
    if (sign === 0) sign = Math.sign(d);
    else if (Math.sign(d) !== sign) return false;
  }
  return true;
}
const centre = (q) => [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];

test('a word box holds its characters on lines read turned 90 degrees, with or without the classifier', async (t) => {
  const page = readPngRgb(path.join(imagesDir, 'doc-a-640x480.png'));
  let checked = 0;
  for (const angle of [90, 270]) {
    for (const textLineOrientation of [false, true]) {
      const r = await engine.recognize(raw(rotateClockwise(page, angle)), { words: true, characters: true, textLineOrientation });
      // One of the turns reads upside down: fewer lines pass the score threshold (some with the classifier too).
      t.true(r.lines.length >= 1, `${angle} ${textLineOrientation}`);
      for (const line of r.lines) {
        // Each word's characters, in order: the words are runs of the line's characters.
        let k = 0;
        for (const word of line.words) {
          while (k < line.characters.length && line.characters[k].text !== word.text[0]) k++;
          const chars = line.characters.slice(k, k + [...word.text].length);
          k += chars.length;
          for (const c of chars) {
            t.true(inside(centre(c.box), word.box), `${angle}/${textLineOrientation} "${line.text}": "${c.text}" outside "${word.text}" ${JSON.stringify(word.box)}`);
            checked++;
          }
        }
      }
    }
  }
  t.true(checked > 500, `${checked} characters checked`);
});

test('recognizeCrops: spans are in the crop as given when the classifier turned it; no trimming from boxEndPadding', async (t) => {
  const line = readPngRgb(path.join(badDir, 'gray8.png'));
  const options = { characters: true, textLineOrientation: true };
  const [upright, turned] = await engine.recognizeCrops([raw(line), raw(rotateClockwise(line, 180))], options);
  t.is(turned.angle, 180);
  t.is(turned.text, upright.text);
  t.true(upright.characters.length > 3);
  // The same characters, in reading order; in the crop as given the turned one's lie mirrored.
  upright.characters.forEach((c, i) => {
    const [b, e] = turned.characters[i].span;
    t.true(Math.abs(b - (1 - c.span[1])) < 0.03 && Math.abs(e - (1 - c.span[0])) < 0.03, `${c.text}: ${c.span} against ${[b, e]}`);
  });
  // boxEndPadding lengthens detection boxes: crops given as they are are not trimmed for it (the preset's 0.1 is
  // the engine's default here), and a call naming it is refused, as recognizeCrops() does not read it.
  const unpadded = await createOcr({ preset: 'accurate', detection: { boxEndPadding: 0 } });
  try {
    const [plain] = await unpadded.recognizeCrops([raw(line)], options);
    const [padded] = await engine.recognizeCrops([raw(line)], options);
    t.deepEqual(padded, plain);
  } finally {
    await unpadded.dispose();
  }
  await t.throwsAsync(engine.recognizeCrops([raw(line)], { boxEndPadding: 0.5 }), { code: 'ERR_OCR_INVALID_OPTION', message: /boxEndPadding: not read by recognizeCrops/ });
});
