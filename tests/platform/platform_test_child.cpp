// A small program the process tests start: `platform_test_child MODE [ARGS]`.
//   cat          copies stdin to stdout
//   args A B ... prints each argument as "[A]\n"
//   exit N       exits with code N
//   sleep MS     sleeps, then exits 0
//   stderr TEXT  writes TEXT to stderr
//   cwd          prints the current directory
//   big N        writes N bytes to stdout without reading stdin
//   signal       raises SIGTERM
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

int main(int argc, char **argv) {
#ifdef _WIN32
  // Byte-exact pipes: no CRLF translation.
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  if (argc < 2)
    return 100;
  const std::string mode = argv[1];
  const char *arg = argc > 2 ? argv[2] : "";
  if (mode == "cat") {
    char buffer[65536];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
      std::fwrite(buffer, 1, got, stdout);
  } else if (mode == "args") {
    for (int i = 2; i < argc; ++i)
      std::printf("[%s]\n", argv[i]);
  } else if (mode == "exit") {
    return std::atoi(arg);
  } else if (mode == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(arg)));
  } else if (mode == "stderr") {
    std::fputs(arg, stderr);
  } else if (mode == "cwd") {
    std::fputs(std::filesystem::current_path().string().c_str(), stdout);
  } else if (mode == "big") {
    std::string chunk(4096, 'x');
    for (long left = std::atol(arg); left > 0; left -= 4096)
      std::fwrite(chunk.data(), 1, left < 4096 ? left : 4096, stdout);
  } else if (mode == "signal") {
    std::fflush(stdout);
    std::raise(SIGTERM);
  } else {
    return 101;
  }
  return std::fflush(stdout) == 0 ? 0 : 102;
}
