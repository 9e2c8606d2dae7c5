using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Rotor.Http;

namespace Rotor.OAuth;

/// <summary>
/// The parameters of an <c>/oauth/*</c> request: an <c>application/x-www-form-urlencoded</c> UTF-8 body of at most
/// <see cref="RotorOptions.MaxRequestBodyBytes"/>, each parameter at most once (RFC 6749 §3.2), names matched exactly.
/// A parameter with an empty value counts as absent (RFC 6749 §3.1). Every way the body can be wrong is an
/// <c>invalid_request</c> with a sentence saying which.
/// </summary>
internal sealed class OAuthForm
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, string> _values;

    private OAuthForm(Dictionary<string, string> values) => _values = values;

    /// <summary>The value of <paramref name="name"/>, or null when it was not sent or sent empty.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>Reads the form; on failure, the error to answer with and its sentence.</summary>
    public static async ValueTask<(OAuthForm? Form, RotorError Error, string? Description)> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (!BoundedBody.IsPresent(request))
        {
            return (null, RotorErrorCodes.InvalidRequest, "The request has no body; send the parameters as application/x-www-form-urlencoded.");
        }

        if (!IsUtf8Form(request))
        {
            return (null, RotorErrorCodes.UnsupportedMediaType, "Send the parameters as application/x-www-form-urlencoded (UTF-8).");
        }

        using var body = await BoundedBody.ReadAsync(request, maxBytes);
        if (body is null)
        {
            return (null, RotorErrorCodes.RequestTooLarge, $"The body is larger than {maxBytes} bytes.");
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            return (null, RotorErrorCodes.InvalidRequest, "The body is not UTF-8.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in text.AsSpan().Split('&'))
        {
            var pair = text.AsSpan(range);
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            // Two readers of a repeated parameter may each pick a different one (RFC 6749 §3.2 forbids repeats).
            if (!values.TryAdd(name, value))
            {
                return (null, RotorErrorCodes.InvalidRequest, $"The parameter {Printable(name)} was sent more than once.");
            }
        }

        return (new OAuthForm(values), default, null);
    }

    private static bool IsUtf8Form(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        && (!type.Charset.HasValue || HeaderUtilities.RemoveQuotes(type.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static string Decode(ReadOnlySpan<char> encoded) => Uri.UnescapeDataString(encoded.ToString().Replace('+', ' '));

    /// <summary>A parameter name as the error sentence may quote it: short, and only what <c>error_description</c> allows.</summary>
    private static string Printable(string name) => OAuthResults.Describe(name.Length > 40 ? name[..40] : name);
}
