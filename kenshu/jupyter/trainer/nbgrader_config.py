"""nbgrader settings for the trainer's JupyterLab (formgrader, assignment tools).

JupyterLab runs in the kit's top folder, where there is no nbgrader_config.py; this loads the kit's
own grader/nbgrader_config.py, so the formgrader grades exactly as `nbgrader` run in grader/ does.
"""

from kenshu.paths import kit_root

c = get_config()  # noqa: F821  (provided by nbgrader)
load_subconfig(str(kit_root() / "grader" / "nbgrader_config.py"))  # noqa: F821
