"""Checks of uploaded scans, as pure functions: bytes in, findings and clean derivatives out.

The names are loaded at their first use: a web process that needs a finding's messages or a hash's
bands does not load OpenCV, numpy and PDFium (about 50 MB in each process) with them."""
from importlib import import_module

_HOMES = {
    "KINDS": "findings", "Derivative": "findings", "QrFinding": "findings", "Refusal": "findings",
    "ScanFindings": "findings", "ScanResult": "findings", "SealFinding": "findings", "ScanLimits": "limits",
    "hamming": "phash", "near_duplicates": "phash", "phash": "phash", "sha256_hex": "phash",
    "scan_upload": "pipeline", "expected_qr_text": "qr", "qr_check": "qr", "read_qr": "qr",
    "find_seal": "seal", "real_type": "sniff", "sniff": "sniff",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
