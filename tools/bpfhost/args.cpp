#include "args.hpp"

#include <charconv>

namespace bpfhost::cli {
namespace {

Error bad(std::string message) {
  return make_error(ErrorCode::InvalidInput, std::move(message));
}

class Cursor {
public:
  explicit Cursor(const std::vector<std::string> &args) : args_(args) {}
  bool done() const { return i_ >= args_.size(); }
  const std::string &peek() const { return args_[i_]; }
  std::string next() { return args_[i_++]; }
  // The value after a keyword, or an error naming the keyword.
  Result<std::string> value_of(const std::string &keyword) {
    if (done())
      return bad("expected a value after " + keyword);
    return next();
  }

private:
  const std::vector<std::string> &args_;
  size_t i_ = 0;
};

Result<ProgRef> parse_prog(Cursor &c) {
  if (c.done())
    return bad("expected an object file (PROG := FILE.o [program NAME])");
  ProgRef ref{c.next(), std::nullopt};
  if (!c.done() && c.peek() == "program") {
    c.next();
    auto name = c.value_of("program");
    if (!name)
      return name.error();
    ref.name = *name;
  }
  return ref;
}

Result<RunArgs> parse_run(Cursor &c) {
  RunArgs run;
  auto prog = parse_prog(c);
  if (!prog)
    return prog.error();
  run.prog = *prog;
  bool have_data_in = false;
  while (!c.done()) {
    std::string keyword = c.next();
    if (keyword == "dump_maps") {
      run.dump_maps = true;
      continue;
    }
    if (keyword != "data_in" && keyword != "data_out" && keyword != "ctx_in" &&
        keyword != "ctx_out" && keyword != "repeat")
      return bad("unknown keyword " + keyword);
    auto value = c.value_of(keyword);
    if (!value)
      return value.error();
    if (keyword == "data_in") {
      run.data_in = *value;
      have_data_in = true;
    } else if (keyword == "data_out") {
      run.data_out = *value;
    } else if (keyword == "ctx_in") {
      run.ctx_in = *value;
    } else if (keyword == "ctx_out") {
      run.ctx_out = *value;
    } else {
      const char *end = value->data() + value->size();
      auto [ptr, ec] = std::from_chars(value->data(), end, run.repeat);
      if (ec != std::errc() || ptr != end)
        return bad("repeat needs a number, not " + *value);
    }
  }
  if (!have_data_in)
    return bad("prog run needs data_in FILE");
  return run;
}

} // namespace

const char *usage() {
  return "Usage: bpfhost [-j] [-p] [--exec interpret] OBJECT COMMAND\n"
         "       bpfhost prog show FILE\n"
         "       bpfhost prog dump xlated PROG\n"
         "       bpfhost prog run PROG data_in FILE [data_out FILE] "
         "[ctx_in FILE] [ctx_out FILE] [repeat N] [dump_maps]\n"
         "       PROG := FILE.o [program NAME]\n";
}

Result<Command> parse_args(const std::vector<std::string> &args) {
  Cursor c(args);
  Command cmd;
  while (!c.done() && c.peek().starts_with("-")) {
    std::string opt = c.next();
    if (opt == "-j" || opt == "--json") {
      cmd.global.json = true;
    } else if (opt == "-p" || opt == "--pretty") {
      cmd.global.json = cmd.global.pretty = true;
    } else if (opt == "--exec") {
      auto mode = c.value_of(opt);
      if (!mode)
        return mode.error();
      if (*mode != "interpret")
        return bad("--exec " + *mode + " is not supported yet (interpret)");
      cmd.global.exec = *mode;
    } else if (opt == "--extension") {
      // TODO(#3): plugin loading comes with the extension issue.
      return bad("--extension is not supported yet");
    } else if (opt == "-h" || opt == "--help") {
      return cmd;
    } else {
      return bad("unknown option " + opt);
    }
  }
  if (c.done())
    return bad("expected an object (prog)");
  std::string object = c.next();
  if (object != "prog")
    return bad("unknown object " + object);
  if (c.done())
    return bad("expected a command (show, dump, run)");
  std::string verb = c.next();
  if (verb == "show") {
    if (c.done())
      return bad("prog show needs FILE");
    cmd.kind = Command::Kind::ProgShow;
    cmd.prog.file = c.next();
  } else if (verb == "dump") {
    if (c.done() || c.next() != "xlated")
      return bad("prog dump supports xlated only");
    auto prog = parse_prog(c);
    if (!prog)
      return prog.error();
    cmd.kind = Command::Kind::ProgDumpXlated;
    cmd.prog = *prog;
  } else if (verb == "run") {
    auto run = parse_run(c);
    if (!run)
      return run.error();
    cmd.kind = Command::Kind::ProgRun;
    cmd.run = *run;
    return cmd;
  } else {
    return bad("unknown command prog " + verb);
  }
  if (!c.done())
    return bad("unexpected argument " + c.peek());
  return cmd;
}

} // namespace bpfhost::cli
