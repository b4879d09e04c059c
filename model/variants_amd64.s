#include "textflag.h"

// Kernels for the piecewise-linear variants (leaky ReLU, PReLU, the
// two-sided ReLU) on 256-bit vectors (AVX). They pick between two results
// with a compare mask instead of a branch, and compute each result with the
// same single operation as the scalar loops in activation.go and
// actlayer.go, so they agree with them bit for bit. The compare is
// predicate 30 (greater-than, ordered): false for NaN, -0 and +0, like Go's
// v > 0. Go callers pass lengths that are multiples of 16 (8 for the
// per-row kernels) and finish the tail. With stream set, the destinations
// are written with non-temporal stores and must be 32-byte aligned.

// LEAKYFWD16 sets y = z where z > 0, else Y14*z, for 16 values at SI, to DI.
#define LEAKYFWD16(STORE) \
	VMOVUPD 0(SI), Y0; \
	VMOVUPD 32(SI), Y1; \
	VMOVUPD 64(SI), Y2; \
	VMOVUPD 96(SI), Y3; \
	VMULPD  Y14, Y0, Y4; \
	VMULPD  Y14, Y1, Y5; \
	VMULPD  Y14, Y2, Y6; \
	VMULPD  Y14, Y3, Y7; \
	VCMPPD  $30, Y15, Y0, Y8; \
	VCMPPD  $30, Y15, Y1, Y9; \
	VCMPPD  $30, Y15, Y2, Y10; \
	VCMPPD  $30, Y15, Y3, Y11; \
	VBLENDVPD Y8, Y0, Y4, Y4; \
	VBLENDVPD Y9, Y1, Y5, Y5; \
	VBLENDVPD Y10, Y2, Y6, Y6; \
	VBLENDVPD Y11, Y3, Y7, Y7; \
	STORE   Y4, 0(DI); \
	STORE   Y5, 32(DI); \
	STORE   Y6, 64(DI); \
	STORE   Y7, 96(DI)

// func leakyForwardAVX(y, z []float64, alpha float64, stream bool)
TEXT ·leakyForwardAVX(SB), NOSPLIT, $0-57
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	VBROADCASTSD alpha+48(FP), Y14
	MOVBLZX stream+56(FP), AX
	SHRQ $4, CX
	JZ   lfdone
	VXORPD Y15, Y15, Y15
	TESTL AX, AX
	JNZ  lfstream
lfloop:
	LEAKYFWD16(VMOVUPD)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  lfloop
	VZEROUPPER
	RET
lfstream:
	PREFETCHNTA 512(SI)
	LEAKYFWD16(VMOVNTPD)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  lfstream
	SFENCE
	VZEROUPPER
lfdone:
	RET

// LEAKYBWD16 sets dz = dy where z > 0, else Y14*dy, for 16 values: z at
// DX, dy at SI, dz to DI.
#define LEAKYBWD16(STORE) \
	VMOVUPD 0(DX), Y0; \
	VMOVUPD 32(DX), Y1; \
	VMOVUPD 64(DX), Y2; \
	VMOVUPD 96(DX), Y3; \
	VMOVUPD 0(SI), Y4; \
	VMOVUPD 32(SI), Y5; \
	VMOVUPD 64(SI), Y6; \
	VMOVUPD 96(SI), Y7; \
	VCMPPD  $30, Y15, Y0, Y0; \
	VCMPPD  $30, Y15, Y1, Y1; \
	VCMPPD  $30, Y15, Y2, Y2; \
	VCMPPD  $30, Y15, Y3, Y3; \
	VMULPD  Y14, Y4, Y8; \
	VMULPD  Y14, Y5, Y9; \
	VMULPD  Y14, Y6, Y10; \
	VMULPD  Y14, Y7, Y11; \
	VBLENDVPD Y0, Y4, Y8, Y8; \
	VBLENDVPD Y1, Y5, Y9, Y9; \
	VBLENDVPD Y2, Y6, Y10, Y10; \
	VBLENDVPD Y3, Y7, Y11, Y11; \
	STORE   Y8, 0(DI); \
	STORE   Y9, 32(DI); \
	STORE   Y10, 64(DI); \
	STORE   Y11, 96(DI)

// func leakyBackwardAVX(dz, dy, z []float64, alpha float64, stream bool)
TEXT ·leakyBackwardAVX(SB), NOSPLIT, $0-81
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ z_base+48(FP), DX
	MOVQ dy_len+32(FP), CX
	VBROADCASTSD alpha+72(FP), Y14
	MOVBLZX stream+80(FP), AX
	SHRQ $4, CX
	JZ   lbdone
	VXORPD Y15, Y15, Y15
	TESTL AX, AX
	JNZ  lbstream
lbloop:
	LEAKYBWD16(VMOVUPD)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	DECQ CX
	JNZ  lbloop
	VZEROUPPER
	RET
lbstream:
	PREFETCHNTA 512(DX)
	PREFETCHNTA 512(SI)
	LEAKYBWD16(VMOVNTPD)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	DECQ CX
	JNZ  lbstream
	SFENCE
	VZEROUPPER
lbdone:
	RET

// PRELUFWD4 sets y = z where z > 0, else a*z, for 4 values at byte offset
// OFF: z at SI, a at DX, y to DI.
#define PRELUFWD4(OFF, Z, P, M, STORE) \
	VMOVUPD OFF(SI), Z; \
	VMULPD  OFF(DX), Z, P; \
	VCMPPD  $30, Y15, Z, M; \
	VBLENDVPD M, Z, P, P; \
	STORE   P, OFF(DI)

// func preluForwardAVX(y, z, a []float64, stream bool)
TEXT ·preluForwardAVX(SB), NOSPLIT, $0-73
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ a_base+48(FP), DX
	MOVQ z_len+32(FP), CX
	MOVBLZX stream+72(FP), AX
	SHRQ $3, CX
	JZ   pfdone
	VXORPD Y15, Y15, Y15
	TESTL AX, AX
	JNZ  pfstream
pfloop:
	PRELUFWD4(0, Y0, Y1, Y2, VMOVUPD)
	PRELUFWD4(32, Y3, Y4, Y5, VMOVUPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	DECQ CX
	JNZ  pfloop
	VZEROUPPER
	RET
pfstream:
	PRELUFWD4(0, Y0, Y1, Y2, VMOVNTPD)
	PRELUFWD4(32, Y3, Y4, Y5, VMOVNTPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	DECQ CX
	JNZ  pfstream
	SFENCE
	VZEROUPPER
pfdone:
	RET

// PRELUBWD4 handles 4 values at byte offset OFF: dz = dy where z > 0, else
// a*dy, and da += dy*z where !(z > 0) (+0 elsewhere, which leaves da, never
// -0, unchanged). z at DX, dy at SI, a at R8, da at R9, dz to DI.
#define PRELUBWD4(OFF, Z, G, M, P, STORE) \
	VMOVUPD OFF(DX), Z; \
	VMOVUPD OFF(SI), G; \
	VCMPPD  $30, Y15, Z, M; \
	VMULPD  OFF(R8), G, P; \
	VBLENDVPD M, G, P, P; \
	STORE   P, OFF(DI); \
	VMULPD  Z, G, G; \
	VANDNPD G, M, G; \
	VADDPD  OFF(R9), G, G; \
	VMOVUPD G, OFF(R9)

// func preluBackwardAVX(dz, dy, z, a, da []float64, stream bool)
TEXT ·preluBackwardAVX(SB), NOSPLIT, $0-121
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ z_base+48(FP), DX
	MOVQ a_base+72(FP), R8
	MOVQ da_base+96(FP), R9
	MOVQ dy_len+32(FP), CX
	MOVBLZX stream+120(FP), AX
	SHRQ $3, CX
	JZ   pbdone
	VXORPD Y15, Y15, Y15
	TESTL AX, AX
	JNZ  pbstream
pbloop:
	PRELUBWD4(0, Y0, Y1, Y2, Y3, VMOVUPD)
	PRELUBWD4(32, Y4, Y5, Y6, Y7, VMOVUPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, R9
	DECQ CX
	JNZ  pbloop
	VZEROUPPER
	RET
pbstream:
	PRELUBWD4(0, Y0, Y1, Y2, Y3, VMOVNTPD)
	PRELUBWD4(32, Y4, Y5, Y6, Y7, VMOVNTPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, R9
	DECQ CX
	JNZ  pbstream
	SFENCE
	VZEROUPPER
pbdone:
	RET

// TWOFWD4 handles 4 values at byte offset OFF of z (SI): pos = z where
// z > 0, else +0, to DI; neg = z where !(z > 0), else +0, to DX.
#define TWOFWD4(OFF, Z, M, STORE) \
	VMOVUPD OFF(SI), Z; \
	VCMPPD  $30, Y15, Z, M; \
	VANDNPD Z, M, Y14; \
	VANDPD  M, Z, Z; \
	STORE   Z, OFF(DI); \
	STORE   Y14, OFF(DX)

// func twoSidedForwardAVX(pos, neg, z []float64, stream bool)
TEXT ·twoSidedForwardAVX(SB), NOSPLIT, $0-73
	MOVQ pos_base+0(FP), DI
	MOVQ neg_base+24(FP), DX
	MOVQ z_base+48(FP), SI
	MOVQ z_len+56(FP), CX
	MOVBLZX stream+72(FP), AX
	SHRQ $3, CX
	JZ   tfdone
	VXORPD Y15, Y15, Y15
	TESTL AX, AX
	JNZ  tfstream
tfloop:
	TWOFWD4(0, Y0, Y1, VMOVUPD)
	TWOFWD4(32, Y2, Y3, VMOVUPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	DECQ CX
	JNZ  tfloop
	VZEROUPPER
	RET
tfstream:
	TWOFWD4(0, Y0, Y1, VMOVNTPD)
	TWOFWD4(32, Y2, Y3, VMOVNTPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	DECQ CX
	JNZ  tfstream
	SFENCE
	VZEROUPPER
tfdone:
	RET

// TWOBWD4 handles 4 values at byte offset OFF: dz = gpos where z > 0, else
// gneg. z at DX, gpos at SI, gneg at R8, dz to DI.
#define TWOBWD4(OFF, Z, P, STORE) \
	VMOVUPD OFF(DX), Z; \
	VMOVUPD OFF(R8), P; \
	VCMPPD  $30, Y15, Z, Z; \
	VBLENDVPD Z, OFF(SI), P, P; \
	STORE   P, OFF(DI)

// func twoSidedBackwardAVX(dz, gpos, gneg, z []float64, stream bool)
TEXT ·twoSidedBackwardAVX(SB), NOSPLIT, $0-97
	MOVQ dz_base+0(FP), DI
	MOVQ gpos_base+24(FP), SI
	MOVQ gneg_base+48(FP), R8
	MOVQ z_base+72(FP), DX
	MOVQ z_len+80(FP), CX
	MOVBLZX stream+96(FP), AX
	SHRQ $3, CX
	JZ   tbdone
	VXORPD Y15, Y15, Y15
	TESTL AX, AX
	JNZ  tbstream
tbloop:
	TWOBWD4(0, Y0, Y1, VMOVUPD)
	TWOBWD4(32, Y2, Y3, VMOVUPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	DECQ CX
	JNZ  tbloop
	VZEROUPPER
	RET
tbstream:
	TWOBWD4(0, Y0, Y1, VMOVNTPD)
	TWOBWD4(32, Y2, Y3, VMOVNTPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	DECQ CX
	JNZ  tbstream
	SFENCE
	VZEROUPPER
tbdone:
	RET

// ELUBWD4 handles 4 values at byte offset OFF: dz = dy*Y14 where z > 0,
// else dy*(y + Y15). z at DX, dy at SI, y at R8, dz to DI.
#define ELUBWD4(OFF, Z, G, P, STORE) \
	VMOVUPD OFF(DX), Z; \
	VMOVUPD OFF(SI), G; \
	VMOVUPD OFF(R8), P; \
	VADDPD  Y15, P, P; \
	VMULPD  G, P, P; \
	VMULPD  Y14, G, G; \
	VCMPPD  $30, Y13, Z, Z; \
	VBLENDVPD Z, G, P, P; \
	STORE   P, OFF(DI)

// func eluBackwardAVX(dz, dy, z, y []float64, scale, alpha float64, stream bool)
TEXT ·eluBackwardAVX(SB), NOSPLIT, $0-113
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ z_base+48(FP), DX
	MOVQ y_base+72(FP), R8
	MOVQ dy_len+32(FP), CX
	VBROADCASTSD scale+96(FP), Y14
	VBROADCASTSD alpha+104(FP), Y15
	MOVBLZX stream+112(FP), AX
	SHRQ $3, CX
	JZ   ebdone
	VXORPD Y13, Y13, Y13
	TESTL AX, AX
	JNZ  ebstream
ebloop:
	ELUBWD4(0, Y0, Y1, Y2, VMOVUPD)
	ELUBWD4(32, Y3, Y4, Y5, VMOVUPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	DECQ CX
	JNZ  ebloop
	VZEROUPPER
	RET
ebstream:
	PREFETCHNTA 512(DX)
	PREFETCHNTA 512(SI)
	PREFETCHNTA 512(R8)
	ELUBWD4(0, Y0, Y1, Y2, VMOVNTPD)
	ELUBWD4(32, Y3, Y4, Y5, VMOVNTPD)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	DECQ CX
	JNZ  ebstream
	SFENCE
	VZEROUPPER
ebdone:
	RET
