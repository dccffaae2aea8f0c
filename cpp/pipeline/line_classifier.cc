// Reference: PaddleOCR tools/infer/predict_cls.py TextClassifier (2.7): labels ["0", "180"], batch 6.
#include "pipeline/line_classifier.h"

#include <algorithm>
#include <array>
#include <string>

#include <opencv2/core.hpp>

#include "core/error.h"
#include "core/finite.h"
#include "core/stopwatch.h"

namespace ocr::pipeline {

LineClassifier::LineClassifier(std::shared_ptr<const runtime::Session> session, classify::ClsParams params)
    : session_(std::move(session)), params_(params) {
  const auto& in = session_->inputs();
  if (params_.label_180 != 0 && params_.label_180 != 1) {
    throw Error(ErrorCode::kInvalidOption, "text-line orientation labels must be 0 and 180, in either order");
  }
  if (in.size() != 1 || in[0].shape.size() != 4 || in[0].type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
    throw Error(ErrorCode::kModelShape, "a text-line orientation model needs one float [N,3,H,W] input");
  }
  if (in[0].shape[2] > 0) params_.height = static_cast<int>(in[0].shape[2]);
  if (in[0].shape[3] > 0) params_.width = static_cast<int>(in[0].shape[3]);
  std::vector<float> input(3 * size_t(params_.height) * params_.width, 0.0f);
  const std::vector<int64_t> shape = {1, 3, params_.height, params_.width};
  const runtime::Tensor out = runtime::RunAtLoad("text-line orientation", shape, "its input size",
                                                 [&] { return session_->Run(input.data(), shape, nullptr); });
  if (out.shape.size() != 2 || out.shape[0] != 1 || out.shape[1] != 2) {
    throw Error(ErrorCode::kModelShape, "text-line orientation output '" + session_->outputs()[0].name +
                                            "': expected [N,2] (labels 0 and 180)");
  }
  // As the detector and recogniser are checked: NaN for a blank input is a broken model, named at load rather
  // than failing every image of the first call that turns lines.
  if (!AllFinite(out.data(), 2)) {
    throw Error(ErrorCode::kModelLoad, ocr::NonFiniteMessage("text-line orientation", session_->outputs()[0].name,
                                                             "for a blank input", "the model is broken"));
  }
}

std::vector<int> LineClassifier::Apply(std::vector<cv::Mat>& crops, const LineClassifyOptions& options,
                                       CancelToken* cancel, double* inference_ms) const {
  // Inputs: one per crop, or one per window of a crop; probabilities summed per crop.
  struct Item {
    size_t crop;
    cv::Rect roi;
  };
  std::vector<Item> items;
  items.reserve(crops.size());
  for (size_t i = 0; i < crops.size(); ++i) {
    if (!options.windows) {
      items.push_back({i, cv::Rect(0, 0, crops[i].cols, crops[i].rows)});
      continue;
    }
    for (const cv::Rect& roi : classify::ClsWindows(crops[i].size(), params_, options.max_windows)) items.push_back({i, roi});
  }
  std::vector<std::array<double, 2>> sums(crops.size(), {0.0, 0.0});
  std::vector<int> counts(crops.size(), 0);
  std::vector<bool> unread(crops.size(), false);
  const size_t per_image = 3 * size_t(params_.height) * params_.width;
  const size_t step = static_cast<size_t>(std::max(options.batch_size, 1));
  std::vector<float> input;
  for (size_t begin = 0; begin < items.size(); begin += step) {
    if (cancel) cancel->ThrowIfCancelled();
    const size_t end = std::min(items.size(), begin + step);
    const int n = static_cast<int>(end - begin);
    input.assign(per_image * n, 0.0f);
    for (int k = 0; k < n; ++k) {
      const Item& item = items[begin + k];
      classify::ClsPreprocess(crops[item.crop](item.roi), params_, input.data() + k * per_image);
    }
    const auto start = Clock::now();
    runtime::Tensor out = session_->Run(input.data(), {n, 3, params_.height, params_.width}, cancel);
    if (inference_ms) *inference_ms += MsSince(start);
    if (out.shape.size() != 2 || out.shape[0] != n || out.shape[1] != 2) {
      throw Error(ErrorCode::kModelShape, "text-line orientation output: expected [N,2]");
    }
    for (int k = 0; k < n; ++k) {
      const size_t crop = items[begin + k].crop;
      if (!AllFinite(out.data() + 2 * k, 2)) unread[crop] = true;
      sums[crop][0] += out.data()[2 * k];
      sums[crop][1] += out.data()[2 * k + 1];
      ++counts[crop];
    }
  }
  std::vector<int> angles(crops.size(), 0);
  for (size_t i = 0; i < crops.size(); ++i) {
    if (unread[i]) {
      angles[i] = kUnread;
      continue;
    }
    if (counts[i] == 0) continue;
    const float mean[2] = {static_cast<float>(sums[i][0] / counts[i]), static_cast<float>(sums[i][1] / counts[i])};
    const classify::ClsResult r = classify::ClsDecode(mean, 2);
    if (r.label == params_.label_180 && r.score > options.threshold) {
      cv::rotate(crops[i], crops[i], cv::ROTATE_180);
      angles[i] = 180;
    }
  }
  return angles;
}

std::string LineClassifier::NonFiniteMessage(const std::string& what) const {
  return ocr::NonFiniteMessage("text-line orientation", session_->outputs()[0].name, "for " + what,
                               "the model failed on it (no orientation can be read)");
}

}  // namespace ocr::pipeline
