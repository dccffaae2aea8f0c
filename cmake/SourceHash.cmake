# Hash of the native sources, embedded in the addon so a test can prove the
# committed prebuild was built from the tree (lib/source-hash.ts computes the
# same value). Format: sha256 over "<relative path>\n<sha256 of file>\n" for
# every file, sorted by path. The files: the C++ sources, the CMake files, and
# the recipe of the static dependencies linked into the addon
# (scripts/build-deps.sh and scripts/deps/: OpenCV's patches among them), where
# present (a source build from the npm package has no scripts/).
function(ocrkit_source_hash out_var)
  file(GLOB_RECURSE files RELATIVE "${PROJECT_SOURCE_DIR}"
       "${PROJECT_SOURCE_DIR}/cpp/*.h" "${PROJECT_SOURCE_DIR}/cpp/*.cc"
       "${PROJECT_SOURCE_DIR}/binding/*.h" "${PROJECT_SOURCE_DIR}/binding/*.cc"
       "${PROJECT_SOURCE_DIR}/cmake/*.cmake"
       "${PROJECT_SOURCE_DIR}/scripts/deps/*")
  list(APPEND files "CMakeLists.txt")
  if(EXISTS "${PROJECT_SOURCE_DIR}/scripts/build-deps.sh")
    list(APPEND files "scripts/build-deps.sh")
  endif()
  list(SORT files)
  set(manifest "")
  foreach(f IN LISTS files)
    file(SHA256 "${PROJECT_SOURCE_DIR}/${f}" h)
    string(APPEND manifest "${f}\n${h}\n")
    # Re-run the configure step when a source changes, so the hash stays true.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/${f}")
  endforeach()
  string(SHA256 digest "${manifest}")
  set(${out_var} "${digest}" PARENT_SCOPE)
endfunction()
