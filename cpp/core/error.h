// Error model of the core: one closed list of codes, mirrored in lib/errors.ts
// (a test compares the two lists).
#pragma once

#include <stdexcept>
#include <string>

namespace ocr {

enum class ErrorCode {
  kInvalidOption,
  kInvalidImage,
  kImageTooLarge,
  kUnsupportedFormat,
  kFileNotFound,
  kFileRead,
  kFileWrite,
  kModelLoad,
  kModelShape,
  kProviderUnavailable,
  kRuntimeLoad,
  kRuntime,
  kAborted,
  kDisposed,
  kOutOfMemory,
  kInternal,
  kBinaryLoad,
};

// Stable string code of an error, e.g. "ERR_OCR_INVALID_IMAGE".
const char* ErrorCodeName(ErrorCode code);

// Every code, in declaration order (for the binding and the mirror test).
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::kInvalidOption,   ErrorCode::kInvalidImage,
    ErrorCode::kImageTooLarge,   ErrorCode::kUnsupportedFormat,
    ErrorCode::kFileNotFound,    ErrorCode::kFileRead,
    ErrorCode::kFileWrite,
    ErrorCode::kModelLoad,       ErrorCode::kModelShape,
    ErrorCode::kProviderUnavailable, ErrorCode::kRuntimeLoad,
    ErrorCode::kRuntime,         ErrorCode::kAborted,
    ErrorCode::kDisposed,        ErrorCode::kOutOfMemory,
    ErrorCode::kInternal,        ErrorCode::kBinaryLoad,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace ocr
