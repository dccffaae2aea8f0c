// The JS-visible engine: owns shared, immutable native state; every call runs
// on a worker thread and resolves a promise.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <napi.h>

#include "binding/convert.h"
#include "core/cancel.h"
#include "pipeline/detector.h"
#include "pipeline/ocr.h"
#include "runtime/runtime.h"

namespace ocrkit {

// Everything an engine owns; shared with in-flight workers so dispose() can
// drop the engine's reference while they finish.
struct EngineState {
  std::shared_ptr<ocr::runtime::Runtime> runtime;
  std::shared_ptr<const ocr::pipeline::Detector> detector;
  std::unique_ptr<const ocr::pipeline::OcrPipeline> pipeline;
  std::vector<std::string> providers;
  int detector_rewrites = 0, recognizer_rewrites = 0;  // graph rewrites applied when loading (graph/rewrite.h)
  int recognition_parallelism = 1;                      // recognition runs at once, as decided at creation
};

std::shared_ptr<EngineState> CreateEngineState(const EngineConfig& config);

class Engine : public Napi::ObjectWrap<Engine> {
 public:
  static Napi::Function Define(Napi::Env env);
  // Wraps `state` in a new JS Engine object.
  static Napi::Object New(Napi::Env env, std::shared_ptr<EngineState> state);
  explicit Engine(const Napi::CallbackInfo& info);

 private:
  Napi::Value Detect(const Napi::CallbackInfo& info);
  Napi::Value Recognize(const Napi::CallbackInfo& info);
  Napi::Value RecognizeCrops(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  std::shared_ptr<EngineState> state_;
};

// A cancel token JS can trigger (AbortSignal -> cancel()).
class CancelHandle : public Napi::ObjectWrap<CancelHandle> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit CancelHandle(const Napi::CallbackInfo& info);
  std::shared_ptr<ocr::CancelToken> token() const { return token_; }

 private:
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  std::shared_ptr<ocr::CancelToken> token_ = std::make_shared<ocr::CancelToken>();
};

// createEngine(config) -> Promise<NativeEngine>, loading off the main thread.
Napi::Value CreateEngine(const Napi::CallbackInfo& info);

struct AddonData {
  Napi::FunctionReference engine_constructor;
  Napi::FunctionReference cancel_constructor;
};

}  // namespace ocrkit
