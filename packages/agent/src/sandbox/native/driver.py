# The native kernel's driver: run by the interpreter as `python -B -c DRIVER_PY`, it speaks line-delimited
# JSON with the parent (commands on stdin, messages on fd 3), loads the shared kernel (KERNEL_PY), routes
# model code's HTTP through the parent, and applies the resource limits before any model code runs.
# Raw fds 1/2 stay with the parent: output of subprocesses and C code arrives there, not in the protocol.
import asyncio, base64, email.message, gc, http.client, importlib.machinery, io, itertools, json, os, queue
import errno, resource, signal, socket
import sys, threading, time, traceback, types

# The control channels get private, non-inheritable fds; stdin becomes /dev/null so input() sees EOF
# and no subprocess of model code can read or write the protocol by inheritance.
_CTL = os.fdopen(os.dup(0), 'rb')
_CTL_OUT = os.dup(3)
os.close(3)
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)

_SEND_LOCK = threading.Lock()


def _send_raw(line):
    data = (line + '\n').encode('utf-8', 'replace')
    with _SEND_LOCK:
        view = memoryview(data)
        while view:
            view = view[os.write(_CTL_OUT, view):]


def _send(obj):
    _send_raw(json.dumps(obj))


class _Cell:
    def __init__(self, cid, cfg):
        self.id = cid
        self.room = cfg['maxOutputBytes']
        self.rich_room = cfg['maxRichOutputBytes']
        self.dropped = {'stdout': 0, 'stderr': 0}
        self.dropped_rich = 0


class _State:
    cell = None
    running = False
    interrupted = False


STATE = _State()


class _Stream(io.TextIOBase):
    """sys.stdout/sys.stderr: counted against the cell's byte budget, the excess only counted, never kept."""

    def __init__(self, name, fd):
        self._name = name
        self._fd = fd
        self._buf = []
        self._size = 0
        self._flushed_at = time.monotonic()

    @property
    def encoding(self):
        return 'utf-8'

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        # Code that writes to the fd directly reaches the parent's raw pipe, which keeps its own budget.
        return self._fd

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        cell = STATE.cell
        if cell is None or not s:
            return len(s)
        if cell.room <= 0:
            cell.dropped[self._name] += len(s.encode('utf-8', 'replace'))
            return len(s)
        data = s.encode('utf-8', 'replace')
        kept = data[: cell.room]
        cell.room -= len(kept)
        cell.dropped[self._name] += len(data) - len(kept)
        self._buf.append(kept.decode('utf-8', 'ignore'))
        self._size += len(kept)
        # Sent in batches, but a finished line waits at most 0.1 s: a cell later killed keeps its output.
        if self._size >= 65536 or (s.endswith('\n') and time.monotonic() - self._flushed_at >= 0.1):
            self.flush()
        return len(s)

    def flush(self):
        if not self._buf:
            return
        self._flushed_at = time.monotonic()
        text, self._buf, self._size = ''.join(self._buf), [], 0
        cell = STATE.cell
        if cell is not None:
            _send({'type': 'stream', 'id': cell.id, 'name': self._name, 'text': text})


def _emit(output_json):
    """The shared kernel's output sink: rich outputs (results, figures, errors) keep their own budget."""
    cell = STATE.cell
    if cell is None:
        return
    if len(output_json) > cell.rich_room:
        cell.dropped_rich += 1
        return
    cell.rich_room -= len(output_json)
    _send_raw('{"type":"display","id":%d,"output":%s}' % (cell.id, output_json))


# ---- HTTP through the parent ----
_PENDING = {}
_FETCH_IDS = itertools.count(1)


def _http(method, url, headers, body):
    """One request answered by the parent (allow-list, record, data endpoint); never by the network."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    if isinstance(body, str):
        body = body.encode('utf-8')
    elif body is not None and not isinstance(body, (bytes, bytearray)):
        body = b''.join(part.encode('utf-8') if isinstance(part, str) else bytes(part) for part in body)
    fid = next(_FETCH_IDS)
    entry = [threading.Event(), None]
    _PENDING[fid] = entry
    request = {'method': str(method or 'GET').upper(), 'url': str(url),
               'headers': {str(k): str(v) for k, v in (headers or {}).items()}}
    if body:
        request['body'] = base64.b64encode(bytes(body)).decode('ascii')
    try:
        _send({'type': 'fetch', 'id': fid, 'request': request})
        entry[0].wait()
    finally:
        _PENDING.pop(fid, None)
    reply = entry[1]
    return reply['status'], reply['headers'], base64.b64decode(reply['body'])


def _reason(status, headers):
    """The status line's reason; for a request the harness refused, why (it only answers the run's data URL)."""
    for key, value in headers.items():
        if key.lower() == 'x-localds-blocked':
            return 'Forbidden: ' + value
    return http.client.responses.get(status, '')


def _patch_sockets():
    """Without a network (bwrap) a raw socket only meets the OS's bare error. Say why instead, and let
    the parent record the attempt: it is sent as a CONNECT to tcp://host:port, which the parent refuses
    and records like any request outside the allow-list. Model code can reach the real socket calls
    around this; the wall is the empty network namespace, this only explains it."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refusal(sock, address):
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
            return None
        host, port = str(address[0]), address[1]
        netloc = f'[{host}]:{port}' if ':' in host else f'{host}:{port}'
        _, headers, _ = _http('CONNECT', f'tcp://{netloc}', {}, None)
        reason = next((v for k, v in headers.items() if k.lower() == 'x-localds-blocked'), None)
        return f'localds sandbox: {reason or "connection to " + netloc + " blocked"}; this sandbox has no network (use requests or urllib with the data URL)'

    def connect(self, address):
        reason = refusal(self, address)
        if reason is None:
            return real_connect(self, address)
        raise ConnectionRefusedError(errno.ECONNREFUSED, reason)

    def connect_ex(self, address):
        if refusal(self, address) is None:
            return real_connect_ex(self, address)
        return errno.ECONNREFUSED

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


def _patch_requests():
    try:
        import requests
        import requests.adapters
        from requests.structures import CaseInsensitiveDict
    except ImportError:
        return

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        """HTTPAdapter's transport, replaced: the request goes to the parent instead of a socket.
        Patched on the class so adapters that model code mounts itself (e.g. for retries) go the same way."""
        status, headers, content = _http(request.method, request.url, request.headers, request.body)
        response = requests.models.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.reason = _reason(status, headers)
        response.url = request.url
        response.request = request
        response.connection = self
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response._content = content
        response._content_consumed = True
        return response

    requests.adapters.HTTPAdapter.send = send


def _patch_urllib():
    import urllib.request
    import urllib.response

    class LocaldsHandler(urllib.request.BaseHandler):
        def http_open(self, req):
            status, headers, content = _http(req.get_method(), req.full_url, dict(req.header_items()), req.data)
            message = email.message.Message()
            for key, value in headers.items():
                message[key] = value
            response = urllib.response.addinfourl(io.BytesIO(content), message, req.full_url, status)
            response.msg = _reason(status, headers)
            return response

        https_open = http_open

    # Built by hand: build_opener would also add the real HTTP handlers.
    opener = urllib.request.OpenerDirector()
    for handler in (LocaldsHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPRedirectHandler(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.UnknownHandler()):
        opener.add_handler(handler)
    urllib.request.install_opener(opener)


def _route_ipython_display(kernel):
    # With a real IPython installed (Debian's python3-ipykernel) its display() would print plain text
    # outside a shell; model code written for Jupyter should get rich display_data instead.
    for name in ('IPython.display', 'IPython.core.display_functions'):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, 'display'):
            module.display = kernel.display


class _PatchSavefigOnImport:
    """The shared kernel learns of savefig through its own matplotlib backend, which code that calls
    matplotlib.use('Agg') never loads: patch Figure.savefig as soon as matplotlib.figure is imported."""

    def __init__(self, kernel):
        self.kernel = kernel

    def find_spec(self, name, path, target=None):
        if name != 'matplotlib.figure':
            return None
        sys.meta_path.remove(self)  # one-shot
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            exec_module = spec.loader.exec_module
            kernel = self.kernel

            def exec_and_patch(module):
                exec_module(module)
                kernel.patch_savefig()

            spec.loader.exec_module = exec_and_patch
        return spec


# ---- commands from the parent ----
_COMMANDS = queue.Queue()
_MAIN = threading.main_thread().ident


def _reader():
    with _CTL:
        for line in _CTL:
            msg = json.loads(line)
            kind = msg.get('type')
            if kind == 'fetch-result':
                entry = _PENDING.get(msg['id'])
                if entry is not None:
                    entry[1] = msg
                    entry[0].set()
            elif kind == 'interrupt':
                cell = STATE.cell
                if cell is not None and cell.id == msg['id'] and STATE.running:
                    STATE.interrupted = True
                    # Aimed at the main thread so a blocking call there (sleep, wait) is woken too.
                    signal.pthread_kill(_MAIN, signal.SIGINT)
            else:
                _COMMANDS.put(msg)
    os._exit(0)  # the parent closed the channel: it is gone or disposing of us


def _vm_bytes():
    try:
        with open('/proc/self/statm') as f:
            return int(f.read().split()[0]) * os.sysconf('SC_PAGE_SIZE')
    except Exception:
        return 0


def _reset_peak_memory():
    """Starts the peak resident set (VmHWM) afresh, so what the cell reports is its own peak."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass  # an older kernel or no /proc: VmHWM is then the peak since the kernel started


def _peak_memory_bytes():
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _apply_limits(cfg):
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if cfg.get('memoryLimitBytes'):
        limit = int(cfg['memoryLimitBytes'])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cfg.get('maxProcesses'):
        limit = int(cfg['maxProcesses'])
        resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))


def _run_cell(kernel, loop, cfg, msg):
    cell = _Cell(msg['id'], cfg)
    STATE.cell, STATE.interrupted = cell, False
    summary = None
    _reset_peak_memory()
    try:
        # SIGINT raises KeyboardInterrupt only while a cell runs; a late one between cells is ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        STATE.running = True
        summary = json.loads(loop.run_until_complete(kernel.run(msg['code'])))
        STATE.running = False
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except BaseException as e:  # an interrupt that landed in the kernel's own code, or a failure there
        STATE.running = False
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _emit(json.dumps({'output_type': 'error', 'ename': type(e).__name__, 'evalue': str(e),
                          'traceback': traceback.format_exception_only(type(e), e)}))
        summary = {'status': 'error', 'figures': [], 'memory_error': isinstance(e, MemoryError)}
        loop = asyncio.new_event_loop()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    exhausted = False
    if summary.get('memory_error'):
        gc.collect()
        limit = cfg.get('memoryLimitBytes') or 0
        exhausted = bool(limit) and _vm_bytes() > 0.75 * limit
    STATE.cell = None
    status = summary['status']
    result = {'type': 'result', 'id': cell.id, 'status': status,
              'interrupted': STATE.interrupted and status == 'error',
              'dropped': cell.dropped, 'droppedRich': cell.dropped_rich,
              'figures': summary.get('figures', []), 'memoryExhausted': exhausted}
    peak = _peak_memory_bytes()
    if peak is not None:
        result['peakMemoryBytes'] = peak
    _send(result)
    return loop


def main():
    cfg = json.loads(_CTL.readline())
    module = types.ModuleType('_localds_kernel')
    exec(cfg['kernelSource'], module.__dict__)
    sys.modules['_localds_kernel'] = module
    sys.stdout = _Stream('stdout', 1)
    sys.stderr = _Stream('stderr', 2)
    kernel = module.install(_emit, int(cfg['maxReprChars']))
    _route_ipython_display(kernel)
    if 'matplotlib.figure' in sys.modules:
        kernel.patch_savefig()
    else:
        sys.meta_path.insert(0, _PatchSavefigOnImport(kernel))
    _patch_requests()
    _patch_urllib()
    if cfg.get('noNetwork'):
        _patch_sockets()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_reader, name='localds-control', daemon=True).start()
    _apply_limits(cfg)
    loop = asyncio.new_event_loop()
    _send({'type': 'ready', 'version': sys.version.split()[0]})
    while True:
        msg = _COMMANDS.get()
        if msg.get('type') == 'run':
            loop = _run_cell(kernel, loop, cfg, msg)


main()
