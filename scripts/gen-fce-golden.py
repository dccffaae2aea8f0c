#!/usr/bin/python3
"""Golden outputs for ocrkit's FCENet post-processing (test/cpp/fce_golden_test.cc).

Our own restatement, in Python, of the FCENet post-processing that
cpp/detect/fce.h follows (MMOCR 1.x FCEPostprocessor, v1.0, 2023; PaddleOCR
FCEPostProcess, release 2.7, 2023), run on synthetic multi-level head outputs
with the libraries the references use (numpy, OpenCV, shapely):

  per level: p = 2-class softmax of each logit pair, score = p_text^alpha *
  p_center^beta, mask = score > score_thr with holes filled (4-connected flood
  fill from outside), one instance per outer contour (RETR_TREE) of the filled
  mask drawn filled; every pixel of it with score > 0 proposes the polygon
  ifft(c) * n of c = scale * (x + i y), c_0 += col + i row, astype(int32);
  polygon NMS (shapely IoU, invalid polygons repaired with buffer(0)) per
  instance, then per level, then over all levels.

    apt-get install -y --no-install-recommends python3-opencv python3-numpy python3-shapely
    /usr/bin/python3 scripts/gen-fce-golden.py

Writes test/fixtures/fce-golden/<set>.txt (sizes, parameters, levels),
<set>.l<scale>.bin (one level: float32 little-endian planes, each H x W
row-major, in the head's channel order: text bg, text fg, center bg, center
fg, x of c_-k..c_k, y of c_-k..c_k) and <set>.expected.txt, one region per
line, best first: "score x0 y0 x1 y1 ...". As in ocrkit (deliberate
difference from the references), points are scaled per axis to the
destination in float32, rounded half to even and clamped to [0, dest - 1].
"""
import os

import cv2
import numpy as np
from numpy.fft import ifft
from shapely.geometry import Polygon

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "fce-golden")


# ---------------------------------------------------------------- reference


def softmax_fg(bg, fg):
    """p(class 1) of a 2-class softmax, float32 (torch's softmax over dim 0)."""
    logits = np.stack([bg, fg]).astype(np.float32)
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return (e[1] / e.sum(axis=0)).astype(np.float32)


def fill_hole(mask):
    h, w = mask.shape
    canvas = np.zeros((h + 2, w + 2), np.uint8)
    canvas[1:h + 1, 1:w + 1] = mask
    flood = np.zeros((h + 4, w + 4), np.uint8)
    cv2.floodFill(canvas, flood, (0, 0), 1)  # 4-connected by default
    return ~canvas[1:h + 1, 1:w + 1].astype(bool) | mask


def fourier2poly(c, n):
    k = (c.shape[1] - 1) // 2
    a = np.zeros((len(c), n), dtype=complex)
    a[:, 0:k + 1] = c[:, k:]
    a[:, -k:] = c[:, :k]
    z = ifft(a) * n
    poly = np.zeros((len(c), n, 2))
    poly[:, :, 0] = z.real
    poly[:, :, 1] = z.imag
    return poly.astype(np.int32).reshape(len(c), -1)


def shapely_poly(flat):
    p = Polygon(np.asarray(flat, dtype=np.float64).reshape(-1, 2))
    return p if p.is_valid else p.buffer(0)


def poly_iou(a, b):
    a, b = shapely_poly(a), shapely_poly(b)
    inter = a.intersection(b).area
    union = a.area + b.area - inter
    return 0.0 if union == 0 else inter / union


def poly_nms(polygons, scores, thr):
    """Greedy NMS: sort ascending (stable), repeatedly keep the last."""
    order = sorted(range(len(polygons)), key=lambda i: scores[i])
    keep_p, keep_s = [], []
    while order:
        best = order.pop()
        keep_p.append(polygons[best])
        keep_s.append(scores[best])
        order = [i for i in order if not poly_iou(polygons[best], polygons[i]) > thr]
    return keep_p, keep_s


def decode_level(planes, scale, p):
    k = p["degree"]
    tr = softmax_fg(planes[0], planes[1])
    tcl = softmax_fg(planes[2], planes[3])
    x_pred = np.moveaxis(planes[4:4 + 2 * k + 1], 0, -1)
    y_pred = np.moveaxis(planes[4 + 2 * k + 1:], 0, -1)
    score = (tr ** np.float32(p["alpha"])) * (tcl ** np.float32(p["beta"]))
    mask = fill_hole(score > p["score_thr"])
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    polygons, scores = [], []
    for cont in contours:
        deal = np.zeros(mask.shape, np.int8)
        cv2.drawContours(deal, [cont], -1, 1, -1)
        score_map = score * deal
        sel = score_map > 0
        rc = np.argwhere(sel)
        c = x_pred[sel].astype(np.float64) + 1j * y_pred[sel].astype(np.float64)
        c[:, k] += rc[:, 1] + 1j * rc[:, 0]
        c *= scale
        polys = list(fourier2poly(c, p["points"]))
        s = [float(v) for v in score_map[sel]]
        polys, s = poly_nms(polys, s, p["nms_thr"])
        polygons += polys
        scores += s
    return poly_nms(polygons, scores, p["nms_thr"])


def postprocess(levels, p, input_size, dest_size):
    polygons, scores = [], []
    for scale, planes in levels:
        polys, s = decode_level(planes, scale, p)
        polygons += polys
        scores += s
    polygons, scores = poly_nms(polygons, scores, p["nms_thr"])
    iw, ih = input_size
    dw, dh = dest_size
    out = []
    for poly, s in zip(polygons, scores):
        pts = np.asarray(poly, dtype=np.float32).reshape(-1, 2)
        pts[:, 0] = np.clip(np.round(pts[:, 0] / np.float32(iw) * np.float32(dw)), 0, dw - 1)
        pts[:, 1] = np.clip(np.round(pts[:, 1] / np.float32(ih) * np.float32(dh)), 0, dh - 1)
        out.append((s, pts.astype(np.int32)))
    return out


# ---------------------------------------------------------------- synthetic head outputs


def resample(closed, count):
    """`count` points evenly spaced along a closed polyline."""
    pts = np.vstack([closed, closed[:1]]).astype(np.float64)
    seg = np.hypot(*np.diff(pts, axis=0).T)
    at = np.concatenate([[0], np.cumsum(seg)])
    t = np.linspace(0, at[-1], count, endpoint=False)
    return np.interp(t, at, pts[:, 0]) + 1j * np.interp(t, at, pts[:, 1])


def fourier_coefficients(closed, k):
    z = resample(closed, 400)
    j = np.arange(len(z))
    return np.array([np.mean(z * np.exp(-2j * np.pi * m * j / len(z))) for m in range(-k, k + 1)])


class Word:
    """A text line around a centre polyline, `half` px to either side."""

    def __init__(self, centre_line, half):
        self.line = np.asarray(centre_line, dtype=np.float64)
        self.half = half
        d = np.gradient(self.line, axis=0)
        normal = np.stack([-d[:, 1], d[:, 0]], 1) / np.hypot(d[:, 0], d[:, 1])[:, None]
        self.outline = np.vstack([self.line + half * normal, (self.line - half * normal)[::-1]])

    def inside(self, x, y):
        return cv2.pointPolygonTest(self.outline.astype(np.float32), (float(x), float(y)), False) >= 0

    def centre_distance(self, x, y):
        """Distance to the centre line with `half` taken off both of its ends."""
        lengths = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(self.line, axis=0).T))])
        best = np.inf
        for a, b, la, lb in zip(self.line[:-1], self.line[1:], lengths[:-1], lengths[1:]):
            d = b - a
            t = np.clip(np.dot([x, y] - a, d) / np.dot(d, d), 0, 1)
            along = la + t * (lb - la)
            if along < self.half * 0.8 or along > lengths[-1] - self.half * 0.8:
                continue
            best = min(best, np.hypot(*(a + t * d - [x, y])))
        return best


def blank_level(shape, k, rng):
    h, w = shape
    planes = np.zeros((4 + 2 * (2 * k + 1), h, w), np.float32)
    planes[0] = 3 + rng.normal(0, 0.5, shape)
    planes[1] = -3 + rng.normal(0, 0.5, shape)
    planes[2] = 3 + rng.normal(0, 0.5, shape)
    planes[3] = -3 + rng.normal(0, 0.5, shape)
    planes[4:] = rng.normal(0, 0.3, planes[4:].shape)
    return planes


def paint(planes, scale, word, k, rng, strength=1.0, centre_strength=1.0, skip=lambda col, row: False,
          centre_width=0.45):
    """Text region over the word, centre region along its centre line; every
    text pixel predicts the word's coefficients (plus a little noise)."""
    coeff = fourier_coefficients(word.outline, k)
    _, h, w = planes.shape
    for row in range(h):
        for col in range(w):
            x, y = col * scale, row * scale
            if not word.inside(x, y):
                continue
            planes[0, row, col] = rng.normal(0, 0.3)
            planes[1, row, col] = 4 * strength + rng.normal(0, 0.6)
            centre = word.centre_distance(x, y) <= max(centre_width * word.half, 0.6 * scale) and not skip(col, row)
            planes[2, row, col] = rng.normal(0, 0.3)
            planes[3, row, col] = (3.5 * centre_strength if centre else -2.5) + rng.normal(0, 0.6)
            c = coeff / scale + rng.normal(0, 0.04, 2 * k + 1) + 1j * rng.normal(0, 0.04, 2 * k + 1)
            c[k] -= col + 1j * row
            planes[4:4 + 2 * k + 1, row, col] = c.real
            planes[4 + 2 * k + 1:, row, col] = c.imag


def make_sets():
    rng = np.random.default_rng(20261202)
    sets = {}

    # One straight word, found at scale 8 and (weaker) at 16; scale 32 is empty.
    p = dict(degree=5, points=50, score_thr=0.3, nms_thr=0.1, alpha=1.0, beta=1.0)
    size = (256, 128)
    word = Word([(40, 64), (216, 64)], 14)
    levels = []
    for scale, strength in [(8, 1.0), (16, 0.7), (32, None)]:
        planes = blank_level((size[1] // scale, size[0] // scale), p["degree"], rng)
        if strength:
            paint(planes, scale, word, p["degree"], rng, strength, strength)
        levels.append((scale, planes))
    sets["straight"] = (size, (384, 160), p, levels)

    # A curved word (an arc) with a hole in its centre region at scale 8, the
    # same word at scale 16, and a small straight word; MMOCR's beta = 2.
    p = dict(degree=5, points=50, score_thr=0.3, nms_thr=0.1, alpha=1.0, beta=2.0)
    size = (256, 256)
    angles = np.deg2rad(np.linspace(200, 340, 15))
    arc = Word(np.stack([128 + 100 * np.cos(angles), 190 + 100 * np.sin(angles)], 1), 20)
    small = Word([(60, 220), (150, 226)], 10)
    levels = []
    for scale in (8, 16, 32):
        planes = blank_level((size[1] // scale, size[0] // scale), p["degree"], rng)
        if scale == 8:
            # A wide centre band (5 rows) with a one-pixel hole that fill_hole closes.
            paint(planes, scale, arc, p["degree"], rng, skip=lambda col, row: (col, row) == (16, 11),
                  centre_width=0.9)
            paint(planes, scale, small, p["degree"], rng, 1.2, 1.2)
        elif scale == 16:
            paint(planes, scale, arc, p["degree"], rng, 0.8, 0.8)
        levels.append((scale, planes))
    sets["curved"] = (size, (200, 300), p, levels)

    # Overlaps: at scale 8 one word whose centre region is broken in two
    # components (per-level NMS merges them) next to a word overlapping it
    # a little (kept); at 16 a shifted copy of the first (suppressed across
    # levels); at 32 a large separate word. Degree 4, 30 points.
    p = dict(degree=4, points=30, score_thr=0.3, nms_thr=0.1, alpha=1.0, beta=1.0)
    size = (256, 192)
    broken = Word([(24, 56), (200, 56)], 16)
    neighbour = Word([(150, 90), (240, 96)], 12)
    shifted = Word([(40, 64), (216, 60)], 18)
    large = Word([(20, 150), (236, 150)], 24)
    levels = []
    for scale in (8, 16, 32):
        planes = blank_level((size[1] // scale, size[0] // scale), p["degree"], rng)
        if scale == 8:
            paint(planes, scale, broken, p["degree"], rng, skip=lambda col, row: col == 13)
            paint(planes, scale, neighbour, p["degree"], rng, 1.1, 1.1)
        elif scale == 16:
            paint(planes, scale, shifted, p["degree"], rng, 0.9, 0.9)
        else:
            paint(planes, scale, large, p["degree"], rng, 1.0, 1.5)
        levels.append((scale, planes))
    sets["overlap"] = (size, size, p, levels)
    return sets


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (size, dest, p, levels) in make_sets().items():
        with open(os.path.join(OUT, f"{name}.txt"), "w") as f:
            f.write(f"input {size[0]} {size[1]}\n")
            f.write(f"dest {dest[0]} {dest[1]}\n")
            f.write("params {degree} {points} {score_thr} {nms_thr} {alpha} {beta}\n".format(**p))
            for scale, planes in levels:
                planes = planes.astype("<f4")
                file = f"{name}.l{scale}.bin"
                planes.tofile(os.path.join(OUT, file))
                f.write(f"level {scale} {planes.shape[2]} {planes.shape[1]} {file}\n")
        # The reference runs on exactly the float32 values written.
        regions = postprocess(levels, p, size, dest)
        with open(os.path.join(OUT, f"{name}.expected.txt"), "w") as f:
            f.write("# score then points, best first\n")
            for s, pts in regions:
                f.write(f"{s:.7f} " + " ".join(str(int(v)) for v in pts.reshape(-1)) + "\n")
        scores = sorted(s for s, _ in regions)
        gap = min(np.diff(scores)) if len(scores) > 1 else float("inf")
        print(f"{name:9s} {len(regions)} regions, scores {[round(s, 4) for s, _ in regions]}, min gap {gap:.2e}")


if __name__ == "__main__":
    main()
