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
