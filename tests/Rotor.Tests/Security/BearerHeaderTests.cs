using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Security;

/// <summary>
/// An Authorization header that uses the Bearer scheme is a claim to be someone: when its token is missing or
/// not exactly one canonical JWS after a single space, the answer is 401 invalid_token, never anonymous.
/// </summary>
public sealed class BearerHeaderTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public BearerHeaderTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("bearer ")]
    [InlineData("BEARER")]
    [InlineData("Bearer  x")]
    [InlineData("Bearer x")]
    [InlineData("Bearer  ")]
    public async Task A_bearer_header_without_a_usable_token_is_401_on_users_me_and_protected_endpoints(string header)
    {
        var me = await SendAsync("/users/me", header);
        AssertInvalidToken(me, header);

        var sessions = await SendAsync("/auth/sessions", header);
        AssertInvalidToken(sessions, header);
    }

    [Fact]
    public async Task A_real_token_not_exactly_one_space_after_the_scheme_or_with_more_after_it_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();

        foreach (var header in (string[])["Bearer  " + session.AccessToken, "Bearer\t" + session.AccessToken, "Bearer " + session.AccessToken + " x"])
        {
            var me = await SendAsync("/users/me", header);
            AssertInvalidToken(me, header.Replace(session.AccessToken, "<token>", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_scheme_name_is_case_insensitive_for_a_real_token()
    {
        var session = await _client.NewNativeSessionAsync();

        foreach (var scheme in (string[])["Bearer", "bearer", "BEARER"])
        {
            var me = await SendAsync("/users/me", scheme + " " + session.AccessToken);
            Assert.Equal(200, me.Status);
            Assert.Equal(session.UserId, (string?)me.Json["user"]!["id"]);
        }
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearerx abc")]
    [InlineData("Digest username=\"a\"")]
    public async Task Another_scheme_is_not_a_bearer_attempt(string header)
    {
        var me = await SendAsync("/users/me", header);

        Assert.Equal(200, me.Status);
        Assert.Null(me.Json["user"]);
    }

    /// <summary>
    /// Sends the header byte for byte: HttpClient parses an Authorization header and writes it back normalised
    /// (one space, no tab), which would hide exactly what these tests are about.
    /// </summary>
    private async Task<Answer> SendAsync(string path, string header)
    {
        var context = await _app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Scheme = "https";
            c.Request.Host = new HostString("localhost");
            c.Request.Path = path;
            c.Request.Headers.Authorization = header;
        });
        using var reader = new StreamReader(context.Response.Body);
        return new Answer(context.Response.StatusCode, context.Response.Headers.WWWAuthenticate.ToString(), context.Response.ContentType, await reader.ReadToEndAsync());
    }

    private static void AssertInvalidToken(Answer answer, string what)
    {
        Assert.True(answer.Status == 401, $"Expected 401 for '{what}', got {answer.Status}: {answer.Body}");
        Assert.Contains("error=\"invalid_token\"", answer.WwwAuthenticate, StringComparison.Ordinal);
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        Assert.Equal("invalid_token", (string?)answer.Json["code"]);
    }

    private sealed record Answer(int Status, string WwwAuthenticate, string? ContentType, string Body)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }
}
