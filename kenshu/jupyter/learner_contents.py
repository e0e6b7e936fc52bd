"""The learner's JupyterLab neither lists nor serves the trainer's folders (``solutions/``, ``grader/``).

Set as ``ServerApp.contents_manager_class`` in the learner's profile. A path under one of
these folders is "not found" to the file browser, the contents API and ``/files/``, whatever
the case or separators a request uses.

This keeps answers out of sight; it is not a wall. A learner's own kernel runs Python with
the learner's rights and can read any file the account can. A class that must not have the
answers at all gets a bundle without them (``kenshu class pack``).
"""

from __future__ import annotations

import functools
from pathlib import PurePosixPath

from jupyter_server.files.handlers import FilesHandler
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado.web import HTTPError
from traitlets import List, Unicode, default

_CHECKED = ("get", "save", "delete_file", "rename_file", "new", "new_untitled", "copy", "update",
            "list_checkpoints", "create_checkpoint", "restore_checkpoint", "delete_checkpoint")


def _refusing(name: str):
    method = getattr(AsyncLargeFileManager, name)

    @functools.wraps(method)
    async def refusing(self, *args, **kwargs):
        for value in [*args[:2], kwargs.get("path"), kwargs.get("old_path"), kwargs.get("new_path"),
                      kwargs.get("from_path"), kwargs.get("to_path")]:
            if isinstance(value, str) and self.is_trainer_only(value):
                raise HTTPError(404, "No such file or directory")
        return await method(self, *args, **kwargs)

    return refusing


class LearnerContentsManager(AsyncLargeFileManager):
    trainer_only = List(Unicode(), default_value=["solutions", "grader"],
                        help="Top-level folders of the kit that the learner's server does not show or serve.").tag(config=True)

    @default("files_handler_class")
    def _files_through_this_manager(self):
        # /files/ served through get() below, not as static files straight from the disk
        return FilesHandler

    def is_trainer_only(self, path: str) -> bool:
        parts = PurePosixPath(path.replace("\\", "/").strip("/")).parts
        return bool(parts) and parts[0].lower() in {name.lower() for name in self.trainer_only}

    def should_list(self, name: str) -> bool:
        return super().should_list(name) and name.lower() not in {n.lower() for n in self.trainer_only}

    async def is_hidden(self, path: str) -> bool:
        return self.is_trainer_only(path) or await super().is_hidden(path)

    async def file_exists(self, path: str = "") -> bool:
        return not self.is_trainer_only(path) and await super().file_exists(path)

    async def dir_exists(self, path: str) -> bool:
        return not self.is_trainer_only(path) and await super().dir_exists(path)

    def exists(self, path: str) -> bool:
        return not self.is_trainer_only(path) and super().exists(path)


for _name in _CHECKED:
    setattr(LearnerContentsManager, _name, _refusing(_name))
