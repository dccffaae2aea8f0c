#include "binding/visualize.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "binding/errors.h"
#include "binding/image_input.h"
#include "binding/promise_worker.h"
#include "image/decode.h"
#include "render/visualize.h"

namespace ocrkit {
namespace {

// Fonts are parsed once per process per path and shared by every call (the
// cache holds one entry per distinct path a caller names).
std::shared_ptr<const ocr::render::Font> CachedFont(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const ocr::render::Font>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  auto font = ocr::render::Font::FromFile(path);
  cache.emplace(path, font);
  return font;
}

class VisualizeWorker : public PromiseWorker {
 public:
  explicit VisualizeWorker(Napi::Env env) : PromiseWorker(env) {}

  ImageInput input;
  CallParams params;
  std::vector<ocr::render::VisLine> lines;
  std::vector<std::string> font_paths;
  std::string extension;

 protected:
  void Work() override {
    std::vector<std::shared_ptr<const ocr::render::Font>> fonts;
    for (const std::string& path : font_paths) fonts.push_back(CachedFont(path));
    const ocr::render::FontChain chain(std::move(fonts));
    const cv::Mat image = LoadImage(input, params);
    const cv::Mat drawn = ocr::render::DrawOcrResult(image, lines, chain, ocr::render::VisOptions{});
    std::vector<int> flags;
    if (extension == ".jpg") flags = {cv::IMWRITE_JPEG_QUALITY, 90};
    encoded_ = std::make_unique<std::vector<uchar>>();
    if (!cv::imencode(extension, drawn, *encoded_, flags)) {
      throw ocr::Error(ocr::ErrorCode::kInternal, "could not encode the visualisation as " + extension.substr(1));
    }
  }
  Napi::Value Result(Napi::Env env) override {
    std::vector<uchar>* bytes = encoded_.get();
    Napi::Buffer<uint8_t> buffer = Napi::Buffer<uint8_t>::New(
        env, bytes->data(), bytes->size(), [](Napi::Env, uint8_t*, std::vector<uchar>* owned) { delete owned; }, bytes);
    encoded_.release();  // the buffer's finalizer owns it now
    return buffer;
  }

 private:
  std::unique_ptr<std::vector<uchar>> encoded_;
};

template <typename T>
Napi::TypedArrayOf<T> TypedField(const Napi::Object& obj, const char* key, napi_typedarray_type type, const char* expected) {
  Napi::Value v = obj.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    ThrowInvalid(obj.Env(), std::string("lines.") + key + " must be a " + expected);
  }
  return v.As<Napi::TypedArrayOf<T>>();
}

void ReadLines(const Napi::Value& value, std::vector<ocr::render::VisLine>* out) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) ThrowInvalid(env, "lines must be an object");
  Napi::Object obj = value.As<Napi::Object>();
  auto points = TypedField<float>(obj, "points", napi_float32_array, "Float32Array");
  auto offsets = TypedField<uint32_t>(obj, "offsets", napi_uint32_array, "Uint32Array");
  Napi::Value texts_value = obj.Get("texts");
  if (!texts_value.IsArray()) ThrowInvalid(env, "lines.texts must be an array of strings");
  Napi::Array texts = texts_value.As<Napi::Array>();
  const size_t n = texts.Length();
  if (offsets.ElementLength() != n + 1 || offsets[0] != 0 || size_t{offsets[n]} * 2 != points.ElementLength()) {
    ThrowInvalid(env, "lines.offsets must hold texts.length + 1 point offsets, from 0 to points.length / 2");
  }
  out->resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    if (offsets[i + 1] < offsets[i]) ThrowInvalid(env, "lines.offsets must not decrease");
    Napi::Value text = texts.Get(i);
    if (!text.IsString()) ThrowInvalid(env, "lines.texts[" + std::to_string(i) + "] must be a string");
    (*out)[i].text = text.As<Napi::String>().Utf8Value();
    for (uint32_t k = offsets[i]; k < offsets[i + 1]; ++k) (*out)[i].polygon.emplace_back(points[2 * k], points[2 * k + 1]);
  }
}

}  // namespace

Napi::Value Visualize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto worker = std::make_unique<VisualizeWorker>(env);
  ReadImageInput(info[0], worker->input);
  ReadLines(info[1], &worker->lines);
  if (!info[2].IsObject()) ThrowInvalid(env, "options must be an object");
  Napi::Object options = info[2].As<Napi::Object>();
  Napi::Value fonts = options.Get("fontPaths");
  if (!fonts.IsArray() || fonts.As<Napi::Array>().Length() == 0) ThrowInvalid(env, "options.fontPaths must be a non-empty array");
  for (uint32_t i = 0; i < fonts.As<Napi::Array>().Length(); ++i) {
    Napi::Value path = fonts.As<Napi::Array>().Get(i);
    if (!path.IsString()) ThrowInvalid(env, "options.fontPaths[" + std::to_string(i) + "] must be a string");
    worker->font_paths.push_back(path.As<Napi::String>().Utf8Value());
  }
  const std::string format = options.Get("format").ToString().Utf8Value();
  if (format != "png" && format != "jpg") ThrowInvalid(env, "options.format must be 'png' or 'jpg'");
  worker->extension = "." + format;
  worker->params.apply_exif_orientation = options.Get("applyExifOrientation").ToBoolean().Value();
  Napi::Value max_pixels = options.Get("maxPixels");
  if (!max_pixels.IsNumber() || !(max_pixels.As<Napi::Number>().DoubleValue() >= 1)) {
    ThrowInvalid(env, "options.maxPixels must be a positive number");
  }
  worker->params.max_pixels = max_pixels.As<Napi::Number>().Int64Value();
  Napi::Promise promise = worker->Promise();
  worker.release()->Queue();  // an AsyncWorker deletes itself when done
  return promise;
}

}  // namespace ocrkit
