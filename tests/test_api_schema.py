"""schemathesis drives every operation of the OpenAPI document against the app (through WSGI, with a token):
no answer is a server error, and every answer matches the document (status, content type, headers, body)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_app
from tests.test_api import token_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


# The document is the same for every app: it is read from one made for that (the requests go to the test's app).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", make_app("sqlite://"))


@pytest.fixture
def coordinator_token(demo):
    """The district office's token: it reads every unit's objects, so generated ids hit real rows more often."""
    return token_for(demo, "vanphong")


@schema.parametrize()
@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_answers_as_documented(case, demo, coordinator_token):
    # The WSGI transport reads bodies as sent: ask for them uncompressed (Flask-Compress honours Accept-Encoding).
    case.call_and_validate(app=demo, headers={"Authorization": f"Bearer {coordinator_token}",
                                              "Accept-Encoding": "identity"}, checks=CHECKS)
