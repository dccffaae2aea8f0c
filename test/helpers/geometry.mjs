// Polygon helpers for tests: area, convex clipping, IoU of convex quads.

export function area(poly) {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function signedArea(poly) {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

function orient(poly) {
  return signedArea(poly) < 0 ? [...poly].reverse() : poly;
}

// Sutherland-Hodgman: subject clipped by a convex clip polygon.
export function clip(subject, clipPoly) {
  let output = orient(subject);
  const c = orient(clipPoly);
  for (let i = 0; i < c.length && output.length > 0; i++) {
    const [ax, ay] = c[i];
    const [bx, by] = c[(i + 1) % c.length];
    const inside = ([x, y]) => (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
    const intersect = ([px, py], [qx, qy]) => {
      const a1 = by - ay, b1 = ax - bx, c1 = a1 * ax + b1 * ay;
      const a2 = qy - py, b2 = px - qx, c2 = a2 * px + b2 * py;
      const det = a1 * b2 - a2 * b1;
      return [(b2 * c1 - b1 * c2) / det, (a1 * c2 - a2 * c1) / det];
    };
    const input = output;
    output = [];
    for (let k = 0; k < input.length; k++) {
      const cur = input[k];
      const prev = input[(k + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) output.push(intersect(prev, cur));
        output.push(cur);
      } else if (inside(prev)) {
        output.push(intersect(prev, cur));
      }
    }
  }
  return output;
}

export function iou(a, b) {
  const inter = clip(a, b);
  const i = inter.length >= 3 ? area(inter) : 0;
  const u = area(a) + area(b) - i;
  return u > 0 ? i / u : 0;
}

/** True when the 4 points run clockwise on screen (y down). */
export function isClockwise(poly) {
  return signedArea(poly) > 0;
}

/** For each ground-truth box, the best IoU among predictions. */
export function bestMatches(gtBoxes, predBoxes) {
  return gtBoxes.map((g) => Math.max(0, ...predBoxes.map((p) => iou(g, p))));
}
