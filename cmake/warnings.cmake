# Project code builds with -Wall -Wextra -Werror; third-party code does not.
function(bpfhost_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wswitch)
endfunction()
