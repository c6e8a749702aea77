"""Operations tooling that knows every service (backups); run as python -m ops.<tool>."""
