"""The fork server's warm-up for ingest workers: imported once, by the process that forks them.

What every worker would otherwise build before its first file, built here once and inherited by each
fork: the built-in taxonomy's term index (~45 ms) and the reference labeller. A user taxonomy is still
loaded by each worker (kb.perfile._init_worker), as its path is known only per run.
"""

from kb import taxonomy
from kb.errors import KbError
from kb.refparse import crf

try:
    taxonomy.load(None).index
except KbError:  # a broken built-in taxonomy is reported by the run itself, not by the fork server
    pass
crf.available()
