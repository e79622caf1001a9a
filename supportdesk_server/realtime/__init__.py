"""Real-time parts: the event log with its in-process bus, the agent and the visitor sockets."""
