package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// idxStream builds an uncompressed IDX stream: magic, one uint32 per
// dimension, then body.
func idxStream(magic uint32, dims []uint32, body []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(body)
	return b.Bytes()
}

func gzipBytes(t testing.TB, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fakeImages returns n 28×28 images whose pixels run through all byte
// values, so that both 0 and 255 occur.
func fakeImages(n int) []byte {
	px := make([]byte, n*mnistDim)
	for i := range px {
		px[i] = byte(i * 7)
	}
	return px
}

func fakeLabels(n int) []byte {
	l := make([]byte, n)
	for i := range l {
		l[i] = byte((3*i + 1) % mnistClasses)
	}
	return l
}

// fakeMNISTFiles returns the gzip bytes of a small but valid MNIST folder,
// keyed by file name.
func fakeMNISTFiles(t testing.TB, nTrain, nTest int) map[string][]byte {
	t.Helper()
	img := func(n int) []byte {
		return gzipBytes(t, idxStream(idxImageMagic, []uint32{uint32(n), mnistSide, mnistSide}, fakeImages(n)))
	}
	lab := func(n int) []byte {
		return gzipBytes(t, idxStream(idxLabelMagic, []uint32{uint32(n)}, fakeLabels(n)))
	}
	return map[string][]byte{
		mnistTrainImages: img(nTrain),
		mnistTrainLabels: lab(nTrain),
		mnistTestImages:  img(nTest),
		mnistTestLabels:  lab(nTest),
	}
}

// writeMNISTDir writes files into a fresh temporary folder and returns it.
// A fresh folder per call matters: LoadMNIST caches by folder.
func writeMNISTDir(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fakeMNISTDir(t testing.TB) string {
	t.Helper()
	return writeMNISTDir(t, fakeMNISTFiles(t, 30, 20))
}

// fakeModuleRoot returns a folder laid out like the GoMNIST module: the
// four files sit in its data/ subfolder.
func fakeModuleRoot(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	dataDir := filepath.Join(root, "data")
	if err := os.Mkdir(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range fakeMNISTFiles(t, 3, 2) {
		if err := os.WriteFile(filepath.Join(dataDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
