// Polygon area, intersection and IoU for evaluation, in plain TypeScript (no native code, no clipping library).
//
// Supported input: simple polygons (no self-intersection) of 3 or more points, either orientation, convex or not.
// Method: Sutherland–Hodgman clipping is exact for ANY subject polygon as long as the clip polygon is convex (the
// clipped output can contain zero-width "bridges" along clip edges when the subject is non-convex, but its signed
// shoelace area is still the area of the intersection: clipping by a half-plane keeps the winding number inside the
// half-plane and zeroes it outside). When neither polygon is convex, the clip polygon B is split into the fan
// triangles (b0, bi, bi+1) whose signed indicator functions sum to B's winding number (the shoelace identity), so
//   area(A ∩ B) = Σ sign(t) · area(A ∩ t)   over the fan triangles t of B,
// which is exact for simple polygons without needing a triangulation. For non-simple input the result is the
// integral of the product of the two winding numbers: callers that need ICDAR semantics drop non-simple polygons
// first (as PaddleOCR's DetectionIoUEvaluator drops shapely-invalid ones); see isSimplePolygon.

/** A polygon as [x, y] points, in order, not closed (the last point is not a repeat of the first). */
export type Polygon = ReadonlyArray<readonly [number, number]>;

type Pt = readonly [number, number];

function cross(o: Pt, a: Pt, b: Pt): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/**
 * Shoelace area, summed as the fan from the first point (the same value): coordinates relative to a point of the
 * polygon keep their precision far from the origin (the plain formula's products of 1e7-sized coordinates lost the
 * area of a small box: IoU off by 6.5e-3 at 1e7).
 */
function signedArea(points: readonly Pt[]): number {
  if (points.length < 3) return 0;
  const [ox, oy] = points[0]!;
  let sum = 0;
  for (let i = 1; i + 1 < points.length; i++) {
    const p = points[i]!;
    const q = points[i + 1]!;
    sum += (p[0] - ox) * (q[1] - oy) - (q[0] - ox) * (p[1] - oy);
  }
  return sum / 2;
}

/** Drops repeated consecutive points (and a closing point equal to the first). */
function cleanPoints(polygon: Polygon): Pt[] {
  const out: Pt[] = [];
  for (const p of polygon) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  return out;
}

/** Counter-clockwise copy (positive signed area in a y-up frame; image y-down frames just mirror it). */
function counterClockwise(polygon: Polygon): Pt[] {
  const points = cleanPoints(polygon);
  return signedArea(points) < 0 ? points.reverse() : points;
}

/** Area by the shoelace formula (absolute value; for a simple polygon this is its area). */
export function polygonArea(polygon: Polygon): number {
  return Math.abs(signedArea(cleanPoints(polygon)));
}

/** True for a convex polygon with a single turn (collinear points allowed; a pentagram is not convex). */
export function isConvexPolygon(polygon: Polygon): boolean {
  const p = counterClockwise(polygon);
  const n = p.length;
  if (n < 3) return false;
  let turning = 0;
  for (let i = 0; i < n; i++) {
    const a = p[i]!;
    const b = p[(i + 1) % n]!;
    const c = p[(i + 2) % n]!;
    if (cross(a, b, c) < 0) return false;
    const ux = b[0] - a[0];
    const uy = b[1] - a[1];
    const vx = c[0] - b[0];
    const vy = c[1] - b[1];
    turning += Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  }
  return Math.abs(turning - 2 * Math.PI) < 1e-6;
}

function onSegment(p: Pt, q: Pt, r: Pt): boolean {
  return Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
}

function segmentsTouch(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 === 0 && onSegment(c, d, a)) || (d2 === 0 && onSegment(c, d, b)) || (d3 === 0 && onSegment(a, b, c)) || (d4 === 0 && onSegment(a, b, d));
}

/**
 * True when the polygon has at least 3 distinct points, finite coordinates, a non-zero area and no edge touching a
 * non-adjacent edge or folding back over its neighbour (shapely's is_valid and is_simple for a ring, which PaddleOCR's
 * evaluator requires). O(n²) in the number of points.
 */
export function isSimplePolygon(polygon: Polygon): boolean {
  if (!polygon.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) return false;
  const p = cleanPoints(polygon);
  const n = p.length;
  if (n < 3 || signedArea(p) === 0) return false;
  for (let i = 0; i < n; i++) {
    const a = p[i]!;
    const b = p[(i + 1) % n]!;
    // Adjacent edge folding back over this one (collinear, pointing backwards).
    const c = p[(i + 2) % n]!;
    if (cross(a, b, c) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0) return false;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // adjacent through the closing edge
      if (segmentsTouch(a, b, p[j]!, p[(j + 1) % n]!)) return false;
    }
  }
  return true;
}

/** Sutherland–Hodgman: `subject` (any closed ring) clipped by a convex counter-clockwise `clip`. */
function clipByConvex(subject: readonly Pt[], clip: readonly Pt[]): Pt[] {
  let output: Pt[] = subject.slice();
  for (let e = 0; e < clip.length && output.length > 0; e++) {
    const a = clip[e]!;
    const b = clip[(e + 1) % clip.length]!;
    const input = output;
    output = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!;
      const previous = input[(i + input.length - 1) % input.length]!;
      const sc = cross(a, b, current);
      const sp = cross(a, b, previous);
      if (sc >= 0) {
        if (sp < 0) output.push(crossing(previous, current, sp, sc));
        output.push(current);
      } else if (sp >= 0) {
        output.push(crossing(previous, current, sp, sc));
      }
    }
  }
  return output;
}

function crossing(p: Pt, q: Pt, sp: number, sq: number): Pt {
  const t = sp / (sp - sq);
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
}

function boxesOverlap(a: readonly Pt[], b: readonly Pt[]): boolean {
  const box = (p: readonly Pt[]) => [
    Math.min(...p.map((q) => q[0])),
    Math.min(...p.map((q) => q[1])),
    Math.max(...p.map((q) => q[0])),
    Math.max(...p.map((q) => q[1])),
  ];
  const [ax0, ay0, ax1, ay1] = box(a) as [number, number, number, number];
  const [bx0, by0, bx1, by1] = box(b) as [number, number, number, number];
  return ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1;
}

/** Area of the intersection of two simple polygons (convex or not, any orientation). */
export function polygonIntersectionArea(a: Polygon, b: Polygon): number {
  let subject = counterClockwise(a);
  let clip = counterClockwise(b);
  if (subject.length < 3 || clip.length < 3 || !boxesOverlap(subject, clip)) return 0;
  if (!isConvexPolygon(clip) && isConvexPolygon(subject)) [subject, clip] = [clip, subject];
  if (isConvexPolygon(clip)) return Math.max(0, signedArea(clipByConvex(subject, clip)));
  let sum = 0;
  const origin = clip[0]!;
  for (let i = 1; i + 1 < clip.length; i++) {
    const triangle: Pt[] = [origin, clip[i]!, clip[i + 1]!];
    const orientation = signedArea(triangle);
    if (orientation === 0) continue;
    if (orientation < 0) triangle.reverse();
    sum += Math.sign(orientation) * signedArea(clipByConvex(subject, triangle));
  }
  return Math.max(0, sum);
}

/** Intersection over union of two simple polygons; 0 when the union has no area. */
export function polygonIou(a: Polygon, b: Polygon): number {
  const intersection = polygonIntersectionArea(a, b);
  const union = polygonArea(a) + polygonArea(b) - intersection;
  return union > 0 ? intersection / union : 0;
}
