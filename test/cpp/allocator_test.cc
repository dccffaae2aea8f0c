#include "core/allocator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace ocr {
namespace {

TEST(TuneAllocator, AppliedOnceOnGlibcUnlessTurnedOff) {
  const char* env = std::getenv("OCRKIT_MALLOC_TUNING");
  const bool off = env != nullptr && std::string(env) == "0";
  const bool first = TuneAllocator();
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer replaces malloc; its mallopt accepts nothing, so nothing is applied.
  EXPECT_FALSE(first);
  (void)off;
#elif defined(__GLIBC__)
  EXPECT_EQ(first, !off);
#else
  EXPECT_FALSE(first);
#endif
  EXPECT_EQ(TuneAllocator(), first);  // idempotent: the decision is taken once per process
  // Large blocks still allocate, fill and free normally.
  std::vector<char> big(8 << 20, 'x');
  EXPECT_EQ(big[(8 << 20) - 1], 'x');
}

}  // namespace
}  // namespace ocr
