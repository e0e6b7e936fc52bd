"""The Jupyter settings kenshu ships (``learner/``, ``trainer/``) and the learner's contents manager."""
