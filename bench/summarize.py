#!/usr/bin/env python3
"""Turns Google Benchmark JSON from bpfhost_bench into a table of ns per run,
ns per executed instruction and the ratio to the native baseline measured in
the same run. Usage: summarize.py RESULT.json"""
import json
import sys


def main(path):
    with open(path) as f:
        data = json.load(f)
    rows = [b for b in data["benchmarks"] if b.get("aggregate_name") == "median"]
    for b in rows:  # with repetitions, report the median of each benchmark
        b["name"] = b["run_name"]
    if not rows:
        rows = [b for b in data["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
    native = {}
    for b in rows:
        family, _, rest = b["name"].partition("_Native")
        if _:
            native[family + rest] = b["real_time"]
    print(f"{'benchmark':45} {'ns/run':>12} {'ns/insn':>8} {'x native':>9}")
    for b in rows:
        name = b["name"]
        ns = b["real_time"]
        insns = b.get("insns_per_run")
        per_insn = f"{ns / insns:8.2f}" if insns else " " * 8
        family = name.split("_Interpreter")[0]
        last = name[name.rfind("/") + 1:] if "/" in name else ""
        arg = "/" + last if last.isdigit() else ""  # the frame size, not the mode
        base = native.get(family + arg)
        ratio = f"{ns / base:9.2f}" if base and "_Native" not in name else " " * 9
        print(f"{name:45} {ns:12.1f} {per_insn} {ratio}")


if __name__ == "__main__":
    main(sys.argv[1])
