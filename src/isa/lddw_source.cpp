#include "isa/lddw_source.hpp"

namespace bpfhost::isa::detail {
namespace {

std::string signed_text(int32_t v) {
  return (v < 0 ? "" : "+") + std::to_string(v);
}

// The second-slot imm of a kind that gives it no meaning.
std::string unused_suffix(int32_t next_imm) {
  return next_imm == 0 ? std::string() : signed_text(next_imm);
}

Result<int32_t> signed_imm(Cursor &c) {
  BPFHOST_TRY(lit, c.signed_literal("an offset"));
  return to_imm32(lit);
}

Result<int32_t> optional_suffix(Cursor &c) {
  c.skip_space();
  std::string_view rest = c.rest();
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-'))
    return 0;
  return signed_imm(c);
}

Result<void> expect(Cursor &c, std::string_view lit) {
  if (c.eat(lit))
    return {};
  return syntax_error("expected '" + std::string(lit) + "', found '" +
                      std::string(c.peek_token()) + "'");
}

// map[fd:N], map[fd:N][0]+M, map[idx:N], map[idx:N][0]+M
Result<PseudoLddw> parse_map(Cursor &c) {
  PseudoLddw out;
  bool by_index = c.eat_word("idx");
  if (!by_index && !c.eat_word("fd"))
    return syntax_error("expected 'fd:' or 'idx:' after 'map[', found '" +
                        std::string(c.peek_token()) + "'");
  if (auto r = expect(c, ":"); !r)
    return r.error();
  BPFHOST_TRY(imm, c.imm32());
  if (auto r = expect(c, "]"); !r)
    return r.error();
  out.imm = imm;
  if (c.eat("[0]")) {
    out.kind = by_index ? LddwKind::MapIdxValue : LddwKind::MapValue;
    BPFHOST_TRY(off, signed_imm(c));
    out.next_imm = off;
    return out;
  }
  out.kind = by_index ? LddwKind::MapIdx : LddwKind::MapFd;
  BPFHOST_TRY(suffix, optional_suffix(c));
  out.next_imm = suffix;
  return out;
}

Result<PseudoLddw> parse_btf(Cursor &c) {
  if (auto r = expect(c, "id:"); !r)
    return r.error();
  BPFHOST_TRY(imm, c.imm32());
  if (auto r = expect(c, "]"); !r)
    return r.error();
  BPFHOST_TRY(suffix, optional_suffix(c));
  return PseudoLddw{LddwKind::BtfId, imm, suffix, std::nullopt};
}

Result<PseudoLddw> parse_subprog(Cursor &c) {
  BPFHOST_TRY(target, c.target(false));
  if (auto r = expect(c, "]"); !r)
    return r.error();
  BPFHOST_TRY(imm,
              target_to_imm32(target.offset, std::to_string(target.offset)));
  BPFHOST_TRY(suffix, optional_suffix(c));
  return PseudoLddw{LddwKind::Func, imm, suffix, target.label};
}

// PREVAIL: "map_fd N" and "map_val(N) + M".
Result<PseudoLddw> parse_prevail_map(Cursor &c, bool value) {
  if (!value) {
    BPFHOST_TRY(imm, c.imm32());
    return PseudoLddw{LddwKind::MapFd, imm, 0, std::nullopt};
  }
  if (auto r = expect(c, "("); !r)
    return r.error();
  BPFHOST_TRY(imm, c.imm32());
  if (auto r = expect(c, ")"); !r)
    return r.error();
  BPFHOST_TRY(off, optional_suffix(c));
  return PseudoLddw{LddwKind::MapValue, imm, off, std::nullopt};
}

} // namespace

std::string format_pseudo_lddw(const LoadImm64 &insn) {
  const std::string imm = std::to_string(insn.imm);
  switch (insn.kind) {
  case LddwKind::Imm:
    return std::to_string(insn.value());
  case LddwKind::MapFd:
    return "map[fd:" + imm + "]" + unused_suffix(insn.next_imm);
  case LddwKind::MapValue:
    return "map[fd:" + imm + "][0]" + signed_text(insn.next_imm);
  case LddwKind::BtfId:
    return "btf[id:" + imm + "]" + unused_suffix(insn.next_imm);
  case LddwKind::Func:
    return "subprog[" + signed_text(insn.imm) + "]" +
           unused_suffix(insn.next_imm);
  case LddwKind::MapIdx:
    return "map[idx:" + imm + "]" + unused_suffix(insn.next_imm);
  case LddwKind::MapIdxValue:
    return "map[idx:" + imm + "][0]" + signed_text(insn.next_imm);
  }
  return {};
}

Result<std::optional<PseudoLddw>> parse_pseudo_lddw(Cursor &c) {
  Result<PseudoLddw> parsed = syntax_error("");
  if (c.eat("map["))
    parsed = parse_map(c);
  else if (c.eat("btf["))
    parsed = parse_btf(c);
  else if (c.eat("subprog["))
    parsed = parse_subprog(c);
  else if (c.eat_word("map_fd"))
    parsed = parse_prevail_map(c, false);
  else if (c.eat_word("map_val"))
    parsed = parse_prevail_map(c, true);
  else
    return std::optional<PseudoLddw>();
  if (!parsed)
    return parsed.error();
  return std::optional<PseudoLddw>(std::move(parsed).value());
}

} // namespace bpfhost::isa::detail
