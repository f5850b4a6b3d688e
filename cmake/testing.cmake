# GoogleTest, built from Debian's source package so that the same code serves
# the native and the MinGW builds.
set(BPFHOST_GTEST_SOURCE /usr/src/googletest CACHE PATH "GoogleTest sources")
set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
add_subdirectory(${BPFHOST_GTEST_SOURCE} ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
# Third-party code: its warnings are not ours to fix.
target_compile_options(gtest PRIVATE -w)
target_compile_options(gtest_main PRIVATE -w)

enable_testing()

# Windows test binaries run under Wine. Each Wine start without a running
# wineserver costs seconds (prefix check, server start, and CTest waiting for
# the server's copy of the output pipe to close), so the fixture test
# wine_prefix_init creates the prefix once and starts a persistent wineserver
# (with the system processes wineboot starts) whose output goes to a log file;
# every Wine test requires it, and wine_prefix_stop kills the server afterwards.
if(CMAKE_CROSSCOMPILING AND WIN32)
  find_program(BPFHOST_WINE NAMES wine64 wine PATHS /usr/lib/wine NO_DEFAULT_PATH)
  find_program(BPFHOST_WINE NAMES wine64 wine)
  find_program(BPFHOST_WINESERVER NAMES wineserver64 wineserver PATHS /usr/lib/wine NO_DEFAULT_PATH)
  find_program(BPFHOST_WINESERVER NAMES wineserver64 wineserver)
  if(NOT BPFHOST_WINE OR NOT BPFHOST_WINESERVER)
    message(FATAL_ERROR "Wine is needed to run the Windows tests: install wine64 (scripts/setup.sh)")
  endif()
  set(BPFHOST_WINEPREFIX ${CMAKE_BINARY_DIR}/wine-prefix CACHE PATH "Wine prefix for the tests")
  set(BPFHOST_WINE_ENVIRONMENT
    "WINEPREFIX=${BPFHOST_WINEPREFIX}"
    "WINEDEBUG=-all"
    "WINEDLLOVERRIDES=mscoree,mshtml,winemenubuilder.exe=d"
    "BPFHOST_WINE=${BPFHOST_WINE}"
    "BPFHOST_WINESERVER=${BPFHOST_WINESERVER}")
  set(wine_prefix_script ${PROJECT_SOURCE_DIR}/scripts/wine-prefix.sh)
  add_test(NAME wine_prefix_init COMMAND bash ${wine_prefix_script} start)
  add_test(NAME wine_prefix_stop COMMAND bash ${wine_prefix_script} stop)
  set_tests_properties(wine_prefix_init PROPERTIES FIXTURES_SETUP wine TIMEOUT 180
    LABELS wine ENVIRONMENT "${BPFHOST_WINE_ENVIRONMENT}")
  set_tests_properties(wine_prefix_stop PROPERTIES FIXTURES_CLEANUP wine TIMEOUT 60
    LABELS wine ENVIRONMENT "${BPFHOST_WINE_ENVIRONMENT}")
endif()

# bpfhost_add_test(NAME SOURCES ... LIBS ... [TIMEOUT s] [LABELS ...]): one
# test binary, one CTest entry (under Wine when cross-building).
function(bpfhost_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE BPFHOST_CORPUS_DIR="${BPFHOST_CORPUS}")
  bpfhost_warnings(${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(CMAKE_CROSSCOMPILING AND WIN32)
    add_test(NAME ${name} COMMAND ${BPFHOST_WINE} $<TARGET_FILE:${name}>)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED wine
      ENVIRONMENT "${BPFHOST_WINE_ENVIRONMENT};BPFHOST_CORPUS=${BPFHOST_CORPUS}")
    list(APPEND T_LABELS wine)
  else()
    add_test(NAME ${name} COMMAND ${name})
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}")
endfunction()
