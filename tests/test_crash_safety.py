"""An ingest killed with SIGKILL loses nothing committed; concurrent ingests wait for the lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.perfile import _work as _REAL_WORK

WORDS = ("alliance thérapeutique lien affectif patient thérapeute objectifs tâches rupture réparation "
         "douleur chronique attachement empathie cadre séance relation confiance").split()


def _corpus(folder, n):
    folder.mkdir()
    for i in range(n):
        body = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(300))
        (folder / f"doc{i:03d}.txt").write_text(f"Document numéro {i} sur l'alliance\n\n{body} fin{i}.",
                                                encoding="utf-8")


def _kb(*args, env):
    return subprocess.run([sys.executable, "-m", "kb", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def env(kb_home):
    e = dict(os.environ, KB_HOME=str(kb_home), KB_JOBS="1")
    return e


def _count(env):
    out = _kb("stats", "--json", env=env)
    return json.loads(out.stdout)["documents"]


def test_kill_9_during_ingest_then_search_and_resume(kb_home, env):
    _corpus(kb_home / "corpus", 300)
    proc = subprocess.Popen([sys.executable, "-m", "kb", "ingest"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # wait until at least one batch is committed, then kill without warning
    while time.monotonic() < deadline:
        if (kb_home / "index" / "kb.json").exists() and any((kb_home / "index").glob("*.seg")):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _kb("search", "alliance", "--json", env=env)
    assert partial.returncode == 0, partial.stderr
    assert json.loads(partial.stdout)["total"] == _count(env) <= 300
    resumed = _kb("ingest", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert _count(env) == 300
    assert json.loads(_kb("search", "fin299", "--json", env=env).stdout)["total"] == 1


def test_two_concurrent_ingests_end_complete(kb_home, env):
    _corpus(kb_home / "corpus", 120)
    procs = [subprocess.Popen([sys.executable, "-m", "kb", "ingest", "--wait", "120"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert _count(env) == 120
    assert any("120 added" in e for e in errs) and any("120 unchanged" in e for e in errs)


def test_a_crash_after_the_last_commit_rebuilds_the_registry_next_time(tmp_path, monkeypatch):
    """Killed between the index's last commit and works.json: the next run, with nothing to index,
    still rebuilds the cited-works registry (kb.json's registry stamp is written last)."""
    from kb import pipeline, registry

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"d{i}.txt").write_text(f"Étude {i}\n\nL'alliance prédit le résultat (Bordin, 1979) et "
                                          f"(Horvath & Symonds, 1991), selon l'auteur {i}.", encoding="utf-8")
    ix = tmp_path / "ix"
    last = corpus / "d3.txt"
    text = last.read_text(encoding="utf-8")
    last.unlink()
    pipeline.ingest([corpus], ix, jobs=1)
    assert [len(w.cited_by) for w in registry.cited(registry.load(ix), "bordin")] == [3]

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as a Ctrl-C at that moment

    last.write_text(text, encoding="utf-8")
    monkeypatch.setattr(registry, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        pipeline.ingest([corpus], ix, jobs=1)
    monkeypatch.undo()
    report = pipeline.ingest([corpus], ix, jobs=1)
    assert len(report.unchanged) == 4 and not report.added  # the fourth was committed before the crash
    assert [len(w.cited_by) for w in registry.cited(registry.load(ix), "bordin")] == [4]


def test_workers_do_not_rerun_the_callers_script(tmp_path):
    # Each worker process used to re-import the caller's main script (the kb CLI and typer, or a user's
    # script) before its first file; the script's top level must run once, in the caller only.
    _corpus(tmp_path / "c", 4)
    script = tmp_path / "caller.py"
    script.write_text(
        "import sys\n"
        "print('caller top level ran', flush=True)\n"
        "from kb import pipeline\n"
        "if __name__ == '__main__':\n"
        "    r = pipeline.ingest([sys.argv[1]], sys.argv[2], jobs=2)\n"
        "    print('indexed', len(r.added), flush=True)\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "c"), str(tmp_path / "ix")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("caller top level ran") == 1
    assert "indexed 4" in out.stdout


def test_a_first_build_cut_short_is_finished_by_the_next_search(tmp_path):
    # `kb search | head` or Ctrl-C during the first search's build left an empty index behind: the next
    # search must build it, not answer "no document matches" from nothing
    from kb import index as kb_index
    from kb import pipeline

    corpus = tmp_path / "corpus"
    _corpus(corpus, 3)
    kb_index.create_index(tmp_path / "index")  # what the cut-short build had written
    report = pipeline.ensure_index(corpus, tmp_path / "index", jobs=1)
    assert report is not None and len(report.added) == 3
    assert pipeline.ensure_index(corpus, tmp_path / "index", jobs=1) is None  # built: searches just search


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out += [int(c) for c in task.read_text().split()]
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers are Linux-only")


@linux_only
def test_kill_9_with_two_jobs_leaves_no_worker_behind(kb_home, env):
    # Forked workers hold copies of their own queue's pipes, so they would never see their parent die:
    # the kernel kills them with it (PR_SET_PDEATHSIG), and the next ingest finds the lock free.
    _corpus(kb_home / "corpus", 300)
    env = dict(env, KB_JOBS="2")
    proc = subprocess.Popen([sys.executable, "-m", "kb", "ingest"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert len(workers) == 2, "the ingest ended before its workers could be seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert [w for w in workers if _alive(w)] == []
    resumed = _kb("ingest", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert _count(env) == 300


@linux_only
def test_a_forked_child_does_not_keep_the_index_lock(tmp_path):
    # A process that forks while holding the lock, then is killed: the lock must die with it, not live on
    # in the child (which shares the locked open file).
    code = ("import os, signal, sys, time\n"
            "from kb.lock import IndexLock\n"
            "lock = IndexLock(sys.argv[1]).__enter__()\n"
            "if os.fork() == 0:\n"
            "    time.sleep(5); os._exit(0)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], timeout=60)
    from kb.lock import IndexLock

    with IndexLock(tmp_path) as lock:  # no wait: raises "index is locked by PID n" if the child held it
        assert lock.path == tmp_path / "kb.lock"


@linux_only
def test_workers_are_forked_only_while_no_other_thread_runs():
    import threading

    from kb import perfile

    assert perfile._context().get_start_method() == "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # a lock that thread held at the fork would stay locked in the child: a fork server then
        assert perfile._context().get_start_method() == "forkserver"
    finally:
        stop.set()
        other.join()


@linux_only
def test_a_task_beside_runs_in_a_child_and_here_when_it_cannot(tmp_path):
    import threading

    from kb.perfile import beside

    out = tmp_path / "pid"
    me = os.getpid()

    def task():
        out.write_text(str(os.getpid()))

    with beside(task):
        pass
    assert int(out.read_text()) != me  # written by a forked child, while the block ran here

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with beside(task):
            pass
    finally:
        stop.set()
        other.join()
    assert int(out.read_text()) == me  # another thread ran: no fork, the task ran here after the block

    def fails_in_a_child():
        if os.getpid() != me:
            raise OSError("disk full")
        out.write_text("done here")

    with beside(fails_in_a_child):
        pass
    assert out.read_text() == "done here"


def _dies_on_doc007(job, context=None):
    """kb.perfile._work, but the worker process is killed at doc007 (forked workers inherit the swap)."""
    from kb.perfile import Context

    if job[0].endswith("doc007.txt"):
        os._exit(9)
    return _REAL_WORK(job, context or Context())


@linux_only
def test_a_worker_that_dies_stops_the_run_with_a_clear_error_and_keeps_what_was_committed(tmp_path, monkeypatch):
    from kb import index as kb_index
    from kb import perfile, pipeline
    from kb.errors import KbError

    _corpus(tmp_path / "c", 12)
    pipeline.ingest([tmp_path / "c" / "doc000.txt"], tmp_path / "ix", jobs=1)
    monkeypatch.setattr(perfile, "_work", _dies_on_doc007)
    with pytest.raises(KbError, match="a worker process died while reading files"):
        pipeline.ingest([tmp_path / "c"], tmp_path / "ix", jobs=2)
    monkeypatch.undo()
    kept = sorted(d.path.rsplit("/", 1)[1] for d in kb_index.stored_docs(kb_index.open_index(tmp_path / "ix")))
    assert kept[0] == "doc000.txt" and kept[-1] < "doc007.txt"  # what was committed before the death stays
    report = pipeline.ingest([tmp_path / "c"], tmp_path / "ix", jobs=2)
    assert len(report.unchanged) == len(kept) and len(report.added) == 12 - len(kept) and not report.failed
