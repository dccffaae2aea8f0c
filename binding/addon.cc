// Module entry: the only translation unit that registers with Node-API.
#include <napi.h>

#include "binding/convert.h"
#include "binding/engine.h"
#include "binding/errors.h"
#include "binding/visualize.h"
#include "core/allocator.h"
#include "core/error.h"

#ifndef OCRKIT_SOURCE_HASH
#error "OCRKIT_SOURCE_HASH must be defined by the build"
#endif

namespace ocrkit {
namespace {

Napi::Array ErrorCodes(Napi::Env env) {
  Napi::Array codes = Napi::Array::New(env);
  uint32_t i = 0;
  for (ocr::ErrorCode code : ocr::kAllErrorCodes) codes.Set(i++, ocr::ErrorCodeName(code));
  return codes;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  const bool allocator_tuned = ocr::TuneAllocator();
  auto* data = new AddonData();
  data->engine_constructor = Napi::Persistent(Engine::Define(env));
  Napi::Function cancel = CancelHandle::Define(env);
  data->cancel_constructor = Napi::Persistent(cancel);
  env.SetInstanceData<AddonData>(data);
  exports.Set("createEngine", Napi::Function::New(env, CreateEngine, "createEngine"));
  exports.Set("CancelHandle", cancel);
  exports.Set("visualize", Napi::Function::New(env, Visualize, "visualize"));
  exports.Set("sourceHash", Napi::String::New(env, OCRKIT_SOURCE_HASH));
  exports.Set("errorCodes", ErrorCodes(env));
  exports.Set("allocatorTuned", Napi::Boolean::New(env, allocator_tuned));
  return exports;
}

}  // namespace
}  // namespace ocrkit

static Napi::Object InitOcrkit(Napi::Env env, Napi::Object exports) { return ocrkit::Init(env, exports); }

NODE_API_MODULE(ocrkit, InitOcrkit)
