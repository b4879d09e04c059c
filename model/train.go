package model

import "math"

// Trainer performs training steps on a classification network with the
// softmax cross-entropy loss.
type Trainer struct {
	Net *Network
	Opt Optimizer
	// ClipNorm, when positive, rescales the gradients so their global norm
	// is at most ClipNorm before each update.
	ClipNorm float64
	// ClipValue, when positive, clamps each gradient component to
	// [-ClipValue, ClipValue] (after ClipNorm, if both are set).
	ClipValue float64
	// Probe, when set, is called after the backward pass and before the
	// update, with the number of steps taken so far. It must only read.
	Probe func(step int, net *Network)
	// LossCap, when positive, is the batch loss above which a step counts
	// as diverged (see DivergenceCap): the parameters are then left
	// unchanged, as for a non-finite loss.
	LossCap float64

	// Steps counts the calls to Step.
	Steps int

	grad *Matrix
}

// StepStats describes one training step.
type StepStats struct {
	// Loss is the batch's mean loss before the update.
	Loss float64
	// GradNorm is the global gradient norm before clipping.
	GradNorm float64
	// Correct is the number of examples in the batch whose largest logit
	// (in training mode, before the update) is at the label.
	Correct int
	// Finite is false when the loss or a gradient was NaN or infinite.
	Finite bool
	// Diverged is set when the loss or a gradient was not finite, or the
	// loss was above the trainer's LossCap; the parameters are then left
	// unchanged, and the caller decides what a diverged run means.
	Diverged bool
}

// DivergenceCap is the loss above which a classifier with this many
// classes counts as diverged: ten times the loss of a uniform guess,
// ln(classes). A net that has learned anything sits below ln(classes); one
// whose mean loss is ten times worse is confidently wrong on most examples
// and on its way to overflow, so its later numbers (a loss of 1e175, say)
// describe a blow-up, not training. For MNIST's ten classes the cap is
// 23.03.
func DivergenceCap(classes int) float64 { return 10 * math.Log(float64(classes)) }

// Step runs forward, backward and one update on the batch (x, labels).
func (t *Trainer) Step(x *Matrix, labels []int) StepStats {
	out := t.Net.Forward(x, true)
	t.grad = reshape(t.grad, out.Rows, out.Cols)
	loss := SoftmaxCrossEntropy(out, labels, t.grad)
	t.Net.Backward(t.grad)
	if t.Probe != nil {
		t.Probe(t.Steps, t.Net)
	}
	t.Steps++
	params := t.Net.Params()
	var norm float64
	if t.ClipNorm > 0 {
		norm = ClipGlobalNorm(params, t.ClipNorm)
	} else {
		norm = GlobalNorm(params)
	}
	st := StepStats{Loss: loss, GradNorm: norm, Correct: CorrectCount(out, labels), Finite: isFinite(loss) && isFinite(norm)}
	st.Diverged = !st.Finite || (t.LossCap > 0 && loss > t.LossCap)
	if st.Diverged {
		return st
	}
	if t.ClipValue > 0 {
		ClipValue(params, t.ClipValue)
	}
	t.Opt.Step(params)
	return st
}

// Evaluation is the loss and accuracy of a network on a set of examples.
type Evaluation struct {
	Loss, Accuracy float64
	// Finite is false if any logit was NaN or infinite.
	Finite bool
}

// Evaluate runs x through the network in evaluation mode, batch rows at a
// time (to bound memory), and returns the mean loss and the accuracy.
func Evaluate(n *Network, x *Matrix, labels []int, batch int) Evaluation {
	if batch <= 0 {
		batch = 1000
	}
	var lossSum float64
	correct := 0
	finite := true
	view := &Matrix{Cols: x.Cols}
	for start := 0; start < x.Rows; start += batch {
		end := min(start+batch, x.Rows)
		view.Rows = end - start
		view.Data = x.Data[start*x.Cols : end*x.Cols]
		out := n.Forward(view, false)
		for _, v := range out.Data {
			if !isFinite(v) {
				finite = false
				break
			}
		}
		lossSum += SoftmaxCrossEntropy(out, labels[start:end], nil) * float64(view.Rows)
		correct += CorrectCount(out, labels[start:end])
	}
	return Evaluation{Loss: lossSum / float64(x.Rows), Accuracy: float64(correct) / float64(x.Rows), Finite: finite && isFinite(lossSum)}
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
