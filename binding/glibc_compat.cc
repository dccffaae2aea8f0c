// Lets the prebuilt addon load on older glibc than the one it is built on
// (README: glibc >= 2.28, the floor of onnxruntime-node's own library).
//
// The link step (CMakeLists.txt, OCRKIT_GLIBC_COMPAT) redirects, with
// -Wl,--wrap, every reference to a glibc symbol whose default version is
// newer than 2.28 to the __wrap_ function here, which calls the symbol's
// 2.2.5 version: glibc keeps those for binary compatibility, so the same
// binary runs on old and new systems alike. libstdc++ is linked statically
// (old systems have older ones), which is where most of these come from.
#if defined(OCRKIT_GLIBC_COMPAT)

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

// Declares `ocrkit_old_<name>` as glibc's `<name>@GLIBC_2.2.5`.
#define OCRKIT_OLD(name) __asm__(".symver ocrkit_old_" #name "," #name "@GLIBC_2.2.5")

extern "C" {

// libm 2.29 brought faster exp/log/pow under new versions; the old ones give the same results to rounding.
OCRKIT_OLD(exp);
OCRKIT_OLD(log);
OCRKIT_OLD(pow);
double ocrkit_old_exp(double);
double ocrkit_old_log(double);
double ocrkit_old_pow(double, double);
double __wrap_exp(double x) { return ocrkit_old_exp(x); }
double __wrap_log(double x) { return ocrkit_old_log(x); }
double __wrap_pow(double x, double y) { return ocrkit_old_pow(x, y); }

// stat and friends became symbols in 2.33; before, they were inline calls of __xstat(_STAT_VER, ...).
constexpr int kStatVersion = 1;  // _STAT_VER_LINUX on x86_64
OCRKIT_OLD(__xstat);
OCRKIT_OLD(__lxstat);
OCRKIT_OLD(__fxstat);
OCRKIT_OLD(__fxstat64);
int ocrkit_old___xstat(int, const char*, struct stat*);
int ocrkit_old___lxstat(int, const char*, struct stat*);
int ocrkit_old___fxstat(int, int, struct stat*);
int ocrkit_old___fxstat64(int, int, struct stat64*);
int __wrap_stat(const char* path, struct stat* buf) { return ocrkit_old___xstat(kStatVersion, path, buf); }
int __wrap_lstat(const char* path, struct stat* buf) { return ocrkit_old___lxstat(kStatVersion, path, buf); }
int __wrap_fstat(int fd, struct stat* buf) { return ocrkit_old___fxstat(kStatVersion, fd, buf); }
int __wrap_fstat64(int fd, struct stat64* buf) { return ocrkit_old___fxstat64(kStatVersion, fd, buf); }

// libdl and libpthread moved into libc in 2.34 under new versions.
OCRKIT_OLD(dlopen);
OCRKIT_OLD(dlsym);
OCRKIT_OLD(dlclose);
OCRKIT_OLD(dlerror);
OCRKIT_OLD(dladdr);
void* ocrkit_old_dlopen(const char*, int);
void* ocrkit_old_dlsym(void*, const char*);
int ocrkit_old_dlclose(void*);
char* ocrkit_old_dlerror(void);
int ocrkit_old_dladdr(const void*, Dl_info*);
void* __wrap_dlopen(const char* file, int mode) { return ocrkit_old_dlopen(file, mode); }
void* __wrap_dlsym(void* handle, const char* name) { return ocrkit_old_dlsym(handle, name); }
int __wrap_dlclose(void* handle) { return ocrkit_old_dlclose(handle); }
char* __wrap_dlerror(void) { return ocrkit_old_dlerror(); }
int __wrap_dladdr(const void* address, Dl_info* info) { return ocrkit_old_dladdr(address, info); }

OCRKIT_OLD(pthread_create);
OCRKIT_OLD(pthread_detach);
OCRKIT_OLD(pthread_join);
OCRKIT_OLD(pthread_once);
OCRKIT_OLD(pthread_key_create);
OCRKIT_OLD(pthread_key_delete);
OCRKIT_OLD(pthread_getspecific);
OCRKIT_OLD(pthread_setspecific);
int ocrkit_old_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int ocrkit_old_pthread_detach(pthread_t);
int ocrkit_old_pthread_join(pthread_t, void**);
int ocrkit_old_pthread_once(pthread_once_t*, void (*)(void));
int ocrkit_old_pthread_key_create(pthread_key_t*, void (*)(void*));
int ocrkit_old_pthread_key_delete(pthread_key_t);
void* ocrkit_old_pthread_getspecific(pthread_key_t);
int ocrkit_old_pthread_setspecific(pthread_key_t, const void*);
int __wrap_pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg) {
  return ocrkit_old_pthread_create(thread, attr, start, arg);
}
int __wrap_pthread_detach(pthread_t thread) { return ocrkit_old_pthread_detach(thread); }
int __wrap_pthread_join(pthread_t thread, void** result) { return ocrkit_old_pthread_join(thread, result); }
int __wrap_pthread_once(pthread_once_t* once, void (*init)(void)) { return ocrkit_old_pthread_once(once, init); }
int __wrap_pthread_key_create(pthread_key_t* key, void (*destructor)(void*)) {
  return ocrkit_old_pthread_key_create(key, destructor);
}
int __wrap_pthread_key_delete(pthread_key_t key) { return ocrkit_old_pthread_key_delete(key); }
void* __wrap_pthread_getspecific(pthread_key_t key) { return ocrkit_old_pthread_getspecific(key); }
int __wrap_pthread_setspecific(pthread_key_t key, const void* value) {
  return ocrkit_old_pthread_setspecific(key, value);
}

// libstdc++ reads it (2.32) to skip atomic reference counts in single-threaded
// processes; 0 ("may have threads") is always correct.
char __wrap___libc_single_threaded = 0;

// libstdc++'s std::random_device uses arc4random (2.36) where it was built
// with it; the getrandom system call is glibc's own source for it, and
// /dev/urandom the source of kernels older than getrandom (3.17).
uint32_t __wrap_arc4random(void) {
  uint32_t value = 0;
  for (;;) {
    const long got = syscall(SYS_getrandom, &value, sizeof value, 0);
    if (got == static_cast<long>(sizeof value)) return value;
    if (got < 0 && errno != EINTR) break;
  }
  const int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const ssize_t got = read(fd, &value, sizeof value);
    close(fd);
    if (got == static_cast<ssize_t>(sizeof value)) return value;
  }
  return value;
}

}  // extern "C"

#endif  // OCRKIT_GLIBC_COMPAT
