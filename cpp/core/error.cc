#include "core/error.h"

namespace ocr {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidOption: return "ERR_OCR_INVALID_OPTION";
    case ErrorCode::kInvalidImage: return "ERR_OCR_INVALID_IMAGE";
    case ErrorCode::kImageTooLarge: return "ERR_OCR_IMAGE_TOO_LARGE";
    case ErrorCode::kUnsupportedFormat: return "ERR_OCR_UNSUPPORTED_FORMAT";
    case ErrorCode::kFileNotFound: return "ERR_OCR_FILE_NOT_FOUND";
    case ErrorCode::kFileRead: return "ERR_OCR_FILE_READ";
    case ErrorCode::kFileWrite: return "ERR_OCR_FILE_WRITE";
    case ErrorCode::kModelLoad: return "ERR_OCR_MODEL_LOAD";
    case ErrorCode::kModelShape: return "ERR_OCR_MODEL_SHAPE";
    case ErrorCode::kProviderUnavailable: return "ERR_OCR_PROVIDER_UNAVAILABLE";
    case ErrorCode::kRuntimeLoad: return "ERR_OCR_RUNTIME_LOAD";
    case ErrorCode::kRuntime: return "ERR_OCR_RUNTIME";
    case ErrorCode::kAborted: return "ERR_OCR_ABORTED";
    case ErrorCode::kDisposed: return "ERR_OCR_DISPOSED";
    case ErrorCode::kOutOfMemory: return "ERR_OCR_OUT_OF_MEMORY";
    case ErrorCode::kInternal: return "ERR_OCR_INTERNAL";
    case ErrorCode::kBinaryLoad: return "ERR_OCR_BINARY_LOAD";
  }
  return "ERR_OCR_INTERNAL";
}

}  // namespace ocr
