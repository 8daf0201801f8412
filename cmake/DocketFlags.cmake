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
