"""The single error type for problems the user can fix (bad arguments, missing or broken data)."""


class TrainError(Exception):
    """A user-facing error: the CLI prints its message on one line and exits with code 2."""

    exit_code = 2
