"""Real servers for Tuiju on one machine, without Docker: one module per server in servers/, the lifecycle
in lifecycle.py, the command in cli.py (run as `python3 devstack/devstack.py`)."""
