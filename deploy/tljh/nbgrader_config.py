# nbgrader settings for every user of the hub: copy to /opt/tljh/user/etc/jupyter/nbgrader_config.py.
# The exchange is /srv/nbgrader/exchange, shared on the machine; a submission there is readable by
# its student and the instructor only (mxsec.hub.PrivateSubmit, from the course's package).
c = get_config()  # noqa: F821 (nbgrader defines get_config)
c.Exchange.root = "/srv/nbgrader/exchange"
c.CourseDirectory.course_id = "mxsec"
c.ExchangeFactory.submit = "mxsec.hub.PrivateSubmit"
