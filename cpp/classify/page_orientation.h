// Document (page) orientation: classifier input, and the rotations between
// the page as given and the upright page the pipeline reads.
// Reference: PaddleX PP-LCNet_x1_0_doc_ori (labels 0/90/180/270; ResizeImage
// resize_short 256, CropImage 224, ImageNet normalisation) and its
// doc_preprocessor, which turns the page by the predicted angle before OCR.
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

#include "core/types.h"

namespace ocr::classify {

struct PageClsParams {
  enum class Resize {
    kShortThenCrop,  // short side to resize_short (keep ratio), then the centre `size` crop (PaddleX)
    kStretch,        // straight to `size`
  } resize = Resize::kShortThenCrop;
  int resize_short = 256;
  cv::Size size{224, 224};  // network input (width, height)
  bool rgb = true;
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};  // in the fed order
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
  float scale = 1.0f / 255.0f;
};

// Writes the page (CV_8UC3, BGR) as 3 x size.height x size.width floats.
// Throws ocr::Error(kInvalidImage) for an empty or non-BGR image.
void PageClsPreprocess(const cv::Mat& bgr, const PageClsParams& params, float* out);

// A page classified `angle` (0, 90, 180, 270: the upright page turned that
// many degrees clockwise) turned back upright (counter-clockwise by angle).
// Throws ocr::Error(kInvalidOption) for another angle.
cv::Mat RotateUpright(const cv::Mat& page, int angle);

// Maps a point of the upright page (size `upright`) into the page as given,
// which is the upright page turned `angle` degrees clockwise. Continuous
// coordinates: the corners of the image map to corners.
cv::Point2f UprightToGiven(cv::Point2f p, int angle, cv::Size upright);

// The same for every corner of a quad; the corner order is kept (it stays the
// text's own clockwise order from its top-left).
Quad UprightToGiven(const Quad& q, int angle, cv::Size upright);

}  // namespace ocr::classify
