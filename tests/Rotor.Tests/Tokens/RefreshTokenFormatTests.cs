using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Accounts;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;

/// <summary>
/// A refresh token that is not canonical base64url of the right length is refused like any other invalid token,
/// wherever it arrives (body or cookie) and whatever endpoint reads it: never a 500.
/// </summary>
public sealed class RefreshTokenFormatTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create(verification: true);
    private readonly RotorClient _client;

    public RefreshTokenFormatTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    public static TheoryData<string> MalformedKinds =>
    [
        "76 bangs",
        "padding inside 76 chars",
        "padding after 76 chars",
        "space inside",
        "plus and slash",
        "last char changed",
        "latin-1 letter",
        "emoji",
        "very long",
        "empty",
        "canonical but forged",
    ];

    /// <summary>Builds the malformed variant <paramref name="kind"/> from a real token.</summary>
    private static string Malformed(string kind, string real) => kind switch
    {
        "76 bangs" => new string('!', 76),
        "padding inside 76 chars" => real[..74] + "==",
        "padding after 76 chars" => real + "=",
        "space inside" => real[..40] + " " + real[41..],
        "plus and slash" => real[..10] + "+" + real[11..20] + "/" + real[21..],
        "last char changed" => real[..75] + (real[75] == 'A' ? 'B' : 'A'),
        "latin-1 letter" => real[..38] + "é" + real[39..],
        "emoji" => real[..74] + "\U0001F600",
        "very long" => new string('A', 10_000),
        "empty" => "",
        "canonical but forged" => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(57)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(MalformedKinds))]
    public async Task A_malformed_refresh_token_in_the_body_is_401_refresh_token_invalid(string kind)
    {
        var session = await NativeSessionAsync();
        var token = Malformed(kind, session.RefreshToken);

        using var response = await _client.RefreshNativeAsync(token);

        // An empty token is no token at all.
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, kind == "empty" ? "refresh_token_missing" : "refresh_token_invalid");
        Assert.Null(RotorClient.SetCookie(response));
        using var real = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }

    [Theory]
    [MemberData(nameof(MalformedKinds))]
    public async Task A_malformed_refresh_cookie_is_401_refresh_token_invalid_and_cleared(string kind)
    {
        var session = await BrowserSessionAsync();
        var value = Malformed(kind, session.Cookie);

        using var response = await SendWithCookieAsync("/auth/refresh", value);

        if (kind == "empty")
        {
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_missing");
            return;
        }

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        AssertCleared(response);
        using var real = await _client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }

    [Theory]
    [MemberData(nameof(MalformedKinds))]
    public async Task Logout_with_a_malformed_refresh_token_in_the_body_is_204_and_ends_nothing(string kind)
    {
        var session = await NativeSessionAsync();

        using var response = await _client.Http.PostAsJsonAsync("/auth/logout", new { refreshToken = Malformed(kind, session.RefreshToken) });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(RotorClient.SetCookie(response));
        using var real = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }

    [Theory]
    [MemberData(nameof(MalformedKinds))]
    public async Task Logout_with_a_malformed_refresh_cookie_is_204_and_clears_it(string kind)
    {
        var session = await BrowserSessionAsync();

        using var response = await SendWithCookieAsync("/auth/logout", Malformed(kind, session.Cookie));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        if (kind != "empty")
        {
            AssertCleared(response);
        }

        using var real = await _client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_that_carries_a_malformed_refresh_cookie_signs_in_and_replaces_the_cookie()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await LifecycleHost.Mailbox(_app).WaitForAsync(email));
        var garbage = new string('!', 76);

        var verify = new HttpRequestMessage(HttpMethod.Post, "/auth/verify-otp") { Content = JsonContent.Create(new { email, code }) };
        verify.Headers.TryAddWithoutValidation("Cookie", $"{RotorClient.CookieName}={garbage}");
        using var verified = await _client.Http.SendAsync(verify);
        await LifecycleHost.AssertOkJsonAsync(verified);
        Assert.NotEqual("", RotorClient.SetCookie(verified)!.Value);

        using var login = await _client.LoginAsync(username, cookie: garbage);
        await LifecycleHost.AssertOkJsonAsync(login);
        var fresh = RotorClient.SetCookie(login)!;
        Assert.NotEqual("", fresh.Value);
        using var refresh = await _client.RefreshBrowserAsync(fresh.Value);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("%21%21%21")]
    [InlineData("00000000-0000-0000-0000-00000000000%C3%A9")]
    [InlineData("%7B00000000-0000-0000-0000-000000000000%7D")]
    public async Task Revoking_a_session_by_a_malformed_id_is_404(string id)
    {
        var session = await NativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Delete, "/auth/sessions/" + id, session.AccessToken);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.NotFound, "session_not_found");
    }

    private async Task<NativeSession> NativeSessionAsync()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await LifecycleHost.Mailbox(_app).WaitForAsync(email));
        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code, mode = "native" });
        return NativeSession.From(await LifecycleHost.AssertOkJsonAsync(verify), username);
    }

    private async Task<BrowserSession> BrowserSessionAsync()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await LifecycleHost.Mailbox(_app).WaitForAsync(email));
        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code });
        var body = await LifecycleHost.AssertOkJsonAsync(verify);
        return new BrowserSession(username, (string)body["accessToken"]!, RotorClient.SetCookie(verify)!.Value, Guid.Parse((string)body["sessionId"]!));
    }

    private Task<HttpResponseMessage> SendWithCookieAsync(string path, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation("Cookie", $"{RotorClient.CookieName}={value}");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return _client.Http.SendAsync(request);
    }

    private static void AssertCleared(HttpResponseMessage response)
    {
        var cleared = RotorClient.SetCookie(response);
        Assert.NotNull(cleared);
        Assert.Equal("", cleared.Value);
        Assert.Equal("0", cleared.Attributes["max-age"]);
    }
}
