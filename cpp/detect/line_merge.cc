#include "detect/line_merge.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ocr::detect {
namespace {

// A quad in its own frame: u along TL -> TR (the mean of its top and bottom
// edges), n across (u turned 90 degrees clockwise on screen, so pointing
// down for a level line), extents of its corners in both.
struct Frame {
  cv::Point2f centre, u, n;
  float along0 = 0, along1 = 0, across0 = 0, across1 = 0;
  float radius = 0;  // farthest corner from the centre
  bool line = false;  // at least as long as high, with a direction: may be a reference
  float length() const { return along1 - along0; }
  float height() const { return across1 - across0; }
};

float Dot(cv::Point2f a, cv::Point2f b) { return a.x * b.x + a.y * b.y; }
float Length(cv::Point2f v) { return static_cast<float>(ocr::Length(v.x, v.y)); }

Frame FrameOf(const Quad& q) {
  Frame f;
  f.centre = (q[0] + q[1] + q[2] + q[3]) * 0.25f;
  const cv::Point2f edge = ((q[1] - q[0]) + (q[2] - q[3])) * 0.5f;
  const float length = Length(edge);
  f.u = length > 0 ? edge * (1.0f / length) : cv::Point2f(1, 0);
  f.n = cv::Point2f(-f.u.y, f.u.x);
  f.along0 = f.across0 = std::numeric_limits<float>::max();
  f.along1 = f.across1 = std::numeric_limits<float>::lowest();
  for (const auto& p : q) {
    const cv::Point2f d = p - f.centre;
    f.along0 = std::min(f.along0, Dot(d, f.u));
    f.along1 = std::max(f.along1, Dot(d, f.u));
    f.across0 = std::min(f.across0, Dot(d, f.n));
    f.across1 = std::max(f.across1, Dot(d, f.n));
    f.radius = std::max(f.radius, Length(d));
  }
  f.line = length > 0 && f.height() > 0 && f.length() >= f.height();
  return f;
}

// Whether `other` continues the line `ref` (see the header).
bool Continues(const Frame& ref, const Quad& other, float max_gap) {
  if (!ref.line) return false;
  float along0 = std::numeric_limits<float>::max(), along1 = std::numeric_limits<float>::lowest();
  float across0 = along0, across1 = along1;
  for (const auto& p : other) {
    const cv::Point2f d = p - ref.centre;
    along0 = std::min(along0, Dot(d, ref.u));
    along1 = std::max(along1, Dot(d, ref.u));
    across0 = std::min(across0, Dot(d, ref.n));
    across1 = std::max(across1, Dot(d, ref.n));
  }
  const float h = ref.height();
  const float offset = (across0 + across1) * 0.5f - (ref.across0 + ref.across1) * 0.5f;
  const float extent = across1 - across0;
  const float gap = std::max(along0 - ref.along1, ref.along0 - along1);
  return std::abs(offset) <= 0.5f * h && extent >= 0.4f * h && extent <= 2.5f * h && gap < max_gap * h;
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
        const float reach = a.radius + b.radius + max_gap * std::max(a.height(), b.height());
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
      if (frames[m].line && (!frames[ref].line || frames[m].length() > frames[ref].length())) ref = m;
    }
    const Frame& f = frames[ref];
    float along0 = std::numeric_limits<float>::max(), along1 = std::numeric_limits<float>::lowest();
    float across0 = along0, across1 = along1;
    for (size_t m : g.members) {
      for (const auto& p : quads[m]) {
        const cv::Point2f d = p - f.centre;
        along0 = std::min(along0, Dot(d, f.u));
        along1 = std::max(along1, Dot(d, f.u));
        across0 = std::min(across0, Dot(d, f.n));
        across1 = std::max(across1, Dot(d, f.n));
      }
    }
    const auto at = [&](float s, float t) { return f.centre + f.u * s + f.n * t; };
    g.quad = {at(along0, across0), at(along1, across0), at(along1, across1), at(along0, across1)};
  }
  return groups;
}

}  // namespace ocr::detect
