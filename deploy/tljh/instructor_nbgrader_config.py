# The instructor's own nbgrader settings: copy to ~/.jupyter/nbgrader_config.py in the instructor's
# account on the hub. The formgrader works on the course folder ~/mxsec.
import os

c = get_config()  # noqa: F821 (nbgrader defines get_config)
c.CourseDirectory.root = os.path.expanduser("~/mxsec")
