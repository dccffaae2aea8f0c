// Result visualisation, after PaddleX's OCR result image ({name}_ocr_res_img,
// PaddleX 3 paddlex/inference/pipelines/ocr/result.py draw_box_txt_fine,
// checked 2025): the image with each line's polygon filled semi-transparently
// in its own colour, outlined and numbered, beside a white panel of the same
// size where each line's text is drawn inside its polygon (fitted to the box:
// quads get the text warped into them, so slanted lines stay slanted; tall
// boxes get the characters stacked vertically) and the polygon outlined.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "render/truetype.h"

namespace ocr::render {

struct VisLine {
  // Image pixels; 4 points = a quad TL, TR, BR, BL (the text is warped into
  // it), more = a polygon (text fitted into its bounding rectangle).
  std::vector<cv::Point2f> polygon;
  std::string text;  // UTF-8; control characters are drawn as spaces
  float score = 0;
};

struct VisOptions {
  float fill_alpha = 0.3f;     // opacity of the polygon fill on the image, [0, 1]
  bool draw_indices = true;    // each line's 0-based index near its first point
  bool draw_panel = true;      // the text panel on the right (output 2W x H)
  uint32_t color_seed = 0;     // shifts the colour sequence
};

// The colour (BGR) of line `index`: hues a golden-ratio step apart, so
// neighbours always differ; deterministic.
cv::Vec3b LineColor(size_t index, uint32_t seed);

// Draws `lines` over `bgr` (non-empty CV_8UC3). Returns a new CV_8UC3 image,
// 2W x H with the panel, W x H without. Lines with fewer than 3 points or
// outside the image are skipped; a non-finite coordinate is kInvalidOption.
cv::Mat DrawOcrResult(const cv::Mat& bgr, const std::vector<VisLine>& lines, const FontChain& fonts,
                      const VisOptions& options);

}  // namespace ocr::render
