"""gunicorn's settings for `make serve` (gunicorn -c careerguide/gunicorn.conf.py).

Threads: each worker serves several requests at once, so one slow client cannot hold the only
worker and stall /healthz with it; a buffering proxy in front (README: Deployment) keeps slow
clients away from the workers altogether. The access log keeps password-reset links out: the
link in the e-mail is a key to the account until it is used.
"""

import os

from gunicorn.glogging import Logger

from careerguide.logs import redact_reset_links

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
accesslog = "-"
errorlog = "-"
control_socket_disable = True


class RedactingLogger(Logger):
    """The access log's request line, path and referrer, with any reset link's uid and token
    replaced by [redacted]."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "f"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_reset_links(atoms[name])
        return atoms


logger_class = RedactingLogger
