// PSENet, PANet, EAST and FCENet post-processing (detect/pse.h, pan.h,
// east.h, fce.h) on
// arbitrary output maps, NaN and infinities included: a detector model a
// user brings can write anything. Regions or a typed error; every region
// finite and inside the destination image.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "detect/east.h"
#include "detect/fce.h"
#include "detect/pan.h"
#include "detect/pse.h"
#include "map_values.h"

namespace {

// `count` maps of width x height filled from the bytes (zeros past their end).
std::vector<cv::Mat> Maps(const uint8_t*& data, size_t& size, int count, int width, int height, float scale,
                          float shift) {
  std::vector<cv::Mat> maps;
  for (int m = 0; m < count; ++m) {
    cv::Mat map(height, width, CV_32F, cv::Scalar(0));
    for (int k = 0; k < width * height && size > 0; ++k, ++data, --size) {
      map.at<float>(k / width, k % width) = ocr::fuzz::MapValue(*data, scale, shift);
    }
    maps.push_back(map);
  }
  return maps;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const int which = data[0] % 4, width = 1 + data[1] % 48, height = 1 + data[2] % 48;
  const bool polygon = data[3] & 1;
  const cv::Size dest(1 + data[3] * 7, 1 + data[3] * 5);
  data += 4;
  size -= 4;
  const auto box_type = polygon ? ocr::detect::BoxType::kPolygon : ocr::detect::BoxType::kQuad;
  std::vector<ocr::TextRegion> regions;
  try {
    if (which == 0) {
      ocr::detect::PseParams params;
      params.box_type = box_type;
      params.min_text_area = 2;
      regions = ocr::detect::PsePostprocess(Maps(data, size, 1 + (size % 7), width, height, 16, -8), params, dest);
    } else if (which == 1) {
      ocr::detect::PanParams params;
      params.box_type = box_type;
      params.min_text_area = 2;
      regions = ocr::detect::PanPostprocess(Maps(data, size, 6, width, height, 16, -8), params, dest);
    } else if (which == 3) {
      ocr::detect::FceParams params;
      params.fourier_degree = 2;
      params.num_points = 8;
      params.box_type = box_type;
      ocr::detect::FceLevel level;
      level.scale = 8;
      auto region = Maps(data, size, 4, width, height, 16, -8);
      level.text_region = {region[0], region[1]};
      level.center_region = {region[2], region[3]};
      level.fourier_x = Maps(data, size, 5, width, height, 8, -4);
      level.fourier_y = Maps(data, size, 5, width, height, 8, -4);
      regions = ocr::detect::FcePostprocess({level}, params, cv::Size(width * 8, height * 8), dest);
    } else {
      ocr::detect::EastParams params;
      const cv::Mat score = Maps(data, size, 1, width, height, 1, 0)[0];
      const auto geometry = Maps(data, size, 8, width, height, 64, -32);
      regions = ocr::detect::EastPostprocess(score, geometry, params, cv::Size(width * 4, height * 4), dest);
    }
  } catch (const ocr::Error&) {
    return 0;
  }
  for (const auto& region : regions) {
    if (!std::isfinite(region.score)) __builtin_trap();
    for (const auto& p : region.quad) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y) || p.x < 0 || p.y < 0 || p.x > dest.width || p.y > dest.height) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
