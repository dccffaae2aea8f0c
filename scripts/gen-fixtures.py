#!/usr/bin/python3
"""Generate ocrkit's test fixtures (deterministic; outputs are committed).

Run from the repository root with Debian's Python:

    /usr/bin/python3 scripts/gen-fixtures.py

Needs these Debian packages (bookworm), nothing from PyPI:

    apt-get install -y --no-install-recommends \
        python3-pil python3-numpy python3-opencv \
        fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-droid-fallback

Writes:
  test/fixtures/images/<name>.<ext> + <name>.json  text-detection fixtures with
      ground truth {"width", "height", "lines": [{"text", "box"}]}; box is the
      tight quad of a rendered line (font.getbbox ink box + 2 px margin),
      4 points clockwise from the top-left corner of the text as read, in
      pixel coordinates (pixel edges at integers) of the DISPLAYED image.
  test/fixtures/bad/*  malformed and odd inputs for the error tests.

Every line is rendered as an 8-bit coverage mask on its own layer, mapped into
the image by an affine transform (rotation about a pivot), and composited in
one colour; its quad is the same transform applied to the unrotated ink
rectangle. The script checks that every inked pixel lies inside its quad,
that each quad edge touches the ink within the margin, that quads (grown by a
fraction of the text height) neither overlap nor leave the image, and that the
EXIF-rotated JPEG displays as the upright rendering. It prints a summary table.

Randomness comes only from fixed seeds (numpy default_rng / random.Random), so
re-running produces byte-identical files with the same Debian package versions
(Pillow, libjpeg, libpng, libwebp, libtiff, zlib and the font files).
"""

import io
import json
import math
import os
import random
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

import cv2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
IMAGES = os.path.join(ROOT, 'test', 'fixtures', 'images')
BAD = os.path.join(ROOT, 'test', 'fixtures', 'bad')

FONT_FILES = {
    'sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    'sans-bold': '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    'serif': '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
    'mono': '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
    'lib-sans': '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    'lib-sans-bold': '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
    'lib-serif': '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf',
    'cjk': '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
}

MARGIN = 2.0  # px added around the ink box on every side
_font_cache = {}


def font(name, size):
    key = (name, size)
    if key not in _font_cache:
        path = FONT_FILES[name]
        if not os.path.exists(path):
            sys.exit(f'missing font {path}: install the Debian packages listed at the top of this script')
        _font_cache[key] = ImageFont.truetype(path, size)
    return _font_cache[key]


# ----------------------------------------------------------------- text corpus
# Written for this project (no third-party text).
PROSE = [
    "The harbour office opens at eight in the morning and closes at six in the evening, "
    "except on public holidays, when only the ticket window stays open until noon.",
    "Passengers travelling with bicycles should board from the rear door and keep the aisle "
    "clear, so that people with prams or wheelchairs can move through the carriage safely.",
    "Our small bakery has used the same sourdough starter for more than thirty years, and "
    "every loaf is shaped by hand before it rests overnight in a cool stone cellar.",
    "Please check that the serial number printed on the back of the device matches the one "
    "on your receipt before you contact customer support about a repair or a refund.",
    "In spring the river rises quickly after heavy rain, and the lower footpath near the old "
    "mill may be closed for a few days while the council inspects the bridge.",
    "Visitors are welcome to photograph the garden, but we ask that you stay on the gravel "
    "paths and do not pick flowers, seeds or fruit from any of the beds.",
    "The quarterly report shows steady growth in online orders, while sales in the three "
    "city shops remained flat compared with the same period last year.",
    "Store the batteries in a dry place at room temperature, away from direct sunlight, and "
    "recycle them at a collection point when they no longer hold a charge.",
]

PHRASES = [
    "OPEN DAILY 9AM TO 6PM", "Fresh Coffee", "Platform 4 Northbound", "SALE 50% OFF",
    "Main Street", "No Parking", "Exit Only", "Welcome to Riverside", "Books and Maps",
    "Keep Left", "Fresh Bread Daily", "City Museum", "Gate B12", "Bus Stop 27",
    "Free Wi-Fi Inside", "Pharmacy", "Hotel Aurora", "Fish Market", "Caution Wet Floor",
    "Tickets 12.50", "Since 1987", "Bike Repair Shop", "Open Late", "Room 204",
]

CJK = ["欢迎光临本店", "今日特价商品", "东门出口"]

# Short Chinese lines (one line each), written for this project.
CJK_PROSE = [
    "本店每天早上八点开门", "晚上九点以后停止营业", "请保管好您的随身物品", "会员购物可以享受九折优惠",
    "新鲜面包每天现烤出炉", "周末停车场免费开放", "如有问题请联系服务台", "退货请携带购物小票",
    "地铁站出口在商场北门", "儿童游乐区位于三楼", "请勿在店内吸烟", "感谢您的光临与支持",
]

# Receipt lines (item, price), written for this project.
RECEIPT_ITEMS = [
    ("Sourdough Loaf", "4.20"), ("Oat Milk 1L", "1.85"), ("Free Range Eggs x6", "2.79"),
    ("Apples 1.2kg", "3.12"), ("Ground Coffee 250g", "5.49"), ("Tomatoes", "1.64"),
    ("Cheddar 200g", "2.95"), ("Dish Soap", "1.99"), ("Rice 2kg", "3.40"), ("Bananas", "1.07"),
]


# ----------------------------------------------------------------- geometry
def affine(theta_deg, pivot_local, pivot_img):
    """2x3 matrix mapping local coords to image coords: rotate by theta
    (positive = counter-clockwise as displayed) about pivot_local, which lands
    on pivot_img."""
    t = math.radians(theta_deg)
    c, s = math.cos(t), math.sin(t)
    # y-down image coordinates: visual CCW rotation
    r = np.array([[c, s], [-s, c]])
    px, py = pivot_local
    off = np.array(pivot_img) - r @ np.array([px, py])
    return np.array([[r[0, 0], r[0, 1], off[0]], [r[1, 0], r[1, 1], off[1]]])


def apply(m, pts):
    pts = np.asarray(pts, dtype=np.float64)
    return pts @ m[:, :2].T + m[:, 2]


def rect_corners(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]  # TL TR BR BL (clockwise, y down)


def ink_box(fnt, text):
    """Tight ink box of text drawn with anchor 'la' at the origin: font.getbbox
    (which can include a trailing glyph's advance) shrunk to the rendered ink."""
    gx0, gy0, gx1, gy1 = fnt.getbbox(text)
    pad = 4
    mask = Image.new('L', (gx1 - gx0 + 2 * pad, gy1 - gy0 + 2 * pad), 0)
    ImageDraw.Draw(mask).text((pad - gx0, pad - gy0), text, font=fnt, fill=255)
    x0, y0, x1, y1 = mask.getbbox()
    return (x0 - pad + gx0, y0 - pad + gy0, x1 - pad + gx0, y1 - pad + gy0)


class Line:
    def __init__(self, text, font_name, size, m):
        self.text, self.font_name, self.size = text, font_name, size
        self.font = font(font_name, size)
        self.angle = None
        self.m = m  # local (text drawn with anchor 'la' at origin) -> image
        bx0, by0, bx1, by1 = ink_box(self.font, text)
        self.ink = (bx0, by0, bx1, by1)
        self.h = by1 - by0 + 2 * MARGIN
        self.w = bx1 - bx0 + 2 * MARGIN
        self.quad = apply(m, rect_corners(bx0 - MARGIN, by0 - MARGIN, bx1 + MARGIN, by1 + MARGIN))
        self.fill = (0, 0, 0)
        self.label = None  # (rgb, alpha, pad)

    def grown(self, k):
        """The quad grown by k px on every side (in the text's own frame)."""
        bx0, by0, bx1, by1 = self.ink
        g = MARGIN + k
        return apply(self.m, rect_corners(bx0 - g, by0 - g, bx1 + g, by1 + g))

    def box_json(self):
        return [[round(float(x), 1), round(float(y), 1)] for x, y in self.quad]


def warp_into(src, m_src_to_img, size_wh, region):
    """Warps PIL image src (coords: its pixel grid) into the image region
    (x0, y0, x1, y1) using the forward map m; returns (image, x0, y0)."""
    x0, y0, x1, y1 = region
    full = np.vstack([m_src_to_img, [0, 0, 1]])
    inv = np.linalg.inv(full)
    # output pixel (x, y) in region -> image (x + x0, y + y0) -> src
    shift = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]], dtype=np.float64)
    a = (inv @ shift)[:2].flatten()
    out = src.transform((x1 - x0, y1 - y0), Image.Transform.AFFINE, tuple(a), resample=Image.Resampling.BICUBIC)
    return out


def render_mask(line, pad=4):
    """The line's coverage mask as an 'L' image, plus the local->mask offset."""
    bx0, by0, bx1, by1 = line.ink
    w, h = int(bx1 - bx0 + 2 * pad), int(by1 - by0 + 2 * pad)
    mask = Image.new('L', (w, h), 0)
    ImageDraw.Draw(mask).text((pad - bx0, pad - by0), line.text, font=line.font, fill=255)
    return mask, (bx0 - pad, by0 - pad)


def region_of(quad, w, h, pad=6):
    x0 = max(0, int(math.floor(quad[:, 0].min())) - pad)
    y0 = max(0, int(math.floor(quad[:, 1].min())) - pad)
    x1 = min(w, int(math.ceil(quad[:, 0].max())) + pad)
    y1 = min(h, int(math.ceil(quad[:, 1].max())) + pad)
    return x0, y0, x1, y1


def composite(img, line):
    """Draws line (optional label first, then text) onto RGB PIL image img; returns
    the text coverage (float array, full image) used for verification."""
    w, h = img.size
    if line.label is not None:
        rgb, alpha, pad = line.label
        lab = line.grown(pad)
        region = region_of(lab, w, h, pad=2)
        x0, y0, x1, y1 = region
        layer = Image.new('L', (x1 - x0, y1 - y0), 0)
        ImageDraw.Draw(layer).polygon([(float(x - x0), float(y - y0)) for x, y in lab], fill=int(alpha * 255))
        layer = layer.filter(ImageFilter.GaussianBlur(0.6))
        patch = img.crop(region)
        patch.paste(Image.new('RGB', patch.size, rgb), (0, 0), layer)
        img.paste(patch, region[:2])
    mask, (ox, oy) = render_mask(line)
    # mask pixel q -> local q + o -> image
    m = line.m.copy()
    m[:, 2] = apply(line.m, [(ox, oy)])[0]
    region = region_of(line.quad, w, h)
    warped = warp_into(mask, m, (w, h), region)
    patch = img.crop(region)
    patch.paste(Image.new('RGB', patch.size, line.fill), (0, 0), warped)
    img.paste(patch, region[:2])
    cov = np.zeros((h, w), np.float32)
    x0, y0, x1, y1 = region
    cov[y0:y1, x0:x1] = np.asarray(warped, np.float32) / 255.0
    return cov


def inside_quad(quad, xs, ys, tol):
    """Signed distance test: points inside the clockwise (y-down) quad grown by tol."""
    ok = np.ones(xs.shape, bool)
    dists = []
    for i in range(4):
        ax, ay = quad[i]
        bx, by = quad[(i + 1) % 4]
        ex, ey = bx - ax, by - ay
        L = math.hypot(ex, ey)
        # inward normal for clockwise order in y-down coords
        nx, ny = -ey / L, ex / L
        d = (xs - ax) * nx + (ys - ay) * ny
        dists.append(d)
        ok &= d >= -tol
    return ok, dists


def verify_line(line, cov, name):
    """Every inked pixel (coverage >= 0.2) lies inside the quad (0.75 px slack
    for resampling), and every quad edge has ink (coverage >= 0.1) within the
    2 px margin + 1.5 px."""
    ys, xs = np.nonzero(cov >= 0.2)
    assert len(xs) > 0, f'{name}: no ink for {line.text!r}'
    ok, _ = inside_quad(line.quad, xs + 0.5, ys + 0.5, tol=0.75)
    assert ok.all(), f'{name}: ink outside the quad of {line.text!r}'
    ys, xs = np.nonzero(cov >= 0.1)
    _, dists = inside_quad(line.quad, xs + 0.5, ys + 0.5, tol=0.75)
    for i, d in enumerate(dists):
        gap = float(d.min())
        assert gap <= MARGIN + 1.5, f'{name}: quad edge {i} of {line.text!r} is {gap:.1f} px from the ink'
        line.edge_gaps = getattr(line, 'edge_gaps', []) + [gap]


def check_layout(lines, w, h, grow, edge=4):
    """Quads inside the image (with an edge margin) and, grown by grow(line),
    pairwise disjoint. Returns an error string or None."""
    occ = np.zeros((h, w), np.uint8)
    for ln in lines:
        q = ln.quad
        if q[:, 0].min() < edge or q[:, 1].min() < edge or q[:, 0].max() > w - edge or q[:, 1].max() > h - edge:
            return f'{ln.text!r} leaves the image'
        shape = ln.grown(grow(ln) + (ln.label[2] if ln.label else 0))
        one = np.zeros((h, w), np.uint8)
        cv2.fillPoly(one, [np.round(shape * 4).astype(np.int32)], 1, lineType=cv2.LINE_8, shift=2)
        if (occ & one).any():
            return f'{ln.text!r} overlaps another line'
        occ |= one
    return None


def fits(ln, occ, w, h, grow, edge):
    q = ln.quad
    if q[:, 0].min() < edge or q[:, 1].min() < edge or q[:, 0].max() > w - edge or q[:, 1].max() > h - edge:
        return None
    shape = ln.grown(grow + (ln.label[2] if ln.label else 0))
    one = np.zeros((h, w), np.uint8)
    cv2.fillPoly(one, [np.round(shape * 4).astype(np.int32)], 1, lineType=cv2.LINE_8, shift=2)
    if (occ & one).any():
        return None
    return one


# ----------------------------------------------------------------- backgrounds
def paper_bg(w, h, rng, base=(247, 245, 239)):
    """Plain light document background with a very faint vertical tint."""
    y = np.linspace(0, 1, h)[:, None, None]
    tint = np.array(base, np.float32)[None, None, :] - 6 * y * np.array([1.0, 1.0, 1.4])[None, None, :]
    arr = np.broadcast_to(tint, (h, w, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), 'RGB')


def photo_bg(w, h, rng, noise=2.2):
    """Photographic-like: smooth 4-corner colour gradient, large blurred random
    shapes, mild Gaussian noise."""
    sw, sh = max(8, w // 8), max(8, h // 8)
    corners = rng.integers(30, 226, size=(4, 3)).astype(np.float32)
    u = np.linspace(0, 1, sw)[None, :, None]
    v = np.linspace(0, 1, sh)[:, None, None]
    top = corners[0] * (1 - u) + corners[1] * u
    bot = corners[2] * (1 - u) + corners[3] * u
    base = top * (1 - v) + bot * v
    small = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), 'RGB')
    for _ in range(int(rng.integers(6, 11))):
        layer = Image.new('L', (sw, sh), 0)
        d = ImageDraw.Draw(layer)
        cx, cy = rng.uniform(-0.1, 1.1) * sw, rng.uniform(-0.1, 1.1) * sh
        r = rng.uniform(0.12, 0.4) * max(sw, sh)
        if rng.random() < 0.6:
            d.ellipse([cx - r, cy - r * rng.uniform(0.5, 1.2), cx + r, cy + r * rng.uniform(0.5, 1.2)],
                      fill=int(rng.integers(120, 220)))
        else:
            pts = [(cx + r * math.cos(a), cy + r * math.sin(a))
                   for a in np.sort(rng.uniform(0, 2 * math.pi, size=int(rng.integers(3, 7))))]
            d.polygon(pts, fill=int(rng.integers(120, 220)))
        layer = layer.filter(ImageFilter.GaussianBlur(max(sw, sh) / 40))
        col = tuple(int(c) for c in rng.integers(20, 236, size=3))
        small.paste(Image.new('RGB', small.size, col), (0, 0), layer)
    small = small.filter(ImageFilter.GaussianBlur(max(sw, sh) / 120))
    big = small.resize((w, h), Image.Resampling.BICUBIC)
    arr = np.asarray(big, np.float32) + rng.normal(0, noise, size=(h, w, 1)).astype(np.float32)
    return Image.fromarray(np.clip(np.round(arr), 0, 255).astype(np.uint8), 'RGB')


def lum(rgb):
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b


# ----------------------------------------------------------------- scenes
def wrap(text, fnt, max_w):
    words, lines, cur = text.split(' '), [], ''
    for wd in words:
        trial = wd if not cur else cur + ' ' + wd
        if fnt.getlength(trial) <= max_w or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = wd
    if cur:
        lines.append(cur)
    return lines


def document(name, w, h, seed, body_font, size, angle, wrap_frac, heading=None, max_lines=14,
             color=(25, 25, 30), paper=(247, 245, 239), prose=None, leading=0.85):
    """Paragraph layout (left aligned), rotated as a whole by angle about the
    image centre; every line keeps its own layer and quad. prose: the
    paragraphs (default PROSE); a paragraph without spaces is one line."""
    prose = PROSE if prose is None else prose
    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    img = paper_bg(w, h, rng, paper)
    body = font(body_font, size)
    start = rnd.randrange(len(prose))
    texts = []
    for k in range(len(prose)):
        texts.append(wrap(prose[(start + k) % len(prose)], body, wrap_frac * w))
    # entries: (text, font name, size, extra gap before)
    entries = []
    if heading:
        entries.append((heading[0], heading[1], heading[2], 0))
    for para in texts:
        for i, t in enumerate(para):
            entries.append((t, body_font, size, 0.6 if i == 0 and entries else 0))
    entries = entries[:max_lines + (1 if heading else 0)]

    def layout(n):
        ref_cache = {}
        y = 0.0
        placed = []
        prev_bottom = None
        for text, fn, sz, extra in entries[:n]:
            f = font(fn, sz)
            if (fn, sz) not in ref_cache:
                ref_cache[(fn, sz)] = font('sans', sz).getbbox('ÀÉgjpqy|') if fn != 'cjk' else f.getbbox('国j|')
            rt, rb = ref_cache[(fn, sz)][1], ref_cache[(fn, sz)][3]
            ref_h = rb - rt
            if prev_bottom is None:
                oy = -rt
            else:
                oy = prev_bottom + (leading + extra) * ref_h - rt
            placed.append((text, fn, sz, oy))
            prev_bottom = oy + rb
        block_h = prev_bottom
        block_w = max(font(fn, sz).getlength(t) for t, fn, sz, _ in placed)
        lines = []
        for text, fn, sz, oy in placed:
            m = affine(angle, (block_w / 2, block_h / 2), (w / 2, h / 2))
            m[:, 2] = apply(m, [(0, oy)])[0]  # local origin of this line
            ln = Line(text, fn, sz, m)
            ln.angle = angle
            ln.fill = color
            lines.append(ln)
        return lines

    n = len(entries)
    while n > 0:
        lines = layout(n)
        err = check_layout(lines, w, h, grow=lambda ln: 0.3 * ln.h, edge=max(8, 0.02 * min(w, h)))
        if err is None:
            break
        last_err = err
        n -= 1
    assert n >= 8, f'{name}: only {n} lines fit ({last_err})'
    covs = [composite(img, ln) for ln in lines]
    for ln, cov in zip(lines, covs):
        verify_line(ln, cov, name)
    return img, lines


def scene(name, w, h, seed, specs, noise=2.2, label_p=0.45, bg=None):
    """Photographic-like background with randomly placed lines.
    specs: list of (text, font name, size, angle)."""
    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    img = bg if bg is not None else photo_bg(w, h, rng, noise)
    base = np.asarray(img, np.float32)
    gray = base @ np.array([0.299, 0.587, 0.114], np.float32)
    occ = np.zeros((h, w), np.uint8)
    lines = []
    for text, fn, size, angle in specs:
        f = font(fn, size)
        tw = f.getlength(text)
        assert tw < w - 40, f'{name}: {text!r} is wider than the image'
        for attempt in range(4000):
            cx = rnd.uniform(0, w)
            cy = rnd.uniform(0, h)
            bx0, by0, bx1, by1 = ink_box(f, text)
            m = affine(angle, ((bx0 + bx1) / 2, (by0 + by1) / 2), (cx, cy))
            ln = Line(text, fn, size, m)
            ln.angle = angle
            use_label = rnd.random() < label_p
            if use_label:
                ln.label = ((0, 0, 0), 0.8, max(3.0, 0.28 * ln.h))
            one = fits(ln, occ, w, h, grow=max(6.0, 0.5 * ln.h), edge=12)
            if one is None:
                continue
            # colours from the background under the line
            sel = cv2.fillPoly(np.zeros((h, w), np.uint8), [np.round(ln.grown(2)).astype(np.int32)], 1).astype(bool)
            g = gray[sel]
            mean_rgb = base[sel].mean(axis=0)
            spread = float(np.percentile(g, 95) - np.percentile(g, 5))
            if spread > 70 and not use_label:
                continue  # busy background without a label: try elsewhere
            bg_l = lum(mean_rgb)
            if use_label:
                dark_label = bg_l > 128
                hue = rng.integers(0, 256, size=3)
                if dark_label:
                    lab_rgb = tuple(int(v) for v in (hue * 0.25 + 10))
                    fill = (250, 250, 245) if rnd.random() < 0.6 else (255, 214, 60)
                else:
                    lab_rgb = tuple(int(v) for v in (hue * 0.15 + 215))
                    fill = (15, 15, 20) if rnd.random() < 0.6 else (150, 20, 20)
                ln.label = (lab_rgb, 0.82, ln.label[2])
            else:
                if bg_l > 125:
                    fill = tuple(int(v) for v in rng.integers(0, 45, size=3))
                    if bg_l - lum(fill) < 90:
                        continue
                else:
                    fill = tuple(int(v) for v in rng.integers(215, 256, size=3))
                    if lum(fill) - bg_l < 90:
                        continue
            ln.fill = fill
            occ |= one
            lines.append(ln)
            break
        else:
            raise SystemExit(f'{name}: could not place {text!r}')
    covs = [composite(img, ln) for ln in lines]
    for ln, cov in zip(lines, covs):
        verify_line(ln, cov, name)
    return img, lines


# ----------------------------------------------------------------- writers
SUMMARY = []


def save_image(img, path, fmt, **kw):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    img.save(path, fmt, **kw)


def write_fixture(name, ext, img, lines, fmt, extra=None, save_kw=None, stored=None):
    path = os.path.join(IMAGES, f'{name}.{ext}')
    save_image(stored if stored is not None else img, path, fmt, **(save_kw or {}))
    truth = {'width': img.size[0], 'height': img.size[1]}
    if extra:
        truth.update(extra)
    truth['lines'] = [{'text': ln.text, 'box': ln.box_json()} for ln in lines]
    with open(os.path.join(IMAGES, f'{name}.json'), 'w', encoding='utf-8') as fh:
        # one line of text per ground-truth line: readable diffs, small files
        head = {k: v for k, v in truth.items() if k != 'lines'}
        parts = [f'  {json.dumps(k)}: {json.dumps(v)}' for k, v in head.items()]
        rows = [f'    {json.dumps(l, ensure_ascii=False)}' for l in truth['lines']]
        parts.append('  "lines": [' + ('\n' + ',\n'.join(rows) + '\n  ]' if rows else ']'))
        fh.write('{\n' + ',\n'.join(parts) + '\n}\n')
    with open(os.path.join(IMAGES, f'{name}.json'), encoding='utf-8') as fh:
        assert json.load(fh) == truth
    # read back: size and format
    with Image.open(path) as back:
        assert back.format == fmt, (path, back.format)
        shown = ImageOps.exif_transpose(back)
        assert shown.size == img.size, (path, shown.size, img.size)
    SUMMARY.append((os.path.relpath(path, ROOT), os.path.getsize(path), f'{img.size[0]}x{img.size[1]}', len(lines),
                    ink_range(lines)))
    return path


def ink_range(lines):
    if not lines:
        return ''
    hs = [ln.h - 2 * MARGIN for ln in lines]
    return f'ink height {min(hs):.0f}-{max(hs):.0f} px, angles {sorted({ln.angle for ln in lines})}'


def pick_specs(rnd, n, sizes, angles, fonts, phrases, cjk=()):
    specs = []
    for i in range(n):
        specs.append((phrases[i % len(phrases)], fonts[i % len(fonts)], sizes[i % len(sizes)], angles[i % len(angles)]))
    for j, t in enumerate(cjk):
        specs.append((t, 'cjk', sizes[(j * 3 + 1) % len(sizes)], angles[(j * 2 + 1) % len(angles)]))
    # biggest first so they find room
    specs.sort(key=lambda s: -s[2] * len(s[0]))
    return specs


def make_images():
    os.makedirs(IMAGES, exist_ok=True)
    for f in os.listdir(IMAGES):
        os.remove(os.path.join(IMAGES, f))

    # 1. small document, smallest text (ink ~14-15 px), no rotation, PNG
    img, lines = document('doc-a', 640, 480, 101, 'sans', 14, 0, 0.86, max_lines=13)
    img = img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).convert('RGB')
    write_fixture('doc-a-640x480', 'png', img, lines, 'PNG', save_kw={'optimize': True})

    # 2. document, serif, +5 degrees, JPEG
    img, lines = document('doc-b', 1024, 768, 102, 'serif', 22, 5, 0.78, max_lines=12)
    write_fixture('doc-b-1024x768-rot5', 'jpg', img, lines, 'JPEG', save_kw={'quality': 90})

    # 3. document, Liberation Serif, -10 degrees, WebP
    img, lines = document('doc-c', 1600, 1200, 103, 'lib-serif', 34, -10, 0.66, max_lines=12,
                          heading=('Notice to Passengers', 'lib-sans-bold', 52))
    write_fixture('doc-c-1600x1200-rot-10', 'webp', img, lines, 'WEBP', save_kw={'quality': 90, 'method': 6})

    # 4. tall portrait document, Liberation Sans, -5 degrees, bold heading, JPEG
    img, lines = document('doc-d', 900, 1600, 104, 'lib-sans', 28, -5, 0.84, max_lines=14,
                          heading=('Opening Hours and Access', 'sans-bold', 46), paper=(250, 250, 250))
    write_fixture('doc-d-900x1600-portrait-rot-5', 'jpg', img, lines, 'JPEG', save_kw={'quality': 88})

    # 5. big document, DejaVu Sans Mono, +15 degrees, JPEG
    img, lines = document('doc-e', 2000, 1500, 105, 'mono', 44, 15, 0.7, max_lines=11,
                          heading=('Maintenance Log 2024', 'sans-bold', 72))
    write_fixture('doc-e-2000x1500-rot15', 'jpg', img, lines, 'JPEG', save_kw={'quality': 85})

    # 6. document with a Chinese heading, -15 degrees, TIFF (deflate)
    img, lines = document('doc-f', 1024, 768, 106, 'sans', 20, -15, 0.62, max_lines=10,
                          heading=(CJK[0], 'cjk', 40), paper=(244, 246, 250))
    write_fixture('doc-f-1024x768-rot-15', 'tiff', img, lines, 'TIFF', save_kw={'compression': 'tiff_adobe_deflate'})

    # 7. photographic, 1280x720, mixed fonts, 20..80 px, +-10 degrees, JPEG
    rnd = random.Random(107)
    specs = pick_specs(rnd, 7, [82, 20, 48, 28, 36, 60, 24], [0, 10, -10, 5, -5, 0, 10],
                       ['sans-bold', 'lib-sans', 'serif', 'sans', 'lib-serif', 'lib-sans-bold', 'mono'],
                       ['Bakery', 'Platform 4 Northbound', 'SALE 50% OFF', 'Bus Stop 27', 'Fish Market',
                        'Hotel Aurora', 'Tickets 12.50'], cjk=[CJK[1]])
    img, lines = scene('photo-a', 1280, 720, 107, specs)
    write_fixture('photo-a-1280x720', 'jpg', img, lines, 'JPEG', save_kw={'quality': 87})

    # 8. photographic, 1600x1200, +-15 degrees, Chinese line, JPEG
    specs = pick_specs(rnd, 8, [72, 30, 44, 56, 26, 38, 64, 32], [15, -15, 0, -10, 10, 5, -5, 15],
                       ['lib-sans-bold', 'serif', 'sans', 'lib-serif', 'mono', 'sans-bold', 'lib-sans', 'serif'],
                       ['Welcome to Riverside', 'Books and Maps', 'OPEN DAILY 9AM TO 6PM', 'City Museum',
                        'Free Wi-Fi Inside', 'Gate B12', 'Pharmacy', 'Bike Repair Shop'], cjk=[CJK[2]])
    img, lines = scene('photo-b', 1600, 1200, 108, specs)
    write_fixture('photo-b-1600x1200-rot15', 'jpg', img, lines, 'JPEG', save_kw={'quality': 85})

    # 9. photographic, 640x480 BMP (24-bit, uncompressed: used by the raw-pixel tests)
    specs = pick_specs(rnd, 5, [40, 18, 28, 22, 34], [0, 5, -5, 0, 5],
                       ['sans-bold', 'lib-sans', 'serif', 'sans', 'lib-serif'],
                       ['Main Street', 'Caution Wet Floor', 'Room 204', 'Keep Left', 'Open Late'])
    img, lines = scene('photo-c', 640, 480, 109, specs)
    write_fixture('photo-c-640x480', 'bmp', img, lines, 'BMP')

    # 10. EXIF orientation 6: stored rotated 90 deg counter-clockwise, displayed upright
    specs = pick_specs(rnd, 5, [54, 26, 36, 30, 42], [0, 5, -5, 0, -10],
                       ['lib-sans-bold', 'sans', 'serif', 'lib-sans', 'sans-bold'],
                       ['Exit Only', 'Fresh Bread Daily', 'Since 1987', 'No Parking', 'Gate B12'])
    img, lines = scene('exif', 1280, 720, 110, specs)
    stored = img.transpose(Image.Transpose.ROTATE_90)  # CCW; orientation 6 = rotate 90 CW to display
    exif = Image.Exif()
    exif[0x0112] = 6
    path = write_fixture('exif-orientation6-1280x720', 'jpg', img, lines, 'JPEG', stored=stored,
                         extra={'exifOrientation': 6, 'storedWidth': stored.size[0], 'storedHeight': stored.size[1]},
                         save_kw={'quality': 88, 'exif': exif.tobytes()})
    with Image.open(path) as back:
        assert back.size == (720, 1280), back.size
        assert back.getexif().get(0x0112) == 6
        shown = np.asarray(ImageOps.exif_transpose(back).convert('RGB'), np.float32)
        raw_rot = np.asarray(back.convert('RGB').transpose(Image.Transpose.ROTATE_90), np.float32)
    upright = np.asarray(img, np.float32)
    diff = float(np.abs(shown - upright).mean())
    assert diff < 2.5, f'EXIF image does not display upright (mean diff {diff:.2f})'
    wrong = float(np.abs(raw_rot - upright).mean())  # rotating the wrong way (as orientation 8) gives upside down
    assert wrong > 10, 'EXIF check not discriminative'
    print(f'exif check: exif_transpose(stored) vs upright rendering: mean |diff| = {diff:.2f} (wrong way: {wrong:.1f})')

    # 11. no text at all
    rng = np.random.default_rng(111)
    img = photo_bg(1280, 720, rng)
    write_fixture('notext-1280x720', 'jpg', img, [], 'JPEG', save_kw={'quality': 85})

    # 12. the smallest text: ink 12 px (Liberation Sans 13), Gaussian noise (sigma 6), JPEG quality 60
    img, lines = document('doc-g', 800, 600, 112, 'lib-sans', 13, 2, 0.8, max_lines=16, leading=1.3)
    img = degrade(img, 112, blur=0, noise=6)
    write_fixture('doc-g-800x600-12px-noise-q60', 'jpg', img, lines, 'JPEG', save_kw={'quality': 60})

    # 13. Chinese document (Droid Sans Fallback 26 px), -4 degrees, blurred (radius 1.2) and noisy, JPEG q60
    img, lines = document('doc-h', 900, 900, 113, 'cjk', 26, -4, 0.9, max_lines=12, prose=CJK_PROSE,
                          heading=('Store Notice 2025', 'sans-bold', 34))
    img = degrade(img, 113, blur=1.2, noise=4)
    write_fixture('doc-h-900x900-chinese-blur-q60', 'jpg', img, lines, 'JPEG', save_kw={'quality': 60})

    # 14. receipt: narrow thermal-paper strip, monospace items with right-aligned prices, 3 degrees, blur, q60
    img, lines = receipt('receipt-a', 480, 1000, 114, 3)
    img = degrade(img, 114, blur=0.8, noise=5)
    write_fixture('receipt-a-480x1000-q60', 'jpg', img, lines, 'JPEG', save_kw={'quality': 60})

    # 15. upside-down document (183 degrees): readable only with the text-line orientation classifier
    img, lines = document('upside', 1024, 768, 115, 'lib-sans', 22, 183, 0.8, max_lines=12)
    write_fixture('upside-down-1024x768-rot183', 'jpg', img, lines, 'JPEG', save_kw={'quality': 85})


def degrade(img, seed, blur, noise):
    """Camera-like degradation: Gaussian blur of the given radius, then Gaussian noise (sigma, 0-255)."""
    if blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    rng = np.random.default_rng(seed + 1000)
    arr = np.asarray(img, np.float32) + rng.normal(0, noise, size=(img.size[1], img.size[0], 1)).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def receipt(name, w, h, seed, angle):
    """A till receipt: shop name, date, item lines 'name ..... price' as two
    quads (name left, price right-aligned), total; rotated as a whole."""
    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    img = paper_bg(w, h, rng, (236, 234, 228))
    rows = [('CORNER GROCERY', 'sans-bold', 26, None), ('12 Mill Lane, Riverside', 'mono', 16, None),
            ('2025-03-14 18:42  Till 3', 'mono', 16, None)]
    items = RECEIPT_ITEMS[:]
    rnd.shuffle(items)
    for item, price in items[:8]:
        rows.append((item, 'mono', 17, price))
    total = sum(float(p) for _, p in items[:8])
    rows.append(('TOTAL', 'sans-bold', 22, f'{total:.2f}'))
    rows.append(('Thank you for shopping with us', 'mono', 15, None))
    margin = 36
    y = 60.0
    lines = []
    m0 = affine(angle, (w / 2, h / 2), (w / 2, h / 2))
    for text, fn, sz, price in rows:
        f = font(fn, sz)
        rt, rb = f.getbbox('ÀÉgjpqy|')[1], f.getbbox('ÀÉgjpqy|')[3]
        oy = y - rt
        for t, x in ((text, margin),) + (((price, w - margin - f.getlength(price)),) if price else ()):
            m = m0.copy()
            m[:, 2] = apply(m0, [(x, oy)])[0]
            ln = Line(t, fn, sz, m)
            ln.angle = angle
            ln.fill = (35, 35, 40)
            lines.append(ln)
        y = oy + rb + 0.9 * (rb - rt)
    err = check_layout(lines, w, h, grow=lambda ln: 0.3 * ln.h, edge=8)
    assert err is None, f'{name}: {err}'
    covs = [composite(img, ln) for ln in lines]
    for ln, cov in zip(lines, covs):
        verify_line(ln, cov, name)
    return img, lines


# ----------------------------------------------------------------- bad inputs
def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)


PNG_SIG = b'\x89PNG\r\n\x1a\n'


def bomb_png(width, height):
    """Valid 1-bit greyscale PNG of all-zero rows, deflated at level 9."""
    ihdr = struct.pack('>IIBBBBB', width, height, 1, 0, 0, 0, 0)
    row = b'\x00' * (1 + (width + 7) // 8)  # filter type 0 + packed bits
    comp = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    parts = []
    chunk = row * 256
    left = height
    while left > 0:
        k = min(256, left)
        parts.append(comp.compress(chunk if k == 256 else row * k))
        left -= k
    parts.append(comp.flush())
    idat = b''.join(parts)
    return PNG_SIG + png_chunk(b'IHDR', ihdr) + png_chunk(b'IDAT', idat) + png_chunk(b'IEND', b'')


def text_image(mode_size=(320, 120), text='Gray Test 16', size=30):
    img = Image.new('L', mode_size, 235)
    f = font('sans-bold', size)
    bb = f.getbbox(text)
    x = (mode_size[0] - (bb[2] - bb[0])) / 2 - bb[0]
    y = (mode_size[1] - (bb[3] - bb[1])) / 2 - bb[1]
    ImageDraw.Draw(img).text((x, y), text, font=f, fill=20)
    return img


def make_bad():
    os.makedirs(BAD, exist_ok=True)
    for f in os.listdir(BAD):
        os.remove(os.path.join(BAD, f))
    out = {}

    out['empty.jpg'] = b''

    # a valid baseline JPEG with text, cut to 40 % of its bytes
    img, _ = document('truncated-src', 640, 480, 201, 'serif', 18, 0, 0.86, max_lines=12)
    buf = io.BytesIO()
    img.save(buf, 'JPEG', quality=88)
    full = buf.getvalue()
    out['truncated.jpg'] = full[: int(len(full) * 0.4)]
    assert b'\xff\xd9' not in out['truncated.jpg'][-2:]

    # PNG signature + valid IHDR, then garbage
    grng = random.Random(202)
    ihdr = png_chunk(b'IHDR', struct.pack('>IIBBBBB', 320, 240, 8, 2, 0, 0, 0))
    out['corrupt.png'] = PNG_SIG + ihdr + bytes(grng.randrange(256) for _ in range(2048))

    out['not-an-image.txt'] = (b'This is a plain text file, not an image.\n'
                               b'ocrkit must refuse it with ERR_OCR_UNSUPPORTED_FORMAT.\n')

    # PNG whose IHDR declares width 0 (otherwise well formed: correct CRCs, 1 row of IDAT)
    ihdr0 = struct.pack('>IIBBBBB', 0, 16, 8, 0, 0, 0, 0)
    out['zero-size-header.png'] = (PNG_SIG + png_chunk(b'IHDR', ihdr0)
                                   + png_chunk(b'IDAT', zlib.compress(b'\x00' * 16, 9)) + png_chunk(b'IEND', b''))

    # decompression bomb: 30000 x 30000, 1-bit grey, all zero
    out['bomb.png'] = bomb_png(30000, 30000)

    # JPEG whose SOF0 declares 60000 x 60000 (patched from a small valid JPEG)
    small = text_image((64, 48), 'Hi', 20).convert('RGB')
    buf = io.BytesIO()
    small.save(buf, 'JPEG', quality=80)  # baseline: SOF0
    jb = bytearray(buf.getvalue())
    i = 2
    patched = False
    while i < len(jb):
        assert jb[i] == 0xFF
        marker = jb[i + 1]
        seglen = struct.unpack('>H', jb[i + 2:i + 4])[0]
        if marker == 0xC0:
            # FF C0 len(2) precision(1) height(2) width(2)
            struct.pack_into('>HH', jb, i + 5, 60000, 60000)
            patched = True
            break
        i += 2 + seglen
    assert patched
    out['bomb.jpg'] = bytes(jb)

    # odd but valid images
    g8 = text_image((320, 120), 'Gray Eight', 34)
    g16 = np.asarray(text_image((320, 120), 'Gray Sixteen', 32), np.uint16) * 257
    for name, im, kw in [
        ('gray8.png', g8, {}),
        ('gray16.png', Image.fromarray(g16.astype(np.uint16)), {}),
    ]:
        buf = io.BytesIO()
        im.save(buf, 'PNG', optimize=True, **kw)
        out[name] = buf.getvalue()
    # RGBA: fully transparent (0,0,0,0) background around opaque dark text
    cov = text_image((320, 120), 'Alpha Text', 36)
    a = 255 - np.asarray(cov, np.float32)
    a = np.clip((a - 20) * 255.0 / 215.0, 0, 255).astype(np.uint8)
    rgba = np.zeros((120, 320, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = 20, 30, 60
    rgba[..., 3] = a
    rgba[a == 0, :3] = 0
    buf = io.BytesIO()
    Image.fromarray(rgba, 'RGBA').save(buf, 'PNG', optimize=True)
    out['rgba.png'] = buf.getvalue()
    buf = io.BytesIO()
    Image.new('RGB', (1, 1), (255, 255, 255)).save(buf, 'PNG')
    out['tiny-1x1.png'] = buf.getvalue()

    for name, data in out.items():
        with open(os.path.join(BAD, name), 'wb') as fh:
            fh.write(data)

    # ---- checks
    with Image.open(os.path.join(BAD, 'gray16.png')) as im:
        assert im.mode in ('I;16', 'I'), im.mode
    g16b = out['gray16.png']
    assert g16b[24] == 16 and g16b[25] == 0, 'gray16.png: IHDR bit depth/colour type'
    assert out['gray8.png'][24] == 8 and out['gray8.png'][25] == 0
    assert out['rgba.png'][25] == 6
    with Image.open(os.path.join(BAD, 'rgba.png')) as im:
        arr = np.asarray(im)
        assert im.mode == 'RGBA' and (arr[..., 3] == 0).mean() > 0.5 and (arr[..., 3] == 255).any()
    try:
        Image.open(os.path.join(BAD, 'bomb.png'))
        raise AssertionError('Pillow should call bomb.png a decompression bomb')
    except Image.DecompressionBombError:
        pass
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # header reads only
    with Image.open(os.path.join(BAD, 'bomb.png')) as im:
        assert im.size == (30000, 30000) and im.mode == '1'
    # the bomb's IDAT inflates to exactly height * (1 + ceil(width / 8)) zero bytes
    data = out['bomb.png']
    pos, idat = 8, b''
    while pos < len(data):
        ln = struct.unpack('>I', data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + ln]
        assert struct.unpack('>I', data[pos + 8 + ln:pos + 12 + ln])[0] == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b'IDAT':
            idat += body
        pos += 12 + ln
    d = zlib.decompressobj()
    total, nonzero = 0, 0
    for k in range(0, len(idat), 1 << 16):
        piece = d.decompress(idat[k:k + (1 << 16)])
        total += len(piece)
        nonzero += len(piece) - piece.count(0)
    piece = d.flush()
    total += len(piece)
    assert d.eof and total == 30000 * (1 + 3750) and nonzero == 0, (total, nonzero)
    # the same writer at 300 x 200 gives a PNG that Pillow decodes fully
    with Image.open(io.BytesIO(bomb_png(300, 200))) as im:
        im.load()
        assert im.size == (300, 200) and im.getextrema() == (0, 0)
    with Image.open(os.path.join(BAD, 'bomb.jpg')) as im:
        assert im.size == (60000, 60000)
    Image.MAX_IMAGE_PIXELS = limit
    with Image.open(io.BytesIO(full)) as im:
        im.load()  # the untruncated source is valid
    print(f'bomb.png: IDAT inflates to {total} zero bytes (30000 x 30000, 1-bit)')

    for name in sorted(out):
        path = os.path.join(BAD, name)
        dims = '-'
        if name.startswith('bomb'):
            Image.MAX_IMAGE_PIXELS = None
        try:
            with Image.open(path) as im:
                dims = f'{im.size[0]}x{im.size[1]}'
        except Exception:
            pass
        Image.MAX_IMAGE_PIXELS = limit
        if name == 'zero-size-header.png':
            dims = '0x16 (declared)'
        SUMMARY.append((os.path.relpath(path, ROOT), os.path.getsize(path), dims, '-', ''))


def main():
    make_images()
    make_bad()
    print()
    print(f'{"file":<58} {"bytes":>9} {"dims":>16} {"lines":>5}  notes')
    total = 0
    for f, size, dims, n, sizes in SUMMARY:
        total += size
        print(f'{f:<58} {size:>9} {dims:>16} {n!s:>5}  {sizes}')
    print(f'{"total":<58} {total:>9}')


if __name__ == '__main__':
    main()
