# The Python half of the kernel: runs a cell the way IPython does (last expression → execute_result,
# tracebacks trimmed to the cell, figures captured) and pushes nbformat outputs through `emit`.
# Plain CPython so every level (Pyodide or native) can load the same source; streams stay with the host.
import ast, base64, builtins, inspect, io, json, linecache, os, sys, tempfile, traceback, types

_MPL_BACKEND = '''
# matplotlib backend "module://_localds_mpl": Agg rendering, show() hands figures to the kernel.
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas
import _localds_kernel
_localds_kernel.KERNEL.patch_savefig()

def show(*args, **kwargs):
    _localds_kernel.KERNEL.flush_figures()
'''

KERNEL = None


class _Display:
    """Minimal IPython.display stand-in so model code written for Jupyter runs unchanged."""

    class HTML:
        def __init__(self, data):
            self.data = data

        def _repr_html_(self):
            return self.data

        def __repr__(self):
            return '<IPython.core.display.HTML object>'


class Kernel:
    def __init__(self, emit, max_repr):
        self.emit = emit
        self.max_repr = max_repr
        self.count = 0
        self.ns = {'__name__': '__main__', '__builtins__': builtins}
        self._figures = {}
        self._savefig_patched = False
        builtins.display = self.display
        self._install_ipython_stub()
        self._install_mpl_backend()

    # ---- setup ----
    def _install_ipython_stub(self):
        try:
            # The real one works with our display hook (via _repr_*_); imported only to see it is there.
            __import__('IPython.display')
            return
        except ImportError:
            pass
        ipython = types.ModuleType('IPython')
        display_mod = types.ModuleType('IPython.display')
        display_mod.display = self.display
        display_mod.HTML = _Display.HTML
        ipython.display = display_mod
        sys.modules.setdefault('IPython', ipython)
        sys.modules.setdefault('IPython.display', display_mod)

    def _install_mpl_backend(self):
        folder = tempfile.mkdtemp(prefix='localds-kernel-')
        with open(os.path.join(folder, '_localds_mpl.py'), 'w') as f:
            f.write(_MPL_BACKEND)
        sys.path.append(folder)
        os.environ['MPLBACKEND'] = 'module://_localds_mpl'

    # ---- outputs ----
    def _send(self, output):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        self.emit(json.dumps(output))

    def _text(self, value):
        text = value if isinstance(value, str) else str(value)
        if len(text) > self.max_repr:
            dropped = len(text) - self.max_repr
            text = text[: self.max_repr] + '\n… [truncated %d characters]' % dropped
        return text

    def _bundle(self, obj):
        data = {}
        try:
            data['text/plain'] = self._text(repr(obj))
        except Exception as e:
            data['text/plain'] = '<repr failed: %s>' % type(e).__name__
        for method, mime in (('_repr_html_', 'text/html'), ('_repr_png_', 'image/png')):
            fn = getattr(obj, method, None)
            if not callable(fn) or inspect.isclass(obj):
                continue
            try:
                value = fn()
            except Exception:
                continue
            if value is None:
                continue
            if mime == 'image/png':
                value = base64.b64encode(value).decode('ascii') if isinstance(value, bytes) else str(value)
            else:
                value = self._text(value)
            data[mime] = value
        return data

    def display(self, *objs, **kwargs):
        for obj in objs:
            self._send({'output_type': 'display_data', 'data': self._bundle(obj), 'metadata': {}})

    # ---- figures (matplotlib, Agg) ----
    def _figure_info(self, fig):
        info = {}
        title = fig._suptitle.get_text() if getattr(fig, '_suptitle', None) is not None else ''
        ax = fig.axes[0] if fig.axes else None
        if ax is not None:
            title = title or ax.get_title()
            if ax.get_xlabel():
                info['xlabel'] = ax.get_xlabel()
            if ax.get_ylabel():
                info['ylabel'] = ax.get_ylabel()
        if title:
            info['title'] = title
        return info

    def patch_savefig(self):
        if self._savefig_patched:
            return
        from matplotlib.figure import Figure
        original = Figure.savefig
        kernel = self

        def savefig(fig, fname, *args, **kwargs):
            result = original(fig, fname, *args, **kwargs)
            info = kernel._figures.setdefault(id(fig), kernel._figure_info(fig))
            if isinstance(fname, (str, os.PathLike)):
                info['filename'] = os.fspath(fname)
            return result

        Figure.savefig = savefig
        self._savefig_patched = True

    def flush_figures(self):
        plt = sys.modules.get('matplotlib.pyplot')
        if plt is None:
            return
        for num in plt.get_fignums():
            fig = plt.figure(num)
            buf = io.BytesIO()
            fig.canvas.print_figure(buf, format='png', bbox_inches='tight')
            info = self._figures.setdefault(id(fig), self._figure_info(fig))
            w, h = fig.get_size_inches() * fig.dpi
            self._send({
                'output_type': 'display_data',
                'data': {
                    'image/png': base64.b64encode(buf.getvalue()).decode('ascii'),
                    'text/plain': '<Figure size %dx%d with %d Axes>' % (w, h, len(fig.axes)),
                },
                'metadata': {'localds_figure': info},
            })
            plt.close(fig)

    # ---- running a cell ----
    def _error(self, e):
        tb = e.__traceback__
        # Drop the kernel's own frames: the model only needs the frames of its cell and below.
        while tb is not None and not tb.tb_frame.f_code.co_filename.startswith('<cell-'):
            tb = tb.tb_next
        lines = traceback.format_exception(type(e), e, tb)
        # Each line is capped like any text: a huge exception message is in the traceback too, and
        # an uncapped line would push the whole error output past the rich-output limit.
        tail = [self._text(line.rstrip('\n')) for line in lines][-40:]
        self._send({'output_type': 'error', 'ename': type(e).__name__, 'evalue': self._text(str(e)), 'traceback': tail})

    async def _run_code(self, tree, mode, filename):
        flags = getattr(ast, 'PyCF_ALLOW_TOP_LEVEL_AWAIT', 0)
        code = compile(tree, filename, mode, flags=flags)
        value = eval(code, self.ns)
        if code.co_flags & inspect.CO_COROUTINE:
            value = await value
        return value

    async def run(self, source):
        self.count += 1
        self._figures = {}
        filename = '<cell-%d>' % self.count
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        status = 'ok'
        memory_error = False
        try:
            tree = ast.parse(source, filename, 'exec')
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            await self._run_code(tree, 'exec', filename)
            value = await self._run_code(last, 'eval', filename) if last is not None else None
            self.flush_figures()
            if value is not None:
                self.ns['_'] = value
                self._send({
                    'output_type': 'execute_result',
                    'execution_count': self.count,
                    'data': self._bundle(value),
                    'metadata': {},
                })
        except BaseException as e:  # SystemExit and KeyboardInterrupt from model code are errors too
            status = 'error'
            memory_error = isinstance(e, MemoryError)
            self._error(e)
            try:
                self.flush_figures()
            except Exception:
                pass
        return json.dumps({
            'status': status,
            'execution_count': self.count,
            'figures': list(self._figures.values()),
            'memory_error': memory_error,
        })


def install(emit, max_repr):
    global KERNEL
    KERNEL = Kernel(emit, max_repr)
    return KERNEL
