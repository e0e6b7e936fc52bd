"""Running a class: the roster, collecting submissions from a shared folder, and the records HR asks for.

Everything goes through nbgrader's API (its ``Gradebook`` and course directory), so that stock ``nbgrader``
commands and the formgrader keep working on the same ``grader/`` folder.
"""
