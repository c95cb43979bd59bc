"""JSON lines over pipes: parent <-> worker, and child -> worker.

Everything that crosses a process boundary here is one JSON object per line,
never pickle. Readers cap what they accept, because the far end of the
child -> worker pipe runs student code.
"""
import json
import os
import select
import time

MAX_LINE = 4 * 2 ** 20
READ_CHUNK = 65536


def encode(message):
    return (json.dumps(message, separators=(",", ":")) + "\n").encode()


def send(fd, message):
    """Write one message to a file descriptor (all of it: pipes take partial writes)."""
    data = memoryview(encode(message))
    while data:
        data = data[os.write(fd, data):]


class LineReader:
    """Collects JSON messages from a file descriptor as bytes arrive.

    feed() reads what is available (call it when select says the fd is
    readable); messages() returns the complete lines received so far. Lines
    longer than max_line, and anything after max_total bytes, are dropped;
    a line that is not a JSON object becomes {"event": "malformed"}.
    """

    def __init__(self, fd, max_line=MAX_LINE, max_total=None):
        self.fd = fd
        self.max_line = max_line
        self.max_total = max_total
        self.total = 0
        self.pending = b""
        self.ready = []
        self.eof = False

    def feed(self):
        """Read once; False at end of file."""
        try:
            chunk = os.read(self.fd, READ_CHUNK)
        except BlockingIOError:
            return True
        if not chunk:
            self.eof = True
            return False
        self.total += len(chunk)
        if self.max_total is not None and self.total > self.max_total:
            return True
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        self.ready.extend(_parse(line) for line in lines if line.strip())
        if len(self.pending) > self.max_line:
            self.pending = b""
            self.ready.append({"event": "malformed"})
        return True

    def messages(self):
        ready, self.ready = self.ready, []
        return ready

    def drain(self, reads=64):
        """Read what is already in the pipe, without blocking (bounded: a process the
        writer left behind may keep writing)."""
        os.set_blocking(self.fd, False)
        for _ in range(reads):
            if self.eof or not _readable(self.fd, 0) or not self.feed():
                return

    def next_message(self, deadline):
        """The next message, blocking until deadline (time.monotonic); None on timeout.

        Raises EOFError when the writer closed its end.
        """
        while not self.ready:
            if self.eof:
                raise EOFError("the other end closed the pipe")
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not _readable(self.fd, remaining):
                return None
            self.feed()
        return self.ready.pop(0)


class CappedOutput:
    """Keeps the first `limit` bytes written to a pipe, discarding the rest."""

    def __init__(self, limit):
        self.limit = limit
        self.data = bytearray()
        self.dropped = 0

    def take(self, fd):
        try:
            chunk = os.read(fd, READ_CHUNK)
        except BlockingIOError:
            return True
        room = self.limit - len(self.data)
        self.data += chunk[:max(room, 0)]
        self.dropped += max(len(chunk) - max(room, 0), 0)
        return bool(chunk)

    def note(self, text):
        """Add the engine's own text (a notebook header), within the cap."""
        self.data += text.encode()[:max(0, self.limit - len(self.data))]

    def text(self):
        text = self.data.decode("utf-8", errors="replace")
        if self.dropped:
            text += f"\n[... {self.dropped} more bytes of output not kept]\n"
        return text


def _parse(line):
    try:
        message = json.loads(line)
    except ValueError:
        return {"event": "malformed"}
    return message if isinstance(message, dict) else {"event": "malformed"}


def _readable(fd, timeout):
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    except InterruptedError:
        return False
