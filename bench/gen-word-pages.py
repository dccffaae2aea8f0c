#!/usr/bin/python3
"""Generate whole pages with known word ink boxes for bench/word-boxes.mjs --pages (seeded, not committed).

    /usr/bin/python3 bench/gen-word-pages.py --seed 1 --count 40 --out bench/results/word-pages/1

Needs Debian's python3-pil, python3-opencv, python3-numpy, fonts-dejavu-core and fonts-liberation. Each page holds
3-7 lines one under the other (1-2.5 text heights apart, left edges 20-200 px in), each line 2-5 words (the
vocabulary of bench/gen-word-lines.py, no word twice on a page) in one of its five fonts at 18-44 px, dark on a
light page; a third of the lines are turned 1-5 degrees either way. Writes page-*.png and truth.json:
[{file, width, height, lines: [{textHeight, angle, matrix, words: [{text, x0, x1, y0, y1, pillowX0, pillowX1}]}]}]:
a word's ink box x0..x1, y0..y1 (the pixels its drawn ink reaches, alpha over a quarter) in its line's own frame (the
line drawn level from its pen's origin), pillowX0..pillowX1 its extent by Pillow's glyph box (from the pen, before the
first glyph's left bearing, as bench/gen-word-lines.py's x0/x1), and `matrix` the 2x3 affine map of that frame into the page (x' = m[0] x + m[1] y + m[2], y' = m[3] x + m[4] y + m[5]).
"""

import argparse
import importlib.util
import json
import math
import os
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('gen_word_lines', os.path.join(HERE, 'gen-word-lines.py'))
_lines = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_lines)
FONTS, VOCABULARY, drawn_extent = _lines.FONTS, _lines.VOCABULARY, _lines.drawn_extent
PAGE_WIDTH = 1240


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--count', type=int, default=40)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    truth = []
    for p in range(args.count):
        pool = rng.sample(VOCABULARY, len(VOCABULARY))  # each word at most once on the page
        lines, y = [], rng.randint(20, 60)
        for _ in range(rng.randint(3, 7)):
            if len(pool) < 5:
                break
            words = [pool.pop() for _ in range(rng.randint(2, 5))]
            font = ImageFont.truetype(rng.choice(FONTS), rng.randint(18, 44))
            ascent, descent = font.getmetrics()
            text_height = ascent + descent
            space = font.getlength(' ')
            x, extents = 0.0, []
            for word in words:
                left, top, right, bottom = font.getbbox(word)
                extents.append((x, x + left, x + right, top, bottom))
                x += font.getlength(word) + space * rng.uniform(1.0, 1.6)
            width = int(math.ceil(x - space * 1.0)) + 2
            angle = rng.choice([-1, 1]) * rng.uniform(1, 5) if rng.random() < 1 / 3 else 0.0
            left = rng.randint(20, 200)
            if left + width + 20 > PAGE_WIDTH:
                continue
            rad = math.radians(angle)
            rise = abs(math.sin(rad)) * width  # the turned line's extra height
            top = y + (rise if angle > 0 else 0)
            # The frame's origin (pen at x = 0, line top at y = 0) goes to (left, top); turned by `angle` degrees
            # counter-clockwise on the page (y down: a positive angle climbs to the right).
            c, s = math.cos(rad), math.sin(rad)
            matrix = [c, s, left, -s, c, top]
            ink = [drawn_extent(font, (e[0], 0), w, (width, text_height)) for w, e in zip(words, extents)]
            lines.append({'words': words, 'ink': ink, 'font': font, 'extents': extents, 'textHeight': font.size,
                          'angle': angle, 'matrix': matrix, 'width': width, 'height': text_height,
                          'colour': rng.randint(0, 60)})
            y += rise + text_height * rng.uniform(2.0, 3.5)
        height = int(y) + 40
        page = np.full((height, PAGE_WIDTH), rng.randint(225, 255), np.float32)
        for line in lines:
            mask = Image.new('L', (line['width'], line['height']), 0)
            draw = ImageDraw.Draw(mask)
            for word, (pen, *_rest) in zip(line['words'], line['extents']):
                draw.text((pen, 0), word, font=line['font'], fill=255)
            m = np.array(line['matrix'], np.float64).reshape(2, 3)
            alpha = cv2.warpAffine(np.asarray(mask, np.float32) / 255, m, (PAGE_WIDTH, height), flags=cv2.INTER_LINEAR)
            page = page * (1 - alpha) + line['colour'] * alpha
        name = os.path.join(args.out, f'page-{p:03d}.png')
        cv2.imwrite(name, np.clip(np.rint(page), 0, 255).astype(np.uint8))
        truth.append({'file': os.path.abspath(name), 'width': PAGE_WIDTH, 'height': height, 'lines': [
            {'textHeight': line['textHeight'], 'angle': line['angle'], 'matrix': line['matrix'],
             'words': [{'text': w, 'x0': k[0], 'x1': k[1], 'y0': k[2], 'y1': k[3], 'pillowX0': e[1], 'pillowX1': e[2]}
                       for w, e, k in zip(line['words'], line['extents'], line['ink'])]} for line in lines]})
    with open(os.path.join(args.out, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=0)
    print(f'{len(truth)} pages in {args.out}')


if __name__ == '__main__':
    main()
