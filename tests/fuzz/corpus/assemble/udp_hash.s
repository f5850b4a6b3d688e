# Ethernet/IPv4/UDP parse, a 5-tuple mix and FNV-1a over the UDP payload.
# r1 = frame, r2 = its length. Returns the hash, or 0 for frames it rejects.
mov %r0, 0
mov %r9, %r1
add %r9, %r2
jlt %r2, 42, out
ldxh %r3, [%r1+12]
jne %r3, 0x0008, out
ldxb %r4, [%r1+14]
and %r4, 0x0f
jlt %r4, 5, out
lsh %r4, 2
ldxb %r3, [%r1+23]
jne %r3, 17, out
mov %r5, %r1
add %r5, 14
add %r5, %r4
mov %r6, %r5
add %r6, 8
jgt %r6, %r9, out
# 5-tuple mix: addresses, ports and protocol into the FNV offset basis.
lddw %r0, 0xcbf29ce484222325
lddw %r7, 0x100000001b3
ldxw %r3, [%r1+26]
xor %r0, %r3
mul %r0, %r7
ldxw %r3, [%r1+30]
xor %r0, %r3
mul %r0, %r7
ldxw %r3, [%r5+0]
xor %r0, %r3
mul %r0, %r7
xor %r0, 17
mul %r0, %r7
# FNV-1a over the payload, one byte at a time.
loop:
jge %r6, %r9, out
ldxb %r3, [%r6+0]
xor %r0, %r3
mul %r0, %r7
add %r6, 1
ja loop
out:
exit
