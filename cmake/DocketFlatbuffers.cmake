# docket_flatbuffers(<target> <schema.fbs>...)
# Generates C++ headers from FlatBuffers schemas into the build tree and exposes them through
# <target> (an INTERFACE library) as <name>_generated.h. Also copies the binary schema (.bfbs)
# so tools can render payloads by reflection.
find_program(FLATC flatc REQUIRED)
function(docket_flatbuffers target)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/generated/${target})
  set(headers)
  foreach(schema ${ARGN})
    get_filename_component(abs ${schema} ABSOLUTE)
    get_filename_component(name ${schema} NAME_WE)
    list(APPEND headers ${out_dir}/${name}_generated.h ${out_dir}/${name}.bfbs)
    add_custom_command(
      OUTPUT ${out_dir}/${name}_generated.h ${out_dir}/${name}.bfbs
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
      COMMAND ${FLATC} --cpp --gen-mutable --gen-object-api --scoped-enums --cpp-std c++17
              --reflect-names -o ${out_dir} ${abs}
      COMMAND ${FLATC} --binary --schema -o ${out_dir} ${abs}
      DEPENDS ${abs}
      COMMENT "flatc ${name}.fbs"
      VERBATIM)
  endforeach()
  add_custom_target(${target}_gen DEPENDS ${headers})
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_gen)
  target_include_directories(${target} INTERFACE ${out_dir})
  target_link_libraries(${target} INTERFACE flatbuffers::flatbuffers)
endfunction()
