package data

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadIDXImages(t *testing.T) {
	body := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	cases := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"valid", idxStream(idxImageMagic, []uint32{2, 2, 3}, body), ""},
		{"empty set", idxStream(idxImageMagic, []uint32{0, 28, 28}, nil), ""},
		{"empty input", nil, "inside the 16-byte IDX header"},
		{"short header", idxStream(idxImageMagic, []uint32{2, 2}, nil), "stream ends after 12 bytes"},
		{"label magic", idxStream(idxLabelMagic, []uint32{2, 2, 3}, body), "this is an IDX label file"},
		{"zero rows", idxStream(idxImageMagic, []uint32{2, 0, 3}, nil), "must be positive"},
		{"huge count", idxStream(idxImageMagic, []uint32{1 << 31, 28, 28}, nil), "limit"},
		{"huge image", idxStream(idxImageMagic, []uint32{1, 1 << 31, 1 << 31}, nil), "limit"},
		{"short body", idxStream(idxImageMagic, []uint32{2, 2, 3}, body[:11]), "stream ends after 11 of 12 pixel bytes"},
		{"trailing byte", idxStream(idxImageMagic, []uint32{2, 2, 3}, append(body, 0)), "unexpected data after"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, rows, cols, px, err := ReadIDXImages(bytes.NewReader(c.in))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n*rows*cols != len(px) || !bytes.Equal(px, c.in[16:]) {
				t.Errorf("got n=%d %d×%d and %d pixels", n, rows, cols, len(px))
			}
		})
	}
}

// A body larger than the first chunk exercises the growing buffer.
func TestReadIDXImagesLarge(t *testing.T) {
	body := fakeImages(3000) // 2.35 MB
	n, _, _, px, err := ReadIDXImages(bytes.NewReader(idxStream(idxImageMagic, []uint32{3000, 28, 28}, body)))
	if err != nil || n != 3000 || !bytes.Equal(px, body) {
		t.Errorf("n=%d, equal=%v, err=%v", n, bytes.Equal(px, body), err)
	}
}

// A header that claims the maximum must not cost its claim in memory when
// the body is missing.
func TestReadIDXLyingHeaderIsCheap(t *testing.T) {
	in := idxStream(idxLabelMagic, []uint32{maxIDXBytes}, []byte{1, 2, 3})
	allocs := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ReadIDXLabels(bytes.NewReader(in))
		}
	})
	if per := allocs.AllocedBytesPerOp(); per > 2*firstChunk {
		t.Errorf("a 3-byte body claiming %d labels allocated %d bytes", maxIDXBytes, per)
	}
}

type failingReader struct{ after int }

var errDisk = errors.New("disk on fire")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.after == 0 {
		return 0, errDisk
	}
	n := min(len(p), r.after)
	clear(p[:n])
	r.after -= n
	return n, nil
}

func TestReadIDXPassesOnReadErrors(t *testing.T) {
	_, err := ReadIDXLabels(io.MultiReader(bytes.NewReader(idxStream(idxLabelMagic, []uint32{10}, nil)), &failingReader{after: 4}))
	if !errors.Is(err, errDisk) {
		t.Errorf("err = %v, want it to wrap the reader's error", err)
	}
}

func TestReadIDXLabels(t *testing.T) {
	cases := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"valid", idxStream(idxLabelMagic, []uint32{3}, []byte{0, 9, 200}), ""},
		{"image magic", idxStream(idxImageMagic, []uint32{3}, []byte{1, 2, 3}), "this is an IDX image file"},
		{"huge count", idxStream(idxLabelMagic, []uint32{1<<28 + 1}, nil), "limit"},
		{"short", idxStream(idxLabelMagic, []uint32{3}, []byte{1}), "stream ends after 1 of 3 label bytes"},
		{"trailing", idxStream(idxLabelMagic, []uint32{1}, []byte{1, 2}), "unexpected data after"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := ReadIDXLabels(bytes.NewReader(c.in))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(l, c.in[8:]) {
				t.Errorf("got %v, %v", l, err)
			}
		})
	}
}

// The fuzz targets check that no input panics, and that whatever is
// accepted is consistent: a header plus exactly the announced body.
func FuzzReadIDXImages(f *testing.F) {
	f.Add(idxStream(idxImageMagic, []uint32{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	f.Add(idxStream(idxImageMagic, []uint32{1, 28, 28}, fakeImages(1)))
	f.Add(idxStream(idxImageMagic, []uint32{0, 1, 1}, nil))
	f.Add(idxStream(idxImageMagic, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil))
	f.Add(idxStream(idxLabelMagic, []uint32{3}, []byte{1, 2, 3}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		n, rows, cols, px, err := ReadIDXImages(bytes.NewReader(in))
		if err != nil {
			if px != nil || n != 0 {
				t.Errorf("error %v came with data", err)
			}
			return
		}
		if rows <= 0 || cols <= 0 || n < 0 || len(px) != n*rows*cols || 16+len(px) != len(in) {
			t.Errorf("accepted n=%d %d×%d with %d pixels from %d input bytes", n, rows, cols, len(px), len(in))
		}
	})
}

func FuzzReadIDXLabels(f *testing.F) {
	f.Add(idxStream(idxLabelMagic, []uint32{3}, []byte{0, 9, 5}))
	f.Add(idxStream(idxLabelMagic, []uint32{0}, nil))
	f.Add(idxStream(idxLabelMagic, []uint32{0xffffffff}, nil))
	f.Add(idxStream(idxImageMagic, []uint32{1, 1, 1}, []byte{7}))
	f.Add([]byte{0, 0, 8})
	f.Fuzz(func(t *testing.T, in []byte) {
		l, err := ReadIDXLabels(bytes.NewReader(in))
		if err != nil {
			if l != nil {
				t.Errorf("error %v came with data", err)
			}
			return
		}
		if 8+len(l) != len(in) {
			t.Errorf("accepted %d labels from %d input bytes", len(l), len(in))
		}
	})
}
