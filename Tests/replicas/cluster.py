"""Processes for the replica tests (standard library only): several `roster serve` replicas on one PostgreSQL
database, and nginx balancing them with the configuration README.md shows under "Run several replicas".

Used by Tests/replicas/replicas.py and by Tests/crash/consistency.py's --replicas mode:
- `render_nginx_config(template, listen_port, upstream_ports)`: README's nginx block with its placeholder ports
  (`listen 8080;` and the upstream servers `127.0.0.1:3001` … `127.0.0.1:3003`) replaced; each placeholder must be
  there exactly once, so that a README edit that drops one fails loudly instead of testing another configuration;
- `Nginx`: nginx in the foreground (`daemon off`) with its own prefix, configuration, logs, pid and temporary
  paths in one directory, round-robining to the replicas; its access log names the replica of every request;
- `Replica`: one `roster serve` on a loopback port with the settings every replica shares (the same public URL,
  SAML_ADMINS, TRUSTED_PROXIES=127.0.0.1, rate limit off), started, killed (SIGKILL) and restarted by the tests;
- `Pids`: the pids of every process started, in a file, so that the calling shell script can stop whatever is left
  when the Python process itself was killed.
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from ports import free_port, listening  # noqa: E402 - after the path

ADMIN_EMAIL = "admin@example.com"
# The placeholders of README's nginx block.
README_LISTEN = "listen 8080;"
README_UPSTREAMS = ["127.0.0.1:3001", "127.0.0.1:3002", "127.0.0.1:3003"]
# Settings a replica must not inherit from the caller's environment.
INHERITED_PREFIXES = ("OIDC_", "SAML_", "LOG_", "RATE_LIMIT_", "WEBHOOK_", "METRICS_")
INHERITED_NAMES = ("BASE_URL", "HOST", "PORT", "TRUSTED_PROXIES", "MAX_BODY_BYTES")


def readme_nginx_block(readme_path):
    """The ```nginx block between `<!-- nginx-config:start -->` and `<!-- nginx-config:end -->` in README.md."""
    with open(readme_path, encoding="utf-8") as readme:
        text = readme.read()
    match = re.search(r"<!-- nginx-config:start -->\s*```nginx\n(.*?)```\s*<!-- nginx-config:end -->", text, re.DOTALL)
    if not match:
        raise SystemExit(f"{readme_path} has no ```nginx block between <!-- nginx-config:start --> and <!-- nginx-config:end -->")
    return match.group(1)


def render_nginx_config(template, listen_port, upstream_ports):
    """README's block for this run: nginx on 127.0.0.1:listen_port, the upstream servers on upstream_ports."""
    if len(upstream_ports) != len(README_UPSTREAMS):
        raise SystemExit(f"README's nginx block has {len(README_UPSTREAMS)} upstream servers, not {len(upstream_ports)}")
    replacements = [(README_LISTEN, f"listen 127.0.0.1:{listen_port};")]
    replacements += [(placeholder, f"127.0.0.1:{port}") for placeholder, port in zip(README_UPSTREAMS, upstream_ports)]
    for placeholder, value in replacements:
        found = len(re.findall(re.escape(placeholder) + r"(?!\d)", template))
        if found != 1:
            raise SystemExit(f"README's nginx block has {found} times {placeholder!r}, wanted exactly once")
        template = re.sub(re.escape(placeholder) + r"(?!\d)", value, template)
    return template


class Pids:
    """The pids of the processes a run started, one a line in a file, rewritten on every change."""

    def __init__(self, path):
        self.path = path
        self.running = {}  # name -> pid

    def started(self, name, pid):
        self.running[name] = pid
        self._write()

    def stopped(self, name):
        self.running.pop(name, None)
        self._write()

    def _write(self):
        if self.path:
            with open(self.path, "w") as file:
                file.write("".join(f"{pid}\n" for pid in self.running.values()))


class Nginx:
    """nginx in the foreground, all its files in `directory`, balancing README's block over `upstream_ports`."""

    ACCESS_FORMAT = '$msec $remote_addr "$request" $status upstream=$upstream_addr upstream_status=$upstream_status'

    def __init__(self, binary, template, upstream_ports, directory, pids=None, port=None):
        self.binary = binary
        self.template = template
        self.upstream_ports = list(upstream_ports)
        self.directory = os.path.abspath(directory)
        self.pids = pids
        self.port = port or free_port()
        self.process = None
        self.access_log = os.path.join(self.directory, "access.log")
        self.error_log = os.path.join(self.directory, "error.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def write_config(self):
        os.makedirs(os.path.join(self.directory, "temp"), exist_ok=True)
        if os.geteuid() == 0:
            # As root, nginx's workers run as an unprivileged user: they must reach the temporary paths (bodies larger
            # than the buffers are spooled there), so every directory above them lets others through.
            os.chmod(os.path.join(self.directory, "temp"), 0o1777)
            path = self.directory
            while path != os.path.dirname(path):
                mode = os.stat(path).st_mode & 0o7777
                if not mode & 0o001:
                    os.chmod(path, mode | 0o001)
                path = os.path.dirname(path)
        site = render_nginx_config(self.template, self.port, self.upstream_ports)
        with open(os.path.join(self.directory, "roster.conf"), "w") as file:
            file.write(site)
        temp = os.path.join(self.directory, "temp")
        config = f"""# Written by Tests/replicas/cluster.py: README's block (roster.conf) inside a minimal nginx.conf.
worker_processes 1;
daemon off;
pid {self.directory}/nginx.pid;
error_log {self.error_log} info;
events {{ worker_connections 1024; }}
http {{
    log_format replicas '{self.ACCESS_FORMAT}';
    access_log {self.access_log} replicas;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.directory}/roster.conf;
}}
"""
        with open(os.path.join(self.directory, "nginx.conf"), "w") as file:
            file.write(config)

    def start(self):
        self.write_config()
        command = [self.binary, "-p", self.directory + "/", "-c", os.path.join(self.directory, "nginx.conf"),
                   "-e", self.error_log]
        test = subprocess.run(command + ["-t", "-q"], capture_output=True, text=True, check=False)
        if test.returncode != 0:
            raise SystemExit(f"nginx -t refused the configuration: {(test.stdout + test.stderr).strip()}")
        with open(os.path.join(self.directory, "nginx.out"), "ab") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=output, stdin=subprocess.DEVNULL)
        if self.pids:
            self.pids.started("nginx", self.process.pid)
        deadline = time.time() + 30
        while not listening(self.port):
            if self.process.poll() is not None:
                raise SystemExit(f"nginx exited with {self.process.returncode}: {self.error_tail()}")
            if time.time() > deadline:
                raise SystemExit(f"nginx is not listening on {self.port} after 30 s")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finishes the requests in progress
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.pids:
            self.pids.stopped("nginx")

    def error_tail(self, lines=10):
        try:
            with open(self.error_log, errors="replace") as log:
                return " | ".join(log.read().splitlines()[-lines:])
        except OSError:
            return "(no error log)"

    def access_entries(self, since=0.0):
        """(time, client address, request line, status, upstream addresses, upstream statuses) of every request
        logged at or after `since` (seconds since 1970)."""
        entries = []
        pattern = re.compile(r'^(\S+) (\S+) "(.*)" (\d+) upstream=(.*) upstream_status=(.*)$')
        try:
            with open(self.access_log, errors="replace") as log:
                for line in log:
                    match = pattern.match(line.rstrip("\n"))
                    if match and float(match.group(1)) >= since:
                        entries.append((float(match.group(1)), match.group(2), match.group(3), int(match.group(4)),
                                        match.group(5), match.group(6)))
        except OSError:
            pass
        return entries

    def upstream_counts(self, since=0.0, path_prefix=""):
        """How many requests (logged at or after `since`, whose path starts with path_prefix) each replica port
        answered: {port: count}; a request nginx passed on counts for the replica that answered it."""
        counts = {port: 0 for port in self.upstream_ports}
        for _, _, request, _, upstreams, _ in self.access_entries(since):
            parts = request.split(" ")
            if len(parts) < 2 or not parts[1].startswith(path_prefix):
                continue
            last = upstreams.split(",")[-1].strip().split(" : ")[-1]
            if ":" in last and last.rsplit(":", 1)[1].isdigit():
                port = int(last.rsplit(":", 1)[1])
                if port in counts:
                    counts[port] += 1
        return counts


class Replica:
    """One `roster serve` on 127.0.0.1:port, on the shared database, with the shared public URL."""

    def __init__(self, binary, number, port, database_url, base_url, log_path, pids=None, environment=None):
        self.binary = binary
        self.number = number
        self.port = port
        self.database_url = database_url
        self.base_url = base_url
        self.log_path = log_path
        self.pids = pids
        self.extra_environment = dict(environment or {})
        self.process = None

    @property
    def name(self):
        return f"replica {self.number}"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def environment(self):
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith(INHERITED_PREFIXES) and name not in INHERITED_NAMES}
        # TRUSTED_PROXIES as a variable, not --trusted-proxies: a binary without the setting ignores it.
        environment.update(SAML_ADMINS=ADMIN_EMAIL, TRUSTED_PROXIES="127.0.0.1")
        environment.update(self.extra_environment)
        return environment

    def launch(self):
        """Starts the process without waiting for it."""
        with open(self.log_path, "ab") as log:
            log.write(f"--- {self.name} starts at {time.strftime('%H:%M:%S')} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [self.binary, "serve", "--database-url", self.database_url, "--host", "127.0.0.1", "--port",
                 str(self.port), "--base-url", self.base_url, "--rate-limit-per-second", "0"],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=self.environment())
        if self.pids:
            self.pids.started(self.name, self.process.pid)

    def wait_ready(self, seconds=60):
        """Waits until GET /readyz answers 200; raises SystemExit when the process exits first or time runs out."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode} before it was ready: "
                                 f"{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/readyz")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise SystemExit(f"{self.name} was not ready within {seconds} s: {self.log_tail()}")

    def start(self):
        self.launch()
        self.wait_ready()

    def kill(self):
        """SIGKILL, and reaped: its sockets are closed when this returns."""
        if self.alive():
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process:
            self.process.wait()
        if self.pids:
            self.pids.stopped(self.name)

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.pids:
            self.pids.stopped(self.name)

    def log_tail(self, lines=8):
        try:
            with open(self.log_path, errors="replace") as log:
                return " | ".join(line.strip() for line in log.read().splitlines()[-lines:])
        except OSError:
            return "(no log)"


def start_all(replicas):
    """Starts every replica at the same moment, then waits until each is ready; the seconds until the last was."""
    started = time.time()
    for replica in replicas:
        replica.launch()
    for replica in replicas:
        replica.wait_ready()
    return time.time() - started
