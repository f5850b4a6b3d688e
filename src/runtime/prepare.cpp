#include "runtime/prepare.hpp"

#include <deque>
#include <optional>
#include <string>

namespace bpfhost::runtime {
namespace {

using isa::InsnClass;

constexpr uint8_t kLddw = 0x18;
constexpr uint8_t kExit = 0x95;
constexpr uint8_t kJa = 0x05;

uint32_t size_bytes(uint8_t opcode) {
  switch (opcode & 0x18) {
  case isa::kSizeW:
    return 4;
  case isa::kSizeH:
    return 2;
  case isa::kSizeB:
    return 1;
  default:
    return 8;
  }
}

uint8_t size_code(uint32_t bytes) {
  switch (bytes) {
  case 1:
    return isa::kSizeB;
  case 2:
    return isa::kSizeH;
  case 4:
    return isa::kSizeW;
  default:
    return isa::kSizeDW;
  }
}

Error at(size_t insn, std::string message) {
  return make_error(ErrorCode::Unsafe, std::move(message),
                    "insn " + std::to_string(insn));
}

} // namespace

Result<void> resolve_map_refs(std::vector<isa::RawInsn> &insns,
                              const object::ProgramSpec &spec,
                              const MapResolver &resolver) {
  for (const auto &ref : spec.map_refs) {
    if (ref.insn + 1 >= insns.size() || insns[ref.insn].opcode != kLddw)
      return make_error(ErrorCode::InvalidInput, "map reference is not an lddw",
                        "insn " + std::to_string(ref.insn));
    uint64_t imm = 0;
    if (ref.kind == object::MapRefKind::Fd) {
      imm = resolver.handle(ref.map);
    } else {
      auto address = resolver.value_address(ref.map);
      if (!address)
        return address.error().within("insn " + std::to_string(ref.insn));
      imm = *address + ref.offset;
    }
    auto &lo = insns[ref.insn];
    lo.regs = lo.dst(); // src 0: a plain 64-bit immediate
    lo.imm = static_cast<int32_t>(static_cast<uint32_t>(imm));
    insns[ref.insn + 1].imm = static_cast<int32_t>(imm >> 32);
  }
  return {};
}

Result<std::vector<bool>> rewrite_ctx_access(std::vector<isa::RawInsn> &insns,
                                             size_t entry_len,
                                             const bpfhost_program_type &type,
                                             uint32_t guard) {
  const size_t n = std::min(entry_len, insns.size());
  // Per slot: bitmask of registers surely holding the context pointer.
  std::vector<std::optional<uint16_t>> in(n);
  std::vector<bool> rewritten(insns.size(), false);
  std::deque<size_t> work;
  auto flow = [&](size_t to, uint16_t state) {
    if (to >= n)
      return;
    uint16_t merged = in[to] ? (*in[to] & state) : state;
    if (!in[to] || merged != *in[to]) {
      in[to] = merged;
      work.push_back(to);
    }
  };
  flow(0, 1u << 1);
  while (!work.empty()) {
    size_t i = work.front();
    work.pop_front();
    const auto insn = insns[i];
    uint16_t s = *in[i];
    const uint16_t dst = 1u << insn.dst(), src = 1u << insn.src();
    const auto cls = isa::insn_class(insn.opcode);
    if (insn.opcode == kLddw) {
      flow(i + 2, s & ~dst);
      continue;
    }
    switch (cls) {
    case InsnClass::Alu64:
    case InsnClass::Alu:
      if (insn.opcode == 0xbf && insn.off == 0) // mov64 dst, src
        s = (s & ~dst) | ((s & src) ? dst : 0);
      else
        s &= ~dst;
      flow(i + 1, s);
      break;
    case InsnClass::Ld:
    case InsnClass::Ldx:
      s &= ~dst;
      flow(i + 1, s);
      break;
    case InsnClass::St:
    case InsnClass::Stx:
      if ((insn.opcode & 0xe0) == isa::kModeAtomic &&
          (insn.imm & isa::kAtomicFetch))
        s &= insn.imm == isa::kAtomicCmpXchg ? ~1u : ~src;
      flow(i + 1, s);
      break;
    case InsnClass::Jmp:
    case InsnClass::Jmp32: {
      uint8_t op = insn.opcode & 0xf0;
      if (insn.opcode == kExit)
        break;
      if (op == 0x80) { // call and callx: r0-r5 are clobbered
        flow(i + 1, s & ~0x3fu);
        break;
      }
      int64_t off =
          (cls == InsnClass::Jmp32 && op == 0x00) ? insn.imm : insn.off;
      flow(static_cast<size_t>(static_cast<int64_t>(i) + 1 + off), s);
      if (insn.opcode != kJa && !(cls == InsnClass::Jmp32 && op == 0x00))
        flow(i + 1, s);
      break;
    }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (!in[i])
      continue;
    auto &insn = insns[i];
    const auto cls = isa::insn_class(insn.opcode);
    const bool load = cls == InsnClass::Ldx;
    const bool store = cls == InsnClass::St || cls == InsnClass::Stx;
    uint8_t base = load ? insn.src() : insn.dst();
    if ((!load && !store) || !(*in[i] & (1u << base)))
      continue;
    if ((insn.opcode & 0xe0) != isa::kModeMem)
      return at(i, "context access other than a plain load or store");
    const uint32_t size = size_bytes(insn.opcode);
    const bpfhost_ctx_field *field = nullptr;
    for (size_t f = 0; f < type.field_count; ++f)
      if (type.fields[f].offset == static_cast<uint32_t>(insn.off))
        field = &type.fields[f];
    if (field == nullptr || insn.off < 0 || field->size != size)
      return at(i,
                "invalid bpf_context access off=" + std::to_string(insn.off) +
                    " size=" + std::to_string(size));
    if (store && !field->writable)
      return at(i,
                std::string("context field ") + field->name + " is read-only");
    if (store && field->host_size != size)
      return at(i, std::string("store to context field ") + field->name +
                       " is not supported");
    insn.opcode = static_cast<uint8_t>((insn.opcode & ~0x18) |
                                       size_code(field->host_size));
    insn.off = static_cast<int16_t>(guard + field->host_offset);
    rewritten[i] = true;
  }
  return rewritten;
}

} // namespace bpfhost::runtime
