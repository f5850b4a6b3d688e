# ALU-heavy loop: 50,000 rounds of xorshift64 with a running sum.
# r1 points to an 8-byte seed, so that nothing is constant-folded.
ldxdw %r1, [%r1+0]
mov %r0, 0
mov %r2, 50000
loop:
mov %r3, %r1
lsh %r3, 13
xor %r1, %r3
mov %r3, %r1
rsh %r3, 7
xor %r1, %r3
mov %r3, %r1
lsh %r3, 17
xor %r1, %r3
add %r0, %r1
sub %r2, 1
jne %r2, 0, loop
exit
