package chart

import (
	"encoding/binary"
	"errors"
)

// extractTTC copies font i of a TrueType collection into a standalone
// font file whose tables start on 4-byte boundaries. Some collections
// (wqy-microhei among them) place tables at offsets that the sfnt parser
// of golang.org/x/image rejects ("invalid table offset"); the copy reads.
func extractTTC(raw []byte, i int) ([]byte, error) {
	bad := errors.New("chart: malformed font collection")
	if len(raw) < 12 || string(raw[:4]) != "ttcf" {
		return nil, bad
	}
	n := int(binary.BigEndian.Uint32(raw[8:]))
	if i >= n || len(raw) < 12+4*n {
		return nil, bad
	}
	off := int(binary.BigEndian.Uint32(raw[12+4*i:]))
	if off+12 > len(raw) {
		return nil, bad
	}
	numTables := int(binary.BigEndian.Uint16(raw[off+4:]))
	dir := off + 12
	if dir+16*numTables > len(raw) {
		return nil, bad
	}
	head := 12 + 16*numTables
	out := make([]byte, head)
	copy(out, raw[off:off+12])
	for t := 0; t < numTables; t++ {
		rec := raw[dir+16*t : dir+16*t+16]
		toff := int(binary.BigEndian.Uint32(rec[8:]))
		tlen := int(binary.BigEndian.Uint32(rec[12:]))
		if toff < 0 || tlen < 0 || toff+tlen > len(raw) {
			return nil, bad
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		r := out[12+16*t : 12+16*t+16]
		copy(r, rec[:8])
		binary.BigEndian.PutUint32(r[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(r[12:], uint32(tlen))
		out = append(out, raw[toff:toff+tlen]...)
	}
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	return out, nil
}
