#include "binding/errors.h"

#include <new>

#include <opencv2/core.hpp>

#include "runtime/ort_api.h"

namespace ocrkit {

CaughtError ClassifyCurrentException() {
  try {
    throw;
  } catch (const ocr::Error& e) {
    return {e.code(), e.what()};
  } catch (const Ort::Exception& e) {
    return {ocr::ErrorCode::kRuntime, std::string("ONNX Runtime: ") + e.what()};
  } catch (const cv::Exception& e) {
    return {ocr::ErrorCode::kInternal, std::string("OpenCV: ") + e.what()};
  } catch (const std::bad_alloc&) {
    return {ocr::ErrorCode::kOutOfMemory, "out of memory"};
  } catch (const std::exception& e) {
    return {ocr::ErrorCode::kInternal, e.what()};
  } catch (...) {
    return {ocr::ErrorCode::kInternal, "unknown native error"};
  }
}

Napi::Error MakeError(Napi::Env env, const CaughtError& error) {
  Napi::Error e = Napi::Error::New(env, error.message);
  e.Set("code", Napi::String::New(env, ocr::ErrorCodeName(error.code)));
  return e;
}

void ThrowInvalid(Napi::Env env, const std::string& message) {
  throw MakeError(env, {ocr::ErrorCode::kInvalidOption, message});
}

}  // namespace ocrkit
