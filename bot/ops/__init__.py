"""Running ShopCrew unattended: logs, metrics, health endpoints and backups (no chat SDKs)."""
