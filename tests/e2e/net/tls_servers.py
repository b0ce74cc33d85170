"""TLS servers for the transport tests, standard library only: a well-behaved one (with a chosen
certificate and TLS versions) that answers CONNECT with a CONNACK, and hostile ones (garbage
instead of a ServerHello, silence, a handshake cut short). Each is a context manager on a free
127.0.0.1 port yielding the port; every socket wait has a deadline."""
import contextlib
import socket
import ssl
import threading

CONNACK_OK = b"\x20\x03\x00\x00\x00"  # MQTT 5.0: accepted, no properties


def _serve(handler, accept_timeout=30.0, host="127.0.0.1"):
    """Run handler(conn) for every connection on a free port, in threads, until the block ends."""
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.bind((host, 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()
    conns = []

    def loop():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.settimeout(accept_timeout)
            conns.append(conn)
            threading.Thread(target=_guarded, args=(handler, conn), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return listener, stop, thread, conns


def _guarded(handler, conn):
    try:
        handler(conn)
    except (OSError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(OSError):
            conn.close()


@contextlib.contextmanager
def serving(handler, host="127.0.0.1"):
    listener, stop, thread, conns = _serve(handler, host=host)
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
        for c in conns:
            with contextlib.suppress(OSError):
                c.close()


def tls_context(pki, cert="server", max_version=None, client_ca=None, alpn=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if alpn:
        ctx.set_alpn_protocols(alpn)
    ctx.load_cert_chain(str(pki / f"{cert}.pem"), str(pki / f"{cert}.key"))
    if max_version:
        ctx.maximum_version = max_version
    if client_ca:
        ctx.load_verify_locations(str(pki / f"{client_ca}.pem"))
        ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def mqtt_over_tls(ctx):
    """A TLS server that answers every CONNECT with a CONNACK (accepted) and then reads until EOF."""
    def handle(conn):
        with ctx.wrap_socket(conn, server_side=True) as tls:
            if tls.recv(4096):
                tls.sendall(CONNACK_OK)
            while tls.recv(4096):
                pass
    return handle


def garbage(conn):
    """Reads the ClientHello and answers with bytes that are not a TLS record."""
    conn.recv(4096)
    conn.sendall(b"SSH-2.0-OpenSSH_9.2 this is not TLS\r\n" * 4)
    conn.recv(4096)


def hangs_up(conn):
    """Reads the ClientHello and closes the connection."""
    conn.recv(4096)


def silent(conn):
    """Reads the ClientHello and never answers."""
    while conn.recv(4096):
        pass


def cut_after(ctx, n):
    """A real TLS server behind a relay that passes the client's bytes and only the first n bytes of
    the server's: the handshake stalls in the middle of the server's first flight."""
    def handle(conn):
        inner_client, inner_server = socket.socketpair()
        inner_client.settimeout(30)
        inner_server.settimeout(30)

        def server_side():
            with contextlib.suppress(OSError, ssl.SSLError), ctx.wrap_socket(inner_server, server_side=True) as t:
                t.recv(4096)

        threading.Thread(target=server_side, daemon=True).start()
        passed = 0
        hello = conn.recv(65536)
        inner_client.sendall(hello)
        while passed < n:
            data = inner_client.recv(n - passed)
            if not data:
                break
            conn.sendall(data)
            passed += len(data)
        silent(conn)
        inner_client.close()
    return handle


def tls_terminator(ctx, target_port):
    """A TLS front for a plain listener on 127.0.0.1:target_port (what a load balancer does for a
    broker's WebSocket listener): decrypts, relays both ways until either side closes."""
    def handle(conn):
        with ctx.wrap_socket(conn, server_side=True) as tls, \
                socket.create_connection(("127.0.0.1", target_port), timeout=30) as plain:
            def pump(src, dst):
                with contextlib.suppress(OSError, ssl.SSLError):
                    while True:
                        data = src.recv(65536)
                        if not data:
                            break
                        dst.sendall(data)
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)

            back = threading.Thread(target=pump, args=(plain, tls), daemon=True)
            back.start()
            pump(tls, plain)
            back.join(timeout=30)
    return handle
