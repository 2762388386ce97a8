"""Loopback ports for the Python test drivers under Tests/ (each puts this folder on sys.path and imports from it)."""

import socket


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port, host="127.0.0.1"):
    """Whether something accepts connections on host:port now."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
