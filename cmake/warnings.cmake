# Project code builds with -Wall -Wextra -Werror; third-party code does not.
function(bpfhost_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wswitch)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 at -O2/-O3 reports false positives inside libstdc++ (std::string
    # concatenation: GCC bug 105329; std::variant copies).
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
    if(BPFHOST_SANITIZE)
      # With the sanitizers GCC 12 follows impossible paths into libstdc++
      # (v.resize(v.size() - 1) "may" memset 2^64-2 bytes: -Wstringop-overflow,
      # -Warray-bounds); ASan checks every such access at run time instead.
      target_compile_options(${target} PRIVATE -Wno-stringop-overflow -Wno-array-bounds)
    endif()
  endif()
endfunction()
