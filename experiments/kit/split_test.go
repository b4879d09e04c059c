package kit

import (
	"testing"

	"github.com/reluexp/reluexp/data"
)

// Head and Tail cut a set from its front and its back without copying: a
// head and a tail that fit in the set share no example.
func TestHeadTail(t *testing.T) {
	s := &data.Set{Name: "s", X: []float64{0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, Y: []int{0, 1, 2, 3, 4}, N: 5, Dim: 2, Classes: 5}
	cases := []struct {
		name  string
		set   *data.Set
		wantY []int
		wantX float64 // the first feature
	}{
		{"head 3", Head(s, 3), []int{0, 1, 2}, 0},
		{"tail 2", Tail(s, 2), []int{3, 4}, 3},
		{"tail 0 is the whole set", Tail(s, 0), []int{0, 1, 2, 3, 4}, 0},
		{"tail beyond the set is the whole set", Tail(s, 9), []int{0, 1, 2, 3, 4}, 0},
	}
	for _, tc := range cases {
		if tc.set.N != len(tc.wantY) || len(tc.set.X) != tc.set.N*tc.set.Dim || tc.set.X[0] != tc.wantX {
			t.Errorf("%s: N %d, %d features, first %g; want N %d, first %g", tc.name, tc.set.N, len(tc.set.X), tc.set.X[0], len(tc.wantY), tc.wantX)
			continue
		}
		for i, y := range tc.wantY {
			if tc.set.Y[i] != y {
				t.Errorf("%s: labels %v, want %v", tc.name, tc.set.Y, tc.wantY)
				break
			}
		}
	}
}
