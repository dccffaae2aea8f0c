#!/usr/bin/python3
"""Generate line crops with known word extents for bench/word-boxes.mjs (seeded, not committed).

    /usr/bin/python3 bench/gen-word-lines.py --seed 1 --count 120 --out bench/results/word-lines/1

Needs Debian's python3-pil, fonts-dejavu-core and fonts-liberation. Each crop is one line of 2-5 words (English
words, numbers, prices, times) in one of five fonts at 20-44 px, dark on light grey, with a margin around the text
like a detection crop's (0.25-0.5 text heights left and right, 0.2-0.4 above and below) and word gaps of 1-1.6
spaces. Writes line-*.png and truth.json: [{file, width, height, textHeight, words: [{text, x0, x1, inkX0, inkX1}]}],
x0/x1 = the word's extent in pixels by Pillow's glyph box (which starts at the pen, before the first glyph's left
bearing: up to 0.1 text heights before the ink), inkX0/inkX1 = the columns the word's drawn ink reaches (alpha over a
quarter).
"""

import argparse
import json
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONTS = [
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf',
]
VOCABULARY = (
    'Welcome to the Fish Market open daily from until Bus Stop Route North Station Total Amount Invoice Number '
    'Quantity Price Water Coffee Bread Milk Street Avenue Platform Exit Entrance Warning Wet Floor Please keep '
    'your ticket Gate Lift Since World Hello Ocean View Hotel Parking Only Monday Friday Sunday Closed Apples '
    'Oranges Yellow Thank you visit again'
).split() + ['2025', '14:30', '$12.50', '27', 'No.47', 'A-12', '3.5kg', '100%']


def drawn_extent(font, pen, word, size):
    """The columns and rows [x0, x1), [y0, y1) where `word`, drawn at `pen` = (x, y), leaves ink over a quarter."""
    mask = Image.new('L', size, 0)
    ImageDraw.Draw(mask).text(pen, word, font=font, fill=255)
    ink = np.asarray(mask) > 63
    cols, rows = np.flatnonzero(ink.any(0)), np.flatnonzero(ink.any(1))
    return int(cols[0]), int(cols[-1]) + 1, int(rows[0]), int(rows[-1]) + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--count', type=int, default=120)
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    truth = []
    for i in range(args.count):
        words = rng.sample(VOCABULARY, rng.randint(2, 5))
        font = ImageFont.truetype(rng.choice(FONTS), rng.randint(20, 44))
        ascent, descent = font.getmetrics()
        text_height = ascent + descent
        space = font.getlength(' ')
        margin_x = round(text_height * rng.uniform(0.25, 0.5))
        margin_y = round(text_height * rng.uniform(0.2, 0.4))
        x, extents = margin_x, []
        for word in words:
            left, _, right, _ = font.getbbox(word)
            extents.append((x, x + left, x + right))  # pen position, ink start, ink end
            x += font.getlength(word) + space * rng.uniform(1.0, 1.6)
        width = int(x - space + margin_x + 1)
        height = text_height + 2 * margin_y
        image = Image.new('RGB', (width, height), (rng.randint(225, 255),) * 3)
        draw = ImageDraw.Draw(image)
        ink = []
        for word, (pen, _, _) in zip(words, extents):
            draw.text((pen, margin_y), word, font=font, fill=(rng.randint(0, 60),) * 3)
            ink.append(drawn_extent(font, (pen, margin_y), word, (width, height)))
        name = os.path.join(args.out, f'line-{i:03d}.png')
        image.save(name)
        truth.append({'file': os.path.abspath(name), 'width': width, 'height': height, 'textHeight': font.size,
                      'words': [{'text': w, 'x0': e[1], 'x1': e[2], 'inkX0': k[0], 'inkX1': k[1]}
                                for w, e, k in zip(words, extents, ink)]})
    with open(os.path.join(args.out, 'truth.json'), 'w') as f:
        json.dump(truth, f, indent=0)
    print(f'{len(truth)} lines in {args.out}')


if __name__ == '__main__':
    main()
