// Writes a model as ocrkit's graph rewrites leave it (what ONNX Runtime is given for a CPU session) and says what
// was rewritten: to look inside a rewritten model, to check that a change to the rewriter leaves the shipped
// models byte for byte as they were (cmp two builds' outputs), or to run the rewritten model in another tool.
//
//   rewrite_model <model.onnx> <rewritten.onnx>
//
// Exit status: 0 written; 1 nothing to rewrite, or not a model the rewriter reads (nothing written); 2 usage or I/O.
#include <cstdio>
#include <fstream>
#include <string>

#include "graph/rewrite.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <model.onnx> <rewritten.onnx>\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? std::streamoff(in.tellg()) : -1;
  std::string model(size > 0 ? static_cast<size_t>(size) : 0, '\0');
  if (size <= 0 || !in.seekg(0) || !in.read(model.data(), size)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  ocr::graph::RewriteCounts counts;
  const auto rewritten = ocr::graph::RewriteModel(model, &counts);
  std::printf("%s: %zu bytes, %d rewrites (hard_swish %d, conv_affine %d, affine_depthwise %d, upsampling_head %d, "
              "gated_residual %d, gated_pointwise %d, nearest_upsampling %d)\n",
              argv[1], model.size(), counts.total(), counts.hard_swish, counts.conv_affine, counts.affine_depthwise,
              counts.upsampling_head, counts.gated_residual, counts.gated_pointwise, counts.nearest_upsampling);
  if (!rewritten) {
    std::printf("nothing written: nothing to rewrite, or not a model the rewriter reads\n");
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  if (!out.write(rewritten->data(), static_cast<std::streamsize>(rewritten->size())) || !out.flush()) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 2;
  }
  std::printf("wrote %s: %zu bytes\n", argv[2], rewritten->size());
  return 0;
}
