// Object loader fixture: global data in .data, .rodata, .bss and a string
// literal section, reached by lddw with the map-value source.
// <linux/bpf.h> first: libbpf's headers use its types.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

volatile __u32 hits = 0x11111111;          // .data
volatile __u64 total = 0x2222222222222222; // .data
const volatile __u32 limit = 0x33333333;   // .rodata
volatile __u64 scratch[4];                 // .bss

SEC("xdp")
int globals(struct xdp_md *ctx) {
  hits++;
  total += ctx->ingress_ifindex;
  scratch[2] = limit;
  bpf_printk("hits %u", hits);
  // A literal passed as a pointer lands in .rodata.str1.1.
  bpf_trace_printk("limit %u\n", sizeof("limit %u\n"), limit);
  return hits > limit ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
