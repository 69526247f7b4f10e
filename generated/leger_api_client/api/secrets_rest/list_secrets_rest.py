from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.rest_list_secrets_response import RestListSecretsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    include_values: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["include_values"] = include_values

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/secrets",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RestListSecretsResponse | None:
    if response.status_code == 200:
        response_200 = RestListSecretsResponse.from_dict(response.json())

        return response_200

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
) -> Response[ErrorResponse | RestListSecretsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    include_values: bool | Unset = False,
) -> Response[ErrorResponse | RestListSecretsResponse]:
    """List all secrets, optionally with their values (REST form)

     Metadata of every secret, in storage order; with `include_values=true`,
    each item carries its value instead of `updated_at` (one request for all
    values). A server of the v0.1 form does not have this route (404 or 405),
    which is how a client tells the forms apart.

    Args:
        include_values (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RestListSecretsResponse]
    """

    kwargs = _get_kwargs(
        include_values=include_values,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    include_values: bool | Unset = False,
) -> ErrorResponse | RestListSecretsResponse | None:
    """List all secrets, optionally with their values (REST form)

     Metadata of every secret, in storage order; with `include_values=true`,
    each item carries its value instead of `updated_at` (one request for all
    values). A server of the v0.1 form does not have this route (404 or 405),
    which is how a client tells the forms apart.

    Args:
        include_values (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RestListSecretsResponse
    """

    return sync_detailed(
        client=client,
        include_values=include_values,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    include_values: bool | Unset = False,
) -> Response[ErrorResponse | RestListSecretsResponse]:
    """List all secrets, optionally with their values (REST form)

     Metadata of every secret, in storage order; with `include_values=true`,
    each item carries its value instead of `updated_at` (one request for all
    values). A server of the v0.1 form does not have this route (404 or 405),
    which is how a client tells the forms apart.

    Args:
        include_values (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RestListSecretsResponse]
    """

    kwargs = _get_kwargs(
        include_values=include_values,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    include_values: bool | Unset = False,
) -> ErrorResponse | RestListSecretsResponse | None:
    """List all secrets, optionally with their values (REST form)

     Metadata of every secret, in storage order; with `include_values=true`,
    each item carries its value instead of `updated_at` (one request for all
    values). A server of the v0.1 form does not have this route (404 or 405),
    which is how a client tells the forms apart.

    Args:
        include_values (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RestListSecretsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            include_values=include_values,
        )
    ).parsed
