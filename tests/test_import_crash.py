"""A process killed in the middle of an import leaves the store as it was."""

import subprocess
import sys
import textwrap

from ipmetrics.core.store import Store

from .conftest import SMALL, kind_files
from .test_importer import contents

# Runs the real CLI, but stops inside the import transaction (after the rows are written, before the
# log line and the commit) and says so, so the test can kill it at exactly that point.
CHILD = textwrap.dedent("""
    import sys, time
    from ipmetrics.core import store as store_module
    original = store_module.Transaction.execute
    def paused(self, query, /, **params):
        if query == "log_import":
            print("WRITING", flush=True)
            time.sleep(120)
        return original(self, query, **params)
    store_module.Transaction.execute = paused
    from ipmetrics.cli import run
    sys.exit(run(sys.argv[1:]))
""")


def test_killed_import_leaves_the_store_unchanged(tmp_path, db_url, registry):
    from ipmetrics.io.importer import import_files

    url = db_url("store")
    store = Store(url)
    import_files(store, kind_files(SMALL), indicator_ids=set(registry.ids()))
    before = contents(store)
    store.dispose()

    big = tmp_path / "marks.csv"
    lines = ["reg_no,mark_name,holder,region_code,mark_type,is_gi,industry,registered_on,ended_on,well_known_on"]
    lines += [f"K{i},标{i},某公司,411521001,ordinary,false,,2022-01-01,," for i in range(30_000)]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    child = tmp_path / "child.py"
    child.write_text(CHILD, encoding="utf-8")

    proc = subprocess.Popen([sys.executable, str(child), "--db", url, "import", "trademarks", str(big)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "WRITING", proc.stderr.read()
    finally:
        proc.kill()  # SIGKILL: no cleanup, no rollback by the process itself
        proc.wait(timeout=30)
    assert proc.returncode == -9

    reopened = Store(url)
    assert contents(reopened) == before
    assert reopened.data_version() == 1
