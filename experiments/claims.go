package experiments

import (
	"github.com/reluexp/reluexp/experiments/result"
)

// Claims is the claim catalogue (CLAIMS.md), C1 to C12, in short
// paraphrases for the report's table; the verdicts come from the
// experiments.
func Claims() []result.Claim {
	return []result.Claim{
		claim("C1", "ReLU is max(0, x); its derivative is 1 above zero and 0 otherwise",
			"Libraries disagree at x = 0: TensorFlow Playground and micrograd take f'(0) = 0, Gorgonia takes 1",
			"a setting for f'(0) and its effect on dead units"),
		claim("C2", "ReLU is fast: a threshold instead of an exponential",
			"Krizhevsky et al. 2012: a four-layer CNN with ReLU reached 25% training error on CIFAR-10 six times faster than with tanh",
			"ns per element against a memory copy; the activation's share of a training step; time to a training accuracy on MNIST"),
		claim("C3", "ReLU resists vanishing gradients; sigmoid and tanh gradients shrink layer by layer",
			"Glorot & Bengio 2010 (MNIST test error of 5x1000 MLPs: sigmoid 2.21%, tanh 1.76%); He et al. 2015: a 30-layer ReLU net stalls under Xavier init and trains under He init; mean field: chi = sigma_w^2/2 for ReLU",
			"gradient norms by layer and depth beside the mean-field prediction; which deep nets still train"),
		claim("C4", "ReLU's derivative is 0 or 1, so a gradient passes unchanged or is blocked",
			"by definition",
			"the fraction of back-propagated gradient entries that are passed unchanged or exactly zero"),
		claim("C5", "ReLU makes representations sparse, and sparsity helps",
			"Glorot, Bordes & Bengio 2011: 83.4% exact zeros in the hidden layers on MNIST (72.0% on CIFAR-10), about 50% at initialisation",
			"exact zeros per layer at initialisation and after training, with accuracy beside them"),
		claim("C6", "ReLU is not zero-centred: all weights into a unit move in the same direction (zig-zag)",
			"CS231n notes; LeCun et al. 1998 ('Efficient BackProp': centre the inputs, prefer tanh to the logistic)",
			"how often all incoming weight gradients of a unit share a sign; training speed with centred and uncentred inputs"),
		claim("C7", "ReLU's unbounded output lets gradients explode; BatchNorm or clipping by global norm (e.g. 5.0) fixes it",
			"Pascanu et al. 2013: clipping at 0.5 to 10 times the average norm still converges; Ioffe & Szegedy 2015: BatchNorm reached Inception's accuracy in 14 times fewer steps",
			"gradient growth per layer above the critical gain; steps to divergence with and without clipping and BatchNorm"),
		claim("C8", "Dying ReLU: units stuck at zero never recover; Leaky ReLU, PReLU and ELU fix it",
			"Lu et al. 2019: deep narrow ReLU nets are born dead (depth 10, width 2: over 90% of 1000 inits; width 10: under 1%), P = 1-(1-2^-N)^H; CS231n: as much as 40% of a network can die at a high learning rate",
			"born-dead rate by width and depth against the formula; dead units in training by learning rate and variant"),
		claim("C9", "A dead unit is a form of vanishing gradient",
			"follows from C4",
			"whether the fraction of zero gradients tracks the fraction of dead units"),
		claim("C10", "ReLU nets overfit more; dropout and more data help",
			"Srivastava et al. 2014, MNIST test error: 1.60% standard net, 1.35% with dropout (logistic), 1.25% with dropout (ReLU)",
			"the train-test gap by activation, training-set size and dropout"),
		together(claim("C11", "ReLU's success came together with BatchNorm and dropout",
			"C7 and C10 read together",
			"the remedies' effect: BatchNorm in the exploding experiment's deep nets, dropout in the overfitting experiment's"),
			"ReLU nets train best with BatchNorm and dropout as companions: each raises a ReLU net's test accuracy", 2),
		claim("C12", "A ReLU can be made two-sided with a second set of weights for x <= 0, doubling the weights",
			"the linked 2023 post; algebraically CReLU (Shang et al. 2016) followed by a linear layer",
			"two-sided ReLU of width w against ReLU of width w and 2w: accuracy, dead units, born-dead rate"),
	}
}

func claim(id, blog, anchor, measure string) result.Claim {
	return result.Claim{ID: id, Blog: blog, Anchor: anchor, Measure: measure}
}

// together marks c as a claim whose main statement is tested in parts by
// several experiments and read together in the report.
func together(c result.Claim, statement string, parts int) result.Claim {
	c.Together, c.PartCount = statement, parts
	return c
}
