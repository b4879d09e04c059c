package metrics

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Comparisons of two arms run on paired seeds: seed s of arm A and seed s
// of arm B share their data order and, where the shapes allow, their
// initial weights, so the per-seed difference cancels most of what varies
// from seed to seed. A verdict reads the mean of the per-seed differences
// with two intervals: the 95% one, to show a difference, and the 90% one,
// to show equivalence (two one-sided tests at 5%, TOST: the 90% interval
// inside ±margin is exactly "both one-sided tests reject").

// Paired is the comparison of two arms over paired seeds.
type Paired struct {
	// Diff is the mean of the per-seed differences a[s]-b[s] with its 95%
	// Student-t interval; SD is the differences' standard deviation and N
	// the number of pairs in which both arms gave a finite value.
	Diff Estimate
	// Lo90 and Hi90 bound the 90% interval of the same mean, for TOST.
	Lo90, Hi90 float64
	// MDE is the smallest true mean difference this many pairs detect with
	// 80% power in a two-sided test at 5% (see MDE).
	MDE float64
}

// PairedDiff compares a and b seed by seed. a[s] and b[s] must come from
// the same seed; a pair in which either value is not finite (a diverged
// run) is left out, and callers count those separately.
func PairedDiff(a, b []float64) Paired {
	return OneSample(Differences(a, b))
}

// Differences is the per-seed differences a[s]-b[s] that PairedDiff
// reads, without the pairs in which either value is not finite.
func Differences(a, b []float64) []float64 {
	if len(a) != len(b) {
		panic("metrics: PairedDiff of arms with different numbers of seeds")
	}
	var d []float64
	for s := range a {
		if isFinite(a[s]) && isFinite(b[s]) {
			d = append(d, a[s]-b[s])
		}
	}
	return d
}

// LeaveOneOut is OneSample of d read once without each of its values in
// turn (a jackknife): entry i leaves out d[i]. It says how much an
// outcome rests on single seeds: one decided on a knife edge may turn
// when any of several seeds is dropped.
func LeaveOneOut(d []float64) []Paired {
	out := make([]Paired, len(d))
	rest := make([]float64, 0, len(d))
	for i := range d {
		rest = append(append(rest[:0], d[:i]...), d[i+1:]...)
		out[i] = OneSample(rest)
	}
	return out
}

// OneSample is Paired for values that are already differences (or any
// sample whose mean is compared with zero).
func OneSample(d []float64) Paired {
	e := MeanCI(d)
	p := Paired{Diff: e, Lo90: e.Lo, Hi90: e.Hi, MDE: math.Inf(1)}
	if e.N >= 2 {
		h := tQuantile(0.95, e.N-1) * e.SD / math.Sqrt(float64(e.N))
		p.Lo90, p.Hi90 = e.Mean-h, e.Mean+h
		p.MDE = MDE(e.SD, e.N)
	}
	return p
}

// MeanCILevel is MeanCI at another two-sided confidence level (0.90 for
// TOST, say).
func MeanCILevel(xs []float64, level float64) Estimate { return AtLevel(MeanCI(xs), level) }

// AtLevel is e's interval at another two-sided confidence level, from its
// mean, SD and N (a Student-t interval, as MeanCI's): 1-0.05/k for a
// Bonferroni correction over k comparisons, say. An estimate over fewer
// than two values is returned as it is.
func AtLevel(e Estimate, level float64) Estimate {
	if e.N < 2 || math.IsNaN(e.SD) {
		return e
	}
	h := tQuantile(0.5+level/2, e.N-1) * e.SD / math.Sqrt(float64(e.N))
	e.Lo, e.Hi = e.Mean-h, e.Mean+h
	return e
}

// MDE is the minimal detectable effect of a one-sample (or paired) t test
// at 5% two-sided with 80% power: (t_{0.975} + t_{0.80}) sd / sqrt(n), with
// n-1 degrees of freedom. It is +Inf below two values, where nothing can be
// detected.
func MDE(sd float64, n int) float64 {
	if n < 2 || math.IsNaN(sd) {
		return math.Inf(1)
	}
	return (tQuantile(0.975, n-1) + tQuantile(0.80, n-1)) * sd / math.Sqrt(float64(n))
}

// ProportionMDE is the smallest difference from the proportion p that a
// test on n independent trials detects with 80% power at 5% two-sided
// (normal approximation): (z_{0.975} + z_{0.80}) sqrt(p(1-p)/n).
func ProportionMDE(p float64, n int) float64 {
	if n < 1 {
		return math.Inf(1)
	}
	const zSum = 1.959963984540054 + 0.8416212335729143
	return zSum * math.Sqrt(p*(1-p)/float64(n))
}

func tQuantile(p float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// Survival is the Kaplan-Meier estimate of how long runs take to reach a
// target when some never reach it within their budget (censored): such a
// run is neither averaged in at the budget nor dropped; it counts as "at
// least this long".
type Survival struct {
	// Median is the first time at which at most half the runs are still
	// short of the target; +Inf if more than half never reached it.
	Median float64
	// Reached counts the runs that reached the target, of N.
	Reached, N int
}

// KaplanMeier estimates the survival curve from each run's time and
// whether it was censored (stopped at its budget, or diverged, without
// reaching the target). Ties: events before censorings at the same time,
// the usual convention.
func KaplanMeier(times []float64, censored []bool) Survival {
	if len(times) != len(censored) {
		panic("metrics: KaplanMeier of times and flags of different lengths")
	}
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ta, tb := times[idx[a]], times[idx[b]]
		if ta != tb {
			return ta < tb
		}
		return !censored[idx[a]] && censored[idx[b]]
	})
	out := Survival{Median: math.Inf(1), N: len(times)}
	s := 1.0
	atRisk := len(times)
	for i := 0; i < len(idx); {
		t := times[idx[i]]
		events, leaving := 0, 0
		for ; i < len(idx) && times[idx[i]] == t; i++ {
			leaving++
			if !censored[idx[i]] {
				events++
			}
		}
		if events > 0 {
			s *= 1 - float64(events)/float64(atRisk)
			out.Reached += events
			if s <= 0.5 && math.IsInf(out.Median, 1) {
				out.Median = t
			}
		}
		atRisk -= leaving
	}
	return out
}
