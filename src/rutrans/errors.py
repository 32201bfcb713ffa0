"""The one exception type a user can cause and fix.

Every failure that comes from the user's input (a missing file, a model file that is
not a model, an encoding that cannot be read) is raised as :class:`UserError` with a
message that names the file and says what to do.  The CLI prints it as one line and
exits non-zero; nothing else in rutrans prints errors or calls ``sys.exit``.
"""


class UserError(Exception):
    """A failure the user caused and can fix; shown as one line, never a traceback."""

    def __init__(self, message: str) -> None:
        # One line, always: a multi-line message would read like a traceback.
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self.args[0])


class OutOfSpace(UserError):
    """A full disk, a quota or a file-size limit: every later write fails the same way,
    so a folder run stops here rather than failing each remaining document in turn."""


def first_line(error: BaseException) -> str:
    """The first non-empty line of a library's error, or its type's name: what a one-line
    message can quote of it."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
