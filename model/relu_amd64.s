#include "textflag.h"

// ReLU on 256-bit vectors (AVX), 16 float64 per loop iteration. The Go
// callers pass lengths that are multiples of 16 and finish the tail in Go.

// func reluForwardAVX(y, z []float64)
// y[i] = z[i] where !(z[i] <= 0) (so NaN passes), else +0.
TEXT ·reluForwardAVX(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $4, CX
	JZ   done
	VXORPD Y15, Y15, Y15
loop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	// predicate 6: not less-or-equal, unordered (true for NaN)
	VCMPPD  $6, Y15, Y0, Y4
	VCMPPD  $6, Y15, Y1, Y5
	VCMPPD  $6, Y15, Y2, Y6
	VCMPPD  $6, Y15, Y3, Y7
	VANDPD  Y4, Y0, Y0
	VANDPD  Y5, Y1, Y1
	VANDPD  Y6, Y2, Y2
	VANDPD  Y7, Y3, Y3
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER
done:
	RET

// func reluBackwardAVX(dz, dy, z []float64)
// dz[i] = dy[i] where z[i] > 0 (ordered), else +0.
TEXT ·reluBackwardAVX(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), SI
	MOVQ z_base+48(FP), DX
	MOVQ dy_len+32(FP), CX
	SHRQ $4, CX
	JZ   bdone
	VXORPD Y15, Y15, Y15
bloop:
	VMOVUPD 0(DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	// predicate 30: greater-than, ordered (false for NaN, -0 and +0)
	VCMPPD  $30, Y15, Y0, Y0
	VCMPPD  $30, Y15, Y1, Y1
	VCMPPD  $30, Y15, Y2, Y2
	VCMPPD  $30, Y15, Y3, Y3
	VANDPD  0(SI), Y0, Y0
	VANDPD  32(SI), Y1, Y1
	VANDPD  64(SI), Y2, Y2
	VANDPD  96(SI), Y3, Y3
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	DECQ CX
	JNZ  bloop
	VZEROUPPER
bdone:
	RET

// func reluForwardAVXStream(y, z []float64)
// As reluForwardAVX, with non-temporal stores: for arrays far larger than the
// caches, writing around them saves reading y's old contents. y must be
// 32-byte aligned.
TEXT ·reluForwardAVXStream(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $4, CX
	JZ   sdone
	VXORPD Y15, Y15, Y15
sloop:
	PREFETCHNTA 512(SI)
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VCMPPD  $6, Y15, Y0, Y4
	VCMPPD  $6, Y15, Y1, Y5
	VCMPPD  $6, Y15, Y2, Y6
	VCMPPD  $6, Y15, Y3, Y7
	VANDPD  Y4, Y0, Y0
	VANDPD  Y5, Y1, Y1
	VANDPD  Y6, Y2, Y2
	VANDPD  Y7, Y3, Y3
	VMOVNTPD Y0, 0(DI)
	VMOVNTPD Y1, 32(DI)
	VMOVNTPD Y2, 64(DI)
	VMOVNTPD Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  sloop
	SFENCE
	VZEROUPPER
sdone:
	RET

// func reluBackwardAVXStream(dz, dy, z []float64)
// As reluBackwardAVX with non-temporal stores; dz must be 32-byte aligned.
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
	VMOVUPD 0(DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	VCMPPD  $30, Y15, Y0, Y0
	VCMPPD  $30, Y15, Y1, Y1
	VCMPPD  $30, Y15, Y2, Y2
	VCMPPD  $30, Y15, Y3, Y3
	VANDPD  0(SI), Y0, Y0
	VANDPD  32(SI), Y1, Y1
	VANDPD  64(SI), Y2, Y2
	VANDPD  96(SI), Y3, Y3
	VMOVNTPD Y0, 0(DI)
	VMOVNTPD Y1, 32(DI)
	VMOVNTPD Y2, 64(DI)
	VMOVNTPD Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, DX
	DECQ CX
	JNZ  tloop
	SFENCE
	VZEROUPPER
tdone:
	RET
