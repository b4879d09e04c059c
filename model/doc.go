// Package model is a small, verified neural-network library for the reluexp
// experiments: float64, batched, multilayer perceptrons and small
// convolutional networks.
//
// # What is here
//
//   - Matrix: a dense row-major matrix; in a batch each row is an example.
//   - Layers (the Layer interface): Dense, ActivationLayer wrapping any
//     Elementwise activation, PReLU, TwoSided (the two-sided ReLU of claim
//     C12), BatchNorm and Dropout; for images Conv2D (lowered by im2col
//     onto the same matrix product as Dense), MaxPool2D and Flatten. Images
//     are rows stored height x width x channels, so the activations,
//     Dropout and Dense read them as they are, and BatchNorm, PReLU and
//     TwoSided work per channel when given rows of several pixels.
//   - Activations (the Elementwise interface): Identity, Sigmoid, Tanh, ReLU
//     (with a setting for f'(0)), Leaky, ELU, SELU, GELU, Swish (SiLU),
//     Softplus. ActivationSpec names a variant and builds its layer;
//     Variants lists the names.
//   - Register adds an activation defined elsewhere (Custom: its value,
//     derivative, initialiser gain and whether it is one-sided), once its
//     derivative agrees with finite differences of its value; it is then a
//     variant like the built-ins.
//   - Network and MLPSpec/NewMLP: a stack of layers, and the MLPs every
//     experiment uses. Network.Hidden exposes each hidden layer's
//     pre-activations, activations and gradients after a step: these are the
//     probes metrics are computed from. CNNSpec/NewCNN build a
//     convolutional network from a line such as
//     conv(16,5x5,p2)-act-pool(2)-conv(32,5x5,p2)-act-pool(2)-dense(10).
//   - Losses SoftmaxCrossEntropy and MeanSquaredError; optimisers SGD,
//     Momentum and Adam; ClipGlobalNorm and ClipValue; Init for Xavier, He,
//     LeCun, the classic uniform and a free gain; Trainer for a whole
//     training step.
//
// # Conventions
//
// Forward and Backward sit next to each other in every layer and activation,
// and a finite-difference test covers all of them from one table.
//
// Layers own the matrices they return and reuse them on the next call, so a
// training step allocates nothing once it has seen its batch size. A caller
// that needs a layer's output after the next step copies it. Backward
// overwrites parameter gradients rather than accumulating them.
//
// Randomness is passed in: NewMLP, NewDense and NewDropout take a
// *rand.Rand, and nothing in the package draws from a global source, so a
// run is a pure function of its seed.
//
// Shape mismatches are programming errors and panic. Configurations that
// come from users (MLPSpec, variant and init names, optimiser settings) are
// checked by functions that return errors naming the valid choices.
//
// All matrix products go through one function (gemm), the seam where the
// BLAS backend is chosen: pure-Go gonum, or OpenBLAS through cgo with the
// openblas build tag. BLASBackend reports which one is in use; SetThreads
// says how many threads one product (or one large activation kernel) may
// use, 1 by default so that results do not depend on the machine.
//
// On amd64, ReLU, sigmoid and tanh run vector kernels (relu_amd64.s,
// exp_amd64.s) with portable Go loops for other machines and for the ends
// of arrays; tests hold the vector forms to the scalar definitions (ReLU
// exactly, sigmoid and tanh within 2 units in the last place).
package model
