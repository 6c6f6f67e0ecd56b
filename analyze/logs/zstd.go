package logs

import (
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// zstdMaxWindow bounds the decoder's memory on a hostile or odd stream;
// zstd's own command line writes windows of at most 128 MiB with --long.
const zstdMaxWindow = 128 << 20

// newZstdReader decompresses a zstd stream with a single goroutine, since
// files are read one at a time and the parser is the slower stage.
func newZstdReader(r io.Reader) (io.Reader, func(), error) {
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(zstdMaxWindow))
	if err != nil {
		return nil, nil, fmt.Errorf("open zstd stream: %w", err)
	}
	return zr, zr.Close, nil
}
