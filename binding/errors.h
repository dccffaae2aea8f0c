// Maps every exception the core can raise to a stable error code.
#pragma once

#include <exception>
#include <string>

#include <napi.h>

#include "core/error.h"

namespace ocrkit {

struct CaughtError {
  ocr::ErrorCode code = ocr::ErrorCode::kInternal;
  std::string message;
};

// Classifies the exception currently being handled (call inside catch (...)).
CaughtError ClassifyCurrentException();

// A JS Error with `code` set, ready to throw or reject with.
Napi::Error MakeError(Napi::Env env, const CaughtError& error);

// Throws a JS error for an invalid argument (ERR_OCR_INVALID_OPTION).
[[noreturn]] void ThrowInvalid(Napi::Env env, const std::string& message);

}  // namespace ocrkit
