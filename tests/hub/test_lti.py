"""Entering the hub from the learning platform: an LTI 1.1 launch, signed as Canvas or Moodle sign it
(OAuth 1.0a, HMAC-SHA1, over the form's parameters, with the consumer key and shared secret set in the
platform), logs the student into the hub of deploy/jupyterhub_config.py under their platform
identity; a launch whose parameters were changed after signing, one signed with another secret, and
an unsigned one are refused.

The signature is computed here from RFC 5849 with the standard library, independently of the
authenticator's own code (which verifies it with oauthlib)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import quote

import pytest
from classrooms import start_classroom
from hubclient import HubUser

from mxsec.chapters import course_title

KEY, SECRET = "mxsec-canvas", secrets.token_hex(16)
STUDENT_ID = "mxt-lti-5f1c"  # the platform's user_id: the hub's user name (MXSEC_LTI_USERNAME_KEY default)
TEACHER_ID = "mxt-lti-7a02"

pytestmark = pytest.mark.timeout(1800)  # a cold run builds the venvs first


def encode(text: str) -> str:
    return quote(text, safe="-._~")  # RFC 3986's unreserved characters only (RFC 5849, 3.6)


def signed(url: str, params: dict[str, str], key: str = KEY, secret: str = SECRET) -> dict[str, str]:
    """`params` with the oauth_* parameters and the HMAC-SHA1 signature a platform adds (RFC 5849, 3.4)."""
    launch = {
        **params,
        "oauth_consumer_key": key,
        "oauth_nonce": secrets.token_hex(16),
        "oauth_timestamp": str(int(time.time())),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_version": "1.0",
        "oauth_callback": "about:blank",
    }
    pairs = sorted((encode(k), encode(v)) for k, v in launch.items())
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join(["POST", encode(url), encode(normalized)])
    digest = hmac.new(f"{encode(secret)}&".encode(), base.encode(), hashlib.sha1).digest()
    return {**launch, "oauth_signature": base64.b64encode(digest).decode()}


def launch_params(user_id: str, roles: str) -> dict[str, str]:
    return {
        "lti_message_type": "basic-lti-launch-request",
        "lti_version": "LTI-1p0",
        "resource_link_id": "mxsec-compellence",
        "resource_link_title": "Exercises: Compellence",
        "context_id": "course-101",
        "context_title": course_title(),
        "user_id": user_id,
        "roles": roles,
        "lis_person_name_full": "A. Student",
        "tool_consumer_info_product_family_code": "canvas",
    }


@pytest.fixture(scope="module")
def lti_hub(venvs):
    classroom = start_classroom(
        venvs,
        "hub-test-lti",
        [],
        auth="lti",
        extra_env={"MXSEC_LTI_KEY": KEY, "MXSEC_LTI_SECRET": SECRET},
    )
    yield classroom
    classroom.teardown()


def post_launch(hub, user: HubUser, form: dict[str, str]):
    return user.session.post(f"{hub.url}/hub/lti/launch", data=form, allow_redirects=False, timeout=60)


def test_a_signed_launch_logs_the_student_in_under_their_platform_identity(lti_hub):
    url = f"{lti_hub.url}/hub/lti/launch"
    student = HubUser(lti_hub.url, STUDENT_ID)
    response = post_launch(lti_hub, student, signed(url, launch_params(STUDENT_ID, "Learner")))
    assert response.status_code == 302, response.text[:1000]
    me = student.whoami()
    assert me["name"] == STUDENT_ID and me["groups"] == []
    teacher = HubUser(lti_hub.url, TEACHER_ID)
    response = post_launch(
        lti_hub,
        teacher,
        signed(url, launch_params(TEACHER_ID, "Instructor,urn:lti:role:ims/lis/TeachingAssistant")),
    )
    assert response.status_code == 302, response.text[:1000]
    me = teacher.whoami()
    assert me["name"] == TEACHER_ID and me["groups"] == ["instructors"], (
        "an Instructor joins the group instructors"
    )


@pytest.mark.parametrize("attack", ["tampered", "other secret", "unsigned", "replayed"])
def test_a_forged_launch_is_refused(lti_hub, attack):
    url = f"{lti_hub.url}/hub/lti/launch"
    form = signed(
        url, launch_params(STUDENT_ID, "Learner"), secret=SECRET if attack != "other secret" else "guess"
    )
    if attack == "tampered":
        form["user_id"] = TEACHER_ID  # the student tries to become someone else
        form["roles"] = "Instructor"
    elif attack == "unsigned":
        form = {k: v for k, v in form.items() if k != "oauth_signature"}
    user = HubUser(lti_hub.url, form["user_id"])
    if attack == "replayed":
        assert post_launch(lti_hub, HubUser(lti_hub.url, STUDENT_ID), form).status_code == 302
    response = post_launch(lti_hub, user, form)
    assert response.status_code in (400, 401, 403), f"{attack}: {response.status_code} {response.text[:500]}"
    assert user.hub_api("GET", "/user", "whoami", expect=(403,)).status_code == 403, f"{attack}: logged in"
