"""The classroom app's Voilà settings (app/voila.py), read as Voilà reads them."""

import asyncio
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyter_server._tz import utcnow
from traitlets.config.loader import PyFileConfigLoader

APP = Path(__file__).resolve().parents[1] / "app"


def settings(monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader("voila.py", path=str(APP)).load_config()


def test_the_defaults_preheat_a_class_and_shut_a_lost_kernel_within_60_s(monkeypatch):
    for name in ("APP_POOL", "APP_CULL", "APP_IP", "APP_PORT"):
        monkeypatch.delenv(name, raising=False)
    config = settings(monkeypatch)
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaConfiguration.default_pool_size == 30
    assert config.VoilaKernelManager.fill_delay >= 10  # a class is served before the pool refills
    kernels = config.MappingKernelManager
    assert kernels.cull_connected is False
    assert kernels.cull_idle_timeout + kernels.cull_interval <= 60
    assert config.Voila.tornado_settings == {"disable_check_xsrf": True}
    assert "custom_display_url" not in config.Voila  # 127.0.0.1: Voilà's own address


def test_the_environment_sets_pool_timeout_and_the_students_address(monkeypatch):
    config = settings(monkeypatch, APP_POOL="0", APP_CULL="6", APP_IP="0.0.0.0", APP_PORT="9000")
    assert config.VoilaConfiguration.preheat_kernel is False
    assert config.VoilaConfiguration.default_pool_size == 0
    assert (
        config.MappingKernelManager.cull_idle_timeout,
        config.MappingKernelManager.cull_interval,
    ) == (6, 1)
    url = config.Voila.custom_display_url
    assert url.startswith("http://") and url.endswith(":9000/") and "0.0.0.0" not in url


@pytest.fixture
def manager(monkeypatch):
    manager_class = settings(monkeypatch).VoilaConfiguration.multi_kernel_manager_class
    manager = manager_class()
    long_ago = utcnow() - timedelta(hours=1)
    manager._kernels["k"] = SimpleNamespace(last_activity=long_ago)
    manager._kernel_connections["k"] = 1
    return manager, long_ago


def test_a_lost_page_restarts_the_idle_clock(manager):
    manager, _ = manager
    manager.notify_disconnect("k")
    assert manager._kernel_connections["k"] == 0
    assert utcnow() - manager._kernels["k"].last_activity < timedelta(seconds=5)


def culled_by_the_base_class(manager, monkeypatch) -> list[str]:
    culled: list[str] = []

    async def cull(self, kernel_id):
        culled.append(kernel_id)

    monkeypatch.setattr(type(manager).__mro__[1], "cull_kernel_if_idle", cull)
    return culled


def test_a_kernel_no_page_has_joined_yet_is_spared_while_its_page_loads(manager, monkeypatch):
    manager, _ = manager
    culled = culled_by_the_base_class(manager, monkeypatch)
    asyncio.run(manager.cull_kernel_if_idle("k"))
    assert culled == []  # idle for an hour, but no page has connected yet
    manager._waiting_since["k"] -= timedelta(seconds=301)
    asyncio.run(manager.cull_kernel_if_idle("k"))
    assert culled == ["k"]  # past the page's loading time: the culler decides


def test_a_kernel_that_had_a_page_is_left_to_the_culler(manager, monkeypatch):
    manager, _ = manager
    culled = culled_by_the_base_class(manager, monkeypatch)
    manager.notify_connect("k")
    asyncio.run(manager.cull_kernel_if_idle("k"))
    assert culled == ["k"]


def started_by_the_base_class(manager, monkeypatch) -> list[str]:
    started: list[str] = []

    async def start(self, *args, **kwargs):
        started.append(kwargs["name"])
        return kwargs["name"]

    monkeypatch.setattr(type(manager).__mro__[1], "start_kernel", start)
    return started


def test_preheated_kernels_start_one_at_a_time_and_others_at_once(manager, monkeypatch):
    manager, _ = manager
    started = started_by_the_base_class(manager, monkeypatch)
    pool = {"VOILA_PREHEAT": "True"}

    async def scenario():
        await manager.start_kernel(name="pool 1", env=pool)
        second = asyncio.create_task(manager.start_kernel(name="pool 2", env=pool))
        await manager.start_kernel(name="page", env={"VOILA_PREHEAT": "False"})
        await asyncio.sleep(0.01)
        waiting = not second.done()
        second.cancel()
        return waiting

    assert asyncio.run(scenario()) is True
    assert started == ["pool 1", "page"]


def test_the_pool_refills_once_the_pages_it_served_have_connected(manager, monkeypatch):
    manager, _ = manager
    started = started_by_the_base_class(manager, monkeypatch)
    manager._pool_requests = 30  # the pool has been filled: the next request replaces a kernel
    pool = {"VOILA_PREHEAT": "True"}

    async def scenario():
        refill = asyncio.create_task(manager.start_kernel(name="refill", env=pool))
        await asyncio.sleep(0.05)
        waiting = not refill.done() and manager.pages_loading() == 1
        manager.notify_connect("k")  # the student's page has connected to its kernel
        await asyncio.wait_for(refill, timeout=5)
        return waiting

    assert asyncio.run(scenario()) is True
    assert started == ["refill"] and manager.pages_loading() == 0
