// The graph rewriter (graph/rewrite.h) on arbitrary bytes: it reads the
// model's protobuf itself, before ONNX Runtime sees it. It either leaves the
// bytes alone or returns a model it can read back with nothing left to do.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "graph/rewrite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ocr::graph::RewriteCounts counts;
  const auto rewritten = ocr::graph::RewriteModel(bytes, &counts);
  if (!rewritten) return 0;
  if (counts.total() <= 0) __builtin_trap();  // a rewritten model has at least one rewrite
  ocr::graph::RewriteCounts again;
  if (ocr::graph::RewriteModel(*rewritten, &again) && again.total() > counts.total()) {
    __builtin_trap();  // rewriting its own output cannot find more than it did
  }
  return 0;
}
