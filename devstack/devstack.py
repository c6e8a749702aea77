#!/usr/bin/env python3
"""The devstack's command (see devstack/cli.py for its usage); the servers live in devstack/servers/."""
import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, Python puts devstack/ itself first on the path, where `devstack` would name this file.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from devstack.base import DevstackError, layout_for, ports_for  # noqa: E402,F401  (for scripts importing this)
from devstack.cli import main, parse_args  # noqa: E402,F401
from devstack.lifecycle import (down, env_for, kill_server, render_env, server_status, start_server,  # noqa: E402,F401
                                stop_server, up)
from devstack.provision import provision  # noqa: E402,F401

if __name__ == "__main__":
    sys.exit(main())
