# BPF programs written in C (tests/progs, examples), compiled by clang for the
# BPF target into the build tree. Uses the system's <linux/bpf.h> and libbpf's
# <bpf/bpf_helpers.h> for now; <linux/bpf.h> includes <asm/types.h>, which lives
# in the host's multiarch folder that -target bpf does not search.
find_program(BPFHOST_BPF_CLANG NAMES clang clang-16 clang-15 clang-14)
find_path(BPFHOST_ASM_TYPES_DIR asm/types.h
  PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE} /usr/include/x86_64-linux-gnu
        /usr/include/aarch64-linux-gnu
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)

# bpfhost_bpf_objects(TARGET OUTPUT_DIR SOURCES ...): a custom target that
# builds FILE.o in OUTPUT_DIR from each FILE.c. Without clang the target is
# empty and the tests that need the objects skip (and fail under CI=true).
function(bpfhost_bpf_objects target)
  cmake_parse_arguments(B "" "OUTPUT_DIR" "SOURCES" ${ARGN})
  set(outputs)
  if(BPFHOST_BPF_CLANG AND BPFHOST_ASM_TYPES_DIR)
    foreach(src ${B_SOURCES})
      get_filename_component(stem ${src} NAME_WE)
      set(out ${B_OUTPUT_DIR}/${stem}.o)
      add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${B_OUTPUT_DIR}
        COMMAND ${BPFHOST_BPF_CLANG} -O2 -g -target bpf -Wall -Werror
                -I${BPFHOST_ASM_TYPES_DIR} -c ${src} -o ${out}
        DEPENDS ${src}
        COMMENT "BPF program ${stem}.o"
        VERBATIM)
      list(APPEND outputs ${out})
    endforeach()
  endif()
  add_custom_target(${target} DEPENDS ${outputs})
endfunction()
