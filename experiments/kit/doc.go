// Package kit holds what more than one experiment uses, so that no
// experiment imports another: the MNIST training loops (TrainClassifier,
// counted in epochs; TrainSteps, counted in updates), the probes that read
// a trained net's hidden layers (MeasureActivity), the mean-field
// predictions drawn beside measured gradients (ComputeMeanField), the
// born-dead Monte Carlo of dying and twosided (RunBornDead), validation and
// formatting helpers, and memory estimates for CheckMemory.
//
// Nothing here decides a verdict; an experiment's rules live in its own
// verdicts.go. Kit sits between the model, metrics and data packages below
// and the experiment packages above, and imports none of the latter.
package kit
