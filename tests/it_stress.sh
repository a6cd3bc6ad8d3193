#!/bin/sh
# Integration: the short run of the stress harness (tests/stress.sh) for
# make test; make stress runs the full one (8 workers x 500 operations).
unset SMK_STRESS_FULL
exec sh "$(dirname "$0")/stress.sh"
