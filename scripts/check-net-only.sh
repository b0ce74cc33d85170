#!/bin/sh
# lib/net is the one network layer: no object file of the build outside libmqtknet may call the
# socket API. Usage: check-net-only.sh BUILD_DIR [EXCLUDED_DIR_GLOB]. Exit 0 clean, 1 with the
# offenders listed, 2 when there is nothing to check.
set -eu
build=${1:?usage: check-net-only.sh BUILD_DIR}
excluded=${2:-*/mqtknet.dir/*}
calls='socket|connect|poll|ppoll|select|pselect|epoll_wait|getaddrinfo|gethostbyname|send|recv|sendto|recvfrom|sendmsg|recvmsg|bind|listen|accept|accept4|shutdown|getsockopt|setsockopt|getsockname|getpeername'
seen=$(find "$build" -name '*.o' -not -path "$excluded" | wc -l)
[ "$seen" -gt 0 ] || { echo "no object files under $build"; exit 2; }
hits=$(find "$build" -name '*.o' -not -path "$excluded" -exec nm -uA {} + | awk '{print $1, $NF}' |
       grep -E " ($calls)\$" || true)
if [ -n "$hits" ]; then
    echo "$hits" | sed 's/: / calls /; s/$/ (only lib\/net may)/'
    exit 1
fi
echo "socket API called only by lib/net ($seen other object files checked)"
