"""The playground: the real bot, a local Bot API server and a chat page, with no Telegram.

``playground.fakebot`` is the local Bot API server (shared with the test suite);
``python -m bot playground`` runs everything together.
"""
