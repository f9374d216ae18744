"""gunicorn reads this file from the folder it is started in: it tells the app how many worker processes there
are, so that limits each process counts for itself (the sign-in rate limit without a shared store) can be
divided among them."""
import os


def on_starting(server):
    """Before any worker is forked: the workers inherit the variable (also with --preload)."""
    os.environ["WEB_WORKERS"] = str(server.cfg.workers)
