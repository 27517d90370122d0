class ExportError(Exception):
    """An export that cannot be made; the message is meant for the editor."""
