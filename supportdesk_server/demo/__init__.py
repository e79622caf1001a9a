"""The embedded demo: a deterministic, realistic data set (:mod:`.seed`) and a visitor simulator
(:mod:`.simulator`) that keeps the list of chats moving without a real website.

Every seeded agent has the password :data:`DEMO_PASSWORD`; the desktop client's embedded demo logs
in as :data:`DEMO_AGENT` (a department head who is a member of every department).
"""

DEMO_PASSWORD = "demo"
DEMO_AGENT = "demo"

__all__ = ["DEMO_PASSWORD", "DEMO_AGENT"]
