"""A mosquitto broker for the replay tests: its own config in a temporary directory, a free port on
127.0.0.1, started and awaited (with a deadline) until its listener is open. Its log (stderr) is
collected by a thread, so tests can wait for a log line instead of sleeping."""
import pathlib
import shutil
import socket
import subprocess
import threading

MOSQUITTO = "/usr/sbin/mosquitto" if pathlib.Path("/usr/sbin/mosquitto").exists() else shutil.which("mosquitto")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, workdir, extra=""):
        """extra: further configuration lines (e.g. "set_tcp_nodelay true\n")."""
        self.port = free_port()
        conf = pathlib.Path(workdir) / "mosquitto.conf"
        conf.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\nlog_dest stderr\nlog_type all\n"
                        + extra)
        self._lines = []
        self._changed = threading.Condition()
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # "running" is logged once every listener listens, right before the broker's main loop
        if not (self.wait_for(f"listen socket on port {self.port}", 10) and self.wait_for(" running", 10)):
            self.stop()
            raise RuntimeError(f"mosquitto did not open port {self.port}:\n{self.log}")

    def _read(self):
        for line in self.proc.stderr:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def log(self):
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, text, deadline_s):
        """True once the log holds text; False at the deadline or when the broker exits first."""
        with self._changed:
            return self._changed.wait_for(
                lambda: text in "".join(self._lines) or self.proc.poll() is not None, deadline_s) and \
                text in "".join(self._lines)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._reader.join(timeout=10)
