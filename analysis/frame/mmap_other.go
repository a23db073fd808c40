//go:build !unix

package frame

import "os"

// mapFile reads a whole file; release does nothing.
func mapFile(path string) (data []byte, release func(), err error) {
	b, err := os.ReadFile(path)
	return b, func() {}, err
}
