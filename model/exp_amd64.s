#include "textflag.h"

// Sigmoid and tanh on 256-bit vectors with FMA (AVX2), 8 float64 per loop
// iteration as two independent chains of 4. Both rest on expm1 of a
// non-positive argument: x = k ln2 + r with |r| <= ln2/2, expm1(r) by the
// Taylor polynomial to degree 13 (truncation below 2^-58 relative), then
// exp(x) = 2^k (1 + expm1(r)). Arguments below ln(2^-1022) are flushed (exp
// to 0, expm1 to -1), where the results differ from the scalar forms only
// below 1e-307. The Go callers pass lengths that are multiples of 8.

DATA signbit<>+0(SB)/8, $0x8000000000000000
DATA signbit<>+8(SB)/8, $0x8000000000000000
DATA signbit<>+16(SB)/8, $0x8000000000000000
DATA signbit<>+24(SB)/8, $0x8000000000000000
GLOBL signbit<>(SB), RODATA|NOPTR, $32
DATA absmask<>+0(SB)/8, $0x7FFFFFFFFFFFFFFF
DATA absmask<>+8(SB)/8, $0x7FFFFFFFFFFFFFFF
DATA absmask<>+16(SB)/8, $0x7FFFFFFFFFFFFFFF
DATA absmask<>+24(SB)/8, $0x7FFFFFFFFFFFFFFF
GLOBL absmask<>(SB), RODATA|NOPTR, $32
DATA zero<>+0(SB)/8, $0x0000000000000000
DATA zero<>+8(SB)/8, $0x0000000000000000
DATA zero<>+16(SB)/8, $0x0000000000000000
DATA zero<>+24(SB)/8, $0x0000000000000000
GLOBL zero<>(SB), RODATA|NOPTR, $32
DATA one<>+0(SB)/8, $0x3FF0000000000000
DATA one<>+8(SB)/8, $0x3FF0000000000000
DATA one<>+16(SB)/8, $0x3FF0000000000000
DATA one<>+24(SB)/8, $0x3FF0000000000000
GLOBL one<>(SB), RODATA|NOPTR, $32
DATA two<>+0(SB)/8, $0x4000000000000000
DATA two<>+8(SB)/8, $0x4000000000000000
DATA two<>+16(SB)/8, $0x4000000000000000
DATA two<>+24(SB)/8, $0x4000000000000000
GLOBL two<>(SB), RODATA|NOPTR, $32
DATA minusone<>+0(SB)/8, $0xBFF0000000000000
DATA minusone<>+8(SB)/8, $0xBFF0000000000000
DATA minusone<>+16(SB)/8, $0xBFF0000000000000
DATA minusone<>+24(SB)/8, $0xBFF0000000000000
GLOBL minusone<>(SB), RODATA|NOPTR, $32
DATA xmin<>+0(SB)/8, $0xC086232BDD7ABCD2
DATA xmin<>+8(SB)/8, $0xC086232BDD7ABCD2
DATA xmin<>+16(SB)/8, $0xC086232BDD7ABCD2
DATA xmin<>+24(SB)/8, $0xC086232BDD7ABCD2
GLOBL xmin<>(SB), RODATA|NOPTR, $32
DATA log2e<>+0(SB)/8, $0x3FF71547652B82FE
DATA log2e<>+8(SB)/8, $0x3FF71547652B82FE
DATA log2e<>+16(SB)/8, $0x3FF71547652B82FE
DATA log2e<>+24(SB)/8, $0x3FF71547652B82FE
GLOBL log2e<>(SB), RODATA|NOPTR, $32
DATA magic<>+0(SB)/8, $0x4338000000000000
DATA magic<>+8(SB)/8, $0x4338000000000000
DATA magic<>+16(SB)/8, $0x4338000000000000
DATA magic<>+24(SB)/8, $0x4338000000000000
GLOBL magic<>(SB), RODATA|NOPTR, $32
DATA expbias<>+0(SB)/8, $0x4337FFFFFFFFFC01
DATA expbias<>+8(SB)/8, $0x4337FFFFFFFFFC01
DATA expbias<>+16(SB)/8, $0x4337FFFFFFFFFC01
DATA expbias<>+24(SB)/8, $0x4337FFFFFFFFFC01
GLOBL expbias<>(SB), RODATA|NOPTR, $32
DATA ln2hi<>+0(SB)/8, $0x3FE62E42FEE00000
DATA ln2hi<>+8(SB)/8, $0x3FE62E42FEE00000
DATA ln2hi<>+16(SB)/8, $0x3FE62E42FEE00000
DATA ln2hi<>+24(SB)/8, $0x3FE62E42FEE00000
GLOBL ln2hi<>(SB), RODATA|NOPTR, $32
DATA ln2lo<>+0(SB)/8, $0x3DEA39EF35793C76
DATA ln2lo<>+8(SB)/8, $0x3DEA39EF35793C76
DATA ln2lo<>+16(SB)/8, $0x3DEA39EF35793C76
DATA ln2lo<>+24(SB)/8, $0x3DEA39EF35793C76
GLOBL ln2lo<>(SB), RODATA|NOPTR, $32
DATA c2<>+0(SB)/8, $0x3FE0000000000000
DATA c2<>+8(SB)/8, $0x3FE0000000000000
DATA c2<>+16(SB)/8, $0x3FE0000000000000
DATA c2<>+24(SB)/8, $0x3FE0000000000000
GLOBL c2<>(SB), RODATA|NOPTR, $32
DATA c3<>+0(SB)/8, $0x3FC5555555555555
DATA c3<>+8(SB)/8, $0x3FC5555555555555
DATA c3<>+16(SB)/8, $0x3FC5555555555555
DATA c3<>+24(SB)/8, $0x3FC5555555555555
GLOBL c3<>(SB), RODATA|NOPTR, $32
DATA c4<>+0(SB)/8, $0x3FA5555555555555
DATA c4<>+8(SB)/8, $0x3FA5555555555555
DATA c4<>+16(SB)/8, $0x3FA5555555555555
DATA c4<>+24(SB)/8, $0x3FA5555555555555
GLOBL c4<>(SB), RODATA|NOPTR, $32
DATA c5<>+0(SB)/8, $0x3F81111111111111
DATA c5<>+8(SB)/8, $0x3F81111111111111
DATA c5<>+16(SB)/8, $0x3F81111111111111
DATA c5<>+24(SB)/8, $0x3F81111111111111
GLOBL c5<>(SB), RODATA|NOPTR, $32
DATA c6<>+0(SB)/8, $0x3F56C16C16C16C17
DATA c6<>+8(SB)/8, $0x3F56C16C16C16C17
DATA c6<>+16(SB)/8, $0x3F56C16C16C16C17
DATA c6<>+24(SB)/8, $0x3F56C16C16C16C17
GLOBL c6<>(SB), RODATA|NOPTR, $32
DATA c7<>+0(SB)/8, $0x3F2A01A01A01A01A
DATA c7<>+8(SB)/8, $0x3F2A01A01A01A01A
DATA c7<>+16(SB)/8, $0x3F2A01A01A01A01A
DATA c7<>+24(SB)/8, $0x3F2A01A01A01A01A
GLOBL c7<>(SB), RODATA|NOPTR, $32
DATA c8<>+0(SB)/8, $0x3EFA01A01A01A01A
DATA c8<>+8(SB)/8, $0x3EFA01A01A01A01A
DATA c8<>+16(SB)/8, $0x3EFA01A01A01A01A
DATA c8<>+24(SB)/8, $0x3EFA01A01A01A01A
GLOBL c8<>(SB), RODATA|NOPTR, $32
DATA c9<>+0(SB)/8, $0x3EC71DE3A556C734
DATA c9<>+8(SB)/8, $0x3EC71DE3A556C734
DATA c9<>+16(SB)/8, $0x3EC71DE3A556C734
DATA c9<>+24(SB)/8, $0x3EC71DE3A556C734
GLOBL c9<>(SB), RODATA|NOPTR, $32
DATA c10<>+0(SB)/8, $0x3E927E4FB7789F5C
DATA c10<>+8(SB)/8, $0x3E927E4FB7789F5C
DATA c10<>+16(SB)/8, $0x3E927E4FB7789F5C
DATA c10<>+24(SB)/8, $0x3E927E4FB7789F5C
GLOBL c10<>(SB), RODATA|NOPTR, $32
DATA c11<>+0(SB)/8, $0x3E5AE64567F544E4
DATA c11<>+8(SB)/8, $0x3E5AE64567F544E4
DATA c11<>+16(SB)/8, $0x3E5AE64567F544E4
DATA c11<>+24(SB)/8, $0x3E5AE64567F544E4
GLOBL c11<>(SB), RODATA|NOPTR, $32
DATA c12<>+0(SB)/8, $0x3E21EED8EFF8D898
DATA c12<>+8(SB)/8, $0x3E21EED8EFF8D898
DATA c12<>+16(SB)/8, $0x3E21EED8EFF8D898
DATA c12<>+24(SB)/8, $0x3E21EED8EFF8D898
GLOBL c12<>(SB), RODATA|NOPTR, $32
DATA c13<>+0(SB)/8, $0x3DE6124613A86D09
DATA c13<>+8(SB)/8, $0x3DE6124613A86D09
DATA c13<>+16(SB)/8, $0x3DE6124613A86D09
DATA c13<>+24(SB)/8, $0x3DE6124613A86D09
GLOBL c13<>(SB), RODATA|NOPTR, $32


// EXPM1NEG computes, for the non-positive values in A (kept), the pieces of
// exp(A) = S * (1 + P): on exit P = expm1(r) and T holds the exponent bits
// k+1023 (shift left 52 for S = 2^k); K is all ones where A is below the
// normal range. R is a scratch register; S (may be A's partner) is scratch.
#define EXPM1NEG(A, R, T, K, P, S) \
	VMAXPD  xmin<>(SB), A, R; \
	VMOVUPD magic<>(SB), T; \
	VFMADD231PD log2e<>(SB), R, T; \
	VSUBPD  magic<>(SB), T, K; \
	VFNMADD231PD ln2hi<>(SB), K, R; \
	VFNMADD231PD ln2lo<>(SB), K, R; \
	VCMPPD  $1, xmin<>(SB), A, K; \
	VMOVUPD c13<>(SB), P; \
	VFMADD213PD c12<>(SB), R, P; \
	VFMADD213PD c11<>(SB), R, P; \
	VFMADD213PD c10<>(SB), R, P; \
	VFMADD213PD c9<>(SB), R, P; \
	VFMADD213PD c8<>(SB), R, P; \
	VFMADD213PD c7<>(SB), R, P; \
	VFMADD213PD c6<>(SB), R, P; \
	VFMADD213PD c5<>(SB), R, P; \
	VFMADD213PD c4<>(SB), R, P; \
	VFMADD213PD c3<>(SB), R, P; \
	VFMADD213PD c2<>(SB), R, P; \
	VMULPD  R, R, S; \
	VFMADD213PD R, S, P; \
	VPSUBQ  expbias<>(SB), T, T

// SIGMOID4 sets T = sigmoid(Z) for 4 values: e = exp(-|z|), then 1/(1+e)
// for z >= 0 and e/(1+e) for z < 0, so that neither side overflows; NaN
// passes through.
#define SIGMOID4(Z, A, R, T, K, P) \
	VORPD   signbit<>(SB), Z, A; \
	EXPM1NEG(A, R, T, K, P, A); \
	VPSLLQ  $52, T, A; \
	VFMADD213PD A, A, P; \
	VANDNPD P, K, P; \
	VADDPD  one<>(SB), P, A; \
	VCMPPD  $13, zero<>(SB), Z, K; \
	VBLENDVPD K, one<>(SB), P, T; \
	VDIVPD  A, T, T; \
	VCMPPD  $3, Z, Z, K; \
	VBLENDVPD K, Z, T, T

// TANH4 sets T = tanh(Z) for 4 values: with m = expm1(-2|z|),
// tanh|z| = -m/(2+m), which keeps full precision near 0 where 1-exp would
// cancel; the sign of z is then put back; NaN passes through.
#define TANH4(Z, A, R, T, K, P) \
	VORPD   signbit<>(SB), Z, A; \
	VADDPD  A, A, A; \
	EXPM1NEG(A, R, T, K, P, A); \
	VPSLLQ  $52, T, A; \
	VSUBPD  one<>(SB), A, T; \
	VFMADD213PD T, A, P; \
	VBLENDVPD K, minusone<>(SB), P, P; \
	VADDPD  two<>(SB), P, A; \
	VXORPD  signbit<>(SB), P, T; \
	VDIVPD  A, T, T; \
	VANDPD  absmask<>(SB), T, T; \
	VANDPD  signbit<>(SB), Z, A; \
	VORPD   A, T, T; \
	VCMPPD  $3, Z, Z, K; \
	VBLENDVPD K, Z, T, T

// func sigmoidAVX2(y, z []float64)
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $3, CX
	JZ   sdone
sloop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	SIGMOID4(Y0, Y1, Y2, Y3, Y4, Y5)
	SIGMOID4(Y8, Y9, Y10, Y11, Y12, Y13)
	VMOVUPD Y3, 0(DI)
	VMOVUPD Y11, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  sloop
	VZEROUPPER
sdone:
	RET

// func tanhAVX2(y, z []float64)
TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $3, CX
	JZ   tdone
tloop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	TANH4(Y0, Y1, Y2, Y3, Y4, Y5)
	TANH4(Y8, Y9, Y10, Y11, Y12, Y13)
	VMOVUPD Y3, 0(DI)
	VMOVUPD Y11, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  tloop
	VZEROUPPER
tdone:
	RET
DATA sqrt2m1<>+0(SB)/8, $0x3FDA827999FCEF32
DATA sqrt2m1<>+8(SB)/8, $0x3FDA827999FCEF32
DATA sqrt2m1<>+16(SB)/8, $0x3FDA827999FCEF32
DATA sqrt2m1<>+24(SB)/8, $0x3FDA827999FCEF32
GLOBL sqrt2m1<>(SB), RODATA|NOPTR, $32
DATA lg1<>+0(SB)/8, $0x3FE5555555555593
DATA lg1<>+8(SB)/8, $0x3FE5555555555593
DATA lg1<>+16(SB)/8, $0x3FE5555555555593
DATA lg1<>+24(SB)/8, $0x3FE5555555555593
GLOBL lg1<>(SB), RODATA|NOPTR, $32
DATA lg2<>+0(SB)/8, $0x3FD999999997FA04
DATA lg2<>+8(SB)/8, $0x3FD999999997FA04
DATA lg2<>+16(SB)/8, $0x3FD999999997FA04
DATA lg2<>+24(SB)/8, $0x3FD999999997FA04
GLOBL lg2<>(SB), RODATA|NOPTR, $32
DATA lg3<>+0(SB)/8, $0x3FD2492494229359
DATA lg3<>+8(SB)/8, $0x3FD2492494229359
DATA lg3<>+16(SB)/8, $0x3FD2492494229359
DATA lg3<>+24(SB)/8, $0x3FD2492494229359
GLOBL lg3<>(SB), RODATA|NOPTR, $32
DATA lg4<>+0(SB)/8, $0x3FCC71C51D8E78AF
DATA lg4<>+8(SB)/8, $0x3FCC71C51D8E78AF
DATA lg4<>+16(SB)/8, $0x3FCC71C51D8E78AF
DATA lg4<>+24(SB)/8, $0x3FCC71C51D8E78AF
GLOBL lg4<>(SB), RODATA|NOPTR, $32
DATA lg5<>+0(SB)/8, $0x3FC7466496CB03DE
DATA lg5<>+8(SB)/8, $0x3FC7466496CB03DE
DATA lg5<>+16(SB)/8, $0x3FC7466496CB03DE
DATA lg5<>+24(SB)/8, $0x3FC7466496CB03DE
GLOBL lg5<>(SB), RODATA|NOPTR, $32
DATA lg6<>+0(SB)/8, $0x3FC39A09D078C69F
DATA lg6<>+8(SB)/8, $0x3FC39A09D078C69F
DATA lg6<>+16(SB)/8, $0x3FC39A09D078C69F
DATA lg6<>+24(SB)/8, $0x3FC39A09D078C69F
GLOBL lg6<>(SB), RODATA|NOPTR, $32
DATA lg7<>+0(SB)/8, $0x3FC2F112DF3E5244
DATA lg7<>+8(SB)/8, $0x3FC2F112DF3E5244
DATA lg7<>+16(SB)/8, $0x3FC2F112DF3E5244
DATA lg7<>+24(SB)/8, $0x3FC2F112DF3E5244
GLOBL lg7<>(SB), RODATA|NOPTR, $32

// The variants built on the same exp core: ELU and SELU, swish (SiLU) and
// softplus, forward and (where the derivative needs exp again) backward.
// Lengths are multiples of 8, two chains of 4 per iteration as above.

// ELU4 sets P = Y14*z for z > 0, else Y15*expm1(z), for the 4 values in Z:
// expm1 = 2^k (1 + expm1(r)) - 1 = 2^k expm1(r) + (2^k - 1), computed on
// -|z| (the positive lanes are replaced afterwards) and given z's sign so
// that -0 stays -0; NaN passes through.
#define ELU4(Z, A, R, T, K, P) \
	VORPD   signbit<>(SB), Z, A; \
	EXPM1NEG(A, R, T, K, P, A); \
	VPSLLQ  $52, T, A; \
	VSUBPD  one<>(SB), A, T; \
	VFMADD213PD T, A, P; \
	VBLENDVPD K, minusone<>(SB), P, P; \
	VANDPD  signbit<>(SB), Z, A; \
	VORPD   A, P, P; \
	VMULPD  Y15, P, P; \
	VMULPD  Y14, Z, T; \
	VCMPPD  $30, zero<>(SB), Z, K; \
	VBLENDVPD K, T, P, P; \
	VCMPPD  $3, Z, Z, K; \
	VBLENDVPD K, Z, P, P

// func eluAVX2(y, z []float64, scale, alpha float64)
TEXT ·eluAVX2(SB), NOSPLIT, $0-64
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	VBROADCASTSD scale+48(FP), Y14
	VBROADCASTSD alpha+56(FP), Y15
	SHRQ $3, CX
	JZ   edone
eloop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	ELU4(Y0, Y1, Y2, Y3, Y4, Y5)
	ELU4(Y8, Y9, Y10, Y11, Y12, Y13)
	VMOVUPD Y5, 0(DI)
	VMOVUPD Y13, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  eloop
	VZEROUPPER
edone:
	RET

// func swishAVX2(y, z []float64)
TEXT ·swishAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $3, CX
	JZ   wdone
wloop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	SIGMOID4(Y0, Y1, Y2, Y3, Y4, Y5)
	SIGMOID4(Y8, Y9, Y10, Y11, Y12, Y13)
	VMULPD  Y0, Y3, Y3
	VMULPD  Y8, Y11, Y11
	VMOVUPD Y3, 0(DI)
	VMOVUPD Y11, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  wloop
	VZEROUPPER
wdone:
	RET

// SWISHD4 sets T = s + z s (1 - s), s = sigmoid(z), swish's derivative,
// for the 4 values in Z, in the scalar form's order of operations.
#define SWISHD4(Z, A, R, T, K, P) \
	SIGMOID4(Z, A, R, T, K, P); \
	VMULPD  Z, T, A; \
	VMOVUPD one<>(SB), R; \
	VSUBPD  T, R, R; \
	VMULPD  R, A, A; \
	VADDPD  A, T, T

// func swishBackwardAVX2(dz, dy, z []float64)
TEXT ·swishBackwardAVX2(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), DX
	MOVQ z_base+48(FP), SI
	MOVQ dy_len+32(FP), CX
	SHRQ $3, CX
	JZ   wbdone
wbloop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	SWISHD4(Y0, Y1, Y2, Y3, Y4, Y5)
	SWISHD4(Y8, Y9, Y10, Y11, Y12, Y13)
	VMULPD  0(DX), Y3, Y3
	VMULPD  32(DX), Y11, Y11
	VMOVUPD Y3, 0(DI)
	VMOVUPD Y11, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	DECQ CX
	JNZ  wbloop
	VZEROUPPER
wbdone:
	RET

// func sigmoidScaleAVX2(dz, dy, z []float64): dz = dy * sigmoid(z), the
// derivative of softplus.
TEXT ·sigmoidScaleAVX2(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), DX
	MOVQ z_base+48(FP), SI
	MOVQ dy_len+32(FP), CX
	SHRQ $3, CX
	JZ   gsdone
gsloop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	SIGMOID4(Y0, Y1, Y2, Y3, Y4, Y5)
	SIGMOID4(Y8, Y9, Y10, Y11, Y12, Y13)
	VMULPD  0(DX), Y3, Y3
	VMULPD  32(DX), Y11, Y11
	VMOVUPD Y3, 0(DI)
	VMOVUPD Y11, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	DECQ CX
	JNZ  gsloop
	VZEROUPPER
gsdone:
	RET

// SOFTPLUS4 sets A = max(z, 0) + log1p(e), e = exp(-|z|) in [0, 1], for
// the 4 values in Z. log1p(e) = k ln2 + log(1 + f) with f = e (k = 0) for
// e below sqrt(2)-1 and f = (e-1)/2 (k = 1) above: both exact, so the
// rounding of 1+e is never made. log(1+f), |f| < 0.42, is the reduction of
// FreeBSD's e_log.c (also Go's math.Log): s = f/(2+f),
// log(1+f) = f - (f^2/2 - s (f^2/2 + R(s^2))), R from its coefficients
// Lg1..Lg7. NaN passes through.
#define SOFTPLUS4(Z, A, R, T, K, P, X, W) \
	VORPD   signbit<>(SB), Z, A; \
	EXPM1NEG(A, R, T, K, P, A); \
	VPSLLQ  $52, T, A; \
	VFMADD213PD A, A, P; \
	VANDNPD P, K, P; \
	VCMPPD  $13, sqrt2m1<>(SB), P, K; \
	VSUBPD  one<>(SB), P, R; \
	VMULPD  c2<>(SB), R, R; \
	VBLENDVPD K, R, P, P; \
	VANDPD  one<>(SB), K, K; \
	VADDPD  two<>(SB), P, R; \
	VDIVPD  R, P, R; \
	VMULPD  R, R, T; \
	VMULPD  T, T, A; \
	VMOVUPD lg7<>(SB), X; \
	VFMADD213PD lg5<>(SB), A, X; \
	VFMADD213PD lg3<>(SB), A, X; \
	VFMADD213PD lg1<>(SB), A, X; \
	VMULPD  T, X, X; \
	VMOVUPD lg6<>(SB), W; \
	VFMADD213PD lg4<>(SB), A, W; \
	VFMADD213PD lg2<>(SB), A, W; \
	VFMADD213PD X, A, W; \
	VMULPD  c2<>(SB), P, T; \
	VMULPD  P, T, T; \
	VADDPD  T, W, W; \
	VMULPD  ln2lo<>(SB), K, X; \
	VFMADD231PD R, W, X; \
	VSUBPD  X, T, T; \
	VSUBPD  P, T, T; \
	VMULPD  ln2hi<>(SB), K, X; \
	VSUBPD  T, X, X; \
	VMAXPD  zero<>(SB), Z, A; \
	VADDPD  X, A, A; \
	VCMPPD  $3, Z, Z, K; \
	VBLENDVPD K, Z, A, A

// func softplusAVX2(y, z []float64)
TEXT ·softplusAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $3, CX
	JZ   spdone
sploop:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y8
	SOFTPLUS4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	SOFTPLUS4(Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPD Y1, 0(DI)
	VMOVUPD Y9, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  sploop
	VZEROUPPER
spdone:
	RET
DATA erfn0<>+0(SB)/8, $0x3FC06EBA8214DB68
DATA erfn0<>+8(SB)/8, $0xBF6359B8BEF77538
DATA erfn0<>+16(SB)/8, $0xBF843412600D6435
DATA erfn0<>+24(SB)/8, $0xBF84341239E86F4A
GLOBL erfn0<>(SB), RODATA|NOPTR, $32
DATA erfn1<>+0(SB)/8, $0xBFD4CD7D691CB913
DATA erfn1<>+8(SB)/8, $0x3FDA8D00AD92B34D
DATA erfn1<>+16(SB)/8, $0xBFE63416E4BA7360
DATA erfn1<>+24(SB)/8, $0xBFE993BA70C285DE
GLOBL erfn1<>(SB), RODATA|NOPTR, $32
DATA erfn2<>+0(SB)/8, $0xBF9D2A51DBD7194F
DATA erfn2<>+8(SB)/8, $0xBFD7D240FBB8C3F1
DATA erfn2<>+16(SB)/8, $0xC0251E0441B0E726
DATA erfn2<>+24(SB)/8, $0xC031C209555F995A
GLOBL erfn2<>(SB), RODATA|NOPTR, $32
DATA erfn3<>+0(SB)/8, $0xBF77A291236668E4
DATA erfn3<>+8(SB)/8, $0x3FD45FCA805120E4
DATA erfn3<>+16(SB)/8, $0xC04F300AE4CBA38D
DATA erfn3<>+24(SB)/8, $0xC064145D43C5ED98
GLOBL erfn3<>(SB), RODATA|NOPTR, $32
DATA erfn4<>+0(SB)/8, $0xBEF8EAD6120016AC
DATA erfn4<>+8(SB)/8, $0xBFBC63983D3E28EC
DATA erfn4<>+16(SB)/8, $0xC0644CB184282266
DATA erfn4<>+24(SB)/8, $0xC083EC881375F228
GLOBL erfn4<>(SB), RODATA|NOPTR, $32
DATA erfn5<>+0(SB)/8, $0x0000000000000000
DATA erfn5<>+8(SB)/8, $0x3FA22A36599795EB
DATA erfn5<>+16(SB)/8, $0xC067135CEBCCABB2
DATA erfn5<>+24(SB)/8, $0xC09004616A2E5992
GLOBL erfn5<>(SB), RODATA|NOPTR, $32
DATA erfn6<>+0(SB)/8, $0x0000000000000000
DATA erfn6<>+8(SB)/8, $0xBF61BF380A96073F
DATA erfn6<>+16(SB)/8, $0xC054526557E4D2F2
DATA erfn6<>+24(SB)/8, $0xC07E384E9BDC383F
GLOBL erfn6<>(SB), RODATA|NOPTR, $32
DATA erfn7<>+0(SB)/8, $0x0000000000000000
DATA erfn7<>+8(SB)/8, $0x0000000000000000
DATA erfn7<>+16(SB)/8, $0xC023A0EFC69AC25C
DATA erfn7<>+24(SB)/8, $0x0000000000000000
GLOBL erfn7<>(SB), RODATA|NOPTR, $32
DATA erfd0<>+0(SB)/8, $0x3FF0000000000000
DATA erfd0<>+8(SB)/8, $0x3FF0000000000000
DATA erfd0<>+16(SB)/8, $0x3FF0000000000000
DATA erfd0<>+24(SB)/8, $0x3FF0000000000000
GLOBL erfd0<>(SB), RODATA|NOPTR, $32
DATA erfd1<>+0(SB)/8, $0x3FD97779CDDADC09
DATA erfd1<>+8(SB)/8, $0x3FBB3E6618EEE323
DATA erfd1<>+16(SB)/8, $0x4033A6B9BD707687
DATA erfd1<>+24(SB)/8, $0x403E568B261D5190
GLOBL erfd1<>(SB), RODATA|NOPTR, $32
DATA erfd2<>+0(SB)/8, $0x3FB0A54C5536CEBA
DATA erfd2<>+8(SB)/8, $0x3FE14AF092EB6F33
DATA erfd2<>+16(SB)/8, $0x4061350C526AE721
DATA erfd2<>+24(SB)/8, $0x40745CAE221B9F0A
GLOBL erfd2<>(SB), RODATA|NOPTR, $32
DATA erfd3<>+0(SB)/8, $0x3F74D022C4D36B0F
DATA erfd3<>+8(SB)/8, $0x3FB2635CD99FE9A7
DATA erfd3<>+16(SB)/8, $0x407B290DD58A1A71
DATA erfd3<>+24(SB)/8, $0x409802EB189D5118
GLOBL erfd3<>(SB), RODATA|NOPTR, $32
DATA erfd4<>+0(SB)/8, $0x3F215DC9221C1A10
DATA erfd4<>+8(SB)/8, $0x3FC02660E763351F
DATA erfd4<>+16(SB)/8, $0x40842B1921EC2868
DATA erfd4<>+24(SB)/8, $0x40A8FFB7688C246A
GLOBL erfd4<>(SB), RODATA|NOPTR, $32
DATA erfd5<>+0(SB)/8, $0xBED09C4342A26120
DATA erfd5<>+8(SB)/8, $0x3F8BEDC26B51DD1C
DATA erfd5<>+16(SB)/8, $0x407AD02157700314
DATA erfd5<>+24(SB)/8, $0x40A3F219CEDF3BE6
GLOBL erfd5<>(SB), RODATA|NOPTR, $32
DATA erfd6<>+0(SB)/8, $0x0000000000000000
DATA erfd6<>+8(SB)/8, $0x3F888B545735151D
DATA erfd6<>+16(SB)/8, $0x405B28A3EE48AE2C
DATA erfd6<>+24(SB)/8, $0x407DA874E79FE763
GLOBL erfd6<>(SB), RODATA|NOPTR, $32
DATA erfd7<>+0(SB)/8, $0x0000000000000000
DATA erfd7<>+8(SB)/8, $0x0000000000000000
DATA erfd7<>+16(SB)/8, $0x401A47EF8E484A93
DATA erfd7<>+24(SB)/8, $0xC03670E242712D62
GLOBL erfd7<>(SB), RODATA|NOPTR, $32
DATA erfd8<>+0(SB)/8, $0x0000000000000000
DATA erfd8<>+8(SB)/8, $0x0000000000000000
DATA erfd8<>+16(SB)/8, $0xBFAEEFF2EE749A62
DATA erfd8<>+24(SB)/8, $0x0000000000000000
GLOBL erfd8<>(SB), RODATA|NOPTR, $32
DATA sqrt2<>+0(SB)/8, $0x3FF6A09E667F3BCD
DATA sqrt2<>+8(SB)/8, $0x3FF6A09E667F3BCD
DATA sqrt2<>+16(SB)/8, $0x3FF6A09E667F3BCD
DATA sqrt2<>+24(SB)/8, $0x3FF6A09E667F3BCD
GLOBL sqrt2<>(SB), RODATA|NOPTR, $32
DATA erfb1<>+0(SB)/8, $0x3FEB000000000000
DATA erfb1<>+8(SB)/8, $0x3FEB000000000000
DATA erfb1<>+16(SB)/8, $0x3FEB000000000000
DATA erfb1<>+24(SB)/8, $0x3FEB000000000000
GLOBL erfb1<>(SB), RODATA|NOPTR, $32
DATA erfb2<>+0(SB)/8, $0x3FF4000000000000
DATA erfb2<>+8(SB)/8, $0x3FF4000000000000
DATA erfb2<>+16(SB)/8, $0x3FF4000000000000
DATA erfb2<>+24(SB)/8, $0x3FF4000000000000
GLOBL erfb2<>(SB), RODATA|NOPTR, $32
DATA erfb3<>+0(SB)/8, $0x4006DB6DB6DB6DB7
DATA erfb3<>+8(SB)/8, $0x4006DB6DB6DB6DB7
DATA erfb3<>+16(SB)/8, $0x4006DB6DB6DB6DB7
DATA erfb3<>+24(SB)/8, $0x4006DB6DB6DB6DB7
GLOBL erfb3<>(SB), RODATA|NOPTR, $32
DATA erfmax<>+0(SB)/8, $0x403C000000000000
DATA erfmax<>+8(SB)/8, $0x403C000000000000
DATA erfmax<>+16(SB)/8, $0x403C000000000000
DATA erfmax<>+24(SB)/8, $0x403C000000000000
GLOBL erfmax<>(SB), RODATA|NOPTR, $32
DATA mhalf<>+0(SB)/8, $0xBFE0000000000000
DATA mhalf<>+8(SB)/8, $0xBFE0000000000000
DATA mhalf<>+16(SB)/8, $0xBFE0000000000000
DATA mhalf<>+24(SB)/8, $0xBFE0000000000000
GLOBL mhalf<>(SB), RODATA|NOPTR, $32
DATA omerx<>+0(SB)/8, $0x3FC3D4FA80000000
DATA omerx<>+8(SB)/8, $0x3FC3D4FA80000000
DATA omerx<>+16(SB)/8, $0x3FC3D4FA80000000
DATA omerx<>+24(SB)/8, $0x3FC3D4FA80000000
GLOBL omerx<>(SB), RODATA|NOPTR, $32
DATA c9o16<>+0(SB)/8, $0x3FE2000000000000
DATA c9o16<>+8(SB)/8, $0x3FE2000000000000
DATA c9o16<>+16(SB)/8, $0x3FE2000000000000
DATA c9o16<>+24(SB)/8, $0x3FE2000000000000
GLOBL c9o16<>(SB), RODATA|NOPTR, $32
DATA invsqrt2pi<>+0(SB)/8, $0x3FD9884533D43651
DATA invsqrt2pi<>+8(SB)/8, $0x3FD9884533D43651
DATA invsqrt2pi<>+16(SB)/8, $0x3FD9884533D43651
DATA invsqrt2pi<>+24(SB)/8, $0x3FD9884533D43651
GLOBL invsqrt2pi<>(SB), RODATA|NOPTR, $32
DATA quarter<>+0(SB)/8, $0x3FD0000000000000
DATA quarter<>+8(SB)/8, $0x3FD0000000000000
DATA quarter<>+16(SB)/8, $0x3FD0000000000000
DATA quarter<>+24(SB)/8, $0x3FD0000000000000
GLOBL quarter<>(SB), RODATA|NOPTR, $32
DATA clamp40<>+0(SB)/8, $0x4044000000000000
DATA clamp40<>+8(SB)/8, $0x4044000000000000
DATA clamp40<>+16(SB)/8, $0x4044000000000000
DATA clamp40<>+24(SB)/8, $0x4044000000000000
GLOBL clamp40<>(SB), RODATA|NOPTR, $32
DATA erfidx<>+0(SB)/8, $0x0000000100000000
DATA erfidx<>+8(SB)/8, $0x0000000100000000
DATA erfidx<>+16(SB)/8, $0x0000000100000000
DATA erfidx<>+24(SB)/8, $0x0000000100000000
GLOBL erfidx<>(SB), RODATA|NOPTR, $32

DATA invsqrt2<>+0(SB)/8, $0x3FE6A09E667F3BCC
DATA invsqrt2<>+8(SB)/8, $0x3FE6A09E667F3BCC
DATA invsqrt2<>+16(SB)/8, $0x3FE6A09E667F3BCC
DATA invsqrt2<>+24(SB)/8, $0x3FE6A09E667F3BCC
GLOBL invsqrt2<>(SB), RODATA|NOPTR, $32
DATA big<>+0(SB)/8, $0x7E37E43C8800759C
DATA big<>+8(SB)/8, $0x7E37E43C8800759C
DATA big<>+16(SB)/8, $0x7E37E43C8800759C
DATA big<>+24(SB)/8, $0x7E37E43C8800759C
GLOBL big<>(SB), RODATA|NOPTR, $32
DATA mbig<>+0(SB)/8, $0xFE37E43C8800759C
DATA mbig<>+8(SB)/8, $0xFE37E43C8800759C
DATA mbig<>+16(SB)/8, $0xFE37E43C8800759C
DATA mbig<>+24(SB)/8, $0xFE37E43C8800759C
GLOBL mbig<>(SB), RODATA|NOPTR, $32

// GELU, z Phi(z) with Phi(z) = erfc(-z/sqrt2)/2 as the scalar form computes
// it. The vector erfc follows the method of FreeBSD's s_erf.c (also Go's
// math.Erfc), with its coefficients, but evaluates every lane the same way:
// |x| falls in one of four intervals, [0, 0.84375), [0.84375, 1.25),
// [1.25, 1/0.35), [1/0.35, 28], each with a rational approximation N(v)/D(v)
// in its own variable v (x^2, |x|-1, 1/x^2, 1/x^2). Each coefficient table
// erfnI/erfdI holds the four intervals' I-th coefficients (zero past a
// shorter polynomial's degree), and VPERMD picks each lane's; so one Horner
// chain and one division serve all lanes. Then with Q = N/D:
//   |x| < 0.84375:  erfc(|x|) = b - t, t = |x| + |x| Q - (1 - b), b = 1 below
//                   1/4 and 1/2 above (so that 1 - t never rounds t first);
//   |x| < 1.25:     erfc(|x|) = (1 - erx) - Q;
//   otherwise:      erfc(|x|) = exp(-x^2 - 0.5625 + Q) / |x|, with x^2 split
//                   exactly into hi + lo by FMA and the exp argument reduced
//                   as -hi plus the small rest, so that its rounding is not
//                   magnified by |x|^2 (the role of s_erf.c's pseudo-single z).
// and erfc(-|x|) = 2 - erfc(|x|). Beyond |x| = 28 the exp underflows to 0.
// x = z/sqrt2 is rounded as the scalar division rounds it (erfc's relative
// error grows as 2x^2 times x's): q = z (1/sqrt2), then q + (z - q sqrt2)
// (1/sqrt2) with the residual exact by FMA, which is the correctly rounded
// quotient (Markstein's theorem; Muller et al., Handbook of Floating-Point
// Arithmetic, 2018, section 4.9), without a division.

// EXPLO computes, for A (exactly representable, <= 0) plus a small ALO,
// the pieces of exp(A + ALO) = 2^k (1 + P) as EXPM1NEG does: P = expm1(r),
// T the exponent bits k+1023, K all ones where A + ALO is below the normal
// range. A is clobbered.
#define EXPLO(A, ALO, R, T, K, P) \
	VADDPD  ALO, A, R; \
	VCMPPD  $1, xmin<>(SB), R, K; \
	VMAXPD  xmin<>(SB), R, R; \
	VMOVUPD magic<>(SB), T; \
	VFMADD231PD log2e<>(SB), R, T; \
	VSUBPD  magic<>(SB), T, P; \
	VMOVUPD A, R; \
	VFNMADD231PD ln2hi<>(SB), P, R; \
	VADDPD  ALO, R, R; \
	VFNMADD231PD ln2lo<>(SB), P, R; \
	VMOVUPD c13<>(SB), P; \
	VFMADD213PD c12<>(SB), R, P; \
	VFMADD213PD c11<>(SB), R, P; \
	VFMADD213PD c10<>(SB), R, P; \
	VFMADD213PD c9<>(SB), R, P; \
	VFMADD213PD c8<>(SB), R, P; \
	VFMADD213PD c7<>(SB), R, P; \
	VFMADD213PD c6<>(SB), R, P; \
	VFMADD213PD c5<>(SB), R, P; \
	VFMADD213PD c4<>(SB), R, P; \
	VFMADD213PD c3<>(SB), R, P; \
	VFMADD213PD c2<>(SB), R, P; \
	VMULPD  R, R, A; \
	VFMADD213PD R, A, P; \
	VPSUBQ  expbias<>(SB), T, T

// GELUPHI sets Y4 = Phi(z) for the 4 values z in Y0 (NaN lanes are left to
// the caller); it uses every other Y register.
#define GELUPHI \
	VMINPD  big<>(SB), Y0, Y1; \
	VMAXPD  mbig<>(SB), Y1, Y1; \
	VMULPD  invsqrt2<>(SB), Y1, Y2; \
	VFNMADD231PD sqrt2<>(SB), Y2, Y1; \
	VFMADD231PD invsqrt2<>(SB), Y1, Y2; \
	VANDPD  absmask<>(SB), Y2, Y1; \
	VCMPPD  $13, erfb1<>(SB), Y1, Y8; \
	VCMPPD  $13, erfb2<>(SB), Y1, Y9; \
	VCMPPD  $13, erfb3<>(SB), Y1, Y10; \
	VPADDD  Y9, Y8, Y2; \
	VPADDD  Y10, Y2, Y2; \
	VPADDD  Y2, Y2, Y2; \
	VMOVDQU erfidx<>(SB), Y11; \
	VPSUBD  Y2, Y11, Y2; \
	VMAXPD  erfb2<>(SB), Y1, Y7; \
	VMINPD  erfmax<>(SB), Y7, Y7; \
	VMOVUPD one<>(SB), Y3; \
	VDIVPD  Y7, Y3, Y3; \
	VMULPD  Y3, Y3, Y5; \
	VSUBPD  one<>(SB), Y1, Y6; \
	VMULPD  Y1, Y1, Y10; \
	VBLENDVPD Y8, Y6, Y10, Y6; \
	VBLENDVPD Y9, Y5, Y6, Y6; \
	VPERMD  erfn7<>(SB), Y2, Y4; \
	VPERMD  erfn6<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfn5<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfn4<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfn3<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfn2<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfn1<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfn0<>(SB), Y2, Y10; \
	VFMADD213PD Y10, Y6, Y4; \
	VPERMD  erfd8<>(SB), Y2, Y5; \
	VPERMD  erfd7<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VPERMD  erfd6<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VPERMD  erfd5<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VPERMD  erfd4<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VPERMD  erfd3<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VPERMD  erfd2<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VPERMD  erfd1<>(SB), Y2, Y11; \
	VFMADD213PD Y11, Y6, Y5; \
	VFMADD213PD one<>(SB), Y6, Y5; \
	VDIVPD  Y5, Y4, Y4; \
	VMULPD  Y7, Y7, Y10; \
	VMOVUPD Y7, Y11; \
	VFMSUB213PD Y10, Y7, Y11; \
	VSUBPD  c9o16<>(SB), Y4, Y12; \
	VSUBPD  Y11, Y12, Y12; \
	VXORPD  signbit<>(SB), Y10, Y10; \
	EXPLO(Y10, Y12, Y11, Y13, Y14, Y15); \
	VPSLLQ  $52, Y13, Y13; \
	VFMADD213PD Y13, Y13, Y15; \
	VANDNPD Y15, Y14, Y15; \
	VMULPD  Y3, Y15, Y15; \
	VXORPD  signbit<>(SB), Y15, Y15; \
	VCMPPD  $13, quarter<>(SB), Y1, Y10; \
	VANDPD  mhalf<>(SB), Y10, Y10; \
	VADDPD  Y1, Y10, Y11; \
	VFMADD231PD Y1, Y4, Y11; \
	VADDPD  one<>(SB), Y10, Y12; \
	VBLENDVPD Y8, Y4, Y11, Y11; \
	VBLENDVPD Y9, Y15, Y11, Y11; \
	VBLENDVPD Y8, omerx<>(SB), Y12, Y12; \
	VANDNPD Y12, Y9, Y12; \
	VSUBPD  Y11, Y12, Y13; \
	VMOVUPD two<>(SB), Y14; \
	VSUBPD  Y12, Y14, Y14; \
	VADDPD  Y11, Y14, Y14; \
	VCMPPD  $30, zero<>(SB), Y0, Y10; \
	VBLENDVPD Y10, Y14, Y13, Y4; \
	VMULPD  c2<>(SB), Y4, Y4

// func geluAVX2(y, z []float64)
TEXT ·geluAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SHRQ $2, CX
	JZ   gudone
guloop:
	VMOVUPD 0(SI), Y0
	GELUPHI
	VMULPD  Y0, Y4, Y4
	VCMPPD  $3, Y0, Y0, Y10
	VBLENDVPD Y10, Y0, Y4, Y4
	VMOVUPD Y4, 0(DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  guloop
	VZEROUPPER
gudone:
	RET

// func geluBackwardAVX2(dz, dy, z []float64): dz = dy (Phi(z) + z phi(z)),
// phi(z) = exp(-z^2/2)/sqrt(2 pi), the exp argument split as above.
TEXT ·geluBackwardAVX2(SB), NOSPLIT, $0-72
	MOVQ dz_base+0(FP), DI
	MOVQ dy_base+24(FP), DX
	MOVQ z_base+48(FP), SI
	MOVQ dy_len+32(FP), CX
	SHRQ $2, CX
	JZ   gbdone
gbloop:
	VMOVUPD 0(SI), Y0
	GELUPHI
	VANDPD  absmask<>(SB), Y0, Y5
	VMINPD  clamp40<>(SB), Y5, Y5
	VMULPD  Y5, Y5, Y1
	VMOVUPD Y5, Y2
	VFMSUB213PD Y1, Y5, Y2
	VMULPD  mhalf<>(SB), Y1, Y1
	VMULPD  mhalf<>(SB), Y2, Y2
	EXPLO(Y1, Y2, Y3, Y6, Y7, Y8)
	VPSLLQ  $52, Y6, Y6
	VFMADD213PD Y6, Y6, Y8
	VANDNPD Y8, Y7, Y8
	VMULPD  invsqrt2pi<>(SB), Y8, Y8
	VMULPD  Y0, Y8, Y8
	VADDPD  Y8, Y4, Y4
	VCMPPD  $3, Y0, Y0, Y10
	VBLENDVPD Y10, Y0, Y4, Y4
	VMULPD  0(DX), Y4, Y4
	VMOVUPD Y4, 0(DI)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, DX
	DECQ CX
	JNZ  gbloop
	VZEROUPPER
gbdone:
	RET
