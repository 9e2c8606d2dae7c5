using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;

/// <summary>
/// An access token is accepted only in the exact form the server issued: each of its three parts canonical
/// base64url (RFC 7515 §2: no padding, no other alphabet, no whitespace, unused bits zero). Otherwise one
/// signature would have many spellings, each a different token to caches, logs and deny lists.
/// </summary>
public sealed class AccessTokenEncodingTests : IDisposable
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public AccessTokenEncodingTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_part_with_padding_or_another_alphabet_is_refused(int part)
    {
        var session = await _client.NewNativeSessionAsync();

        foreach (var variant in Variants(session.AccessToken, part))
        {
            await AssertRefusedAsync(variant.Token, $"part {part}: {variant.What}");
        }

        await AssertAcceptedAsync(session.AccessToken);
    }

    [Fact]
    public async Task A_signature_with_unused_bits_set_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        var parts = session.AccessToken.Split('.');
        // A 64-byte ES256 signature is 86 characters: the last carries 2 bits of data and 4 unused ones.
        Assert.Equal(86, parts[2].Length);

        for (var bits = 1; bits < 16; bits++)
        {
            var last = Alphabet[Alphabet.IndexOf(parts[2][^1], StringComparison.Ordinal) | bits];
            await AssertRefusedAsync($"{parts[0]}.{parts[1]}.{parts[2][..^1]}{last}", $"unused bits {bits}");
        }
    }

    [Fact]
    public async Task A_padded_spelling_of_a_cached_token_does_not_hit_the_cache()
    {
        var session = await _client.NewNativeSessionAsync();
        // Validated once, so the server now answers this exact string from its cache.
        await AssertAcceptedAsync(session.AccessToken);
        await AssertAcceptedAsync(session.AccessToken);

        await AssertRefusedAsync(session.AccessToken + "=", "padded signature");
        await AssertRefusedAsync(session.AccessToken + "==", "padded signature");
        var parts = session.AccessToken.Split('.');
        var last = Alphabet[Alphabet.IndexOf(parts[2][^1], StringComparison.Ordinal) ^ 1];
        await AssertRefusedAsync($"{parts[0]}.{parts[1]}.{parts[2][..^1]}{last}", "unused bit set");

        await AssertAcceptedAsync(session.AccessToken);
    }

    private static IEnumerable<(string Token, string What)> Variants(string token, int part)
    {
        var parts = token.Split('.');
        string With(string replacement)
        {
            var copy = (string[])parts.Clone();
            copy[part] = replacement;
            return string.Join('.', copy);
        }

        var p = parts[part];
        yield return (With(p + "="), "one '='");
        yield return (With(p + "=="), "two '='");
        yield return (With(p + "==="), "three '='");
        yield return (With(p[..4] + " " + p[4..]), "a space");
        yield return (With(p[..4] + "\t" + p[4..]), "a tab");
        yield return (With(p + "A"), "a length no encoding has");
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] is '-' or '_')
            {
                yield return (With(p[..i] + (p[i] == '-' ? '+' : '/') + p[(i + 1)..]), "standard base64 alphabet");
                break;
            }
        }

        yield return (With(p[..4] + "+" + p[5..]), "'+'");
        yield return (With(p[..4] + "/" + p[5..]), "'/'");
        yield return (With(p[..4] + "é" + p[5..]), "a non-ASCII letter");
        if (p.Length % 4 != 0)
        {
            var mask = p.Length % 4 == 2 ? 0x0F : 0x03;
            var value = Alphabet.IndexOf(p[^1], StringComparison.Ordinal);
            yield return (With(p[..^1] + Alphabet[value | mask]), "unused bits set");
        }
    }

    private async Task AssertAcceptedAsync(string token)
    {
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.NotNull((await RotorClient.ReadJsonAsync(me))["user"]);
    }

    private async Task AssertRefusedAsync(string token, string what)
    {
        foreach (var path in (string[])["/users/me", "/auth/sessions"])
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await _client.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} with {what} answered {(int)response.StatusCode}: {text}");
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        }
    }
}
