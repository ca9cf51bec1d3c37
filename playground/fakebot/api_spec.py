"""Bot API method signatures (from ``api_methods.json``) and decoding of form parameters.

``api_methods.json`` is a reduced extract of the machine-readable Bot API 10.1 description:
for every method its return types and its parameters with their required flag and types
(``methods[name].returns`` and ``methods[name].fields[*].{name,required,types}`` of the full
telegram-bot-api-10.1.json).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ApiError, bad_request

SPEC_PATH = Path(__file__).with_name("api_methods.json")

_SCALAR_TYPES = frozenset({"String", "Integer", "Float", "Boolean", "InputFile"})
_INT_RE = re.compile(r"^-?\d+$")
# Telegram's own wording for a few missing required parameters.
_MISSING_WORDING = {"text": "message text is empty", "chat_id": "chat_id is empty"}


@dataclass(frozen=True)
class ParamSpec:
    name: str
    required: bool
    types: tuple[str, ...]

    @property
    def is_json(self) -> bool:
        """True for object / array parameters, which arrive JSON-encoded inside the form."""
        return not set(self.types) <= _SCALAR_TYPES

    @property
    def accepts_file(self) -> bool:
        return "InputFile" in self.types

    def decode(self, raw: Any) -> Any:
        """Turn a form string into the value Telegram would see (int, float, bool, JSON...)."""
        if not isinstance(raw, str):
            return raw
        if self.is_json:
            return _decode_json(self.name, raw)
        types = set(self.types)
        if "Integer" in types and _INT_RE.match(raw):
            return int(raw)
        if "Integer" in types and _is_float(raw) and float(raw).is_integer():
            return int(float(raw))
        if "Float" in types and _is_float(raw):
            return float(raw)
        if "Boolean" in types and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        if types & {"String", "InputFile"}:
            return raw
        raise bad_request(f'can\'t parse parameter "{self.name}": {raw!r} is not {self.types[0]}')


@dataclass(frozen=True)
class MethodSpec:
    name: str
    returns: tuple[str, ...]
    params: dict[str, ParamSpec]

    def decode(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Decode every known parameter; unknown ones are decoded best-effort."""
        return {
            name: self.params[name].decode(value) if name in self.params else guess_decode(value)
            for name, value in raw.items()
        }

    def check(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> None:
        """Reject missing required parameters. Unknown ones are ignored, as Telegram does
        (python-telegram-bot sends its default `parse_mode` even to sendVenue)."""
        for name in files:
            if name not in self.params and not _is_attached(name, params):
                raise bad_request(f'unexpected file "{name}" for method {self.name}')
        for spec in self.params.values():
            present = params.get(spec.name) not in (None, "") or spec.name in files
            if spec.required and not present:
                raise bad_request(_MISSING_WORDING.get(spec.name, f"{spec.name} is empty"))


class ApiSpec:
    """All methods of the Bot API, looked up case-insensitively like Telegram does."""

    def __init__(self, methods: dict[str, MethodSpec], source: str) -> None:
        self._methods = {name.lower(): spec for name, spec in methods.items()}
        self.source = source

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> ApiSpec:
        data = json.loads(path.read_text(encoding="utf-8"))
        methods = {
            name: MethodSpec(
                name=name,
                returns=tuple(entry["returns"]),
                params={
                    pname: ParamSpec(pname, bool(p["required"]), tuple(p["types"]))
                    for pname, p in entry["params"].items()
                },
            )
            for name, entry in data["methods"].items()
        }
        return cls(methods, data.get("source", ""))

    def get(self, method: str) -> MethodSpec | None:
        return self._methods.get(method.lower())


def guess_decode(raw: Any) -> Any:
    """Decode a value whose type is unknown: JSON-looking strings become objects."""
    if isinstance(raw, str) and raw[:1] in ("{", "["):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _decode_json(name: str, raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        what = "reply keyboard markup" if name == "reply_markup" else name
        raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None


def _is_float(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return True


def _is_attached(field: str, params: dict[str, Any]) -> bool:
    """Whether some parameter refers to the uploaded field as ``attach://field``."""
    return f"attach://{field}" in json.dumps(params)
