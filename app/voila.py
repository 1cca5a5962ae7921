"""Voilà's settings for serving the explorer to a class; `make app` loads this file.

Voilà starts one Jupyter kernel per open page. These settings keep that affordable:

* **Preheated kernels.** ``APP_POOL`` kernels run ``explorer_app.ipynb`` before anyone asks,
  so a student's page is served from a kernel whose first picture is already drawn; each
  kernel taken from the pool is replaced.
* **No kernel outlives its page.** When a page closes or reloads, Voilà's page asks the server
  to shut its kernel down. That request carries no XSRF token (Voilà's pages never receive
  one) and would be refused, so the XSRF check is off: the app has no login, and the only
  requests that change anything shut down a kernel whose random id the caller must know.
* **Culling, for pages that vanish without a word** (a browser killed, a laptop closed, a lost
  network): jupyter_server's culler shuts down a kernel without a connected page once it has
  been idle ``APP_CULL`` seconds, checking every ``APP_CULL / 5`` seconds (at most 10 s), so
  with the default a closed page's kernel is gone within 60 s. Connected kernels are never
  culled, however long a student reads.

* **The address to give students.** Served to the room (``APP_IP=0.0.0.0``), Voilà prints
  this machine's address on the local network instead of its host name.

The environment variables come from the Makefile (``make app APP_IP=… APP_POOL=… APP_CULL=…``).
"""

import os
import socket

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

POOL = int(os.environ.get("APP_POOL", "30"))
IDLE_SECONDS = int(os.environ.get("APP_CULL", "50"))
IP = os.environ.get("APP_IP", "127.0.0.1")
PORT = int(os.environ.get("APP_PORT", "8866"))


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
    """jupyter_server's kernel manager, with the idle clock the culler reads restarted when
    a kernel loses a page or first comes up for culling.

    The culler measures idleness from the kernel's last message, so by itself it would shut
    down a kernel that was taken from the pool long after the pool filled before its page has
    connected, or the kernel of a student who has been reading for a while the moment their
    network drops for a second. Restarting the clock gives every page ``cull_idle_timeout``
    seconds to connect or reconnect.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._considered: set[str] = set()

    def _restart_idle_clock(self, kernel_id: str) -> None:
        if kernel_id in self._kernels:
            self._kernels[kernel_id].last_activity = utcnow()

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        self._restart_idle_clock(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str):
        # Voilà's pool manager (a subclass) has already skipped the kernels still in the pool.
        if kernel_id not in self._considered:
            self._considered.add(kernel_id)
            self._restart_idle_clock(kernel_id)
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        self._considered.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)


c = get_config()  # noqa: F821 (traitlets provides get_config in configuration files)
c.VoilaConfiguration.multi_kernel_manager_class = ClassroomKernelManager
c.VoilaConfiguration.preheat_kernel = POOL > 0
c.VoilaConfiguration.default_pool_size = POOL
c.MappingKernelManager.cull_idle_timeout = IDLE_SECONDS
c.MappingKernelManager.cull_interval = max(1, min(10, IDLE_SECONDS // 5))
c.MappingKernelManager.cull_connected = False
c.Voila.tornado_settings = {"disable_check_xsrf": True}
if IP in ("", "0.0.0.0"):
    c.Voila.custom_display_url = f"http://{lan_address()}:{PORT}/"
