"""What ``synapse-tui run --plugin`` hands the bridge besides the action: a checkpoint and an env file.

Both are read with the same rules as the Swift side (``Checkpoint(parsing:)``, ``PluginEnvironment.fromFile``),
so a file that ``synapse-tui`` accepted means the same thing here; keys keep their case, because
synapse-sdk's ``ctx.env`` looks them up as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def parse_checkpoint(text: str) -> dict[str, Any]:
    """``category:path`` or a JSON object with ``category`` and ``path`` (``id``, ``name`` optional)."""
    text = text.strip()
    if text.startswith('{'):
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError('checkpoint must be a JSON object')
        if not isinstance(value.get('category'), str):
            raise ValueError('checkpoint needs a string "category"')
        if not isinstance(value.get('path'), str):
            raise ValueError('checkpoint needs a string "path"')
        out: dict[str, Any] = {'category': value['category'], 'path': value['path']}
        for key in ('id', 'name'):
            if value.get(key) is not None:
                out[key] = value[key]
        return out
    category, colon, path = text.partition(':')
    if not colon or not category or not path:
        raise ValueError(f"checkpoint must be 'category:path' or a JSON object, got {text!r}")
    return {'category': category, 'path': path}


def read_env_file(path: str | Path) -> dict[str, Any]:
    """The variables of an env file: a JSON object (values as they are), or ``key = value`` lines.

    Lines: ``KEY=value``, ``key = value``, ``export KEY=value``; ``#`` comments; values quoted with ``"..."``
    (escapes ``\\n \\t \\r \\" \\\\``) or ``'...'`` (literal); ``[section]`` prefixes the keys after it with
    ``section_``.
    """
    text = Path(path).read_text(encoding='utf-8')
    if text.strip().startswith('{'):
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError(f'{path}: not a JSON object')
        return dict(value)
    env: dict[str, Any] = {}
    section = ''
    for number, raw in enumerate(text.split('\n'), start=1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('['):
            if not line.endswith(']') or len(line) <= 2:
                raise ValueError(f'{path}:{number}: bad section header {line!r}')
            section = line[1:-1].strip()
            continue
        if line.startswith('export '):
            line = line[7:].strip()
        key, eq, rest = line.partition('=')
        key = key.strip()
        if not eq:
            raise ValueError(f"{path}:{number}: expected 'key = value'")
        if not key or not all(c.isalnum() or c in '_.-' for c in key):
            raise ValueError(f'{path}:{number}: bad key {key!r}')
        env[f'{section}_{key}' if section else key] = _value(rest.strip(), f'{path}:{number}')
    return env


def _value(text: str, where: str) -> str:
    if not text or text[0] not in '"\'':
        hash_at = text.find(' #')
        return text[:hash_at].strip() if hash_at >= 0 else text
    quote = text[0]
    out: list[str] = []
    escaped = False
    for index in range(1, len(text)):
        c = text[index]
        if escaped:
            out.append({'n': '\n', 't': '\t', 'r': '\r'}.get(c, c))
            escaped = False
        elif c == '\\' and quote == '"':
            escaped = True
        elif c == quote:
            rest = text[index + 1 :].strip()
            if rest and not rest.startswith('#'):
                raise ValueError(f'{where}: text after the closing quote')
            return ''.join(out)
        else:
            out.append(c)
    raise ValueError(f'{where}: unterminated quoted value')


__all__ = ['parse_checkpoint', 'read_env_file']
