// Reference: PaddleOCR tools/infer/predict_system.py sorted_boxes (2.7).
#include "pipeline/reading_order.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ocr::pipeline {

std::vector<int> ReadingOrder(const std::vector<Quad>& quads, float row_tolerance) {
  std::vector<int> order(quads.size());
  std::iota(order.begin(), order.end(), 0);
  auto tl = [&quads](int i) { return quads[i][0]; };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return tl(a).y != tl(b).y ? tl(a).y < tl(b).y : tl(a).x < tl(b).x;
  });
  // Boxes on one row (top-left y within the tolerance) are put left to right.
  for (size_t i = 0; i + 1 < order.size(); ++i) {
    for (size_t j = i + 1; j-- > 0;) {
      const cv::Point2f a = tl(order[j]), b = tl(order[j + 1]);
      if (std::abs(b.y - a.y) < row_tolerance && b.x < a.x) {
        std::swap(order[j], order[j + 1]);
      } else {
        break;
      }
    }
  }
  return order;
}

}  // namespace ocr::pipeline
