#include "commands.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "extensions/xdp/xdp.h"
#include "isa/disasm.hpp"
#include "object/load_object.hpp"
#include "output.hpp"
#include "runtime/test_run.hpp"

namespace bpfhost::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int fail(int code, const Error &error) {
  std::cerr << "Error: " << error.to_string() << "\n";
  return code;
}

// One JSON document and a newline, indented with -p.
void print_json(const GlobalOptions &global, const std::string &json) {
  std::cout << (global.pretty ? pretty_json(json) : json + "\n");
}

Result<std::vector<uint8_t>> read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorCode::Io, "cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

Result<void> write_file(const std::string &path,
                        const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out)
    return make_error(ErrorCode::Io, "cannot write " + path);
  return {};
}

Result<object::ObjectSpec> open_object(const std::string &path) {
  BPFHOST_TRY(bytes, read_file(path));
  return object::load_object(bytes, path);
}

// The index of the program PROG names; with several and no name, an error
// listing them.
Result<size_t> select(const object::ObjectSpec &spec, const ProgRef &ref) {
  if (ref.name) {
    for (size_t i = 0; i < spec.programs.size(); ++i)
      if (spec.programs[i].name == *ref.name)
        return i;
    return make_error(ErrorCode::NotFound,
                      "no program " + *ref.name + " in " + ref.file);
  }
  if (spec.programs.size() == 1)
    return size_t{0};
  if (spec.programs.empty())
    return make_error(ErrorCode::NotFound, ref.file + " holds no program");
  std::string names;
  for (const auto &p : spec.programs)
    names += (names.empty() ? "" : ", ") + p.name;
  return make_error(ErrorCode::InvalidInput,
                    ref.file + " holds several programs (" + names +
                        "): give `program NAME`");
}

runtime::ProgramTypeRegistry make_registry() {
  runtime::ProgramTypeRegistry registry;
  (void)registry.add(bpfhost_xdp_program_type());
  return registry;
}

std::string type_name(const runtime::ProgramTypeRegistry &registry,
                      const std::string &section) {
  auto type = registry.find_by_section(section);
  return type ? (*type)->name : "unknown";
}

int prog_show(const Command &cmd) {
  auto spec = open_object(cmd.prog.file);
  if (!spec)
    return fail(kExitUsage, spec.error());
  auto registry = make_registry();
  std::string json = "[";
  bool first = true;
  for (const auto &p : spec->programs) {
    const std::string type = type_name(registry, p.section);
    if (cmd.global.json) {
      json += std::string(first ? "" : ",") +
              "{\"name\":" + json_string(p.name) +
              ",\"section\":" + json_string(p.section) +
              ",\"type\":" + json_string(type) +
              ",\"insns\":" + std::to_string(p.insns.size());
      if (p.error)
        json += ",\"error\":" + json_string(p.error->to_string());
      json += "}";
    } else {
      std::cout << p.name << ": " << type << "  section " << p.section
                << "  insns " << p.insns.size();
      if (p.error)
        std::cout << "  error: " << p.error->to_string();
      std::cout << "\n";
    }
    first = false;
  }
  if (cmd.global.json)
    print_json(cmd.global, json + "]");
  return kExitOk;
}

// The error located in `file`, unless it already is.
Error in_file(const Error &error, const std::string &file) {
  return error.location.starts_with(file) ? error : error.within(file);
}

struct Loaded {
  object::ObjectSpec spec;
  runtime::ProgramTypeRegistry registry;
  std::unique_ptr<runtime::Runtime> runtime;
  const runtime::LoadedProgram *program = nullptr;
};

// Opens PROG and loads it; the exit code on failure.
int load(const ProgRef &ref, Loaded &out) {
  auto spec = open_object(ref.file);
  if (!spec)
    return fail(kExitUsage, spec.error());
  out.spec = std::move(*spec);
  auto index = select(out.spec, ref);
  if (!index)
    return fail(kExitUsage, index.error());
  out.registry = make_registry();
  runtime::RuntimeOptions options;
  options.trace = [](std::string_view line) {
    std::cerr << line;
    if (!line.ends_with('\n'))
      std::cerr << "\n";
  };
  out.runtime =
      std::make_unique<runtime::Runtime>(out.registry, std::move(options));
  auto maps = out.runtime->load_maps(out.spec);
  if (!maps)
    return fail(kExitFailed, in_file(maps.error(), ref.file));
  auto program = out.runtime->load_program(out.spec, *index);
  if (!program)
    return fail(kExitFailed, in_file(program.error(), ref.file));
  out.program = *program;
  return kExitOk;
}

int prog_dump_xlated(const Command &cmd) {
  Loaded loaded;
  if (int code = load(cmd.prog, loaded); code != kExitOk)
    return code;
  isa::ListingOptions options;
  options.opcodes = true;
  std::cout << isa::disassemble_listing(loaded.program->xlated,
                                        isa::Syntax::Bpftool, options);
  return kExitOk;
}

int prog_run(const Command &cmd) {
  const RunArgs &args = cmd.run;
  auto data_in = read_file(args.data_in);
  if (!data_in)
    return fail(kExitUsage, data_in.error());
  runtime::TestRunOptions options;
  options.data_in = std::move(*data_in);
  options.repeat = args.repeat;
  if (args.ctx_in) {
    auto ctx = read_file(*args.ctx_in);
    if (!ctx)
      return fail(kExitUsage, ctx.error());
    options.ctx_in = std::move(*ctx);
  }
  if (args.ctx_out)
    return fail(kExitUsage, make_error(ErrorCode::NotSupported,
                                       "ctx_out is not supported yet"));
  Loaded loaded;
  if (int code = load(args.prog, loaded); code != kExitOk)
    return code;
  auto result = runtime::test_run(*loaded.runtime, *loaded.program, options);
  if (!result) {
    const auto code = result.error().code;
    const bool input =
        code == ErrorCode::InvalidInput || code == ErrorCode::OutOfRange;
    return fail(input ? kExitUsage : kExitFailed, result.error());
  }
  if (args.data_out) {
    auto written = write_file(*args.data_out, result->data_out);
    if (!written)
      return fail(kExitUsage, written.error());
  }
  if (cmd.global.json) {
    std::string json = "{\"retval\":" + std::to_string(result->retval) +
                       ",\"duration\":" + std::to_string(result->duration_ns);
    if (args.dump_maps)
      json += ",\"maps\":" + maps_json(*loaded.runtime);
    print_json(cmd.global, json + "}");
  } else {
    std::cout << "Return value: " << result->retval << ", duration"
              << (args.repeat > 1 ? " (average)" : "") << ": "
              << result->duration_ns << "ns\n";
    if (args.dump_maps)
      std::cout << maps_text(*loaded.runtime);
  }
  return kExitOk;
}

} // namespace

int run_command(const Command &cmd) {
  switch (cmd.kind) {
  case Command::Kind::ProgShow:
    return prog_show(cmd);
  case Command::Kind::ProgDumpXlated:
    return prog_dump_xlated(cmd);
  case Command::Kind::ProgRun:
    return prog_run(cmd);
  case Command::Kind::Help:
    std::cout << usage();
    return kExitOk;
  }
  return kExitUsage;
}

} // namespace bpfhost::cli
