// libFuzzer target: random bytes as an instruction stream. Property: decode
// gives an error or instructions, never a crash; what decodes re-encodes to
// the same slots; validate agrees with decode on the first bad slot.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "isa/decode.hpp"
#include "isa/encode.hpp"
#include "isa/validate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace bpfhost::isa;
  const auto slots = raw_insns_from_bytes({data, size - size % 8});
  auto decoded = decode(slots);
  auto valid = validate(slots);
  if (valid.ok() && !decoded.ok())
    std::abort(); // validate accepted what decode rejects
  if (decoded.ok() && encode(*decoded) != slots)
    std::abort(); // the round trip lost or changed a field
  return 0;
}
