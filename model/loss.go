package model

import (
	"fmt"
	"math"
)

// SoftmaxCrossEntropy returns the mean over the batch of the cross-entropy
// between softmax(logits) and the integer labels, and writes the gradient
// with respect to the logits into grad (which must have the logits' shape;
// nil skips it). The log-sum-exp is shifted by the row maximum so large
// logits do not overflow.
func SoftmaxCrossEntropy(logits *Matrix, labels []int, grad *Matrix) float64 {
	if len(labels) != logits.Rows {
		panic(fmt.Sprintf("model: %d labels for %d rows", len(labels), logits.Rows))
	}
	n := float64(logits.Rows)
	var total float64
	for i := 0; i < logits.Rows; i++ {
		row := logits.Row(i)
		m := math.Inf(-1)
		for _, v := range row {
			if v > m {
				m = v
			}
		}
		var sum float64
		for _, v := range row {
			sum += math.Exp(v - m)
		}
		logZ := m + math.Log(sum)
		total += logZ - row[labels[i]]
		if grad != nil {
			g := grad.Row(i)
			for j, v := range row {
				g[j] = math.Exp(v-logZ) / n
			}
			g[labels[i]] -= 1 / n
		}
	}
	return total / n
}

// MeanSquaredError returns the mean over the batch of half the squared
// Euclidean distance between pred and target rows, and writes its gradient
// with respect to pred into grad (nil skips it).
func MeanSquaredError(pred, target *Matrix, grad *Matrix) float64 {
	if pred.Rows != target.Rows || pred.Cols != target.Cols {
		panic(fmt.Sprintf("model: MSE of %dx%d against %dx%d", pred.Rows, pred.Cols, target.Rows, target.Cols))
	}
	n := float64(pred.Rows)
	var total float64
	for i, p := range pred.Data {
		d := p - target.Data[i]
		total += d * d
		if grad != nil {
			grad.Data[i] = d / n
		}
	}
	return total / (2 * n)
}

// CorrectCount is the number of rows whose largest logit is at the label.
// Ties go to the lowest index; a row holding NaN never counts as correct.
func CorrectCount(logits *Matrix, labels []int) int {
	correct := 0
	for i := 0; i < logits.Rows; i++ {
		row := logits.Row(i)
		best, arg := math.Inf(-1), -1
		for j, v := range row {
			if v > best {
				best, arg = v, j
			}
		}
		if arg == labels[i] {
			correct++
		}
	}
	return correct
}
