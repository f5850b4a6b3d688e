#include "runtime/test_run.hpp"

#include <cstring>
#include <string>

#include "platform/clock.hpp"

namespace bpfhost::runtime {
namespace {

constexpr size_t kEthHeaderLen = 14; // ETH_HLEN

void put(uint8_t *host, const bpfhost_ctx_field &field, uint64_t value) {
  std::memcpy(host + field.host_offset, &value, field.host_size);
}

uint64_t get(const uint8_t *host, const bpfhost_ctx_field &field) {
  uint64_t value = 0;
  std::memcpy(&value, host + field.host_offset, field.host_size);
  return value;
}

const bpfhost_ctx_field *find(const bpfhost_program_type &type, uint32_t kind) {
  for (size_t i = 0; i < type.field_count; ++i)
    if (type.fields[i].kind == kind)
      return &type.fields[i];
  return nullptr;
}

} // namespace

Result<TestRunResult> test_run(Runtime &runtime, const LoadedProgram &program,
                               const TestRunOptions &options) {
  const auto &type = *program.type;
  const auto *data_field = find(type, BPFHOST_CTX_PACKET_DATA);
  const auto *end_field = find(type, BPFHOST_CTX_PACKET_END);
  if (data_field == nullptr || end_field == nullptr)
    return make_error(ErrorCode::NotSupported,
                      std::string("test-run with data_in for program type ") +
                          type.name);
  const size_t max_data =
      type.packet_frame_size - type.packet_headroom - type.packet_tailroom;
  if (options.data_in.size() < kEthHeaderLen)
    return make_error(ErrorCode::InvalidInput,
                      "data_in is shorter than an Ethernet header (" +
                          std::to_string(options.data_in.size()) + " bytes)");
  if (options.data_in.size() > max_data)
    return make_error(ErrorCode::OutOfRange, "data_in is larger than " +
                                                 std::to_string(max_data) +
                                                 " bytes");
  if (options.ctx_in && options.ctx_in->size() != type.ctx_size)
    return make_error(ErrorCode::InvalidInput,
                      "ctx_in must be " + std::to_string(type.ctx_size) +
                          " bytes");

  std::vector<uint8_t> frame(type.packet_frame_size, 0);
  uint8_t *data = frame.data() + type.packet_headroom;
  std::memcpy(data, options.data_in.data(), options.data_in.size());
  const auto start = reinterpret_cast<uint64_t>(frame.data());
  const auto begin = reinterpret_cast<uint64_t>(data);
  const uint64_t end = begin + options.data_in.size();

  HostContext ctx(type);
  for (size_t i = 0; i < type.field_count; ++i) {
    const auto &field = type.fields[i];
    switch (field.kind) {
    case BPFHOST_CTX_PACKET_DATA:
    case BPFHOST_CTX_PACKET_META:
      put(ctx.host(), field, begin);
      break;
    case BPFHOST_CTX_PACKET_END:
      put(ctx.host(), field, end);
      break;
    case BPFHOST_CTX_FRAME_START:
      put(ctx.host(), field, start);
      break;
    case BPFHOST_CTX_FRAME_END:
      put(ctx.host(), field,
          start + type.packet_frame_size - type.packet_tailroom);
      break;
    default: {
      uint64_t value = field.test_run_default;
      if (options.ctx_in && field.offset != BPFHOST_CTX_HOST_ONLY) {
        value = 0;
        std::memcpy(&value, options.ctx_in->data() + field.offset, field.size);
      }
      put(ctx.host(), field, value);
    }
    }
  }

  const vm::MemoryRegion packet{begin, options.data_in.size(), true};
  const uint32_t repeat = options.repeat == 0 ? 1 : options.repeat;
  TestRunResult result;
  uint64_t total_ns = 0;
  for (uint32_t i = 0; i < repeat; ++i) {
    // Each run may access the packet as the previous runs left it.
    const uint64_t now_data = get(ctx.host(), *data_field);
    const uint64_t now_end = get(ctx.host(), *end_field);
    const vm::MemoryRegion current{now_data, now_end - now_data, true};
    const vm::MemoryRegion regions[] = {i == 0 ? packet : current};
    const uint64_t t0 = platform::monotonic_ns();
    auto r0 = runtime.invoke(program, ctx, regions);
    total_ns += platform::monotonic_ns() - t0;
    if (!r0)
      return r0.error().within("test-run of " + program.name);
    result.retval = static_cast<uint32_t>(*r0);
  }
  const uint64_t out_data = get(ctx.host(), *data_field);
  const uint64_t out_end = get(ctx.host(), *end_field);
  result.data_out.assign(reinterpret_cast<const uint8_t *>(out_data),
                         reinterpret_cast<const uint8_t *>(out_end));
  result.duration_ns = total_ns / repeat;
  return result;
}

} // namespace bpfhost::runtime
