// libFuzzer target: the JIT against the interpreter on valid programs.
// Each 8 input bytes pick an opcode-table row and its operands; jumps and
// local calls only go forward and the program ends with exit, so every
// program terminates. Both engines run in checked mode on the same memory.
// Property: the same r0 and memory, or the same error (code and location;
// the message too unless it prints a host address, which differs between
// the engines' stacks); never a crash (ASan/UBSan would report it).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "isa/disasm.hpp"
#include "isa/opcode_table.hpp"
#include "jit/jit.hpp"
#include "vm/vm.hpp"

namespace {

using namespace bpfhost;
using isa::RawInsn;

uint64_t helper_mix(vm::RunContext &, uint64_t r1, uint64_t r2, uint64_t r3,
                    uint64_t, uint64_t) {
  return r1 * 3 + (r2 ^ r3);
}

bool is_jump(uint8_t opcode) {
  const auto cls = isa::insn_class(opcode);
  const uint8_t op = opcode & 0xf0;
  return (cls == isa::InsnClass::Jmp || cls == isa::InsnClass::Jmp32) &&
         op != 0x80 && op != 0x90;
}

// The engines' stacks start with different garbage, so a program must not
// read stack bytes it did not write: the entry zeroes the 64 bytes it uses
// (stdw [r10-8k], 0), and from the first local-call target on, loads and
// atomics use r1 instead of r10 as base (a callee's frame is not zeroed).
std::vector<RawInsn> without_uninitialized_reads(std::vector<RawInsn> body) {
  size_t first_callee = body.size();
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i].opcode == 0x85 && body[i].src() == 1)
      first_callee =
          std::min(first_callee, i + 1 + static_cast<size_t>(body[i].imm));
  }
  for (size_t i = first_callee; i < body.size(); ++i) {
    RawInsn &insn = body[i];
    const auto cls = isa::insn_class(insn.opcode);
    const bool atomic =
        cls == isa::InsnClass::Stx && (insn.opcode & 0xe0) == isa::kModeAtomic;
    if (cls == isa::InsnClass::Ldx && insn.src() == 10)
      insn.regs = static_cast<uint8_t>(insn.dst() | 1 << 4);
    if (atomic && insn.dst() == 10)
      insn.regs = static_cast<uint8_t>(1 | insn.src() << 4);
  }
  std::vector<RawInsn> out;
  for (int16_t k = 1; k <= 8; ++k)
    out.push_back(RawInsn::make(0x7a, 10, 0, static_cast<int16_t>(-8 * k), 0));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// Turns input bytes into instruction slots, `n` of them before the final
// exit. Memory rows mostly use r1 (the memory) or r10 (the stack) as base.
std::vector<RawInsn> make_program(const uint8_t *data, size_t size) {
  const auto rows = isa::opcode_table();
  const size_t n = size / 8;
  std::vector<RawInsn> slots;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t *b = data + 8 * i;
    const isa::OpcodeRow &row = rows[b[0] % rows.size()];
    uint8_t dst = (row.uses & isa::kDst) ? b[1] % 10 : 0;
    // r10 only as a memory base: its value (the engine's own stack address)
    // must not reach a result.
    uint8_t src = (row.uses & isa::kSrc) ? (b[1] >> 4) % 10 : 0;
    int16_t off =
        (row.uses & isa::kOff) ? static_cast<int16_t>(b[2] | b[3] << 8) : 0;
    int32_t imm = 0;
    if (row.uses & isa::kImm)
      std::memcpy(&imm, b + 4, 4);
    if (b[4] & 1)
      imm = static_cast<int8_t>(b[5]); // small values hit more edge cases
    const auto cls = isa::insn_class(row.opcode);
    const bool memory = cls == isa::InsnClass::Ldx ||
                        cls == isa::InsnClass::St || cls == isa::InsnClass::Stx;
    if (memory) {
      const uint8_t base = b[2] % 3 == 0 ? 10 : b[2] % 3 == 1 ? 1 : b[6] % 10;
      (cls == isa::InsnClass::Ldx ? src : dst) = base;
      off = static_cast<int16_t>(base == 10 ? -8 * (1 + b[3] % 8)
                                            : static_cast<int8_t>(b[3]) % 72);
    }
    const size_t left = n - i; // slots after this one, the final exit included
    if (is_jump(row.opcode)) {
      const int32_t forward = static_cast<int32_t>(b[3] % left);
      if (row.opcode == 0x06)
        imm = forward;
      else
        off = static_cast<int16_t>(forward);
    }
    switch (row.selector) {
    case isa::Selector::None:
      break;
    case isa::Selector::Src:
      src = static_cast<uint8_t>(row.selector_value);
      break;
    case isa::Selector::Off:
      off = static_cast<int16_t>(row.selector_value);
      break;
    case isa::Selector::Imm:
      imm = row.selector_value;
      break;
    }
    if (row.opcode == 0x85 && row.selector_value == 0)
      imm = b[5] % 3; // helper 1 exists
    if (row.opcode == 0x85 && row.selector_value == 1)
      imm = static_cast<int32_t>(b[5] % left);
    if (row.opcode == 0x18) {
      if (i + 1 >= n)
        break;
      slots.push_back(RawInsn::make(row.opcode, dst, src, off, imm));
      slots.push_back(RawInsn::make(0, 0, 0, 0, static_cast<int8_t>(b[7])));
      ++i;
      continue;
    }
    slots.push_back(RawInsn::make(row.opcode, dst, src, off, imm));
  }
  slots.push_back(RawInsn::make(0x95, 0, 0, 0, 0));
  return without_uninitialized_reads(std::move(slots));
}

struct Outcome {
  Result<uint64_t> r0 = uint64_t{0};
  std::vector<uint8_t> memory;
};

Outcome run(const vm::Program *interpreted,
            const jit::CompiledProgram *compiled, std::vector<uint8_t> &memory,
            const std::vector<uint8_t> &initial,
            const vm::HelperTable &helpers) {
  memory = initial;
  const vm::MemoryRegion region{reinterpret_cast<uint64_t>(memory.data()),
                                memory.size(), true};
  vm::RunEnv env;
  env.mode = vm::MemoryMode::Checked;
  env.r1 = region.start;
  env.r2 = memory.size();
  env.regions = {&region, 1};
  env.helpers = &helpers;
  env.packet = {initial.data(), 48};
  env.insn_budget = 100000;
  Outcome out;
  out.r0 = interpreted ? vm::run(*interpreted, env) : jit::run(*compiled, env);
  out.memory = memory;
  return out;
}

[[noreturn]] void mismatch(const std::string &what) {
  std::fprintf(stderr, "jit_fuzz: engines disagree: %s\n", what.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::vector<RawInsn> slots = make_program(data, size);
  if (std::getenv("JIT_FUZZ_PRINT")) // shows the program of a reproducer
    std::fprintf(stderr, "%s\n",
                 isa::disassemble(slots, isa::Syntax::Conformance).c_str());
  auto interpreted = vm::Program::load(slots);
  auto compiled = jit::CompiledProgram::compile(slots);
  if (interpreted.ok() != compiled.ok())
    mismatch("one engine loads the program, the other does not");
  if (!interpreted)
    return 0;
  vm::HelperTable helpers;
  (void)helpers.set(1, helper_mix);
  std::vector<uint8_t> initial(64);
  for (size_t i = 0; i < initial.size(); ++i)
    initial[i] = static_cast<uint8_t>(i * 37 + 11);
  static std::vector<uint8_t> memory; // one buffer: same addresses for both
  const Outcome a = run(&*interpreted, nullptr, memory, initial, helpers);
  const Outcome b = run(nullptr, &*compiled, memory, initial, helpers);
  if (a.r0.ok() != b.r0.ok())
    mismatch(a.r0.ok() ? "interpreter r0, JIT " + b.r0.error().to_string()
                       : "JIT r0, interpreter " + a.r0.error().to_string());
  if (a.r0.ok()) {
    if (*a.r0 != *b.r0)
      mismatch("r0 " + std::to_string(*a.r0) + " vs " + std::to_string(*b.r0));
    if (a.memory != b.memory)
      mismatch("memory");
    return 0;
  }
  const Error &ea = a.r0.error();
  const Error &eb = b.r0.error();
  if (ea.code != eb.code)
    mismatch(ea.to_string() + " vs " + eb.to_string());
  if (ea.code == ErrorCode::ResourceExhausted)
    return 0; // the JIT charges whole blocks
  if (ea.location != eb.location)
    mismatch(ea.to_string() + " vs " + eb.to_string());
  const bool host_address = ea.message.find("0x") != std::string::npos ||
                            eb.message.find("0x") != std::string::npos;
  if (!host_address && ea.message != eb.message)
    mismatch(ea.to_string() + " vs " + eb.to_string());
  return 0;
}
