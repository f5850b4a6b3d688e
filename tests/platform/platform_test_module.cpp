// A shared library the dynamic-library tests load.
#ifdef _WIN32
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif

extern "C" EXPORT int bpfhost_test_answer() { return 42; }
