"""Checks of uploaded scans, as pure functions: bytes in, findings and clean derivatives out."""
from .findings import KINDS, Derivative, QrFinding, Refusal, ScanFindings, ScanResult
from .limits import ScanLimits
from .phash import hamming, near_duplicates, phash, sha256_hex
from .pipeline import scan_upload
from .qr import expected_qr_text, qr_check, read_qr
from .seal import SealFinding, find_seal
from .sniff import real_type, sniff

__all__ = [
    "KINDS", "Derivative", "QrFinding", "Refusal", "ScanFindings", "ScanLimits", "ScanResult", "SealFinding",
    "expected_qr_text", "find_seal", "hamming", "near_duplicates", "phash", "qr_check", "read_qr", "real_type",
    "scan_upload", "sha256_hex", "sniff",
]
