#!/bin/sh
# Times the Callaway-Sant'Anna estimator against the project's speed goals:
# 999 multiplier-bootstrap draws on mpdta (500 units x 5 periods) under
# 0.2 s, and on a simulated panel of 30,000 units x 12 periods under 0.5 s
# (the did package's published att_gt time at that size, without its
# bootstrap). Run from the repository root: sh bench/did/run.sh
# COUNT (default 5) sets how many timed runs each benchmark makes.
set -eu
count=${COUNT:-5}
export GOPRIVATE=example.org
go test -run '^$' -bench . -benchtime "${count}x" -benchmem ./bench/did/ |
	awk '/^Benchmark/ { printf "%-32s %10.1f ms/op\n", $1, $3 / 1e6; next } { print }'
