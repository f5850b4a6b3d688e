#include "object/linux_helpers.hpp"

namespace bpfhost::object {
namespace {

struct HelperName {
  std::string_view name;
  int32_t id;
};

constexpr HelperName kHelpers[] = {
#include "object/linux_helpers.inc"
};

} // namespace

std::optional<int32_t> linux_helper_id(std::string_view name) {
  for (const HelperName &h : kHelpers)
    if (h.name == name)
      return h.id;
  return std::nullopt;
}

} // namespace bpfhost::object
