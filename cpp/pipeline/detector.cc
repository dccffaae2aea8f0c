#include "pipeline/detector.h"

#include <string>

#include "core/error.h"
#include "core/stopwatch.h"

namespace ocr::pipeline {
namespace {

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += shape[i] < 0 ? "?" : std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace

Detector::Detector(std::shared_ptr<const runtime::Session> session, preprocess::NormalizeParams normalize)
    : session_(std::move(session)), normalize_(normalize) {
  CheckModel();
  const auto& shape = session_->inputs()[0].shape;
  if (shape[2] > 0 && shape[3] > 0) fixed_input_ = cv::Size(int(shape[3]), int(shape[2]));
  WarmUp();
}

void Detector::CheckModel() const {
  const auto& inputs = session_->inputs();
  const auto& outputs = session_->outputs();
  if (inputs.size() != 1 || outputs.empty()) {
    throw Error(ErrorCode::kModelShape, "a detection model needs exactly 1 input and at least 1 output; got " +
                                            std::to_string(inputs.size()) + " inputs and " +
                                            std::to_string(outputs.size()) + " outputs");
  }
  const auto& in = inputs[0];
  if (in.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || in.shape.size() != 4 ||
      (in.shape[1] > 0 && in.shape[1] != 3)) {
    throw Error(ErrorCode::kModelShape, "detection input '" + in.name +
                                            "': expected float [N,3,H,W], got " + ShapeString(in.shape));
  }
  const auto& out = outputs[0];
  if (out.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || (out.shape.size() != 4 && out.shape.size() != 3)) {
    throw Error(ErrorCode::kModelShape, "detection output '" + out.name +
                                            "': expected float [N,1,H,W] or [N,H,W], got " +
                                            ShapeString(out.shape));
  }
}

void Detector::WarmUp() const {
  // Declared shapes can be wrong in old exports: check what the model produces.
  const cv::Size size = fixed_input_.area() > 0 ? fixed_input_ : cv::Size(64, 64);
  std::vector<float> input(3 * size_t(size.area()), 0.0f);
  runtime::Tensor out = session_->Run(input.data(), {1, 3, size.height, size.width}, nullptr);
  ProbabilityMap(out);
}

cv::Mat Detector::ProbabilityMap(const runtime::Tensor& output) const {
  const auto& s = output.shape;
  const bool ok = (s.size() == 4 && s[0] == 1 && s[1] >= 1) || (s.size() == 3 && s[0] == 1);
  if (!ok || s[s.size() - 1] <= 0 || s[s.size() - 2] <= 0) {
    throw Error(ErrorCode::kModelShape, "detection output '" + session_->outputs()[0].name +
                                            "': expected [1,1,H,W] or [1,H,W], got " + ShapeString(s));
  }
  const int h = int(s[s.size() - 2]), w = int(s[s.size() - 1]);
  // Channel 0 is the probability map (DB exports may append threshold maps).
  return cv::Mat(h, w, CV_32FC1, const_cast<float*>(output.data()));
}

DetectionResult Detector::Detect(const cv::Mat& bgr, const preprocess::DetResizeParams& resize,
                                 const detect::DbParams& db, CancelToken* cancel) const {
  DetectionResult result;
  result.image_size = bgr.size();
  auto start = Clock::now();
  result.input_size = fixed_input_.area() > 0 ? fixed_input_ : preprocess::DetInputSize(bgr.size(), resize);
  std::vector<float> input;
  preprocess::DetPreprocess(bgr, result.input_size, normalize_, input);
  result.times.preprocess_ms = MsSince(start);
  if (cancel) cancel->ThrowIfCancelled();

  start = Clock::now();
  runtime::Tensor out = session_->Run(
      input.data(), {1, 3, result.input_size.height, result.input_size.width}, cancel);
  result.times.inference_ms = MsSince(start);
  if (cancel) cancel->ThrowIfCancelled();

  start = Clock::now();
  result.regions = detect::DbPostprocess(ProbabilityMap(out), db, bgr.size());
  result.times.postprocess_ms = MsSince(start);
  return result;
}

}  // namespace ocr::pipeline
