"""The workspace app: models, migrations and admin of the 결산 workspace."""
