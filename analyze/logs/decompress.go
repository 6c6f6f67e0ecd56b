package logs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync"
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// decompress returns the content of r, decompressed when it starts with the
// gzip or zstd magic bytes, so a compressed file is read whatever its name.
func decompress(r io.Reader) (io.Reader, func(), error) {
	br := headReaders.Get().(*bufio.Reader)
	br.Reset(r)
	release := func() {
		br.Reset(nil)
		headReaders.Put(br)
	}
	head, _ := br.Peek(len(zstdMagic))

	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("open gzip stream: %w", err)
		}
		return truncationReader{r: zr, compression: "gzip"}, func() { zr.Close(); release() }, nil
	case bytes.HasPrefix(head, zstdMagic):
		zr, closeZstd, err := newZstdReader(br)
		if err != nil {
			release()
			return nil, nil, err
		}
		return truncationReader{r: zr, compression: "zstd"}, func() { closeZstd(); release() }, nil
	}
	return br, release, nil
}

// headReaders keeps the 64 KiB buffers that sniff the magic bytes, one per
// file read.
var headReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// truncatedStream is the read error of a compressed stream that ends
// before its end marker, as a cut-off download or copy leaves it.
type truncatedStream struct{ compression string }

func (e *truncatedStream) Error() string {
	return "truncated " + e.compression + " archive: unexpected end of file"
}

// truncationReader turns a decompressor's io.ErrUnexpectedEOF into a
// *truncatedStream, so the file reader can tell a cut-off archive from an
// I/O failure.
type truncationReader struct {
	r           io.Reader
	compression string
}

func (t truncationReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = &truncatedStream{compression: t.compression}
	}
	return n, err
}
