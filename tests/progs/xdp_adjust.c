// Pops a 4-byte prefix off the packet with bpf_xdp_adjust_head, grows the
// tail by 2 bytes, and bounces the packet (XDP_TX) after swapping MACs.
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_adjust(struct xdp_md *ctx) {
  if (bpf_xdp_adjust_head(ctx, 4))
    return XDP_ABORTED;
  if (bpf_xdp_adjust_tail(ctx, 2))
    return XDP_ABORTED;
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end)
    return XDP_ABORTED;
  unsigned char tmp[ETH_ALEN];
  __builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
  __builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
  __builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
  return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
