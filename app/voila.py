"""Voilà's settings for serving the explorer to a class; `make app` loads this file.

Voilà starts one Jupyter kernel per open page. These settings keep that affordable:

* **Preheated kernels.** ``APP_POOL`` kernels run ``explorer_app.ipynb`` before anyone asks,
  so a student's page is served from a kernel whose first picture is already drawn. A kernel
  taken from the pool is replaced once every page handed a kernel has connected to it (at
  least ``REFILL_DELAY`` and at most ``PAGE_LOAD_SECONDS`` seconds later), and replacements
  start ``PREHEAT_SPACING`` seconds apart: a class arriving at once gets its pictures first,
  and the pool is refilled once it has them (each replacement costs a kernel start and a run
  of the notebook, more CPU than serving a page from the pool).
* **No kernel outlives its page.** When a page closes or reloads, Voilà's page asks the server
  to shut its kernel down. That request carries no XSRF token (Voilà's pages never receive
  one) and would be refused, so the XSRF check is off: the app has no login, and the only
  requests that change anything shut down a kernel whose random id the caller must know.
* **Culling, for pages that vanish without a word** (a browser killed, a laptop closed, a lost
  network): jupyter_server's culler shuts down a kernel without a connected page once it has
  been idle ``APP_CULL`` seconds, checking every ``APP_CULL / 5`` seconds (at most 10 s), so
  with the default a closed page's kernel is gone within 60 s. Connected kernels are never
  culled, however long a student reads; a kernel whose page has not connected yet gets
  ``PAGE_LOAD_SECONDS``.
* **The address to give students.** Served to the room (``APP_IP=0.0.0.0``), Voilà prints
  this machine's address on the local network instead of its host name.

The environment variables come from the Makefile (``make app APP_IP=… APP_POOL=… APP_CULL=…``).
"""

import asyncio
import os
import socket
import time
from datetime import datetime, timedelta

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

POOL = int(os.environ.get("APP_POOL", "30"))
IDLE_SECONDS = int(os.environ.get("APP_CULL", "50"))
IP = os.environ.get("APP_IP", "127.0.0.1")
PORT = int(os.environ.get("APP_PORT", "8866"))
PAGE_LOAD_SECONDS = 300  # how long a page may take to connect to the kernel it was given
PREHEAT_SPACING = 2.0  # seconds between the starts of two preheated kernels (about 1.2 CPU-s each)
REFILL_DELAY = 10.0  # seconds at least from a kernel leaving the pool to its replacement's start


def lan_address() -> str:
    """The address this machine has on its local network (that of its default route's
    interface; connecting a UDP socket sends nothing), or its host name without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation-only address
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostname()


class ClassroomKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, made to fit a class arriving at once.

    * **A page has time to connect.** The culler measures idleness from a kernel's last
      message, so by itself it would shut down a kernel taken from a pool filled long ago
      before its page has loaded. A kernel no page has connected to yet is spared for
      ``PAGE_LOAD_SECONDS`` from the first time the culler sees it.
    * **A dropped connection restarts the idle clock,** so a student who has been reading for
      a while and whose network drops for a moment keeps their kernel: it is culled only
      ``cull_idle_timeout`` seconds after the page went away.
    * **The pool is refilled once the pages it served have connected.** Every kernel handed
      to a page asks for a replacement; the replacement waits while more kernels have been
      handed out than pages have connected (for at most ``PAGE_LOAD_SECONDS``, in case a page
      was closed while loading), so the CPU goes to the pages still loading.
    * **Preheated kernels start ``PREHEAT_SPACING`` seconds apart,** so refilling the pool
      after a class has arrived leaves most of the CPU to the students it has just served.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connected: set[str] = set()
        self._first_connected: dict[str, float] = {}  # kernel id -> time its page connected
        self._pool_requests = 0
        self._handed_out: list[float] = []  # times at which a pool kernel was handed out
        self._waiting_since: dict[str, datetime] = {}
        self._preheat_gate = asyncio.Lock()

    def pages_loading(self) -> int:
        """Kernels handed out in the last ``PAGE_LOAD_SECONDS`` whose page has not connected
        yet (counted: hand-outs minus first connections in that window). A page closed while
        loading drops out of the count once the window has passed."""
        since = time.monotonic() - PAGE_LOAD_SECONDS
        self._handed_out = [moment for moment in self._handed_out if moment > since]
        self._first_connected = {
            kernel: moment for kernel, moment in self._first_connected.items() if moment > since
        }
        return len(self._handed_out) - len(self._first_connected)

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("env", {}).get("VOILA_PREHEAT") == "True":  # a kernel for the pool
            self._pool_requests += 1
            if self._pool_requests > POOL:  # the first POOL requests fill the pool; each
                # later one replaces a kernel handed to a page
                self._handed_out.append(time.monotonic())
            while self.pages_loading() > 0:
                await asyncio.sleep(1.0)
            await self._preheat_gate.acquire()
            asyncio.get_running_loop().call_later(PREHEAT_SPACING, self._preheat_gate.release)
        return await super().start_kernel(*args, **kwargs)

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._connected.add(kernel_id)
        self._first_connected.setdefault(kernel_id, time.monotonic())

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if kernel_id in self._kernels:
            self._kernels[kernel_id].last_activity = utcnow()

    async def cull_kernel_if_idle(self, kernel_id: str):
        # Voilà's pool manager (a subclass) has already skipped the kernels still in the pool.
        if kernel_id not in self._connected:
            waiting_since = self._waiting_since.setdefault(kernel_id, utcnow())
            if utcnow() - waiting_since < timedelta(seconds=PAGE_LOAD_SECONDS):
                return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        self._connected.discard(kernel_id)
        self._waiting_since.pop(kernel_id, None)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)


c = get_config()  # noqa: F821 (traitlets provides get_config in configuration files)
c.VoilaConfiguration.multi_kernel_manager_class = ClassroomKernelManager
c.VoilaConfiguration.preheat_kernel = POOL > 0
c.VoilaConfiguration.default_pool_size = POOL
c.VoilaKernelManager.fill_delay = REFILL_DELAY
c.MappingKernelManager.cull_idle_timeout = IDLE_SECONDS
c.MappingKernelManager.cull_interval = max(1, min(10, IDLE_SECONDS // 5))
c.MappingKernelManager.cull_connected = False
c.Voila.tornado_settings = {"disable_check_xsrf": True}
if IP in ("", "0.0.0.0"):
    c.Voila.custom_display_url = f"http://{lan_address()}:{PORT}/"
