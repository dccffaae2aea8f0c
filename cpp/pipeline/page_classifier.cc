#include "pipeline/page_classifier.h"

#include <cmath>
#include <string>

#include "classify/line_orientation.h"
#include "core/error.h"
#include "core/finite.h"
#include "core/stopwatch.h"

namespace ocr::pipeline {

PageClassifier::PageClassifier(std::shared_ptr<const runtime::Session> session, PageClassifierDefinition definition)
    : session_(std::move(session)), definition_(std::move(definition)) {
  for (int angle : definition_.angles) {
    if (angle != 0 && angle != 90 && angle != 180 && angle != 270) {
      throw Error(ErrorCode::kInvalidOption, "document orientation labels must be 0, 90, 180 or 270");
    }
  }
  if (definition_.angles.empty()) throw Error(ErrorCode::kInvalidOption, "document orientation needs labels");
  const auto& in = session_->inputs();
  if (in.size() != 1 || in[0].shape.size() != 4 || in[0].type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT ||
      (in[0].shape[1] > 0 && in[0].shape[1] != 3)) {
    throw Error(ErrorCode::kModelShape, "a document orientation model needs one float [N,3,H,W] input");
  }
  auto& size = definition_.input.size;
  if (in[0].shape[2] > 0) size.height = static_cast<int>(in[0].shape[2]);
  if (in[0].shape[3] > 0) size.width = static_cast<int>(in[0].shape[3]);
  std::vector<float> input(3 * size_t(size.width) * size.height, 0.0f);
  const std::vector<int64_t> shape = {1, 3, size.height, size.width};
  const runtime::Tensor out = runtime::RunAtLoad("document orientation", shape, "its input size",
                                                 [&] { return session_->Run(input.data(), shape, nullptr); });
  if (out.shape.size() != 2 || out.shape[0] != 1 || out.shape[1] != static_cast<int64_t>(definition_.angles.size())) {
    throw Error(ErrorCode::kModelShape, "document orientation output '" + session_->outputs()[0].name +
                                            "': expected [N," + std::to_string(definition_.angles.size()) +
                                            "] (one class per label), got " + runtime::ShapeText(out.shape));
  }
  if (!AllFinite(out.data(), definition_.angles.size())) {
    throw Error(ErrorCode::kModelLoad, NonFiniteMessage("document orientation", session_->outputs()[0].name,
                                                        "for a blank input", "the model is broken"));
  }
}

PageOrientation PageClassifier::Classify(const cv::Mat& page, CancelToken* cancel, double* inference_ms) const {
  const auto& size = definition_.input.size;
  std::vector<float> input(3 * size_t(size.width) * size.height);
  classify::PageClsPreprocess(page, definition_.input, input.data());
  const auto start = Clock::now();
  runtime::Tensor out = session_->Run(input.data(), {1, 3, size.height, size.width}, cancel);
  if (inference_ms) *inference_ms += MsSince(start);
  const int classes = static_cast<int>(definition_.angles.size());
  if (out.shape.size() != 2 || out.shape[1] != classes) {
    throw Error(ErrorCode::kModelShape, "document orientation output changed shape between runs");
  }
  if (!AllFinite(out.data(), size_t(classes))) {
    throw Error(ErrorCode::kRuntime, NonFiniteMessage("document orientation", session_->outputs()[0].name,
                                                      "for this image", "the model failed on it (no orientation can be read)"));
  }
  std::vector<float> probs(out.data(), out.data() + classes);
  if (definition_.logits) {
    float max = -INFINITY;
    for (float v : probs) if (std::isfinite(v) && v > max) max = v;
    double sum = 0;
    for (float& v : probs) sum += (v = std::isfinite(v) ? std::exp(v - max) : 0.0f);
    for (float& v : probs) v = sum > 0 ? static_cast<float>(v / sum) : 0.0f;
  }
  const classify::ClsResult best = classify::ClsDecode(probs.data(), classes);
  if (!(best.score > 0)) return {};  // every score NaN or zero: leave the page as it is
  return {definition_.angles[best.label], best.score};
}

}  // namespace ocr::pipeline
