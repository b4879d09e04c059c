package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// IDX is the file format of the MNIST distribution: a big-endian header
// (a magic number whose third byte is the element type and fourth the number
// of dimensions, then one uint32 per dimension) followed by the elements.
const (
	idxImageMagic = 0x00000803 // unsigned bytes, 3 dimensions: n × rows × cols
	idxLabelMagic = 0x00000801 // unsigned bytes, 1 dimension: n

	// maxIDXBytes bounds the body size a header may announce. The header
	// comes from the file, so without a bound a corrupt 16-byte file could
	// make the reader try to allocate gigabytes. MNIST's largest body is
	// 47 MB; 256 MiB leaves room for bigger IDX sets without being absurd.
	maxIDXBytes = 1 << 28

	// firstChunk is the most the body reader allocates before seeing data;
	// the buffer then grows as bytes actually arrive, so a header that
	// lies about the size costs little more than the bytes behind it.
	firstChunk = 1 << 20
)

// ReadIDXImages reads a decompressed IDX image stream (magic 2051) to its
// end and returns the image count, the image size and the pixels, one byte
// each, image after image in row-major order. A header announcing more than
// 1<<28 bytes, a body shorter than announced, and any byte after the body
// are errors: the stream must be exactly one IDX file. It does not panic on
// any input.
func ReadIDXImages(r io.Reader) (n, rows, cols int, pixels []byte, err error) {
	var hdr [16]byte
	if err := readHeader(r, hdr[:]); err != nil {
		return 0, 0, 0, nil, err
	}
	if err := checkMagic(binary.BigEndian.Uint32(hdr[0:]), idxImageMagic); err != nil {
		return 0, 0, 0, nil, err
	}
	un := uint64(binary.BigEndian.Uint32(hdr[4:]))
	ur := uint64(binary.BigEndian.Uint32(hdr[8:]))
	uc := uint64(binary.BigEndian.Uint32(hdr[12:]))
	if ur == 0 || uc == 0 {
		return 0, 0, 0, nil, fmt.Errorf("IDX header gives %d×%d images; both dimensions must be positive", ur, uc)
	}
	// Multiply step by step: each factor is below 2^32, so rows*cols fits in
	// uint64, and once that is known to be ≤ 2^28 so does n*rows*cols.
	if ur*uc > maxIDXBytes || un*ur*uc > maxIDXBytes {
		return 0, 0, 0, nil, fmt.Errorf("IDX header announces %d images of %d×%d = %d bytes, more than the %d-byte limit; the header is probably corrupt",
			un, ur, uc, un*ur*uc, maxIDXBytes)
	}
	size := int(un * ur * uc)
	pixels, err = readBody(r, size, "pixel")
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return int(un), int(ur), int(uc), pixels, nil
}

// ReadIDXLabels reads a decompressed IDX label stream (magic 2049) to its
// end and returns the labels, one byte each. Its checks match
// ReadIDXImages; the label values themselves are not checked because their
// range depends on the dataset. It does not panic on any input.
func ReadIDXLabels(r io.Reader) (labels []byte, err error) {
	var hdr [8]byte
	if err := readHeader(r, hdr[:]); err != nil {
		return nil, err
	}
	if err := checkMagic(binary.BigEndian.Uint32(hdr[0:]), idxLabelMagic); err != nil {
		return nil, err
	}
	un := uint64(binary.BigEndian.Uint32(hdr[4:]))
	if un > maxIDXBytes {
		return nil, fmt.Errorf("IDX header announces %d labels, more than the %d limit; the header is probably corrupt", un, maxIDXBytes)
	}
	return readBody(r, int(un), "label")
}

func readHeader(r io.Reader, hdr []byte) error {
	n, err := io.ReadFull(r, hdr)
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("stream ends after %d bytes, inside the %d-byte IDX header", n, len(hdr))
	}
	return fmt.Errorf("reading IDX header: %w", err)
}

func checkMagic(got, want uint32) error {
	if got == want {
		return nil
	}
	kind := map[uint32]string{idxImageMagic: "image", idxLabelMagic: "label"}
	msg := fmt.Sprintf("magic number %d (0x%08x), want %d (0x%08x) for an IDX %s file", got, got, want, want, kind[want])
	// Swapped file names are the likeliest cause of a wrong magic number,
	// so say so when the other MNIST kind was found.
	if other, ok := kind[got]; ok {
		msg += fmt.Sprintf("; this is an IDX %s file", other)
	}
	return errors.New(msg)
}

// readBody reads exactly size bytes and then insists on end of stream.
// The buffer grows with the data read (see firstChunk) instead of trusting
// the header's size up front.
func readBody(r io.Reader, size int, what string) ([]byte, error) {
	buf := make([]byte, 0, min(size, firstChunk))
	for len(buf) < size {
		if len(buf) == cap(buf) {
			// Growing eightfold keeps the copying for MNIST's 47 MB to a
			// few MB, while a lying header still has to be backed by real
			// bytes before each step up.
			grown := make([]byte, len(buf), min(8*cap(buf), size))
			copy(grown, buf)
			buf = grown
		}
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("stream ends after %d of %d %s bytes (truncated file?)", len(buf), size, what)
			}
			return nil, fmt.Errorf("reading %s bytes (%d of %d read): %w", what, len(buf), size, err)
		}
	}
	// Reading past the body is also what makes a gzip reader verify its
	// checksum and reject junk after the compressed stream.
	var extra [1]byte
	n, err := io.ReadFull(r, extra[:])
	switch {
	case n > 0:
		return nil, fmt.Errorf("unexpected data after the %d %s bytes the header announces", size, what)
	case errors.Is(err, io.EOF):
		return buf, nil
	default:
		return nil, fmt.Errorf("after the %d %s bytes: %w", size, what, err)
	}
}
