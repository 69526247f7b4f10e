from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.rest_set_secret_request import RestSetSecretRequest
from ...models.rest_set_secret_response import RestSetSecretResponse
from ...types import Response


def _get_kwargs(
    name: str,
    *,
    body: RestSetSecretRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/secrets/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RestSetSecretResponse | None:
    if response.status_code == 200:
        response_200 = RestSetSecretResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = ErrorResponse.from_dict(response.json())

        return response_405

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | RestSetSecretResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RestSetSecretRequest,
) -> Response[ErrorResponse | RestSetSecretResponse]:
    """Create or update a secret (REST form)

     Creates the secret at version 1, or stores a new value and increments its
    version; both answer 200. A `label` is trimmed, an empty one clears it, and
    an absent one keeps the current label. A server of the v0.1 form does not
    have this route and stores nothing (404 or 405): a client that took the
    server for REST learns otherwise without harm.

    Args:
        name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
        body (RestSetSecretRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RestSetSecretResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RestSetSecretRequest,
) -> ErrorResponse | RestSetSecretResponse | None:
    """Create or update a secret (REST form)

     Creates the secret at version 1, or stores a new value and increments its
    version; both answer 200. A `label` is trimmed, an empty one clears it, and
    an absent one keeps the current label. A server of the v0.1 form does not
    have this route and stores nothing (404 or 405): a client that took the
    server for REST learns otherwise without harm.

    Args:
        name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
        body (RestSetSecretRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RestSetSecretResponse
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RestSetSecretRequest,
) -> Response[ErrorResponse | RestSetSecretResponse]:
    """Create or update a secret (REST form)

     Creates the secret at version 1, or stores a new value and increments its
    version; both answer 200. A `label` is trimmed, an empty one clears it, and
    an absent one keeps the current label. A server of the v0.1 form does not
    have this route and stores nothing (404 or 405): a client that took the
    server for REST learns otherwise without harm.

    Args:
        name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
        body (RestSetSecretRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RestSetSecretResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: RestSetSecretRequest,
) -> ErrorResponse | RestSetSecretResponse | None:
    """Create or update a secret (REST form)

     Creates the secret at version 1, or stores a new value and increments its
    version; both answer 200. A `label` is trimmed, an empty one clears it, and
    an absent one keeps the current label. A server of the v0.1 form does not
    have this route and stores nothing (404 or 405): a client that took the
    server for REST learns otherwise without harm.

    Args:
        name (str): 1 to 64 ASCII letters, digits, `:`, `_` and `-` (REST form).
        body (RestSetSecretRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RestSetSecretResponse
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
