"""Task manifests: loading, inheritance and schema validation (the checks
against the registered components are :mod:`.crosscheck`'s).

A manifest is one JSON file per task, validated against
``schema/task.schema.json``.  Errors name the file, the JSON pointer of the
offending value and what was expected, e.g.::

    plugins/medinst-x/medinst_x/tasks/ner.json: /category: 'NERR' is not one of ['NER', 'RE', ...]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from .errors import ManifestError

SCHEMA_NAMES = ("task", "sample", "record", "predictions", "predictions-meta", "results", "suite")


def schema_text(name: str) -> bytes:
    """The raw bytes of ``schema/<name>.schema.json`` as shipped in the package."""
    if name not in SCHEMA_NAMES:
        from .errors import UsageError, did_you_mean

        raise UsageError(f"unknown schema {name!r}{did_you_mean(name, SCHEMA_NAMES)}; known: {', '.join(SCHEMA_NAMES)}")
    filename = f"{name}.schema.json"
    from importlib import resources  # here, not at the top: it imports tempfile, random, ...

    try:  # installed from a wheel: schema/ is shipped as medinst_core/schema
        return resources.files("medinst_core.schema").joinpath(filename).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):  # editable install: the repository's schema/
        return (Path(__file__).resolve().parent.parent / "schema" / filename).read_bytes()


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    return orjson.loads(schema_text(name))


@lru_cache(maxsize=None)
def validator(name: str):
    """A compiled Draft 2020-12 validator for a schema."""
    import jsonschema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def pointer(path) -> str:
    """A JSON pointer (RFC 6901) from a jsonschema error path."""
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else "/"


def best_message(error) -> tuple[str, str]:
    """The most specific (pointer, message) of a validation error."""
    import jsonschema

    error = jsonschema.exceptions.best_match([error]) or error
    # descend into oneOf/anyOf context for the deepest relevant error
    while error.context:
        deeper = jsonschema.exceptions.best_match(error.context)
        if deeper is None or len(deeper.absolute_path) < len(error.absolute_path):
            break
        error = deeper
    message = error.message
    if error.validator == "required":
        message = f"missing required property: {message}"
    elif error.validator == "additionalProperties":
        message = f"unexpected property: {message}"
    return pointer(error.absolute_path), message


def read_json_file(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(path, "/", f"cannot be read: {exc.strerror or exc}") from None
    _seen(path, data)
    return _parse_json(path, data)


#: while recording (:func:`record_reads`): every JSON file read, resolved path
#: -> blake2b digest of the bytes read, and every manifest folder listed
_reads: dict[str, bytes] | None = None
_listed: set[str] = set()


def record_reads(on: bool) -> tuple[dict[str, bytes], set[str]]:
    """Start (``on``) or stop recording the files loading reads; stopping
    returns what was recorded (the key of :mod:`.registry_cache` holds the
    bytes loading saw, not what a later read would see)."""
    global _reads
    got, listed = _reads or {}, set(_listed)
    _reads = {} if on else None
    _listed.clear()
    return got, listed


def _seen(path: Path, data: bytes) -> None:
    if _reads is not None:
        from .schema_cache import blake2b

        _reads[str(path.resolve())] = blake2b(data, digest_size=16).digest()


def _seen_dir(path: Path) -> None:
    if _reads is not None:
        _listed.add(str(path.resolve()))


#: base file -> (its bytes, parsed): the tasks of a plugin share their bases
#: (``_dataset.json`` with its file list), parsed once while the bytes stay
_bases: dict[Path, tuple[bytes, Any]] = {}


def _read_base(path: Path) -> Any:
    """A base, parsed once per process while its bytes are the same (merge()
    never changes a base; the merged manifests share its unchanged parts)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(path, "/", f"cannot be read: {exc.strerror or exc}") from None
    _seen(path, data)
    hit = _bases.get(path)
    if hit is not None and hit[0] == data:
        return hit[1]
    document = _parse_json(path, data)
    _bases[path] = (data, document)
    return document


def _parse_json(path: Path, data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        line = data[: getattr(exc, "pos", 0) or 0].count(b"\n") + 1
        raise ManifestError(f"{path}:{line}", "/", f"is not valid JSON: {exc}") from None


# -- inheritance ---------------------------------------------------------------
#
# A manifest may name bases in ``extends``: a path relative to the manifest's
# own file, ``medinst:<name>`` for a base shipped in ``medinst_core/bases``, or
# a list of those applied in order.  Bases are merged *under* the manifest:
# objects merge key by key, anything else in a later layer replaces the earlier
# value, and ``null`` deletes the key.  Bases may extend bases.  A base is an
# ordinary JSON file whose name starts with ``_`` (``tasks/_dataset.json``); it
# is never registered as a task.

CORE_BASE_PREFIX = "medinst:"


class Layer(NamedTuple):
    """One file of a manifest's inheritance chain, as written (without ``extends``)."""

    path: Path | str
    document: dict[str, Any]


def core_base_path(name: str) -> Path:
    """The file of a core base ``medinst:<name>``."""
    from importlib import resources

    try:  # a wheel and an editable install both keep bases/ inside the package
        return Path(str(resources.files("medinst_core.bases").joinpath(f"{name}.json")))
    except ModuleNotFoundError:  # pragma: no cover - a broken install
        return Path(__file__).resolve().parent / "bases" / f"{name}.json"


def core_base_names() -> list[str]:
    folder = core_base_path("x").parent
    return sorted(p.stem for p in folder.glob("*.json"))


def _base_file(ref: Any, owner: Path | str, pointer_: str) -> Path:
    if not isinstance(ref, str) or not ref:
        raise ManifestError(owner, pointer_, f"must be a file name or 'medinst:<base>', got {ref!r}")
    if ref.startswith(CORE_BASE_PREFIX):
        name = ref[len(CORE_BASE_PREFIX):]
        path = core_base_path(name)
        if not path.is_file():
            from .errors import did_you_mean

            known = core_base_names()
            raise ManifestError(owner, pointer_, f"unknown core base {ref!r}{did_you_mean(name, known)}; known: {', '.join(known)}")
        return path
    if not isinstance(owner, Path):
        raise ManifestError(owner, pointer_, f"a manifest given as a dict can only extend core bases, not {ref!r}")
    path = (owner.parent / ref).resolve()
    if not path.is_file():
        raise ManifestError(owner, pointer_, f"the base {ref!r} does not exist (looked for {path})")
    return path


def inheritance_layers(document: Any, path: Path | str, _chain: tuple[Path, ...] = ()) -> list[Layer]:
    """The layers of a manifest, most general first, the manifest itself last."""
    if isinstance(path, Path):
        path = path.resolve()
    if not isinstance(document, dict):
        return [Layer(path, document)]
    refs = document.get("extends")
    own = {k: v for k, v in document.items() if k != "extends"}
    if refs is None:
        return [Layer(path, own)]
    listed = refs if isinstance(refs, list) else [refs]
    layers: list[Layer] = []
    for i, ref in enumerate(listed):
        ptr = "/extends" + (f"/{i}" if isinstance(refs, list) else "")
        base_path = _base_file(ref, path, ptr)
        if base_path in _chain or base_path == path:
            cycle = " -> ".join(str(p) for p in (*_chain, path, base_path))
            raise ManifestError(path, ptr, f"extends itself through {cycle}")
        base = _read_base(base_path)
        if not isinstance(base, dict):
            raise ManifestError(base_path, "/", "a base must be a JSON object")
        here = (*_chain, path) if isinstance(path, Path) else _chain
        layers += inheritance_layers(base, base_path, here)
    layers.append(Layer(path, own))
    return layers


def merge(base: Any, over: Any) -> Any:
    """``over`` merged onto ``base``: objects key by key, ``None`` deletes, anything else replaces."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    out = dict(base)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
        elif key in out:
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def merged(layers: list[Layer]) -> Any:
    result: Any = {}
    for layer in layers:
        result = merge(result, layer.document)
    return result


def origin(layers: list[Layer], ptr_path: list[Any]) -> Path | str:
    """The file that wrote the value at ``ptr_path`` (the longest prefix any
    layer holds, the most specific layer first): the file to fix."""
    best: tuple[int, Path | str] = (-1, layers[-1].path)
    for layer in reversed(layers):
        node: Any = layer.document
        depth = 0
        for key in ptr_path:
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                node = node[key]
            else:
                break
            depth += 1
        if depth > best[0]:
            best = (depth, layer.path)
    return best[1]


def schema_errors(name: str, document: Any, path: str | Path | None, layers: list[Layer] | None = None) -> list[ManifestError]:
    """Every schema violation of ``document`` as :class:`ManifestError`s, in
    document order; with ``layers`` each names the file of the value at fault."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    out = []
    for err in errors:
        ptr, message = best_message(err)
        where = origin(layers, list(err.absolute_path)) if layers and len(layers) > 1 else path
        out.append(ManifestError(where, ptr, message))
    return out


def resolve_manifest(document: Any, path: Path | str | None) -> tuple[Any, list[Layer]]:
    """A manifest with its bases merged in, and its layers (for error locations)."""
    layers = inheritance_layers(document, path if path is not None else "<manifest>")
    return (merged(layers) if len(layers) > 1 else layers[-1].document), layers


def load_json_document(source: Any, *, schema: str) -> tuple[Path | None, dict[str, Any]]:
    """Load a JSON file (or take a dict), merge its bases (task manifests) and
    validate it; raise the first error."""
    path = None
    if isinstance(source, Mapping):
        document: Any = dict(source)
    else:
        path = Path(source)
        document = read_json_file(path)
    layers = None
    if schema == "task":
        document, layers = resolve_manifest(document, path)
    # a document already found valid (same bytes once merged, same schema) is
    # not validated again: start-up then needs no jsonschema at all
    from . import schema_cache

    digest = schema_cache.key(schema, document, schema_text)
    if schema_cache.known_valid(digest):
        return path, document
    errors = schema_errors(schema, document, path, layers)
    if errors:
        raise errors[0]
    schema_cache.remember(digest)
    return path, document


def is_base_file(path: Path) -> bool:
    return path.name.startswith("_")


def manifest_files(source: Path) -> list[Path]:
    """The task manifests of a folder (bases ``_*.json`` and hidden files left out), or the file itself."""
    if source.is_dir():
        _seen_dir(source)
        return sorted(p for p in source.glob("*.json") if not p.name.startswith((".", "_")))
    return [source]


def load_manifests(source: Any) -> Iterator[tuple[Path | None, dict[str, Any]]]:
    """Manifests from a file, a folder of ``*.json`` files, or a dict."""
    if isinstance(source, Mapping):
        yield load_json_document(source, schema="task")
        return
    source = Path(source)
    if not source.exists():
        raise ManifestError(source, "/", "manifest file or folder does not exist")
    for path in manifest_files(source):
        yield load_json_document(path, schema="task")
