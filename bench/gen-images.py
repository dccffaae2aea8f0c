#!/usr/bin/python3
"""Generate the extra benchmark images for bench/e2e.mjs (seeded, not committed).

    /usr/bin/python3 bench/gen-images.py [--count 36] [--out bench/results/images]

Needs Debian's python3-pil and the fonts fonts-dejavu-core, fonts-liberation and
fonts-droid-fallback (nothing from PyPI). Writes <name>.jpg|png + <name>.json with
{"width", "height", "lines": [{"text", "box": [[x, y] x 4]}]}: box = the rendered
ink box of the line + 2 px, 4 points clockwise from the text's top-left corner, in
pixel coordinates of the image (same format as test/fixtures/images/*.json).

Two kinds of image, alternating:
  doc-*    paper-like page, left-aligned lines of prose / numbers / some Chinese,
           the whole page rotated by a small angle (|a| <= 4 deg);
  scene-*  textured coloured background with shapes and 4-10 sign-like labels at
           independent angles (|a| <= 25 deg), some on coloured plates, mixed fonts,
           optional blur.
Every image is distinct (own seed). Same Pillow/font versions -> same files.
"""

import argparse
import json
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = {
    'sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    'sans-bold': '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    'serif': '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
    'mono': '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
    'lib-sans': '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    'lib-sans-bold': '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
    'lib-serif': '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf',
    'cjk': '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
}
LATIN_FONTS = [k for k in FONTS if k != 'cjk']
MARGIN = 2.0

# Text written for this project.
WORDS = ("the harbour office opens at eight in the morning and closes at six except on public "
         "holidays when only ticket window stays open until noon passengers with bicycles should "
         "board from rear door keep aisle clear our small bakery has used same sourdough starter "
         "for more than thirty years every loaf is shaped by hand please check serial number "
         "printed on back of device matches receipt before you contact customer support river "
         "rises quickly after heavy rain lower footpath near old mill may be closed visitors are "
         "welcome to photograph garden but stay on gravel paths quarterly report shows steady "
         "growth in online orders store batteries in a dry place away from sunlight").split()
SIGNS = ["OPEN DAILY", "Fresh Coffee", "Platform 9", "SALE 30% OFF", "Oak Avenue", "No Parking",
         "Exit", "Welcome", "Books & Maps", "Keep Right", "Bread", "Art Museum", "Gate C4",
         "Bus 118", "Free Wi-Fi", "Pharmacy", "Hotel Meridian", "Flower Market", "Wet Floor",
         "Tickets 8.75", "Since 1962", "Repairs", "Late Night", "Room 311", "Parking P2",
         "Taxi", "Information", "Lift 2", "Toilets", "Car Wash", "Pizza 4.99", "Cinema"]
CJK = ["欢迎光临", "营业时间", "出口", "今日特价", "停车场", "请勿吸烟", "火车站", "人民路",
       "会议室", "电话号码", "新鲜水果", "北京东路", "地铁二号线", "售票处", "小心地滑"]
SIZES = [(640, 480), (800, 600), (1024, 768), (1280, 720), (1280, 960), (1600, 1200),
         (1920, 1080), (2000, 1500), (768, 1024), (1200, 1600), (1500, 2000), (1000, 1000)]

_fc = {}


def font(name, size):
    if (name, size) not in _fc:
        if not os.path.exists(FONTS[name]):
            sys.exit(f'missing font {FONTS[name]}: apt-get install fonts-dejavu-core fonts-liberation fonts-droid-fallback')
        _fc[(name, size)] = ImageFont.truetype(FONTS[name], size)
    return _fc[(name, size)]


def ink_box(fnt, text):
    gx0, gy0, gx1, gy1 = fnt.getbbox(text)
    pad = 4
    m = Image.new('L', (gx1 - gx0 + 2 * pad, gy1 - gy0 + 2 * pad), 0)
    ImageDraw.Draw(m).text((pad - gx0, pad - gy0), text, font=fnt, fill=255)
    x0, y0, x1, y1 = m.getbbox()
    return x0 - pad + gx0, y0 - pad + gy0, x1 - pad + gx0, y1 - pad + gy0


def rot(pts, angle, cx, cy, ox=0.0, oy=0.0):
    """Visual counter-clockwise rotation (PIL's convention) about (cx, cy) in y-down
    coordinates, then a shift to (ox, oy) for the centre."""
    t = math.radians(angle)
    c, s = math.cos(t), math.sin(t)
    out = []
    for x, y in pts:
        dx, dy = x - cx, y - cy
        out.append((ox + dx * c + dy * s, oy - dx * s + dy * c))
    return out


def aabb(q, grow=0.0):
    xs = [p[0] for p in q]
    ys = [p[1] for p in q]
    return min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow


def overlap(a, b):
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def text_layer(text, fnt):
    """Coverage mask of text with its ink box at (pad, pad); returns mask and the
    quad (ink box + MARGIN) in mask coordinates."""
    x0, y0, x1, y1 = ink_box(fnt, text)
    pad = 8
    w, h = int(math.ceil(x1 - x0)) + 2 * pad, int(math.ceil(y1 - y0)) + 2 * pad
    m = Image.new('L', (w, h), 0)
    ImageDraw.Draw(m).text((pad - x0, pad - y0), text, font=fnt, fill=255)
    q = [(pad - MARGIN, pad - MARGIN), (pad + x1 - x0 + MARGIN, pad - MARGIN),
         (pad + x1 - x0 + MARGIN, pad + y1 - y0 + MARGIN), (pad - MARGIN, pad + y1 - y0 + MARGIN)]
    return m, q


def doc_line_text(rng, fnt, max_w):
    kind = rng.random()
    if kind < 0.12:
        words = [rng.choice(CJK) for _ in range(rng.randint(1, 3))]
        text = ''.join(words)
        f = font('cjk', fnt.size)
        while f.getlength(text) > max_w and len(text) > 2:
            text = text[:-1]
        return text, f
    if kind < 0.25:
        parts = [f'No. {rng.randint(100, 99999)}', f'{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 30)}',
                 f'{rng.randint(1, 999)}.{rng.randint(0, 99):02d}', f'Total {rng.randint(5, 900)}.{rng.randint(0, 99):02d}',
                 f'Ref {rng.choice("ABCDEFGH")}{rng.randint(1000, 9999)}']
        rng.shuffle(parts)
        text = ' '.join(parts[:rng.randint(1, 3)])
    else:
        i = rng.randrange(len(WORDS))
        text = ''
        while True:
            w = WORDS[i % len(WORDS)]
            cand = (text + ' ' + w).strip()
            if fnt.getlength(cand) > max_w:
                break
            text = cand
            i += 1
        if not text:
            text = WORDS[i % len(WORDS)]
        if rng.random() < 0.5:
            text = text[0].upper() + text[1:]
        if rng.random() < 0.3:
            text += rng.choice(['.', ',', ':', ';'])
    return text, fnt


def make_doc(rng, w, h):
    bg = tuple(rng.randint(225, 255) for _ in range(3))
    img = Image.new('RGB', (w, h), bg)
    ink = tuple(rng.randint(0, 60) for _ in range(3))
    fname = rng.choice(LATIN_FONTS)
    base = max(14, int(min(w, h) / rng.uniform(28, 45)))
    lines = []
    margin_x = int(w * rng.uniform(0.07, 0.12))
    y = int(h * rng.uniform(0.06, 0.1))
    angle = rng.uniform(-4, 4) if rng.random() < 0.7 else 0.0
    layer = Image.new('L', (w, h), 0)
    first = True
    while True:
        size = int(base * (1.6 if first else rng.choice([1, 1, 1, 1.2])))
        fnt = font('sans-bold' if first else fname, size)
        max_w = (w - 2 * margin_x) * (rng.uniform(0.4, 0.7) if first else rng.uniform(0.55, 1.0))
        text, f = doc_line_text(rng, fnt, max_w)
        x0, y0, x1, y1 = ink_box(f, text)
        lh = y1 - y0
        if y + size * 1.2 > h * 0.92:
            break
        ox, oy = margin_x, y
        ImageDraw.Draw(layer).text((ox - x0, oy - y0), text, font=f, fill=255)
        q = [(ox - MARGIN, oy - MARGIN), (ox + x1 - x0 + MARGIN, oy - MARGIN),
             (ox + x1 - x0 + MARGIN, oy + lh + MARGIN), (ox - MARGIN, oy + lh + MARGIN)]
        lines.append({'text': text, 'quad': q})
        y += int(size * rng.uniform(1.5, 2.1)) + (int(size * 1.2) if first else 0)
        first = False
    if angle:
        layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, center=(w / 2, h / 2))
        for ln in lines:
            ln['quad'] = rot(ln['quad'], angle, w / 2, h / 2, w / 2, h / 2)
    img.paste(Image.new('RGB', (w, h), ink), (0, 0), layer)
    lines = [ln for ln in lines if all(0 <= x <= w and 0 <= y <= h for x, y in ln['quad'])]
    return img, lines


def make_scene(rng, w, h):
    c1 = [rng.randint(40, 220) for _ in range(3)]
    c2 = [min(255, max(0, c + rng.randint(-80, 80))) for c in c1]
    grad = Image.linear_gradient('L').resize((w, h)).rotate(rng.uniform(0, 360), expand=False)
    img = Image.composite(Image.new('RGB', (w, h), tuple(c1)), Image.new('RGB', (w, h), tuple(c2)), grad)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 10)):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randint(20, max(30, min(w, h) // 4))
        col = tuple(rng.randint(0, 255) for _ in range(3))
        if rng.random() < 0.5:
            d.ellipse([x - r, y - r, x + r, y + r], fill=col)
        else:
            d.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=col)
    img = img.filter(ImageFilter.GaussianBlur(2))
    placed = []
    lines = []
    want = rng.randint(4, 10)
    tries = 0
    while len(lines) < want and tries < 300:
        tries += 1
        cjk = rng.random() < 0.2
        text = rng.choice(CJK) if cjk else rng.choice(SIGNS)
        size = rng.randint(max(16, min(w, h) // 40), max(24, min(w, h) // 10))
        f = font('cjk' if cjk else rng.choice(LATIN_FONTS), size)
        m, q = text_layer(text, f)
        angle = rng.uniform(-25, 25) if rng.random() < 0.6 else 0.0
        mw, mh = m.size
        mr = m.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        rq = rot(q, angle, mw / 2, mh / 2, mr.size[0] / 2, mr.size[1] / 2)
        if mr.size[0] >= w - 10 or mr.size[1] >= h - 10:
            continue
        px, py = rng.randint(5, w - mr.size[0] - 5), rng.randint(5, h - mr.size[1] - 5)
        quad = [(x + px, y + py) for x, y in rq]
        box = aabb(quad, grow=size * 0.6)
        if any(overlap(box, b) for b in placed) or not all(0 <= x <= w and 0 <= y <= h for x, y in quad):
            continue
        placed.append(box)
        # plate behind the text, or none; text colour contrasting with what is under it
        if rng.random() < 0.6:
            plate = tuple(rng.randint(0, 255) for _ in range(3))
            g = size * 0.35
            pm, pq = Image.new('L', m.size, 0), [(q[0][0] - g, q[0][1] - g), (q[1][0] + g, q[1][1] - g),
                                                  (q[2][0] + g, q[2][1] + g), (q[3][0] - g, q[3][1] + g)]
            ImageDraw.Draw(pm).polygon(pq, fill=255)
            pm = pm.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
            img.paste(Image.new('RGB', pm.size, plate), (px, py), pm)
            under = plate
        else:
            cx, cy = int(sum(x for x, _ in quad) / 4), int(sum(y for _, y in quad) / 4)
            under = img.getpixel((min(w - 1, cx), min(h - 1, cy)))
        lum = 0.299 * under[0] + 0.587 * under[1] + 0.114 * under[2]
        col = tuple(rng.randint(0, 50) for _ in range(3)) if lum > 128 else tuple(rng.randint(215, 255) for _ in range(3))
        img.paste(Image.new('RGB', mr.size, col), (px, py), mr)
        lines.append({'text': text, 'quad': quad})
    if rng.random() < 0.3:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    return img, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, default=36)
    ap.add_argument('--out', default=os.path.join(HERE, 'results', 'images'))
    ap.add_argument('--seed', type=int, default=20261124)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    total = 0
    for i in range(a.count):
        rng = random.Random(a.seed * 1000 + i)
        w, h = SIZES[(i * 5 + i // len(SIZES)) % len(SIZES)]
        kind = 'doc' if i % 2 == 0 else 'scene'
        img, lines = (make_doc if kind == 'doc' else make_scene)(rng, w, h)
        ext = 'png' if i % 4 == 1 else 'jpg'
        name = f'{kind}-{i:02d}-{w}x{h}'
        path = os.path.join(a.out, f'{name}.{ext}')
        if ext == 'jpg':
            img.save(path, quality=rng.choice([80, 88, 95]))
        else:
            img.save(path, optimize=False)
        gt = {'width': w, 'height': h, 'lines': [
            {'text': ln['text'], 'box': [[round(x, 1), round(y, 1)] for x, y in ln['quad']]} for ln in lines]}
        with open(os.path.join(a.out, f'{name}.json'), 'w') as fh:
            json.dump(gt, fh, ensure_ascii=False, indent=1)
        total += len(lines)
        print(f'{name}.{ext}: {len(lines)} lines')
    print(f'{a.count} images, {total} lines -> {a.out}')


if __name__ == '__main__':
    main()
