# Warning and sanitizer flags for Docket's own targets. Third-party headers come in as
# SYSTEM includes through their imported targets, so their warnings do not count.
add_library(docket_flags INTERFACE)
target_compile_options(docket_flags INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(DOCKET_WERROR)
  target_compile_options(docket_flags INTERFACE -Werror)
endif()
if(DOCKET_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# GCC 12 at -O2 reports the destructor of a value-initialised reply (a std::variant of a Beast
# response and a streamed response holding a shared_ptr) as reading an uninitialised pointer: a
# false positive of -Wmaybe-uninitialized across inlined variant storage, in code that never
# builds that alternative. Optimised builds with GCC before 13 leave that one warning out; the
# Debug and sanitizer builds, which run the tests, keep it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(docket_flags INTERFACE $<$<NOT:$<CONFIG:Debug>>:-Wno-maybe-uninitialized>)
endif()
