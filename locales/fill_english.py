"""Message ids are English: fill every empty English msgstr with its msgid.

Run by `make extract` after merging; Turkish is translated by hand in tr/messages.po.
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).parent / "en" / "LC_MESSAGES" / "messages.po"

with PO.open("rb") as fp:
    catalog = read_po(fp, locale="en")
for message in catalog:
    if not message.id:
        continue
    if isinstance(message.id, tuple):
        if not all(message.string):
            message.string = tuple(message.id)
    elif not message.string:
        message.string = message.id
with PO.open("wb") as fp:
    write_po(fp, catalog, omit_header=False, width=100)
