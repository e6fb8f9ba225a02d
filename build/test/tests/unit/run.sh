#!/bin/sh
# Runs each cmocka test binary; prints one summary line and fails if any did.
passed=0
failed=0
for t in "$@"; do
    if "$t"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $t" >&2
        failed=$((failed + 1))
    fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
