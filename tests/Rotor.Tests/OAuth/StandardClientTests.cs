using System.Net;
using Duende.IdentityModel.Client;
using Rotor.Tests.Infrastructure;
using Rotor.Tests.Tokens;

namespace Rotor.Tests.OAuth;

/// <summary>
/// An independent OAuth client library (Duende.IdentityModel) against the real host: it finds the endpoints in the
/// RFC 8414 document, refreshes, revokes, and reads Rotor's refusals as OAuth errors. The host's issuer is its own
/// URL, as RFC 8414 expects and as the library's default policy checks.
/// </summary>
public sealed class StandardClientTests : IDisposable
{
    private const string Issuer = "https://localhost";
    private readonly RotorApp _app = new(new Dictionary<string, string?> { ["Rotor:Issuer"] = Issuer });
    private readonly RotorClient _client;

    public StandardClientTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    /// <summary>The library's policy with its checks on (issuer = authority, endpoints under it, a key set), pointed at RFC 8414's path.</summary>
    private Task<DiscoveryDocumentResponse> DiscoverAsync() =>
        _client.Http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = Issuer,
            Policy = new DiscoveryPolicy { DiscoveryDocumentPath = "/.well-known/oauth-authorization-server" },
        });

    [Fact]
    public async Task The_library_reads_the_metadata_document_and_its_keys_with_its_default_checks()
    {
        var session = await _client.NewNativeSessionAsync();

        var disco = await DiscoverAsync();

        Assert.False(disco.IsError, disco.Error);
        Assert.Equal(Issuer, disco.Issuer);
        Assert.Equal(Issuer + "/oauth/token", disco.TokenEndpoint);
        Assert.Equal(Issuer + "/oauth/revoke", disco.RevocationEndpoint);
        Assert.Equal(Issuer + "/.well-known/jwks.json", disco.JwksUri);
        Assert.Equal(["refresh_token"], disco.GrantTypesSupported);
        Assert.Empty(disco.ResponseTypesSupported);
        Assert.Equal(["none"], disco.TokenEndpointAuthenticationMethodsSupported);
        Assert.Equal(["none"], disco.RevocationEndpointAuthenticationMethodsSupported);
        Assert.Equal(["ES256", "ES384", "ES512", "PS256", "RS256"], disco.TryGetStringArray("dpop_signing_alg_values_supported"));
        Assert.Null(disco.AuthorizeEndpoint);
        Assert.Contains(disco.KeySet!.Keys, k => k.Kid == KeyTestKit.Kid(session.AccessToken));
        Assert.Equal(Issuer, RotorClient.DecodeJwtPart(session.AccessToken, 1).GetProperty("iss").GetString());
    }

    [Fact]
    public async Task There_is_no_openid_configuration_so_the_librarys_default_path_finds_nothing()
    {
        // Rotor is not an OpenID provider (no ID tokens, no userinfo): it publishes RFC 8414's document only.
        var disco = await _client.Http.GetDiscoveryDocumentAsync(Issuer);

        Assert.True(disco.IsError);
        Assert.Equal(HttpStatusCode.NotFound, disco.HttpStatusCode);
    }

    [Theory]
    [InlineData(ClientCredentialStyle.PostBody)]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    public async Task The_library_refreshes_again_and_again_with_the_rotated_token(ClientCredentialStyle style)
    {
        var session = await _client.NewNativeSessionAsync();
        var disco = await DiscoverAsync();
        var refreshToken = session.RefreshToken;

        for (var i = 0; i < 3; i++)
        {
            var response = await _client.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
            {
                Address = disco.TokenEndpoint,
                ClientId = "my-cli",
                ClientCredentialStyle = style,
                RefreshToken = refreshToken,
            });

            Assert.False(response.IsError, response.Error);
            Assert.Equal("Bearer", response.TokenType);
            Assert.Equal(900, response.ExpiresIn);
            Assert.NotEqual(refreshToken, response.RefreshToken);
            refreshToken = response.RefreshToken!;
            using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", response.AccessToken);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            _app.Time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task The_library_sees_reuse_as_invalid_grant_and_the_session_ends()
    {
        var session = await _client.NewNativeSessionAsync();
        var disco = await DiscoverAsync();
        var first = await _client.Http.RequestRefreshTokenAsync(new RefreshTokenRequest { Address = disco.TokenEndpoint, ClientId = "my-cli", RefreshToken = session.RefreshToken });
        _app.Time.Advance(TimeSpan.FromMinutes(1));

        var reuse = await _client.Http.RequestRefreshTokenAsync(new RefreshTokenRequest { Address = disco.TokenEndpoint, ClientId = "my-cli", RefreshToken = session.RefreshToken });
        var owner = await _client.Http.RequestRefreshTokenAsync(new RefreshTokenRequest { Address = disco.TokenEndpoint, ClientId = "my-cli", RefreshToken = first.RefreshToken! });

        Assert.Equal(ResponseErrorType.Protocol, reuse.ErrorType);
        Assert.Equal("invalid_grant", reuse.Error);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.HttpStatusCode);
        Assert.False(string.IsNullOrEmpty(reuse.ErrorDescription));
        Assert.Equal("invalid_grant", owner.Error);
    }

    [Fact]
    public async Task The_librarys_password_grant_is_unsupported()
    {
        var session = await _client.NewNativeSessionAsync();
        var disco = await DiscoverAsync();

        var response = await _client.Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = disco.TokenEndpoint,
            ClientId = "my-cli",
            UserName = session.Username,
            Password = RotorClient.Password,
        });

        Assert.Equal("unsupported_grant_type", response.Error);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
    }

    [Theory]
    [InlineData(true, "refresh_token")]
    [InlineData(true, "access_token")]
    [InlineData(false, "access_token")]
    [InlineData(false, "refresh_token")]
    public async Task The_library_revokes_a_refresh_or_an_access_token_whatever_the_hint(bool refresh, string hint)
    {
        var session = await _client.NewNativeSessionAsync();
        var disco = await DiscoverAsync();

        var revoked = await _client.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint,
            ClientId = "my-cli",
            Token = refresh ? session.RefreshToken : session.AccessToken,
            TokenTypeHint = hint,
        });

        Assert.False(revoked.IsError, revoked.Error);
        var after = await _client.Http.RequestRefreshTokenAsync(new RefreshTokenRequest { Address = disco.TokenEndpoint, ClientId = "my-cli", RefreshToken = session.RefreshToken });
        Assert.Equal("invalid_grant", after.Error);
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task The_library_revokes_an_unknown_token_without_an_error()
    {
        var disco = await DiscoverAsync();

        var revoked = await _client.Http.RevokeTokenAsync(new TokenRevocationRequest { Address = disco.RevocationEndpoint, ClientId = "my-cli", Token = "never-issued" });

        Assert.False(revoked.IsError, revoked.Error);
        Assert.Equal(HttpStatusCode.OK, revoked.HttpStatusCode);
    }
}
