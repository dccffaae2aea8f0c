// Running ocrkit's graph rewrites on the tests' tiny models.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "graph/rewrite.h"

namespace ocr::graph::testing_onnx {

// Every rewrite on `model`: the counts, and the rewritten bytes in *out when there are any (a model comes back
// exactly when something was rewritten).
inline RewriteCounts RunRewrites(const std::string& model, std::string* out) {
  RewriteCounts counts;
  auto rewritten = RewriteModel(model, &counts);
  EXPECT_EQ(rewritten.has_value(), counts.total() > 0);
  if (rewritten && out) *out = *rewritten;
  return counts;
}

// How many patterns the one rewrite `field` found in `model`, expecting no other rewrite to apply.
inline int RewritesOf(int RewriteCounts::*field, const std::string& model, std::string* out = nullptr) {
  const RewriteCounts counts = RunRewrites(model, out);
  EXPECT_EQ(counts.total(), counts.*field);
  return counts.*field;
}

}  // namespace ocr::graph::testing_onnx
