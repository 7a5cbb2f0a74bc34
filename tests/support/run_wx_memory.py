#!/usr/bin/env python3
"""Runs a command, and everything it starts, with W^X memory: no mapping may be
writable and executable, or become executable (prctl PR_SET_MDWE, the kernel's
form of systemd's MemoryDenyWriteExecute=). Exits 77 (a skip for ctest) on a
kernel without PR_SET_MDWE (before Linux 6.3).

Usage: run_wx_memory.py PROGRAM [ARGUMENT...]
"""
import ctypes
import errno
import os
import sys

PR_SET_MDWE = 65
PR_MDWE_REFUSE_EXEC_GAIN = 1
SKIP = 77

if len(sys.argv) < 2:
    sys.exit(__doc__)
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    code = ctypes.get_errno()
    print(f"PR_SET_MDWE: {os.strerror(code)}", file=sys.stderr)
    sys.exit(SKIP if code == errno.EINVAL else 1)
os.execv(sys.argv[1], sys.argv[1:])
