#include "detect/line_merge.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ocr::detect {
namespace {

float Dot(cv::Point2f a, cv::Point2f b) { return a.x * b.x + a.y * b.y; }
float Length(cv::Point2f v) { return static_cast<float>(ocr::Length(v.x, v.y)); }

// How far points reach along a direction u and across it (n), from an origin.
struct Extents {
  float along0 = std::numeric_limits<float>::max(), along1 = std::numeric_limits<float>::lowest();
  float across0 = std::numeric_limits<float>::max(), across1 = std::numeric_limits<float>::lowest();
  void Add(cv::Point2f d, cv::Point2f u, cv::Point2f n) {
    along0 = std::min(along0, Dot(d, u));
    along1 = std::max(along1, Dot(d, u));
    across0 = std::min(across0, Dot(d, n));
    across1 = std::max(across1, Dot(d, n));
  }
  float length() const { return along1 - along0; }
  float height() const { return across1 - across0; }
};

// A quad in its own frame: u along TL -> TR (the mean of its top and bottom
// edges), n across (u turned 90 degrees clockwise on screen, so pointing
// down for a level line), the extents of its corners in both.
struct Frame {
  cv::Point2f centre, u, n;
  Extents own;
  float radius = 0;   // farthest corner from the centre
  bool line = false;  // at least as long as high, with a direction: may be a reference
  Extents Of(const Quad& q) const {
    Extents e;
    for (const auto& p : q) e.Add(p - centre, u, n);
    return e;
  }
};

Frame FrameOf(const Quad& q) {
  Frame f;
  f.centre = (q[0] + q[1] + q[2] + q[3]) * 0.25f;
  const cv::Point2f edge = ((q[1] - q[0]) + (q[2] - q[3])) * 0.5f;
  const float length = Length(edge);
  f.u = length > 0 ? edge * (1.0f / length) : cv::Point2f(1, 0);
  f.n = cv::Point2f(-f.u.y, f.u.x);
  f.own = f.Of(q);
  for (const auto& p : q) f.radius = std::max(f.radius, Length(p - f.centre));
  f.line = length > 0 && f.own.height() > 0 && f.own.length() >= f.own.height();
  return f;
}

// Whether `other` continues the line `ref` (see the header).
bool Continues(const Frame& ref, const Quad& other, float max_gap) {
  if (!ref.line) return false;
  const Extents o = ref.Of(other);
  const float h = ref.own.height();
  const float offset = (o.across0 + o.across1) * 0.5f - (ref.own.across0 + ref.own.across1) * 0.5f;
  const float gap = std::max(o.along0 - ref.own.along1, ref.own.along0 - o.along1);
  return std::abs(offset) <= 0.5f * h && o.height() >= 0.4f * h && o.height() <= 2.5f * h && gap < max_gap * h;
}

size_t Root(std::vector<size_t>& parent, size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

std::vector<QuadGroup> MergeLineQuads(const std::vector<Quad>& quads, float max_gap) {
  const size_t n = quads.size();
  std::vector<Frame> frames;
  frames.reserve(n);
  for (const Quad& q : quads) frames.push_back(FrameOf(q));
  std::vector<size_t> parent(n);
  std::iota(parent.begin(), parent.end(), size_t{0});
  if (max_gap > 0 && std::isfinite(max_gap)) {
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        const Frame &a = frames[i], &b = frames[j];
        // Farther apart than any join allows (the gap is measured in the taller one's height at most 2.5x the other's).
        const float reach = a.radius + b.radius + max_gap * std::max(a.own.height(), b.own.height());
        if (Length(a.centre - b.centre) > reach) continue;
        if (Continues(a, quads[j], max_gap) || Continues(b, quads[i], max_gap)) {
          const size_t ri = Root(parent, i), rj = Root(parent, j);
          if (ri != rj) parent[std::max(ri, rj)] = std::min(ri, rj);
        }
      }
    }
  }
  std::vector<QuadGroup> groups;
  std::vector<size_t> group_of(n, n);
  for (size_t i = 0; i < n; ++i) {
    const size_t root = Root(parent, i);
    if (group_of[root] == n) {
      group_of[root] = groups.size();
      groups.push_back({quads[i], {}});
    }
    groups[group_of[root]].members.push_back(i);
  }
  for (QuadGroup& g : groups) {
    if (g.members.size() < 2) continue;
    // The longest line member gives the direction.
    size_t ref = g.members[0];
    for (size_t m : g.members) {
      if (frames[m].line && (!frames[ref].line || frames[m].own.length() > frames[ref].own.length())) ref = m;
    }
    const Frame& f = frames[ref];
    Extents e;
    for (size_t m : g.members) {
      for (const auto& p : quads[m]) e.Add(p - f.centre, f.u, f.n);
    }
    const auto at = [&](float s, float t) { return f.centre + f.u * s + f.n * t; };
    g.quad = {at(e.along0, e.across0), at(e.along1, e.across0), at(e.along1, e.across1), at(e.along0, e.across1)};
  }
  return groups;
}

}  // namespace ocr::detect
