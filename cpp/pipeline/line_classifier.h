// Text-line orientation stage: flips crops classified as upside down.
#pragma once

#include <string>

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "classify/line_orientation.h"
#include "core/cancel.h"
#include "runtime/session.h"

namespace ocr::pipeline {

struct LineClassifyOptions {
  int batch_size = 6;        // classifier inputs per run (PaddleOCR cls_batch_num)
  float threshold = 0.9f;    // turn a crop when its "180" score exceeds this (PaddleOCR cls_thresh)
  bool windows = false;      // classify long lines by windows (classify::ClsWindows), not squeezed whole
  int max_windows = 8;       // windows per crop in that mode
};

class LineClassifier {
 public:
  // Checks the model ([N,3,48,192] in, [N,2] out) with one warm-up run.
  LineClassifier(std::shared_ptr<const runtime::Session> session, classify::ClsParams params);

  // The angle Apply gives a crop the model's output held NaN or infinity for
  // (the crop is left as it is): a failure to report, not an orientation.
  static constexpr int kUnread = -1;

  // Classifies `crops` (whole, or by windows, averaging the probabilities of
  // a crop's windows) in runs of `batch_size` inputs; rotates by 180 degrees,
  // in place, each crop whose "180" score exceeds `threshold`. Returns the
  // angle (0 or 180, or kUnread) applied to each crop.
  std::vector<int> Apply(std::vector<cv::Mat>& crops, const LineClassifyOptions& options, CancelToken* cancel,
                         double* inference_ms) const;

  // What kUnread says for `what` (the crop).
  std::string NonFiniteMessage(const std::string& what) const;

 private:
  std::shared_ptr<const runtime::Session> session_;
  classify::ClsParams params_;
};

}  // namespace ocr::pipeline
