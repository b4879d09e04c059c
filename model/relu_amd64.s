#include "textflag.h"

// ReLU on 256-bit vectors (AVX), 16 float64 per loop iteration. The Go
// callers pass lengths that are multiples of 16 and finish the tail in Go.
// Each kernel comes in two forms that differ only in how they store: plain
// stores, and non-temporal ones (VMOVNTPD) for arrays far larger than the
// caches, where writing around them saves reading the destination's old
// contents; the destination must then be 32-byte aligned.

// RELUFWD16 sets y = z where !(z <= 0) (predicate 6, not less-or-equal,
// unordered: NaN passes), else +0, for 16 values at SI, to DI.
#define RELUFWD16(STORE) \
	VMOVUPD 0(SI), Y0; \
	VMOVUPD 32(SI), Y1; \
	VMOVUPD 64(SI), Y2; \
	VMOVUPD 96(SI), Y3; \
	VCMPPD  $6, Y15, Y0, Y4; \
	VCMPPD  $6, Y15, Y1, Y5; \
	VCMPPD  $6, Y15, Y2, Y6; \
	VCMPPD  $6, Y15, Y3, Y7; \
	VANDPD  Y4, Y0, Y0; \
	VANDPD  Y5, Y1, Y1; \
	VANDPD  Y6, Y2, Y2; \
	VANDPD  Y7, Y3, Y3; \
	STORE   Y0, 0(DI); \
	STORE   Y1, 32(DI); \
	STORE   Y2, 64(DI); \
	STORE   Y3, 96(DI)

// RELUBWD16 sets dz = dy where z > 0 (predicate 30, greater-than, ordered:
// false for NaN, -0 and +0), else +0, for 16 values: z at DX, dy at SI, dz
// to DI.
#define RELUBWD16(STORE) \
	VMOVUPD 0(DX), Y0; \
	VMOVUPD 32(DX), Y1; \
	VMOVUPD 64(DX), Y2; \
	VMOVUPD 96(DX), Y3; \
	VCMPPD  $30, Y15, Y0, Y0; \
	VCMPPD  $30, Y15, Y1, Y1; \
	VCMPPD  $30, Y15, Y2, Y2; \
	VCMPPD  $30, Y15, Y3, Y3; \
	VANDPD  0(SI), Y0, Y0; \
	VANDPD  32(SI), Y1, Y1; \
	VANDPD  64(SI), Y2, Y2; \
	VANDPD  96(SI), Y3, Y3; \
	STORE   Y0, 0(DI); \
	STORE   Y1, 32(DI); \
	STORE   Y2, 64(DI); \
	STORE   Y3, 96(DI)

// func reluForwardAVX(y, z []float64)
TEXT ·reluForwardAVX(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $4, CX
	JZ   done
	VXORPD Y15, Y15, Y15
loop:
	RELUFWD16(VMOVUPD)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER
done:
	RET

// func reluForwardAVXStream(y, z []float64)
TEXT ·reluForwardAVXStream(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $4, CX
	JZ   sdone
	VXORPD Y15, Y15, Y15
sloop:
	PREFETCHNTA 512(SI)
	RELUFWD16(VMOVNTPD)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  sloop
	SFENCE
	VZEROUPPER
sdone:
	RET

// func reluBackwardAVX(dz, dy, z []float64)
TEXT ·reluBackwardAVX(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ z_base+48(FP), DX
	MOVQ dy_len+32(FP), CX
	SHRQ $4, CX
	JZ   bdone
	VXORPD Y15, Y15, Y15
bloop:
	RELUBWD16(VMOVUPD)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	DECQ CX
	JNZ  bloop
	VZEROUPPER
bdone:
	RET

// func reluBackwardAVXStream(dz, dy, z []float64)
TEXT ·reluBackwardAVXStream(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ z_base+48(FP), DX
	MOVQ dy_len+32(FP), CX
	SHRQ $4, CX
	JZ   tdone
	VXORPD Y15, Y15, Y15
tloop:
	PREFETCHNTA 512(DX)
	PREFETCHNTA 512(SI)
	RELUBWD16(VMOVNTPD)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	DECQ CX
	JNZ  tloop
	SFENCE
	VZEROUPPER
tdone:
	RET

// The masked ReLU kernels: the forward pass also records, one bit per
// element, where z > 0; the backward pass then reads that bitmask (1/64 of
// the data) instead of z, so it moves as many bytes as a copy. Lengths are
// multiples of 64 (one mask word).

// reluBitTable[i] holds, in lane j, all ones if bit j of i is set.
DATA reluBitTable<>+0(SB)/8, $0x0000000000000000
DATA reluBitTable<>+8(SB)/8, $0x0000000000000000
DATA reluBitTable<>+16(SB)/8, $0x0000000000000000
DATA reluBitTable<>+24(SB)/8, $0x0000000000000000
DATA reluBitTable<>+32(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+40(SB)/8, $0x0000000000000000
DATA reluBitTable<>+48(SB)/8, $0x0000000000000000
DATA reluBitTable<>+56(SB)/8, $0x0000000000000000
DATA reluBitTable<>+64(SB)/8, $0x0000000000000000
DATA reluBitTable<>+72(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+80(SB)/8, $0x0000000000000000
DATA reluBitTable<>+88(SB)/8, $0x0000000000000000
DATA reluBitTable<>+96(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+104(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+112(SB)/8, $0x0000000000000000
DATA reluBitTable<>+120(SB)/8, $0x0000000000000000
DATA reluBitTable<>+128(SB)/8, $0x0000000000000000
DATA reluBitTable<>+136(SB)/8, $0x0000000000000000
DATA reluBitTable<>+144(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+152(SB)/8, $0x0000000000000000
DATA reluBitTable<>+160(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+168(SB)/8, $0x0000000000000000
DATA reluBitTable<>+176(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+184(SB)/8, $0x0000000000000000
DATA reluBitTable<>+192(SB)/8, $0x0000000000000000
DATA reluBitTable<>+200(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+208(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+216(SB)/8, $0x0000000000000000
DATA reluBitTable<>+224(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+232(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+240(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+248(SB)/8, $0x0000000000000000
DATA reluBitTable<>+256(SB)/8, $0x0000000000000000
DATA reluBitTable<>+264(SB)/8, $0x0000000000000000
DATA reluBitTable<>+272(SB)/8, $0x0000000000000000
DATA reluBitTable<>+280(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+288(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+296(SB)/8, $0x0000000000000000
DATA reluBitTable<>+304(SB)/8, $0x0000000000000000
DATA reluBitTable<>+312(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+320(SB)/8, $0x0000000000000000
DATA reluBitTable<>+328(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+336(SB)/8, $0x0000000000000000
DATA reluBitTable<>+344(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+352(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+360(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+368(SB)/8, $0x0000000000000000
DATA reluBitTable<>+376(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+384(SB)/8, $0x0000000000000000
DATA reluBitTable<>+392(SB)/8, $0x0000000000000000
DATA reluBitTable<>+400(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+408(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+416(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+424(SB)/8, $0x0000000000000000
DATA reluBitTable<>+432(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+440(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+448(SB)/8, $0x0000000000000000
DATA reluBitTable<>+456(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+464(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+472(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+480(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+488(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+496(SB)/8, $0xFFFFFFFFFFFFFFFF
DATA reluBitTable<>+504(SB)/8, $0xFFFFFFFFFFFFFFFF
GLOBL reluBitTable<>(SB), RODATA|NOPTR, $512

// MASKFWD4 handles 4 values at byte offset OFF: stores relu(z) with STORE
// and ORs their 4 "z > 0" bits, shifted by SHIFT, into R8.
#define MASKFWD4(OFF, SHIFT, STORE) \
	VMOVUPD OFF(SI), Y0; \
	VCMPPD  $6, Y15, Y0, Y1; \
	VCMPPD  $30, Y15, Y0, Y2; \
	VANDPD  Y1, Y0, Y0; \
	STORE   Y0, OFF(DI); \
	VMOVMSKPD Y2, AX; \
	SHLQ    $SHIFT, AX; \
	ORQ     AX, R8

#define MASKFWD64(STORE) \
	XORQ R8, R8; \
	MASKFWD4(0, 0, STORE); MASKFWD4(32, 4, STORE); MASKFWD4(64, 8, STORE); MASKFWD4(96, 12, STORE); \
	MASKFWD4(128, 16, STORE); MASKFWD4(160, 20, STORE); MASKFWD4(192, 24, STORE); MASKFWD4(224, 28, STORE); \
	MASKFWD4(256, 32, STORE); MASKFWD4(288, 36, STORE); MASKFWD4(320, 40, STORE); MASKFWD4(352, 44, STORE); \
	MASKFWD4(384, 48, STORE); MASKFWD4(416, 52, STORE); MASKFWD4(448, 56, STORE); MASKFWD4(480, 60, STORE); \
	MOVQ R8, (DX)

// func reluMaskForwardAVX(y, z []float64, mask []uint64)
TEXT ·reluMaskForwardAVX(SB), NOSPLIT, $0-72
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ mask_base+48(FP), DX
	MOVQ mask_len+56(FP), CX
	TESTQ CX, CX
	JZ   mfdone
	VXORPD Y15, Y15, Y15
mfloop:
	MASKFWD64(VMOVUPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  mfloop
	VZEROUPPER
mfdone:
	RET

// func reluMaskForwardAVXStream(y, z []float64, mask []uint64)
// y must be 32-byte aligned.
TEXT ·reluMaskForwardAVXStream(SB), NOSPLIT, $0-72
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ mask_base+48(FP), DX
	MOVQ mask_len+56(FP), CX
	TESTQ CX, CX
	JZ   msdone
	VXORPD Y15, Y15, Y15
msloop:
	PREFETCHNTA 1024(SI)
	PREFETCHNTA 1088(SI)
	MASKFWD64(VMOVNTPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  msloop
	SFENCE
	VZEROUPPER
msdone:
	RET

// MASKBWD4 handles 4 values at byte offset OFF: dz = dy where the next 4
// bits of R8 are set, else +0; R8 is then shifted on.
#define MASKBWD4(OFF, STORE) \
	MOVQ    R8, AX; \
	ANDQ    $15, AX; \
	SHLQ    $5, AX; \
	VMOVUPD (R9)(AX*1), Y1; \
	VANDPD  OFF(SI), Y1, Y0; \
	STORE   Y0, OFF(DI); \
	SHRQ    $4, R8

#define MASKBWD64(STORE) \
	MOVQ (DX), R8; \
	MASKBWD4(0, STORE); MASKBWD4(32, STORE); MASKBWD4(64, STORE); MASKBWD4(96, STORE); \
	MASKBWD4(128, STORE); MASKBWD4(160, STORE); MASKBWD4(192, STORE); MASKBWD4(224, STORE); \
	MASKBWD4(256, STORE); MASKBWD4(288, STORE); MASKBWD4(320, STORE); MASKBWD4(352, STORE); \
	MASKBWD4(384, STORE); MASKBWD4(416, STORE); MASKBWD4(448, STORE); MASKBWD4(480, STORE)

// func reluMaskBackwardAVX(dz, dy []float64, mask []uint64)
TEXT ·reluMaskBackwardAVX(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ mask_base+48(FP), DX
	MOVQ mask_len+56(FP), CX
	LEAQ reluBitTable<>(SB), R9
	TESTQ CX, CX
	JZ   mbdone
mbloop:
	MASKBWD64(VMOVUPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  mbloop
	VZEROUPPER
mbdone:
	RET

// func reluMaskBackwardAVXStream(dz, dy []float64, mask []uint64)
// dz must be 32-byte aligned.
TEXT ·reluMaskBackwardAVXStream(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ mask_base+48(FP), DX
	MOVQ mask_len+56(FP), CX
	LEAQ reluBitTable<>(SB), R9
	TESTQ CX, CX
	JZ   mtdone
mtloop:
	PREFETCHNTA 1024(SI)
	PREFETCHNTA 1088(SI)
	MASKBWD64(VMOVNTPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  mtloop
	SFENCE
	VZEROUPPER
mtdone:
	RET

// The masked leaky ReLU kernels: as the masked ReLU kernels, with y = z
// where z > 0, else Y14*z (forward), and dz = dy where the bit is set,
// else Y14*dy (backward); the products and the choice are those of the
// scalar loop, so the results match it bit for bit.

#define LMASKFWD4(OFF, SHIFT, STORE) \
	VMOVUPD OFF(SI), Y0; \
	VMULPD  Y14, Y0, Y1; \
	VCMPPD  $30, Y15, Y0, Y2; \
	VBLENDVPD Y2, Y0, Y1, Y1; \
	STORE   Y1, OFF(DI); \
	VMOVMSKPD Y2, AX; \
	SHLQ    $SHIFT, AX; \
	ORQ     AX, R8

#define LMASKFWD64(STORE) \
	XORQ R8, R8; \
	LMASKFWD4(0, 0, STORE); LMASKFWD4(32, 4, STORE); LMASKFWD4(64, 8, STORE); LMASKFWD4(96, 12, STORE); \
	LMASKFWD4(128, 16, STORE); LMASKFWD4(160, 20, STORE); LMASKFWD4(192, 24, STORE); LMASKFWD4(224, 28, STORE); \
	LMASKFWD4(256, 32, STORE); LMASKFWD4(288, 36, STORE); LMASKFWD4(320, 40, STORE); LMASKFWD4(352, 44, STORE); \
	LMASKFWD4(384, 48, STORE); LMASKFWD4(416, 52, STORE); LMASKFWD4(448, 56, STORE); LMASKFWD4(480, 60, STORE); \
	MOVQ R8, (DX)

// func leakyMaskForwardAVX(y, z []float64, mask []uint64, alpha float64, stream bool)
TEXT ·leakyMaskForwardAVX(SB), NOSPLIT, $0-81
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ mask_base+48(FP), DX
	MOVQ mask_len+56(FP), CX
	VBROADCASTSD alpha+72(FP), Y14
	MOVBLZX stream+80(FP), BX
	TESTQ CX, CX
	JZ   lmfdone
	VXORPD Y15, Y15, Y15
	TESTL BX, BX
	JNZ  lmfstream
lmfloop:
	LMASKFWD64(VMOVUPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  lmfloop
	VZEROUPPER
	RET
lmfstream:
	PREFETCHNTA 1024(SI)
	PREFETCHNTA 1088(SI)
	LMASKFWD64(VMOVNTPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  lmfstream
	SFENCE
	VZEROUPPER
lmfdone:
	RET

#define LMASKBWD4(OFF, STORE) \
	MOVQ    R8, AX; \
	ANDQ    $15, AX; \
	SHLQ    $5, AX; \
	VMOVUPD (R9)(AX*1), Y1; \
	VMOVUPD OFF(SI), Y0; \
	VMULPD  Y14, Y0, Y2; \
	VBLENDVPD Y1, Y0, Y2, Y2; \
	STORE   Y2, OFF(DI); \
	SHRQ    $4, R8

#define LMASKBWD64(STORE) \
	MOVQ (DX), R8; \
	LMASKBWD4(0, STORE); LMASKBWD4(32, STORE); LMASKBWD4(64, STORE); LMASKBWD4(96, STORE); \
	LMASKBWD4(128, STORE); LMASKBWD4(160, STORE); LMASKBWD4(192, STORE); LMASKBWD4(224, STORE); \
	LMASKBWD4(256, STORE); LMASKBWD4(288, STORE); LMASKBWD4(320, STORE); LMASKBWD4(352, STORE); \
	LMASKBWD4(384, STORE); LMASKBWD4(416, STORE); LMASKBWD4(448, STORE); LMASKBWD4(480, STORE)

// func leakyMaskBackwardAVX(dz, dy []float64, mask []uint64, alpha float64, stream bool)
TEXT ·leakyMaskBackwardAVX(SB), NOSPLIT, $0-81
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ mask_base+48(FP), DX
	MOVQ mask_len+56(FP), CX
	VBROADCASTSD alpha+72(FP), Y14
	MOVBLZX stream+80(FP), BX
	LEAQ reluBitTable<>(SB), R9
	TESTQ CX, CX
	JZ   lmbdone
	TESTL BX, BX
	JNZ  lmbstream
lmbloop:
	LMASKBWD64(VMOVUPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  lmbloop
	VZEROUPPER
	RET
lmbstream:
	PREFETCHNTA 1024(SI)
	PREFETCHNTA 1088(SI)
	LMASKBWD64(VMOVNTPD)
	ADDQ $512, SI
	ADDQ $512, DI
	ADDQ $8, DX
	DECQ CX
	JNZ  lmbstream
	SFENCE
	VZEROUPPER
lmbdone:
	RET
