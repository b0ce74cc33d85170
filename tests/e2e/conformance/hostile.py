"""Misbehaving MQTT brokers for testing the conformance runner: tiny threaded TCP servers on a free
127.0.0.1 port, standard library only. Each is a context manager yielding its "host:port"."""
import pathlib
import socket
import socketserver
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "pcaps"))
from pcap_writer import varint as _put_varint  # noqa: E402  (the one Variable Byte Integer writer of the tests)


def _read_some(sock, timeout=5.0):
    sock.settimeout(timeout)
    try:
        return sock.recv(65536)
    except OSError:
        return b""


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's listen backlog of 5 overflows when a run's parallel tests connect at once on a busy
    # machine: the kernel drops the SYN, the client waits 1 s to send it again, and a 2 s wait for a
    # CONNACK runs out (seen in CI as an inconclusive test).
    request_queue_size = 128


class LoopbackServer:
    """A threaded TCP server on a free 127.0.0.1 port, as a context manager yielding "host:port":
    each connection's socket goes to self._handle. The one start-up of every server here (and in
    hostile_ws.py)."""

    server = None

    def _handle(self, sock):
        raise NotImplementedError

    def __enter__(self):
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                owner._handle(self.request)

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address
        return f"{host}:{port}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def silent(sock):
    """Accepts and reads, never answers, until the client goes away."""
    sock.settimeout(30.0)
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


def closes_at_once(sock):
    """Closes the connection as soon as it is accepted."""
    sock.close()


def garbage(sock):
    """Answers the first bytes with bytes that do not frame as MQTT (a Remaining Length over 4 bytes)."""
    if _read_some(sock):
        sock.sendall(b"\x20\xff\xff\xff\xff\xff\x00garbage")
        silent(sock)


def wrong_connack(sock):
    """Answers every CONNECT with CONNACK return code 5 (not authorized) and keeps the connection open."""
    while True:
        data = _read_some(sock, 30.0)
        if not data:
            return
        if data[0] >> 4 == 1:
            try:
                sock.sendall(b"\x20\x02\x00\x05")
            except OSError:
                return


class HostileBroker(LoopbackServer):
    def __init__(self, behaviour):
        self.behaviour = behaviour

    def _handle(self, sock):
        self.behaviour(sock)


def closed_port():
    """A loopback port with nothing listening (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def malformed_connack(sock):
    """Answers CONNECT with a CONNACK whose Remaining Length is 3 (it must be 2 in 3.1.1)."""
    if _read_some(sock):
        sock.sendall(b"\x20\x03\x00\x00\x00")
        silent(sock)


def connack_then_garbage(sock):
    """Accepts the CONNECT, then answers anything else with bytes that do not frame as MQTT."""
    data = _read_some(sock)
    if not data:
        return
    sock.sendall(b"\x20\x02\x00\x00")
    while _read_some(sock, 10.0):
        try:
            sock.sendall(b"\x30\xff\xff\xff\xff\xff")
        except OSError:
            return


def empty_suback(sock):
    """Accepts the CONNECT, answers a SUBSCRIBE or UNSUBSCRIBE without filters with a SUBACK or UNSUBACK
    carrying no code (as ejabberd 23.01 does) and keeps the connection open; answers PINGREQ."""
    data = _read_some(sock)
    if not data:
        return
    sock.sendall(b"\x20\x02\x00\x00")
    while True:
        data = _read_some(sock, 10.0)
        if not data:
            return
        try:
            if data[0] in (0x82, 0xa2) and len(data) >= 4:
                sock.sendall(bytes([0x90 if data[0] == 0x82 else 0xb0, 2, data[2], data[3]]))
            elif data[0] == 0xc0:
                sock.sendall(b"\xd0\x00")
        except OSError:
            return


def acks_with_id(zero=False):
    """Accepts the CONNECT and keeps the connection open whatever comes; acknowledges a QoS 1 PUBLISH
    with PUBACK and a SUBSCRIBE with SUBACK (code 0), echoing the packet's identifier (as aedes 1.2 does
    even when it is 0), or with identifier 0 whatever was sent (zero=True); answers PINGREQ."""

    def handler(sock):
        if not _read_some(sock):
            return
        sock.sendall(b"\x20\x02\x00\x00")
        while True:
            data = _read_some(sock, 10.0)
            if not data:
                return
            kind, at = data[0], 2
            if kind >> 4 == 3 and kind & 0x06 == 2:
                at = 4 + int.from_bytes(data[2:4], "big")
                answer = b"\x40\x02"
            elif kind == 0x82:
                answer = b"\x90\x03"
            elif kind == 0xc0:
                answer, at = b"\xd0\x00", None
            else:
                continue
            if at is not None:
                answer += b"\x00\x00" if zero else data[at:at + 2]
                answer += b"\x00" if kind == 0x82 else b""
            try:
                sock.sendall(answer)
            except OSError:
                return

    return handler


def good_then_malformed(sock):
    """Accepts the CONNECT; answers a SUBSCRIBE (identifier 1) with SUBACK, a valid QoS 0 PUBLISH of
    "a" on topic t and, in the same write, one of "b" with DUP set at QoS 0 (malformed); stays open."""
    if not _read_some(sock):
        return
    sock.sendall(b"\x20\x02\x00\x00")
    if _read_some(sock, 10.0):
        sock.sendall(b"\x90\x03\x00\x01\x00" + b"\x30\x04\x00\x01ta" + b"\x38\x04\x00\x01tb")
        silent(sock)


class Proxy(LoopbackServer):
    """A TCP proxy on a free 127.0.0.1 port in front of target ("host:port"). delay: seconds each
    chunk is held, both ways (a slow broker). refuse_v5: a CONNECT with protocol level 5 is answered
    with a 3.1.1-format CONNACK 0x01 and closed (a broker that speaks only 3.1/3.1.1). refuse_name: a
    CONNECT whose protocol name is neither MQTT nor MQIsdp gets the same answer (as ejabberd 23.01)."""

    def __init__(self, target, delay=0.0, refuse_v5=False, refuse_name=False):
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.delay = delay
        self.refuse_v5 = refuse_v5
        self.refuse_name = refuse_name

    def _pipe(self, src, dst, first_packet_check):
        import queue
        import time
        q = queue.Queue()

        def sender():
            while True:
                due, chunk = q.get()
                if chunk is None:
                    break
                time.sleep(max(0.0, due - time.monotonic()))  # the delay is the behaviour: hold each chunk till due
                try:
                    dst.sendall(chunk)
                except OSError:
                    break
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

        t = threading.Thread(target=sender, daemon=True)
        t.start()
        src.settimeout(60.0)
        first = True
        while True:
            try:
                chunk = src.recv(65536)
            except OSError:
                chunk = b""
            if first and chunk and first_packet_check and first_packet_check(chunk):
                chunk = b""
            first = False
            if not chunk:
                q.put((0, None))
                break
            q.put((time.monotonic() + self.delay, chunk))
        t.join(timeout=70)

    def _handle(self, client):
        def refuse(chunk):
            # CONNECT: 0x10, Remaining Length, then "MQTT" and the level byte
            foreign = b"\x00\x04MQTT" not in chunk[:12] and b"\x00\x06MQIsdp" not in chunk[:12]
            if chunk[0] == 0x10 and (self.refuse_v5 and b"MQTT\x05" in chunk[:12] or self.refuse_name and foreign):
                client.sendall(b"\x20\x02\x00\x01")
                client.close()
                return True
            return False
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        a = threading.Thread(target=self._pipe, args=(client, upstream, refuse), daemon=True)
        b = threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True)
        a.start()
        b.start()
        a.join(timeout=120)
        b.join(timeout=120)
        for s in (client, upstream):
            try:
                s.close()
            except OSError:
                pass



def mqtt_packets(buf):
    """Split buf into whole MQTT packets: (the packets, the bytes left over for the next read)."""
    packets = []
    while len(buf) >= 2:
        length, mult, i = 0, 1, 1
        while i < len(buf) and buf[i] & 0x80:
            length += (buf[i] & 0x7F) * mult
            mult *= 128
            i += 1
        if i >= len(buf):
            break
        length += buf[i] * mult
        end = i + 1 + length
        if len(buf) < end:
            break
        packets.append(bytearray(buf[:end]))
        buf = buf[end:]
    return packets, buf


def body_at(packet):
    """Where the variable header of a packet starts (after its Remaining Length)."""
    i = 1
    while packet[i] & 0x80:
        i += 1
    return i + 1


class ForwardingProxy(LoopbackServer):
    """A TCP proxy on a free 127.0.0.1 port in front of target ("host:port"): each client connection gets
    its own connection to target and a pump each way. What a pump passes on is what _filter's function
    (one per pump, so it may keep state) returns for each chunk; _opened and _closed see each pair."""

    def __init__(self, target):
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))

    def _filter(self, from_client, client):
        return None  # pass every chunk as it is

    def _opened(self, client, upstream):
        pass

    def _closed(self, client):
        pass

    def _pump(self, src, dst, change):
        src.settimeout(60.0)
        while True:
            try:
                chunk = src.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            if change:
                chunk = change(chunk)
            try:
                dst.sendall(chunk)
            except OSError:
                break
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _handle(self, client):
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        self._opened(client, upstream)
        pumps = [threading.Thread(target=self._pump, args=(client, upstream, self._filter(True, client)), daemon=True),
                 threading.Thread(target=self._pump, args=(upstream, client, self._filter(False, client)), daemon=True)]
        for t in pumps:
            t.start()
        for t in pumps:
            t.join(timeout=120)
        self._closed(client)
        for s in (client, upstream):
            try:
                s.close()
            except OSError:
                pass


class RewritingProxy(ForwardingProxy):
    """A proxy in front of target ("host:port") that passes the client's bytes as they are and hands each
    whole packet of the broker to rewrite(packet: bytearray), which changes it in place, or returns False
    to leave it out: a broker that gets one field wrong and everything else right."""

    def __init__(self, target, rewrite):
        super().__init__(target)
        self.rewrite = rewrite

    def _filter(self, from_client, client):
        if from_client:
            return None
        buf = b""

        def change(chunk):
            nonlocal buf
            packets, buf = mqtt_packets(buf + chunk)
            return b"".join(bytes(p) for p in packets if self.rewrite(p) is not False)

        return change


def session_present_1(packet):
    """Every CONNACK says Session Present 1."""
    if packet[0] >> 4 == 2:
        packet[body_at(packet)] |= 1


def no_matching_subscribers(packet):
    """Every 5.0 PUBACK and PUBREC of success says 0x10 (No matching subscribers) instead, a success
    code a broker may send whether or not it knows of a subscriber (5.0 only: 3.1.1 acks have no code)."""
    if packet[0] >> 4 in (4, 5) and packet[1] in (2, 3) and (packet[1] == 2 or packet[4] == 0):
        del packet[4:]
        packet[1] = 3
        packet.append(0x10)


def suback_id_plus_1(packet):
    """Every SUBACK carries the next Packet Identifier instead of the request's."""
    if packet[0] >> 4 == 9:
        at = body_at(packet)
        pid = ((packet[at] << 8 | packet[at + 1]) + 1) & 0xFFFF
        packet[at], packet[at + 1] = pid >> 8, pid & 0xFF


def dup_set(packet):
    """Every QoS 1 or 2 PUBLISH goes out with DUP 1."""
    if packet[0] >> 4 == 3 and packet[0] & 0x06:
        packet[0] |= 0x08


def ack_id_plus_1(packet):
    """Every PUBACK, PUBREC, PUBCOMP and UNSUBACK carries the next Packet Identifier."""
    if packet[0] >> 4 in (4, 5, 7, 11):
        at = body_at(packet)
        pid = ((packet[at] << 8 | packet[at + 1]) + 1) & 0xFFFF
        packet[at], packet[at + 1] = pid >> 8, pid & 0xFF


def retain_cleared(packet):
    """Every PUBLISH goes out with RETAIN 0."""
    if packet[0] >> 4 == 3:
        packet[0] &= 0xFE


def retained_under_r_dropped(packet):
    """A retained PUBLISH whose topic has a level "r" with more after it is left out (no retained
    message for a wildcard filter, as RabbitMQ 3.10; the run's own retain check still gets its own)."""
    if packet[0] >> 4 == 3 and packet[0] & 1:
        at = body_at(packet)
        return b"/r/" not in packet[at + 2:at + 2 + int.from_bytes(packet[at:at + 2], "big")]
    return True


def connect_keepalive_at(chunk):
    """Where the Keep Alive of a CONNECT at the start of chunk is, or None when chunk does not start with one."""
    if len(chunk) < 2 or chunk[0] != 0x10:
        return None
    i = 1
    while i < len(chunk) and chunk[i] & 0x80:
        i += 1
    i += 1
    if i + 2 > len(chunk):
        return None
    name_len = int.from_bytes(chunk[i:i + 2], "big")
    at = i + 2 + name_len + 2  # protocol name, level, connect flags
    return at if at + 2 <= len(chunk) else None


def _varint(data, i):
    """A Variable Byte Integer at data[i]: (value, index after it)."""
    value, mult = 0, 1
    while True:
        b = data[i]
        value += (b & 0x7F) * mult
        i += 1
        if not b & 0x80:
            return value, i
        mult *= 128


# 5.0 properties by how their value is written: fixed widths, a Variable Byte Integer, or length-prefixed
# data (strings and binary data: one; a string pair: two)
_PROP_WIDTH = {**dict.fromkeys((0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A), 1),
               **dict.fromkeys((0x13, 0x21, 0x22, 0x23), 2), **dict.fromkeys((0x02, 0x11, 0x18, 0x27), 4)}
_PROP_PREFIXED = {**dict.fromkeys((0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F), 1), 0x26: 2}


def properties(packet, i):
    """The properties starting at packet[i] (their Property Length): a list of (id, value start, value
    end), and the index after them. Raises IndexError or KeyError on a broken block."""
    length, i = _varint(packet, i)
    end, found = i + length, []
    while i < end:
        pid = packet[i]
        i += 1
        start = i
        if pid in _PROP_WIDTH:
            i += _PROP_WIDTH[pid]
        elif pid == 0x0B:
            _, i = _varint(packet, i)
        else:
            for _ in range(_PROP_PREFIXED[pid]):
                i += 2 + (packet[i] << 8 | packet[i + 1])
        found.append((pid, start, i))
    return found, end


def connect_topic_alias_maximum(packet):
    """The Topic Alias Maximum a 5.0 CONNECT announces (0 when absent, not 5.0, or the CONNECT is one
    a test broke on purpose)."""
    try:
        i = body_at(packet)
        i += 2 + (packet[i] << 8 | packet[i + 1])
        if packet[i] != 5:
            return 0
        found, _ = properties(packet, i + 4)
        return next((packet[a] << 8 | packet[a + 1] for pid, a, _ in found if pid == 0x22), 0)
    except (IndexError, KeyError):
        return 0


def connack_property(prop_id, value):
    """A rewrite: every 5.0 CONNACK carries property prop_id with the value bytes given, in place of its
    own (a broker announcing that limit, while the broker behind keeps to its own)."""
    def rewrite(packet):
        if packet[0] >> 4 != 2 or len(packet) <= 4:
            return
        at = body_at(packet) + 2
        found, end = properties(packet, at)
        kept = b"".join(bytes(packet[a - 1:b]) for pid, a, b in found if pid != prop_id)
        props = bytes([prop_id]) + value + kept
        body = bytes(packet[body_at(packet):at]) + _put_varint(len(props)) + props + bytes(packet[end:])
        packet[:] = bytes([packet[0]]) + _put_varint(len(body)) + body
    return rewrite


# Receive Maximum 1, as a broker keeping one message in flight: only the runner's own count can see a
# test sending too many, as mosquitto behind takes more.
receive_maximum_1 = connack_property(0x21, b"\x00\x01")


class AliasingProxy(ForwardingProxy):
    """A proxy in front of a 5.0 broker that uses Topic Aliases towards each client that announced a
    Topic Alias Maximum, as a broker may: the first PUBLISH of a topic sets the next free alias (up to
    the maximum), later ones carry the alias and an empty Topic Name. unmapped=True sends an empty Topic
    Name with alias 1 before ever setting it (a Protocol Error)."""

    def __init__(self, target, unmapped=False):
        super().__init__(target)
        self.unmapped = unmapped
        self.maximum = {}  # client socket -> its Topic Alias Maximum

    def _filter(self, from_client, client):
        buf = b""
        aliases = {}

        def watch(chunk):
            nonlocal buf
            packets, buf = mqtt_packets(buf + chunk)
            for p in packets:
                if p[0] >> 4 == 1:
                    self.maximum[client] = connect_topic_alias_maximum(p)
            return chunk

        def alias(chunk):
            nonlocal buf
            packets, buf = mqtt_packets(buf + chunk)
            return b"".join(self._rewrite(p, aliases, self.maximum.get(client, 0)) for p in packets)

        return watch if from_client else alias

    def _rewrite(self, p, aliases, maximum):
        if p[0] >> 4 != 3 or maximum == 0:
            return bytes(p)
        i = body_at(p)
        tlen = p[i] << 8 | p[i + 1]
        topic = bytes(p[i + 2:i + 2 + tlen])
        j = i + 2 + tlen + (2 if p[0] & 0x06 else 0)
        pid_bytes = bytes(p[i + 2 + tlen:j])
        plen, k = _varint(p, j)
        props, payload = bytes(p[k:k + plen]), bytes(p[k + plen:])
        if self.unmapped:
            value, topic = 1, b""
        elif topic in aliases:
            value, topic = aliases[topic], b""
        elif len(aliases) < maximum:
            value = aliases[topic] = len(aliases) + 1
        else:
            return bytes(p)
        props = bytes([0x23, value >> 8, value & 0xFF]) + props
        body = len(topic).to_bytes(2, "big") + topic + pid_bytes + _put_varint(len(props)) + props + payload
        return bytes([p[0]]) + _put_varint(len(body)) + body


class KeepAliveProxy(ForwardingProxy):
    """A TCP proxy on a free 127.0.0.1 port in front of target that enforces keep alive itself: a
    connection whose client has been silent for more than 1.5 x its Keep Alive is closed (the target
    sees Keep Alive 0, so its own keep-alive check never closes first). mode
    "timer": each connection has its own deadline (on time). mode "sweep": one periodic sweep closes
    every overdue connection, every period seconds starting offset seconds after the first CONNECT
    with a Keep Alive of 1 or 2 (so the sweep's phase against the measured clients is fixed), as
    mosquitto 2.0 checks all its clients every 5 s."""

    def __init__(self, target, mode, period=5.0, offset=0.0):
        super().__init__(target)
        self.mode = mode
        self.period = period
        self.offset = offset
        self.lock = threading.Lock()
        self.conns = {}  # client socket -> [keep alive, last client activity, upstream]
        self.anchor = None
        self.stop = threading.Event()

    def _close(self, client):
        with self.lock:
            entry = self.conns.pop(client, None)
        if entry:
            for s in (client, entry[2]):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _overdue(self, entry, now):
        return entry[0] and now - entry[1] > 1.5 * entry[0]

    def _watch(self):
        import time
        next_sweep = None
        while not self.stop.wait(0.005):
            now = time.monotonic()
            with self.lock:
                items = list(self.conns.items())
                if self.anchor is not None and next_sweep is None:
                    next_sweep = self.anchor + self.offset
            if self.mode == "timer":
                due = [c for c, e in items if self._overdue(e, now)]
            elif next_sweep is not None and now >= next_sweep:
                next_sweep += self.period
                due = [c for c, e in items if self._overdue(e, now)]
            else:
                due = []
            for c in due:
                self._close(c)

    def _filter(self, from_client, client):
        import time
        if not from_client:
            return None

        def change(chunk):
            now = time.monotonic()
            with self.lock:
                entry = self.conns.get(client)
                if entry is not None:
                    entry[1] = now
                    at = connect_keepalive_at(chunk)
                    if at is not None:
                        entry[0] = int.from_bytes(chunk[at:at + 2], "big")
                        if entry[0] in (1, 2) and self.anchor is None:
                            self.anchor = now
                        # the broker behind gets Keep Alive 0: only this proxy's timing may close
                        # (mosquitto's own check closed a client at 3.4 s under load, in the middle
                        # of the verdict this proxy is there to fix)
                        chunk = chunk[:at] + b"\x00\x00" + chunk[at + 2:]
            return chunk

        return change

    def _opened(self, client, upstream):
        import time
        with self.lock:
            self.conns[client] = [0, time.monotonic(), upstream]

    def _closed(self, client):
        with self.lock:
            self.conns.pop(client, None)

    def __enter__(self):
        address = super().__enter__()
        threading.Thread(target=self._watch, daemon=True).start()
        return address

    def __exit__(self, *exc):
        self.stop.set()
        super().__exit__(*exc)
