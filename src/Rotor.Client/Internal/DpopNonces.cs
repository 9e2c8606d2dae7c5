using System.Collections.Concurrent;
using System.Net;

namespace Rotor.Client.Internal;

/// <summary>
/// The latest <c>DPoP-Nonce</c> each origin sent (RFC 9449 §8–9), put into the next proofs for that origin. Only the
/// origins the session sends proofs to are remembered, so the table stays as small as the app's configuration.
/// </summary>
internal sealed class DpopNonces
{
    private const string NonceHeader = "DPoP-Nonce";
    /// <summary>The error code of a nonce request (RFC 9449 §8).</summary>
    public const string NonceError = "use_dpop_nonce";
    private const int MaxNonceLength = 1024;

    private readonly ConcurrentDictionary<string, string> _byOrigin = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The nonce to put in a proof for <paramref name="target"/>, or <c>null</c> when its origin sent none.</summary>
    public string? For(Uri target) => _byOrigin.IsEmpty ? null : _byOrigin.GetValueOrDefault(Origin(target));

    /// <summary>Keeps the answer's <c>DPoP-Nonce</c>, if it has a well-formed one, for <paramref name="target"/>'s origin.</summary>
    /// <returns>The nonce the answer carried, or <c>null</c>.</returns>
    public string? Remember(Uri target, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(NonceHeader, out var values))
        {
            return null;
        }

        var nonce = values.LastOrDefault();
        if (nonce is null || !IsWellFormed(nonce))
        {
            return null;
        }

        _byOrigin[Origin(target)] = nonce;
        return nonce;
    }

    /// <summary>
    /// Whether the answer asks for the request again with a new nonce: a 400 or 401 that carries a <c>DPoP-Nonce</c>
    /// (<paramref name="newNonce"/>) and names <c>use_dpop_nonce</c> in <c>WWW-Authenticate</c> or in its body's
    /// <c>code</c>/<c>error</c> (<paramref name="bodyError"/>).
    /// </summary>
    public static bool IsNonceChallenge(HttpResponseMessage response, string? newNonce, string? bodyError) =>
        response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized
        && newNonce is not null
        && (bodyError == NonceError || NamesNonceError(response));

    /// <summary>Whether a <c>WWW-Authenticate</c> challenge of the answer carries <c>error="use_dpop_nonce"</c>.</summary>
    public static bool NamesNonceError(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (challenge.Parameter?.Contains(NonceError, StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static string Origin(Uri target) => target.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>RFC 9449's nonce syntax (visible ASCII but <c>"</c> and <c>\</c>), bounded, so a header can never carry junk into a proof.</summary>
    private static bool IsWellFormed(string nonce)
    {
        if (nonce.Length is 0 or > MaxNonceLength)
        {
            return false;
        }

        foreach (var c in nonce)
        {
            if (c is < '!' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
