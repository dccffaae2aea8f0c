#!/usr/bin/python3
"""Golden outputs for ocrkit's DB post-processing (test/cpp/db_golden_test.cc).

Our own restatement, in Python, of PaddleOCR's DBPostProcess
(ppocr/postprocess/db_postprocess.py, release 2.7, 2023), run on synthetic
probability maps with the very libraries PaddleOCR uses (OpenCV, pyclipper,
shapely), so the C++ port is held to the reference's behaviour.

    apt-get install -y --no-install-recommends python3-opencv python3-numpy \
        python3-pyclipper python3-shapely
    /usr/bin/python3 scripts/gen-db-golden.py

Writes test/fixtures/db-golden/<map>.png (16-bit: probability = value / 65535)
and <map>.<mode>.txt, one region per line: "score x0 y0 x1 y1 ...".
One deliberate difference, also made by ocrkit: points are clipped to
[0, dest - 1] (PaddleOCR clips to [0, dest]).
"""
import os

import cv2
import numpy as np
import pyclipper
from shapely.geometry import Polygon

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "db-golden")

MODES = {
    # name: (score_mode, box_type, use_dilation)
    "quad-fast": ("fast", "quad", False),
    "quad-slow": ("slow", "quad", False),
    "poly-fast": ("fast", "poly", False),
    "quad-dilate": ("fast", "quad", True),
}
THRESH, BOX_THRESH, UNCLIP, MAX_CANDIDATES, MIN_SIZE = 0.3, 0.6, 1.5, 1000, 3


def mini_box(contour):
    rect = cv2.minAreaRect(contour)
    pts = sorted(list(cv2.boxPoints(rect)), key=lambda p: p[0])
    i1, i4 = (0, 1) if pts[1][1] > pts[0][1] else (1, 0)
    i2, i3 = (2, 3) if pts[3][1] > pts[2][1] else (3, 2)
    return [pts[i1], pts[i2], pts[i3], pts[i4]], min(rect[1])


def score_in(bitmap, poly):
    h, w = bitmap.shape[:2]
    poly = poly.copy()
    xmin = np.clip(np.floor(poly[:, 0].min()).astype("int32"), 0, w - 1)
    xmax = np.clip(np.ceil(poly[:, 0].max()).astype("int32"), 0, w - 1)
    ymin = np.clip(np.floor(poly[:, 1].min()).astype("int32"), 0, h - 1)
    ymax = np.clip(np.ceil(poly[:, 1].max()).astype("int32"), 0, h - 1)
    mask = np.zeros((ymax - ymin + 1, xmax - xmin + 1), dtype=np.uint8)
    poly[:, 0] = poly[:, 0] - xmin
    poly[:, 1] = poly[:, 1] - ymin
    cv2.fillPoly(mask, poly.reshape(1, -1, 2).astype("int32"), 1)
    return cv2.mean(bitmap[ymin:ymax + 1, xmin:xmax + 1], mask)[0]


def unclip(poly, ratio):
    shape = Polygon(poly)
    distance = shape.area * ratio / shape.length
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(poly, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return offset.Execute(distance)


def scale(points, map_w, map_h, dest_w, dest_h):
    points = np.array(points, dtype=np.float32)
    points[:, 0] = np.clip(np.round(points[:, 0] / map_w * dest_w), 0, dest_w - 1)
    points[:, 1] = np.clip(np.round(points[:, 1] / map_h * dest_h), 0, dest_h - 1)
    return points.astype(np.int32)


def postprocess(pred, score_mode, box_type, dilate, dest_w, dest_h):
    binary = pred > THRESH
    if dilate:
        binary = cv2.dilate(binary.astype(np.uint8), np.array([[1, 1], [1, 1]]))
    h, w = binary.shape
    contours, _ = cv2.findContours((binary * 255).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in contours[:MAX_CANDIDATES]:
        if box_type == "quad":
            points, sside = mini_box(contour)
            if sside < MIN_SIZE:
                continue
            points = np.array(points)
            s = score_in(pred, points.reshape(-1, 2)) if score_mode == "fast" else score_in(pred, contour.reshape(-1, 2).astype(np.float32))
            if BOX_THRESH > s:
                continue
            grown = unclip(points, UNCLIP)
            if len(grown) != 1:
                continue
            box, sside = mini_box(np.array(grown[0]).reshape(-1, 1, 2))
            if sside < MIN_SIZE + 2:
                continue
            out.append((s, scale(box, w, h, dest_w, dest_h)))
        else:
            epsilon = 0.002 * cv2.arcLength(contour, True)
            points = cv2.approxPolyDP(contour, epsilon, True).reshape((-1, 2))
            if points.shape[0] < 4:
                continue
            s = score_in(pred, points.astype(np.float32))
            if BOX_THRESH > s:
                continue
            grown = unclip(points, UNCLIP)
            if len(grown) != 1:
                continue
            poly = np.array(grown[0]).reshape(-1, 2)
            _, sside = mini_box(poly.reshape(-1, 1, 2))
            if sside < MIN_SIZE + 2:
                continue
            out.append((s, scale(poly, w, h, dest_w, dest_h)))
    return out


def soft_rect(m, center, size, angle, value, blur):
    layer = np.zeros_like(m)
    pts = cv2.boxPoints((tuple(map(float, center)), tuple(map(float, size)), float(angle))).astype(np.int32)
    cv2.fillPoly(layer, [pts], value)
    if blur:
        layer = cv2.GaussianBlur(layer, (0, 0), blur)
    np.maximum(m, layer, out=m)


def make_maps():
    rng = np.random.default_rng(20261124)
    maps = {}
    m = np.zeros((160, 320), np.float32)
    for i in range(5):
        soft_rect(m, (40 + 50 * i + rng.uniform(0, 10), 30 + 25 * i), (60 + 20 * i, 12 + 2 * i), 0, rng.uniform(0.55, 0.98), 1.5)
    maps["blobs"] = m
    m = np.zeros((384, 384), np.float32)
    for i, angle in enumerate([-60, -30, -8, 0, 12, 35, 70]):
        cx, cy = 60 + (i % 3) * 130, 60 + (i // 3) * 120
        soft_rect(m, (cx, cy), (90, 16), angle, 0.9, 1.0)
    maps["rotated"] = m
    m = np.zeros((256, 256), np.float32)
    for i in range(6):
        soft_rect(m, (128, 30 + 33 * i), (200 - 12 * i, 22 + (i % 2) * 6), 0, 0.85, 2.0)
    maps["touching"] = m
    m = (rng.random((192, 192)) * 0.45).astype(np.float32)
    for i in range(3):
        soft_rect(m, (96, 40 + 55 * i), (150, 14), 0, 0.95, 0.8)
    maps["noise"] = m
    m = np.zeros((320, 320), np.float32)
    cv2.ellipse(m, (160, 260), (130, 130), 0, 200, 340, 0.92, 20)
    cv2.ellipse(m, (160, 330), (60, 40), 0, 180, 360, 0.8, 10)
    maps["curved"] = cv2.GaussianBlur(m, (0, 0), 1.2)
    m = np.zeros((320, 576), np.float32)
    y = 12
    while y < 300:
        x = 10 + rng.integers(0, 40)
        while x < 540:
            w = int(rng.integers(20, 160))
            soft_rect(m, (x + w / 2, y), (float(w), float(9 + rng.integers(0, 5))), rng.uniform(-2, 2), rng.uniform(0.5, 0.99), 1.0)
            x += w + int(rng.integers(6, 30))
        y += int(rng.integers(18, 30))
    maps["document"] = m
    return maps


def main():
    os.makedirs(OUT, exist_ok=True)
    total = 0
    for name, m in make_maps().items():
        q = np.clip(np.round(m * 65535), 0, 65535).astype(np.uint16)
        cv2.imwrite(os.path.join(OUT, f"{name}.png"), q)
        pred = q.astype(np.float32) / np.float32(65535)
        h, w = pred.shape
        dest_w, dest_h = int(w * 1.7), int(h * 1.3)
        for mode, (score_mode, box_type, dilate) in MODES.items():
            regions = postprocess(pred, score_mode, box_type, dilate, dest_w, dest_h)
            with open(os.path.join(OUT, f"{name}.{mode}.txt"), "w") as f:
                f.write(f"# map {w}x{h} -> dest {dest_w}x{dest_h}; score then points\n")
                for s, pts in regions:
                    f.write(f"{s:.6f} " + " ".join(str(int(v)) for v in pts.reshape(-1)) + "\n")
            total += len(regions)
            print(f"{name:10s} {mode:12s} {len(regions):3d} regions")
    print(f"{total} regions in all")


if __name__ == "__main__":
    main()
