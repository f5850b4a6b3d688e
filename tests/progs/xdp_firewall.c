// Drops UDP packets to a configured destination port (global data in
// .rodata) and counts drops in .bss; decrements the IPv4 TTL of what passes,
// fixing the header checksum, through a .text subprogram.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

const volatile __u16 blocked_port = 53;
__u64 dropped = 0;

static __attribute__((noinline)) int decrement_ttl(struct iphdr *ip) {
  __u32 check = ip->check;
  check += bpf_htons(0x0100);
  ip->check = (__u16)(check + (check >= 0xFFFF));
  return --ip->ttl;
}

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
    return XDP_PASS;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end || ip->ihl != 5)
    return XDP_PASS;
  if (ip->protocol == IPPROTO_UDP) {
    struct udphdr *udp = (void *)(ip + 1);
    if ((void *)(udp + 1) > data_end)
      return XDP_ABORTED;
    if (udp->dest == bpf_htons(blocked_port)) {
      dropped++;
      return XDP_DROP;
    }
  }
  if (decrement_ttl(ip) == 0)
    return XDP_DROP;
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
