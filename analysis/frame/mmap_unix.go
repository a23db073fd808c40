//go:build unix

package frame

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only into memory; release unmaps it. Nothing
// that outlives the parse may point into the mapping (every string is
// copied out of it). Empty files and files that cannot be mapped are read
// the ordinary way.
func mapFile(path string) (data []byte, release func(), err error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := st.Size()
	if size == 0 || size != int64(int(size)) || !st.Mode().IsRegular() {
		b, err := os.ReadFile(path)
		return b, func() {}, err
	}
	b, err := syscall.Mmap(int(fh.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		b, err := os.ReadFile(path)
		return b, func() {}, err
	}
	return b, func() { syscall.Munmap(b) }, nil
}
