#include "core/allocator.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ocr {

bool TuneAllocator() {
  static std::once_flag once;
  static bool applied = false;
  std::call_once(once, [] {
    const char* env = std::getenv("OCRKIT_MALLOC_TUNING");
    if (env != nullptr && std::strcmp(env, "0") == 0) return;
#if defined(__GLIBC__)
    applied = mallopt(M_ARENA_MAX, 1) == 1;
    if (env != nullptr && std::strcmp(env, "lean") == 0) applied = mallopt(M_MMAP_THRESHOLD, 1 << 20) == 1 && applied;
#endif
  });
  return applied;
}

void ReleaseFreeMemory() {
  const char* env = std::getenv("OCRKIT_MALLOC_TUNING");
  if (env != nullptr && std::strcmp(env, "0") == 0) return;
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace ocr
