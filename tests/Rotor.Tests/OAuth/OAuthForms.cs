using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.OAuth;

/// <summary>Form posts to the <c>/oauth/*</c> endpoints spelled out once, and the RFC 6749 §5.2 error check.</summary>
public static class OAuthForms
{
    /// <summary>Posts <paramref name="pairs"/> as application/x-www-form-urlencoded, repeats and all, in order.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(this RotorClient client, string path, params (string Name, string Value)[] pairs) =>
        client.Http.PostAsync(path, new FormUrlEncodedContent(pairs.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    public static Task<HttpResponseMessage> TokenAsync(this RotorClient client, string refreshToken) =>
        client.PostFormAsync("/oauth/token", ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public static Task<HttpResponseMessage> RevokeAsync(this RotorClient client, string token, string? hint = null) =>
        hint is null
            ? client.PostFormAsync("/oauth/revoke", ("token", token))
            : client.PostFormAsync("/oauth/revoke", ("token", token), ("token_type_hint", hint));

    /// <summary>Posts a raw body with the given content type.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this RotorClient client, string path, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return client.Http.PostAsync(path, content);
    }

    /// <summary>Asserts an OAuth error answer (JSON error and error_description, never cached); returns the body.</summary>
    public static async Task<JsonObject> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(error, (string?)body["error"]);
        var description = (string?)body["error_description"];
        Assert.False(string.IsNullOrWhiteSpace(description));
        // RFC 6749 §5.2: printable ASCII without quote or backslash.
        Assert.All(description!, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"'{c}' in error_description"));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        return body;
    }
}
