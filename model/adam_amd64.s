#include "textflag.h"

// Adam's update on 256-bit vectors (AVX), four values at a time. Each value
// goes through the same operations, in the same order, as the scalar loop
// in optim.go (Adam.Step), every one of them correctly rounded (multiply,
// add, subtract, divide, square root; no fused multiply-add), so the two
// agree bit for bit. The constants are k[0..7] = beta1, 1-beta1, beta2,
// 1-beta2, lr, c1, c2, eps. The Go caller passes lengths that are
// multiples of 4 and finishes the tail.

// func adamStepAVX(p, g, m, v []float64, k *[8]float64)
TEXT ·adamStepAVX(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ g_len+32(FP), CX
	MOVQ k+96(FP), AX
	VBROADCASTSD 0(AX), Y8   // beta1
	VBROADCASTSD 8(AX), Y9   // 1-beta1
	VBROADCASTSD 16(AX), Y10 // beta2
	VBROADCASTSD 24(AX), Y11 // 1-beta2
	VBROADCASTSD 32(AX), Y12 // lr
	VBROADCASTSD 40(AX), Y13 // c1
	VBROADCASTSD 48(AX), Y14 // c2
	VBROADCASTSD 56(AX), Y15 // eps
	SHRQ $2, CX
	JZ   adone
aloop:
	VMOVUPD 0(SI), Y0        // g
	VMOVUPD 0(R8), Y1        // m
	VMOVUPD 0(R9), Y2        // v
	// m = beta1*m + (1-beta1)*g
	VMULPD  Y8, Y1, Y1
	VMULPD  Y9, Y0, Y4
	VADDPD  Y4, Y1, Y1
	VMOVUPD Y1, 0(R8)
	// v = beta2*v + ((1-beta2)*g)*g
	VMULPD  Y10, Y2, Y2
	VMULPD  Y11, Y0, Y5
	VMULPD  Y0, Y5, Y5
	VADDPD  Y5, Y2, Y2
	VMOVUPD Y2, 0(R9)
	// p -= (lr * (m/c1)) / (sqrt(v/c2) + eps)
	VDIVPD  Y13, Y1, Y6
	VMULPD  Y6, Y12, Y6
	VDIVPD  Y14, Y2, Y7
	VSQRTPD Y7, Y7
	VADDPD  Y15, Y7, Y7
	VDIVPD  Y7, Y6, Y6
	VMOVUPD 0(DI), Y3
	VSUBPD  Y6, Y3, Y3
	VMOVUPD Y3, 0(DI)
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, DI
	DECQ CX
	JNZ  aloop
adone:
	VZEROUPPER
	RET
