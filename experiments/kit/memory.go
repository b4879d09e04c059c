package kit

// MLPParams is the number of weights and biases of an MLP.
func MLPParams(inputs int, hidden []int, outputs int) int {
	total, in := 0, inputs
	for _, w := range hidden {
		total += in*w + w
		in = w
	}
	return total + in*outputs + outputs
}

// MLPBytes estimates the memory of one MLP in training: its parameters
// (value, gradient and up to two optimiser states) and, per layer, about
// six rows-by-width buffers (outputs, gradients, masks, batch norm),
// where rows is the larger of the training batch and the evaluation
// chunk (1000 rows).
func MLPBytes(inputs int, hidden []int, outputs, batch int) int64 {
	rows := int64(max(batch, 1000))
	var params, acts int64
	prev := int64(inputs)
	widths := append(append([]int(nil), hidden...), outputs)
	for _, w := range widths {
		w64 := int64(w)
		// Two-sided layers feed twice their width forward.
		params += 2 * (prev*w64 + w64)
		acts += 6 * rows * w64
		prev = 2 * w64
	}
	acts += 2 * rows * int64(inputs)
	return 8 * (2*params + acts)
}

// MNISTBytes is the MNIST training and test sets in memory, shared by all
// cells of a process.
const MNISTBytes = int64(70000 * 785 * 8)

// MaxOf is the largest of xs (0 for none).
func MaxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
